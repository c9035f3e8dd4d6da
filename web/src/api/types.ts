// The shapes of the API's JSON as the browser reads them (src/api/routes/*, /openapi.json). Amounts are
// decimal strings in major units, rates decimal fraction strings, dates ISO `YYYY-MM-DD`, instants
// ISO-8601 (../shared/CONTRACTS.md). docs/console.md lists every call with the page that uses it.

export type Role = 'admin' | 'supervisor' | 'collector' | 'compliance' | 'viewer';
export type Channel = 'sms' | 'email' | 'push' | 'letter' | 'voice';
export const CHANNELS: readonly Channel[] = ['sms', 'email', 'push', 'letter', 'voice'];

export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}

/** GET /auth/session; also `principal` in a sign-in answer. */
export interface Principal {
  kind: 'staff' | 'borrower';
  username?: string;
  role?: Role;
  borrowerId?: string;
  permissions: string[];
  expiresAt?: string;
}

export interface SessionAnswer {
  token: string;
  expiresAt: string;
  principal: Principal;
}

/** GET /borrowers/:borrowerId — contacts and identity masked without pii:read. */
export interface Borrower {
  borrowerId: string;
  name: string;
  timezone: string;
  locale: string;
  contacts: Partial<Record<Channel | 'letter', unknown>>;
  identity: { idType: string; idNumber: string } | null;
  masked: boolean;
}

/** An item of GET /loans. */
export interface LoanListItem {
  loanId: string;
  borrowerId: string;
  productId: string | null;
  currency: string;
  status: string;
  dpd: number;
  bucket: string;
  nextEventDate: string | null;
  closedThrough: string | null;
}

export interface FeeLine {
  kind: string;
  amount?: string;
  rate?: string;
  base?: string;
}

/** GET /loans/:loanId (`apr`, `terms.fees` and `penaltyAnnualRate` are absent from older servers). */
export interface LoanDetail {
  loanId: string;
  borrowerId: string;
  productId: string | null;
  currency: string;
  status: string;
  disbursedOn: string;
  closedThrough: string;
  nextEventDate: string | null;
  chargedOffOn: string | null;
  closedOn: string | null;
  terms: {
    principal: string;
    annualRate: string;
    termCount: number;
    method: string;
    frequency: { every: number; unit: string };
    startDate: string;
    fees?: FeeLine[];
  };
  summary: {
    asOf: string;
    dpd: number;
    delinquent: boolean;
    inGrace: boolean;
    bucket: string;
    overdue: string;
    penalty: string;
    penaltyInGrace: string;
    creditBalance: string;
    consecutiveOverdueCount: number;
    cumulativeOverdueCount: number;
  };
  outstanding: { principal: string; interest: string; fee: string; penalty: string; total: string };
  nextDue: { number: number; dueDate: string; amount: string } | null;
  graceDays: number;
  apr?: string;
  penaltyAnnualRate?: string;
  /** Where the APR stands against the pricing policy's rate caps (absent from older servers). */
  rateCap?: RateCap;
  /** Present when the penalty is a multiple of the contract rate (newer servers). */
  penaltyRateMultiple?: string;
  /** Present while the loan is charged off (newer servers): nothing accrues, no next due date. */
  chargedOff?: {
    on: string;
    owed: { principal: string; interest: string; fee: string; penalty: string; total: string };
    recovered: string;
    paymentOrder: ('principal' | 'interest' | 'fee' | 'penalty')[];
  };
}

/** The `RateCap` of GET /loans/:loanId (docs/servicing.md, "Rate caps"). */
export interface RateCap {
  level: 'ok' | 'warning' | 'refused';
  policy: string;
  apr: string;
  line: string | null;
  reasons: { code: string; level: 'warning' | 'refusal'; line: string; message: string }[];
}

/** An installment of GET /loans/:loanId/schedule. */
export interface Installment {
  number: number;
  dueDate: string;
  status: string;
  principal: string;
  interest: string;
  fee: string;
  total: string;
  paid: string;
  waived: string;
  outstanding: string;
  penaltyAccrued: string;
  penaltyOutstanding: string;
  paidOn: string | null;
}

export interface LoanSchedule {
  loanId: string;
  currency: string;
  asOf: string;
  installments: Installment[];
}

