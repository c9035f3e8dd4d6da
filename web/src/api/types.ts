// The shapes of the API's JSON as the browser reads them: names for the types generated from the
// server's route schemas (openapi.ts, `npm run gen:api-types`), so a server change that breaks a page is
// a compile error here rather than a blank field in a browser. Amounts are decimal strings in major
// units, rates decimal fraction strings, dates ISO `YYYY-MM-DD`, instants ISO-8601
// (../shared/CONTRACTS.md). docs/console.md lists every call with the page that uses it.
import type { components, paths } from './openapi.ts';

type Schemas = components['schemas'];
type Method = 'get' | 'post' | 'put' | 'patch';
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
type JsonOf<Response> = Response extends { content: { 'application/json': infer Body } } ? Body : never;

/** The JSON body of the success answer (200, 201 or 202) of `M P`. */
export type Answer<P extends keyof paths, M extends Method = 'get'> =
  Operation<P, M> extends { responses: infer Responses }
    ? Responses extends { 200: infer Ok }
      ? JsonOf<Ok>
      : Responses extends { 201: infer Created }
        ? JsonOf<Created>
        : Responses extends { 202: infer Accepted }
          ? JsonOf<Accepted>
          : never
    : never;

/** The JSON request body of `M P`. */
export type RequestBody<P extends keyof paths, M extends Method = 'post'> =
  Operation<P, M> extends { requestBody?: infer Body } ? JsonOf<NonNullable<Body>> : never;

/** An item of a list answer (`{ items: [...] }`). */
type ItemOf<List> = List extends { items: (infer Item)[] } ? Item : never;

/** A list answer: its items and, when the list is paged, the cursor of the next page. */
export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}

// ---- vocabularies: the server's enums --------------------------------------------------------------

export type Role = NonNullable<Schemas['Principal']['role']>;
export type Permission = Schemas['Principal']['permissions'][number];
export type Channel = RequestBody<'/api/v1/borrowers/{borrowerId}/contact-preferences', 'put'>['optOuts'][number];
export type CallOutcome = RequestBody<'/api/v1/cases/{borrowerId}/{caseId}/call-outcomes'>['outcome'];
export type ReasonCategory = NonNullable<RequestBody<'/api/v1/loans/{loanId}/overdue-reasons'>>['category'];
export type ComplaintCategory = RequestBody<'/api/v1/borrowers/{borrowerId}/complaints'>['category'];
export type Locale = NonNullable<RequestBody<'/api/v1/borrowers/{borrowerId}/contact-preferences', 'put'>['locale']>;

// ---- sessions and people ---------------------------------------------------------------------------

/** GET /auth/session; also `principal` in a sign-in answer. */
export type Principal = Schemas['Principal'];
export type SessionAnswer = Answer<'/api/v1/auth/staff/sign-in', 'post'>;
/** GET /borrowers/:borrowerId — contacts and identity masked without pii:read. */
export type Borrower = Schemas['Borrower'];

// ---- loans, schedules, money -----------------------------------------------------------------------

/** An item of GET /loans. */
export type LoanListItem = ItemOf<Answer<'/api/v1/loans'>>;
/** GET /loans/:loanId. */
export type LoanDetail = Schemas['Loan'];
export type FeeLine = LoanDetail['terms']['fees'][number];
/** Where the APR stands against the pricing policy's rate caps (docs/servicing.md, "Rate caps"). */
export type RateCap = Schemas['RateCap'];
export type LoanSchedule = Answer<'/api/v1/loans/{loanId}/schedule'>;
/** An installment of GET /loans/:loanId/schedule. */
export type Installment = LoanSchedule['installments'][number];
/** POST /schedules: the `kuan schedule` contract (LoanTerms → Schedule, with the APR). */
export type ComputedSchedule = Schemas['Schedule'];
export type Transaction = ItemOf<Answer<'/api/v1/loans/{loanId}/transactions'>>;
export type JournalEntry = ItemOf<Answer<'/api/v1/loans/{loanId}/journal'>>;
export type Payment = Schemas['Payment'];
export type PayoffQuote = Answer<'/api/v1/loans/{loanId}/payoff'>;
/** POST /loans/:loanId/overdue-reasons: the reason recorded, and its evidence files as the server measured them. */
export type ReasonRecorded = Answer<'/api/v1/loans/{loanId}/overdue-reasons', 'post'>;
/** An evidence file as the server stored it: size, type (sniffed from the bytes) and SHA-256 it measured. */
export type EvidenceStored = NonNullable<ReasonRecorded['evidence']>[number];

// ---- messages and contacts -------------------------------------------------------------------------

/** An item of GET /borrowers/:borrowerId/messages (sent messages, newest first). */
export type Message = Schemas['Message'];
/** GET /borrowers/:borrowerId/messages/:messageId: the message with its status, address and reasons. */
export type MessageDetail = Answer<'/api/v1/borrowers/{borrowerId}/messages/{messageId}'>;
export type VerifyAnswer = Answer<'/api/v1/verify/{code}'>;
/** An item of GET /borrowers/:borrowerId/contacts — every contact, sent or held back, with its reasons. */
export type ContactItem = Schemas['Contact'];
/** GET /borrowers/:borrowerId/contacts/:contactId: the contact with its decisions in order. */
export type ContactDetail = Answer<'/api/v1/borrowers/{borrowerId}/contacts/{contactId}'>;
export type ContactDecision = ContactDetail['decisions'][number];
export type ContactPreferences = Schemas['ContactPreferences'];
export type ContactPreferencesInput = RequestBody<'/api/v1/borrowers/{borrowerId}/contact-preferences', 'put'>;
/** A hold, a promise to pay or an opt-out, … recorded on the borrower's contact state. */
export type ContactEvent = RequestBody<'/api/v1/borrowers/{borrowerId}/contact-events'>;

