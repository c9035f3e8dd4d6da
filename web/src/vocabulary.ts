// The server's fixed lists the forms offer. The values are the enums of the API's own schemas (the
// generated types in api/openapi.ts); each list here is a table of the console's labels keyed by that
// union, so a value the server adds or drops is a compile error until the table follows. The order of
// a table is the order a form shows.
import type {
  Approval,
  CallOutcome,
  Channel,
  Complaint,
  ComplaintCategory,
  DelayKind,
  Locale,
  ReasonCategory,
  RequestBody,
} from './api/types.ts';
import type { MessageKey } from './messages.ts';

/** The values of a label table, in its order. */
function valuesOf<Value extends string>(labels: Record<Value, MessageKey>): Value[] {
  return Object.keys(labels) as Value[];
}

export const CALL_OUTCOME_LABELS = {
  connected: 'outcome.connected',
  promise: 'outcome.promise',
  callback: 'outcome.callback',
  no_answer: 'outcome.no_answer',
  busy: 'outcome.busy',
  wrong_number: 'outcome.wrong_number',
  third_party: 'outcome.third_party',
  refused: 'outcome.refused',
  dispute: 'outcome.dispute',
} as const satisfies Record<CallOutcome, MessageKey>;
export const CALL_OUTCOMES = valuesOf(CALL_OUTCOME_LABELS);

type AnyPlanType = RequestBody<'/api/v1/loans/{loanId}/plans'>['plan']['type'];
/** The plan types a person may ask for or offer: re_age is the policy's to grant, never asked for. */
export type PlanType = Exclude<AnyPlanType, 're_age'>;
export const PLAN_TYPE_LABELS = {
  re_installment: 'plan.kind.re_installment',
  deferral: 'plan.kind.deferral',
  settlement: 'plan.kind.settlement',
  due_date_change: 'plan.kind.due_date_change',
} as const satisfies Record<PlanType, MessageKey>;
export const PLAN_TYPES = valuesOf(PLAN_TYPE_LABELS);

export const REASON_CATEGORY_LABELS = {
  income_loss: 'reason.income_loss',
  illness_or_accident: 'reason.illness_or_accident',
  family_emergency: 'reason.family_emergency',
  business_failure: 'reason.business_failure',
  over_borrowing: 'reason.over_borrowing',
  dispute: 'reason.dispute',
  fraud_or_identity_theft: 'reason.fraud_or_identity_theft',
  disaster: 'reason.disaster',
  other: 'reason.other',
} as const satisfies Record<ReasonCategory, MessageKey>;
export const REASON_CATEGORIES = valuesOf(REASON_CATEGORY_LABELS);

export const COMPLAINT_CATEGORY_LABELS = {
  contact_conduct: 'complaint.category.contact_conduct',
  fees: 'complaint.category.fees',
  dispute: 'complaint.category.dispute',
  privacy: 'complaint.category.privacy',
  other: 'complaint.category.other',
} as const satisfies Record<ComplaintCategory, MessageKey>;
export const COMPLAINT_CATEGORIES = valuesOf(COMPLAINT_CATEGORY_LABELS);

export const CHANNEL_LABELS = {
  sms: 'channel.sms',
  email: 'channel.email',
  push: 'channel.push',
  letter: 'channel.letter',
  voice: 'channel.voice',
} as const satisfies Record<Channel, MessageKey>;
export const CHANNELS = valuesOf(CHANNEL_LABELS);

export const COMPLAINT_STATUS_LABELS = {
  open: 'complaint.open',
  reviewed: 'complaint.reviewed',
  closed: 'complaint.closed',
} as const satisfies Record<Complaint['status'], MessageKey>;
export const COMPLAINT_STATUSES = valuesOf(COMPLAINT_STATUS_LABELS);

export const APPROVAL_STATUS_LABELS = {
  pending: 'approval.pending',
  approved: 'approval.approved',
  rejected: 'approval.rejected',
  superseded: 'approval.superseded',
} as const satisfies Record<Approval['status'], MessageKey>;
export const APPROVAL_STATUSES = valuesOf(APPROVAL_STATUS_LABELS);

/** A value the server typed only as a string (a stored preference) that is one of the channels. */
export function isChannel(value: string): value is Channel {
  return Object.hasOwn(CHANNEL_LABELS, value);
}

/** The languages a borrower's messages can be in, each named in itself. */
export const LOCALE_NAMES = { 'zh-CN': '中文', en: 'English' } as const satisfies Record<Locale, string>;
export const LOCALES = Object.keys(LOCALE_NAMES) as Locale[];

export function isLocale(value: string): value is Locale {
  return Object.hasOwn(LOCALE_NAMES, value);
}

// Limits the portal's forms check before sending, so a borrower hears at once; the server checks its own
// (src/hardship/reasons.ts, the hold event's schema) and its answer wins. They are numbers the OpenAPI
// types cannot carry, so they are kept here: a change on the server shows as a 400 naming the field.
export const EVIDENCE_FILES_MAX = 10;
export const EVIDENCE_BYTES_MAX = 10 * 1024 * 1024;
export const EVIDENCE_ACCEPT = 'application/pdf,image/jpeg,image/png,image/heic,.pdf,.jpg,.jpeg,.png,.heic';
/** A hold's length the portal offers (the hardship policy may allow less). */
export const HOLD_DAYS_MAX = 90;

/** What a status notice says is delayed (POST /loans/:loanId/status-notices). */
export const DELAY_KIND_LABELS = {
  disbursement: 'notice.kind.disbursement',
  refund: 'notice.kind.refund',
  payment_posting: 'notice.kind.payment_posting',
} as const satisfies Record<DelayKind, MessageKey>;
export const DELAY_KINDS = valuesOf(DELAY_KIND_LABELS);