/** POST /schedules: the `kuan schedule` contract (LoanTerms → Schedule, with the APR). */
export interface ComputedSchedule {
  installments: { number: number; dueDate: string; principal: string; interest: string; fee: string; total: string }[];
  totals: { principal: string; interest: string; fee: string; total: string };
  apr: string;
}

export interface Transaction {
  seq: number;
  kind: string;
  businessDate: string;
  detail: Record<string, unknown>;
}

export interface JournalEntry {
  entryId: string;
  businessDate: string;
  kind: string;
  currency: string;
  postings: { account: string; side: 'debit' | 'credit'; amount: string }[];
}

export interface Payment {
  paymentId: string;
  loanId: string;
  amount: string;
  currency: string;
  on: string;
  source: string;
  status: string;
  allocation: { penalty: string; fee: string; interest: string; principal: string; credit: string };
}

/** An evidence file as the server stored it: size, type (sniffed from the bytes) and SHA-256 it measured. */
export interface EvidenceStored {
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
}

export interface PayoffQuote {
  loanId: string;
  currency: string;
  asOf: string;
  total: string;
  penalty: string;
  fee: string;
  interest: string;
  principal: string;
  creditApplied: string;
  refund: string;
}

/** GET /borrowers/:borrowerId/messages (sent messages, newest first). */
export interface Message {
  messageId: string;
  code: string;
  channel: Channel;
  template: string;
  loanIds: string[];
  sentAt: string | null;
  deliveryStatus: string | null;
  /** Detail only (GET …/messages/:messageId). */
  status?: string;
  address?: string | null;
  reasons?: string[];
}

export interface VerifyAnswer {
  code: string;
  genuine: boolean;
  channel?: string;
  sentOn?: string;
  /** Only for the signed-in borrower who received the message. */
  yours?: boolean;
  /** What the message was: only for its recipient. */
  template?: string;
}

export interface ContactDecision {
  seq: number;
  phase: string;
  verdict: string;
  decidedAt: string;
  reasons: string[];
}

/** GET /borrowers/:borrowerId/contacts — every contact, sent or held back, with its reasons. */
export interface ContactItem {
  contactId: string;
  channel: Channel;
  template: string;
  status: string;
  loanIds: string[];
  businessDate?: string;
  dueAt?: string | null;
  sentAt?: string | null;
  verificationCode?: string | null;
  deliveryStatus?: string | null;
  reasons: string[];
  decisions?: ContactDecision[];
}

export interface StrategyInfo {
  name: string;
  version: number;
  digest: string;
  strategy: Record<string, unknown>;
  /** Which strategy the dispatcher uses now. */
  active?: boolean;
}

/** POST /strategies/preview. */
export interface StrategyPreview {
  from?: string;
  to?: string;
  days?: number;
  borrowers?: number;
  perDay: { date: string; channel: Channel; sent: number }[];
  suppressions: { reason: string; count: number }[];
  totals?: { sent: number; suppressed: number };
  baseline?: { totals?: { sent: number; suppressed: number } };
}

export interface StrategyChange {
  kind: string;
  id?: string;
  text: string;
}