// ---- strategies ------------------------------------------------------------------------------------

export type StrategyInfo = ItemOf<Answer<'/api/v1/strategies'>>;
/** POST /strategies/validate. */
export type StrategyValidated = Answer<'/api/v1/strategies/validate', 'post'>;
/** POST /strategies/preview. */
export type StrategyPreview = Answer<'/api/v1/strategies/preview', 'post'>;
export type StrategyChange = Answer<'/api/v1/strategies/diff', 'post'>['changes'][number];
/** GET /strategies/active: the strategy the daily contact planning uses. */
export type ActiveStrategy = Schemas['ActiveStrategy'];
export type Approval = Schemas['Approval'];

// ---- experiments -----------------------------------------------------------------------------------

/** GET /strategies/{name}/results: the champion/challenger comparison (docs/decisions/0005). */
export type ExperimentResults = Schemas['ExperimentResults'];
/** One arm's counts and rates in ExperimentResults. */
export type ArmResult = ExperimentResults['champion'];

// ---- audit and reports -----------------------------------------------------------------------------

export type AuditRow = ItemOf<Answer<'/api/v1/audit'>>;
export type AuditVerify = Answer<'/api/v1/audit/verify'>;
export type BookReport = Answer<'/api/v1/reports/book'>;
export type BookRow = BookReport['rows'][number];

// ---- the lender's day ------------------------------------------------------------------------------

/** GET /day-runs: the lender's day by business date, newest first. */
export type DayRuns = Answer<'/api/v1/day-runs'>;
/** One business date of GET /day-runs: its stages in pipeline order and the day's status. */
export type DayRun = DayRuns['items'][number];
/** A stage of a day: status, attempts, start and finish, its counts (an open record) and its error. */
export type DayStageRun = DayRun['stages'][number];
export type DayStage = DayStageRun['stage'];

// ---- cases, notes, promises, holds, plans, complaints, surveys --------------------------------------

/** An item of GET /borrowers/:borrowerId/cases. */
export type BorrowerCase = ItemOf<Answer<'/api/v1/borrowers/{borrowerId}/cases'>>;
export type CallInput = RequestBody<'/api/v1/cases/{borrowerId}/{caseId}/call-outcomes'>;
export type Note = ItemOf<Answer<'/api/v1/borrowers/{borrowerId}/notes'>>;
export type PromiseItem = ItemOf<Answer<'/api/v1/borrowers/{borrowerId}/promises'>>;
export type HoldItem = ItemOf<Answer<'/api/v1/borrowers/{borrowerId}/holds'>>;
export type Complaint = Schemas['Complaint'];
/** PATCH /borrowers/:borrowerId/complaints/:complaintId: the complaint, whether it changed and whether a pause lifted. */
/** PATCH /borrowers/:borrowerId/complaints/:complaintId: the review or closing of a complaint. */
export type ComplaintUpdate = RequestBody<'/api/v1/borrowers/{borrowerId}/complaints/{complaintId}', 'patch'>;
export type ComplaintUpdated = Answer<'/api/v1/borrowers/{borrowerId}/complaints/{complaintId}', 'patch'>;
export type ComplaintInput = RequestBody<'/api/v1/borrowers/{borrowerId}/complaints'>;
export type Survey = ItemOf<Answer<'/api/v1/borrowers/{borrowerId}/surveys'>>;

// ---- escalations and status notices ----------------------------------------------------------------

/** POST /cases/:borrowerId/:caseId/escalations: the decision (a dry run's with the letter's text). */
export type Escalation = Schemas['Escalation'];
export type EscalationInput = RequestBody<'/api/v1/cases/{borrowerId}/{caseId}/escalations'>;
/** POST /loans/:loanId/status-notices: the notice queued for the contact pipeline. */
export type StatusNotice = Schemas['StatusNotice'];
export type PaymentReversal = Schemas['PaymentReversal'];
export type PaymentReversalInput = RequestBody<'/api/v1/payments/{paymentId}/reversals'>;
export type ReversalReason = PaymentReversalInput['reason'];
export type StatusNoticeInput = RequestBody<'/api/v1/loans/{loanId}/status-notices'>;
export type DelayKind = StatusNoticeInput['kind'];
export type NoticeChannel = StatusNoticeInput['channel'];

// The queue and plan answers below are open objects in the server's schemas (src/api/routes/cases.ts and
// plans.ts declare them as records): these name only the fields the console reads, as optional where the
// server may leave them out. They go once those routes declare their answers.

/** A case as the queue lists it (GET /queue) or as POST /queue/next claims it. */
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

/** A hardship plan (GET /loans/:loanId/plans). */
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
