// The domain's fixed lists the forms offer, as the core defines them (src/hardship/*, src/contact/*):
// a value sent from here is one the API's parsers accept.

/** src/hardship/cases.ts callOutcomes. */
export const CALL_OUTCOMES = [
  'connected',
  'promise',
  'callback',
  'no_answer',
  'busy',
  'wrong_number',
  'third_party',
  'refused',
  'dispute',
] as const;

/** src/servicing planTypes a person may ask for or offer (re_age is the policy's to grant). */
export const PLAN_TYPES = ['re_installment', 'deferral', 'settlement', 'due_date_change'] as const;
export type PlanType = (typeof PLAN_TYPES)[number];

/** src/hardship/reasons.ts overdueReasonCategories. */
export const REASON_CATEGORIES = [
  'income_loss',
  'illness_or_accident',
  'family_emergency',
  'business_failure',
  'over_borrowing',
  'dispute',
  'fraud_or_identity_theft',
  'disaster',
  'other',
] as const;

/** src/hardship/complaints.ts complaintCategories. */
export const COMPLAINT_CATEGORIES = ['contact_conduct', 'fees', 'dispute', 'privacy', 'other'] as const;

/** src/hardship/reasons.ts: evidence limits and accepted types. */
export const EVIDENCE_FILES_MAX = 10;
export const EVIDENCE_BYTES_MAX = 10 * 1024 * 1024;
export const EVIDENCE_ACCEPT = 'application/pdf,image/jpeg,image/png,image/heic,.pdf,.jpg,.jpeg,.png,.heic';

/** A hold's length the portal offers (the hardship policy may allow less). */
export const HOLD_DAYS_MAX = 90;