export interface AuditRow {
  seq: number;
  at: string;
  actorKind: string;
  actorId: string;
  action: string;
  resource: string;
  subjectBorrowerId: string | null;
  outcome: number;
  detail: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface AuditVerify {
  ok: boolean;
  rowsChecked: number;
  headSeq?: number;
  brokenSeq?: number;
  reason?: string;
}

export interface BookRow {
  currency: string;
  bucket: string;
  status: string;
  loans: number;
  averageDpd: string;
}

/** A rate by outstanding principal at the first snapshot date, per currency (GET /reports/roll-rates, /cure-rates). */
export interface BalanceRate {
  currency: string;
  balance: string;
  movedBalance: string;
  rate: string | null;
}

/** GET /reports/roll-rates row: of the loans in `from`, the share in `to` or worse (docs/reports.md). */
export interface RollRateRow {
  from: string;
  to: string;
  /** Decimal fraction ("0.2500"); null when no loan was in `from`. */
  rate: string | null;
  loans?: number;
  rolled?: number;
  balances?: BalanceRate[];
}

/** GET /reports/cure-rates row: of the loans in `bucket`, the share current again. */
export interface CureRateRow {
  bucket: string;
  rate: string | null;
  loans?: number;
  cured?: number;
  balances?: BalanceRate[];
}

/** GET /reports/collections-curve row: one cohort's recovered share `day` days after delinquency. */
export interface CurvePoint {
  cohort: string;
  day: number;
  recoveredRate: string | null;
  currency?: string;
  loans?: number;
  overdue?: string;
  recovered?: string;
}

// ---- cases, calls, notes, promises, holds, plans, complaints, surveys, approvals --------------------

/** A case as the queue lists it (GET /queue: src/jobs/cases.ts QueueEntry) or as next case claims it. */
export interface CaseItem {
  caseId: string;
  borrowerId: string;
  status?: string;
  stage?: string;
  loanIds: string[];
  dpd: number;
  bucket: string;
  rank?: number;
  priority?: number;
  assignedAgentId?: string | null;
  /** "why this case first": the priority formula's line. */
  text?: string;
}

/** POST /queue/next, normalised: the claimed case, the number to call, the gate's answer on a call now. */
export interface NextCaseAnswer {
  case: CaseItem;
  number?: string | null;
  callCheck?: { verdict: string; reasons: string[] } | null;
  entry?: { text: string };
}

export interface Note {
  noteId: number;
  caseId?: string | null;
  author: string;
  text: string;
  createdAt: string;
}

export interface PromiseItem {
  promiseId: string;
  loanId: string;
  amount: string;
  date: string;
  status: string;
  paid?: string;
}

export interface HoldItem {
  holdId?: string;
  fromDate?: string;
  untilDate?: string;
  from?: string;
  until?: string;
  reason: string;
  status?: string;
}

/** A hardship plan (GET /loans/:loanId/plans; src/store/hardship.ts). */
export interface PlanItem {
  planId: string;
  loanId: string;
  planType?: string;
  status: string;
  terms?: Record<string, unknown>;
  requestedBy?: string;
  requestedOn?: string;
  resultCode?: string | null;
  resultMessage?: string | null;
  offer?: { approval?: { required: boolean; minimumRole: string } } & Record<string, unknown>;
}

/** POST /loans/:loanId/plans: the offer (and whether it needs someone's approval). */
export interface PlanRequestAnswer {
  outcome: string;
  planId: string;
  offer?: { approval?: { required: boolean; minimumRole: string } } & Record<string, unknown>;
}

export interface Complaint {
  complaintId: string;
  borrowerId: string;
  loanId?: string | null;
  category: string;
  text?: string;
  status: string;
  source?: string;
  createdAt?: string;
  deadlineAt?: string | null;
  resolution?: string | null;
  /** Staff only: the internal review note and who reviewed or closed it. */
  reviewNote?: string | null;
  reviewedBy?: string | null;
  closedBy?: string | null;
  /** PATCH answer: whether the status changed, and whether reviewing lifted a pause of collection contact. */
  changed?: boolean;
  liftedPause?: boolean;
}

export interface Survey {
  surveyId: string;
  subject?: string;
  status: string;
  subjectId?: string;
  offeredAt?: string;
  answeredAt?: string | null;
  score?: number | null;
  comment?: string | null;
}

export interface Approval {
  approvalId: string;
  kind: string;
  status: string;
  requestedBy?: string;
  requestedAt?: string;
  summary?: string;
  detail?: Record<string, unknown>;
  /** The requester's comment. */
  comment?: string | null;
  decidedBy?: string | null;
  decidedAt?: string | null;
  decisionComment?: string | null;
  /** The approved request that made this one moot (status superseded). */
  supersededBy?: string | null;
}

/** GET /strategies/active: the strategy the daily contact planning uses. */
export interface ActiveStrategy {
  name: string;
  version: number;
  digest: string;
  strategy: Record<string, unknown>;
  /** `builtin`: nothing was ever activated, the built-in default applies. */
  source: 'activated' | 'builtin';
  approvalId: string | null;
  activatedAt: string | null;
  activatedBy: string | null;
  approvedBy: string | null;
}

export interface ContactPreferences {
  optOuts: Channel[];
  preferredChannel?: Channel | null;
  locale?: string;
  /** Masked addresses per channel. */
  addresses?: Partial<Record<Channel, string | null>>;
  /** GET answer: true when the addresses are masked (staff without pii:read). */
  masked?: boolean;
}
