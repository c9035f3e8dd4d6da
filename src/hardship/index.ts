// Hardship: overdue reasons, hardship policies (eligibility, approval limits) and the decisions around a
// plan — the offer, its approval, and judging it while it runs. Pure; the ledger step of a plan is in
// src/servicing (restructure.ts). The module's front door; see docs/hardship.md.
export {
  capturedByText,
  evidenceFilesMax,
  evidenceMediaTypes,
  evidenceSizeMaxBytes,
  fileNameMaxChars,
  overdueReasonCategories,
  parseCapturedBy,
  parseEvidenceFile,
  parseOverdueReason,
  reasonTextMaxChars,
  type CapturedBy,
  type EvidenceFile,
  type OverdueReasonCategory,
  type OverdueReasonInput,
} from './reasons.ts';
export {
  approvalRolesMax,
  borrowerRole,
  defaultHardshipPolicy,
  hardshipPolicyToJson,
  parseHardshipPolicy,
  planGraceDaysMax,
  plansPerYearLimit,
  shareText,
  type ApprovalLimit,
  type ApprovalRole,
  type DeferralRule,
  type HardshipPolicy,
  type PlanRule,
  type PlanRules,
  type ReAgeRule,
  type ReInstallmentRule,
  type SettlementRule,
} from './policy.ts';
export {
  checkApproval,
  concessionShare,
  conserves,
  deferralMonthsOf,
  evaluatePlanRequest,
  judgePlan,
  parsePlanRequest,
  percent,
  planInstallmentsFromJson,
  planInstallmentsToJson,
  planOfferToJson,
  planTermsJson,
  type ActivePlan,
  type ApprovalCheck,
  type ApprovalNeed,
  type HardshipRejection,
  type PlanJudgement,
  type PlanOffer,
  type PlanOfferResult,
  type PlanPayment,
  type PlanRequestContext,
  type Refusal,
} from './plans.ts';
export * from './queue.ts';
export * from './cases.ts';
export * from './complaints.ts';
export * from './notices.ts';
export * from './promises.ts';
