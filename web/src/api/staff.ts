// The staff console's calls to the API (src/api/routes/*). Paths live here and nowhere else, so matching
// a server change is one edit; docs/console.md lists each with the page that uses it.
import { download, newIdempotencyKey, request, setSessionToken, type Query, type RequestOptions } from './http.ts';
import type {
  ActiveStrategy,
  Approval,
  AuditRow,
  AuditVerify,
  BookReport,
  Borrower,
  BorrowerCase,
  CallInput,
  CaseItem,
  Escalation,
  EscalationInput,
  Complaint,
  ComplaintUpdate,
  ComplaintUpdated,
  ContactDecision,
  ContactDetail,
  ContactItem,
  DayRuns,
  ExperimentResults,
  JournalEntry,
  LoanDetail,
  LoanListItem,
  LoanSchedule,
  Message,
  MessageDetail,
  NextCaseAnswer,
  PaymentReversal,
  PaymentReversalInput,
  Note,
  Page,
  Payment,
  PlanItem,
  PlanRequestAnswer,
  Principal,
  PromiseItem,
  HoldItem,
  ReasonCategory,
  ReasonRecorded,
  SessionAnswer,
  StrategyChange,
  StrategyInfo,
  StrategyPreview,
  StatusNotice,
  StatusNoticeInput,
  StrategyValidated,
  Transaction,
} from './types.ts';

const staff = <T>(path: string, options?: RequestOptions) => request<T>('staff', path, options);
const enc = encodeURIComponent;

// ---- session ----------------------------------------------------------------------------------------

export async function signIn(username: string, password: string): Promise<Principal> {
  const answer = await staff<SessionAnswer>('/api/v1/auth/staff/sign-in', { body: { username, password } });
  setSessionToken('staff', answer.token);
  return answer.principal;
}

export async function signOut(): Promise<void> {
  try {
    await staff<void>('/api/v1/auth/sign-out', { method: 'POST' });
  } finally {
    setSessionToken('staff', null);
  }
}

/** The signed-in staff member, or null (no session, or a borrower's session in this browser). */
export async function currentStaff(signal?: AbortSignal): Promise<Principal | null> {
  const principal = await staff<Principal>('/api/v1/auth/session', { signal });
  return principal.kind === 'staff' ? principal : null;
}

// ---- reports ----------------------------------------------------------------------------------------

export function bookReport(signal?: AbortSignal): Promise<BookReport> {
  return staff('/api/v1/reports/book', { signal });
}

/** The dashboard's reports (docs/console.md gives each one's rows; docs/reports.md the definitions). */
export const REPORTS = [
  'roll-rates',
  'cure-rates',
  'promises',
  'contacts-by-channel',
  'suppressions',
  'collections-curve',
] as const;
export type ReportName = (typeof REPORTS)[number];

export function report(name: ReportName, signal?: AbortSignal): Promise<unknown> {
  return staff<unknown>(`/api/v1/reports/${name}`, { signal });
}

// ---- loans and borrowers ----------------------------------------------------------------------------

export interface LoanFilter {
  bucket?: string;
  status?: string;
  borrowerId?: string;
  cursor?: string;
  limit?: number;
}

export function listLoans(filter: LoanFilter, signal?: AbortSignal): Promise<Page<LoanListItem>> {
  return staff('/api/v1/loans', { query: { limit: 50, ...filter }, signal });
}

export function getLoan(loanId: string, signal?: AbortSignal): Promise<LoanDetail> {
  return staff(`/api/v1/loans/${enc(loanId)}`, { signal });
}

export function getSchedule(loanId: string, signal?: AbortSignal): Promise<LoanSchedule> {
  return staff(`/api/v1/loans/${enc(loanId)}/schedule`, { signal });
}

export function getTransactions(loanId: string, cursor?: string, signal?: AbortSignal): Promise<Page<Transaction>> {
  return staff(`/api/v1/loans/${enc(loanId)}/transactions`, { query: { limit: 200, cursor }, signal });
}

export function getJournal(loanId: string, cursor?: string, signal?: AbortSignal): Promise<Page<JournalEntry>> {
  return staff(`/api/v1/loans/${enc(loanId)}/journal`, { query: { limit: 200, cursor }, signal });
}

export function getPayments(loanId: string, signal?: AbortSignal): Promise<{ items: Payment[] }> {
  return staff(`/api/v1/loans/${enc(loanId)}/payments`, { signal });
}

/**
 * Reverses a posted payment with a reason (supervisors and admins). Above the server's threshold the
 * answer is `pending_approval` with the approval another member decides.
 */
export function reversePayment(
  paymentId: string,
  input: PaymentReversalInput,
  idempotencyKey: string,
): Promise<PaymentReversal> {
  return staff(`/api/v1/payments/${enc(paymentId)}/reversals`, { body: input, idempotencyKey });
}

/** Every read of a borrower's record is audited by the API (masked or not). */
export function getBorrower(borrowerId: string, signal?: AbortSignal): Promise<Borrower> {
  return staff(`/api/v1/borrowers/${enc(borrowerId)}`, { signal });
}

export function listMessages(borrowerId: string, signal?: AbortSignal): Promise<{ items: Message[] }> {
  return staff(`/api/v1/borrowers/${enc(borrowerId)}/messages`, { query: { limit: 200 }, signal });
}

export function getMessage(borrowerId: string, messageId: string, signal?: AbortSignal): Promise<MessageDetail> {
  return staff(`/api/v1/borrowers/${enc(borrowerId)}/messages/${enc(messageId)}`, { signal });
}

/**
 * The borrower's contact timeline (GET /borrowers/:id/contacts): every contact, held back ones too, with
 * the latest decision's reasons, newest first; `cursor` continues where `nextCursor` left off.
 */
export async function listContacts(
  borrowerId: string,
  signal?: AbortSignal,
  cursor?: string,
): Promise<{ items: ContactItem[]; nextCursor: string | null }> {
  const page = await staff<Page<ContactItem>>(`/api/v1/borrowers/${enc(borrowerId)}/contacts`, {
    query: { limit: 200, cursor },
    signal,
  });
  return { items: page.items, nextCursor: page.nextCursor ?? null };
}

/** One contact's decisions in order (planned, sent or held back, delivered), each with its reasons. */
export async function contactDecisions(borrowerId: string, contactId: string): Promise<ContactDecision[]> {
  const contact = await staff<ContactDetail>(`/api/v1/borrowers/${enc(borrowerId)}/contacts/${enc(contactId)}`);
  return contact.decisions;
}

// ---- notes, promises, holds; reasons and plans ------------------------------------------------------

export function listNotes(borrowerId: string, signal?: AbortSignal): Promise<Page<Note>> {
  return staff(`/api/v1/borrowers/${enc(borrowerId)}/notes`, { signal });
}

export function addNote(borrowerId: string, input: { text: string; caseId?: string }): Promise<Note> {
  return staff(`/api/v1/borrowers/${enc(borrowerId)}/notes`, { body: input });
}

export function listPromises(borrowerId: string, signal?: AbortSignal): Promise<Page<PromiseItem>> {
  return staff(`/api/v1/borrowers/${enc(borrowerId)}/promises`, { signal });
}

export function listHolds(borrowerId: string, signal?: AbortSignal): Promise<Page<HoldItem>> {
  return staff(`/api/v1/borrowers/${enc(borrowerId)}/holds`, { signal });
}

/** Records why the borrower fell behind, on one loan (src/app/hardship.ts recordOverdueReason). */
export function recordReason(
  loanId: string,
  reason: { category: ReasonCategory; text?: string },
): Promise<ReasonRecorded> {
  return staff(`/api/v1/loans/${enc(loanId)}/overdue-reasons`, {
    body: reason,
    idempotencyKey: newIdempotencyKey('reason'),
  });
}

/** Offers a plan on a loan: `{type: "re_installment", termCount}`, `{type: "deferral", days}`, … (src/hardship/plans.ts). */
export function offerPlan(
  loanId: string,
  input: { plan: Record<string, unknown>; reasonId?: string },
): Promise<PlanRequestAnswer> {
  return staff(`/api/v1/loans/${enc(loanId)}/plans`, { body: input, idempotencyKey: newIdempotencyKey('plan') });
}

export function loanPlans(loanId: string, signal?: AbortSignal): Promise<{ items: PlanItem[] }> {
  return staff(`/api/v1/loans/${enc(loanId)}/plans`, { signal });
}

/** Approves a requested plan and applies it, within the member's role limits in the hardship policy. */
export function approvePlan(planId: string): Promise<unknown> {
  return staff(`/api/v1/plans/${enc(planId)}/approve`, {
    method: 'POST',
    idempotencyKey: newIdempotencyKey('approve'),
  });
}

export function refusePlan(planId: string, reason: string): Promise<unknown> {
  return staff(`/api/v1/plans/${enc(planId)}/refuse`, {
    body: { reason },
    idempotencyKey: newIdempotencyKey('refuse'),
  });
}

// ---- workbench -------------------------------------------------------------------------------------

interface RawQueueEntry {
  rank?: number;
  borrowerId: string;
  caseId: string;
  priority?: number;
  dpd: number;
  bucket: string;
  stage?: string;
  assignedAgentId?: string | null;
  text?: string;
  loanIds?: string[];
  status?: string;
}

function caseOf(raw: RawQueueEntry): CaseItem {
  return {
    caseId: raw.caseId,
    borrowerId: raw.borrowerId,
    status: raw.status,
    stage: raw.stage,
    loanIds: raw.loanIds ?? [],
    dpd: raw.dpd,
    bucket: raw.bucket,
    rank: raw.rank,
    priority: raw.priority,
    assignedAgentId: raw.assignedAgentId ?? null,
    text: raw.text,
  };
}

interface RawNextCase {
  case: RawQueueEntry;
  entry?: { text: string };
  number?: string | null;
  callCheck?: { verdict: string; reasons: string[] } | null;
}

/** Claims the member's next case (their username is their agent id); null when the queue has none for them. */
export async function nextCase(signal?: AbortSignal): Promise<NextCaseAnswer | null> {
  const answer = await staff<{ case: RawNextCase | null }>('/api/v1/queue/next', { method: 'POST', signal });
  const next = answer.case;
  if (!next) return null;
  return { case: caseOf(next.case), entry: next.entry, number: next.number, callCheck: next.callCheck };
}

/** The queue in order (one agent's when `agentId` is given), each case with why it ranks where it does. */
export async function queue(query: { agentId?: string; limit?: number }, signal?: AbortSignal): Promise<CaseItem[]> {
  const answer = await staff<{ items: RawQueueEntry[] }>('/api/v1/queue', { query: { limit: 200, ...query }, signal });
  return answer.items.map(caseOf);
}

/** The borrower's open case (GET /borrowers/:id/cases?status=open), or null when they have none. */
export async function openCaseOf(borrowerId: string, signal?: AbortSignal): Promise<CaseItem | null> {
  const page = await staff<{ items: BorrowerCase[] }>(`/api/v1/borrowers/${enc(borrowerId)}/cases`, {
    query: { status: 'open' },
    signal,
  });
  return page.items[0] ? caseOf(page.items[0]) : null;
}

/** Records a call's outcome on a case; a `promise` outcome records the promise to pay in the same step. */
export function recordCall(
  target: { borrowerId: string; caseId: string },
  input: CallInput,
  idempotencyKey: string,
): Promise<unknown> {
  return staff(`/api/v1/cases/${enc(target.borrowerId)}/${enc(target.caseId)}/call-outcomes`, {
    body: input,
    idempotencyKey,
  });
}

// ---- escalations and status notices ----------------------------------------------------------------

/**
 * Escalates a case (or, with `dryRun`, decides without writing: the next stage, its reasons and the
 * letter's text). A refusal is a 422 whose message says which condition is not met.
 */
export function escalateCase(
  target: { borrowerId: string; caseId: string },
  input: EscalationInput,
  idempotencyKey: string,
): Promise<Escalation> {
  return staff(`/api/v1/cases/${enc(target.borrowerId)}/${enc(target.caseId)}/escalations`, {
    body: input,
    idempotencyKey,
  });
}

/** The lawyer's letter an escalation sent, as the PDF that was sent (needs pii:read; the read is audited). */
export function escalationLetter(
  target: { borrowerId: string; caseId: string },
  seq: number,
): Promise<{ blob: Blob; fileName: string }> {
  return download(
    'staff',
    `/api/v1/cases/${enc(target.borrowerId)}/${enc(target.caseId)}/escalations/${seq}/letter`,
    `letter-${target.caseId}-${seq}.pdf`,
  );
}

/** Queues a status notice ("your refund is delayed until …") on a loan for the contact pipeline to send. */
export function sendStatusNotice(
  loanId: string,
  input: StatusNoticeInput,
  idempotencyKey: string,
): Promise<StatusNotice> {
  return staff(`/api/v1/loans/${enc(loanId)}/status-notices`, { body: input, idempotencyKey });
}

// ---- strategies -------------------------------------------------------------------------------------

export function listStrategies(signal?: AbortSignal): Promise<{ items: StrategyInfo[] }> {
  return staff('/api/v1/strategies', { signal });
}

/** Checks a document; 400 names the first bad field. */
export function validateStrategy(strategy: unknown): Promise<StrategyValidated> {
  return staff('/api/v1/strategies/validate', { body: { strategy } });
}

export function diffStrategies(from: unknown, to: unknown): Promise<{ changes: StrategyChange[] }> {
  return staff('/api/v1/strategies/diff', { body: { from, to } });
}

/** The simulator run on the live book with this strategy. */
export function previewStrategy(input: { strategy: unknown; days: number }): Promise<StrategyPreview> {
  return staff('/api/v1/strategies/preview', { body: input });
}

/** Asks for activation (an approval a second person decides). */
export function requestActivation(input: { strategy: unknown; comment?: string }): Promise<Approval> {
  return staff('/api/v1/strategies/activations', { body: input });
}

/** The strategy in force (the daily contact planning's). */
export function getActiveStrategy(signal?: AbortSignal): Promise<ActiveStrategy> {
  return staff('/api/v1/strategies/active', { signal });
}

// ---- experiments ------------------------------------------------------------------------------------

/** The strategy's champion and challenger compared over business dates from … through (windowDays: 0–90). */
export function experimentResults(
  name: string,
  span: { from: string; through: string; windowDays: number },
  signal?: AbortSignal,
): Promise<ExperimentResults> {
  return staff(`/api/v1/strategies/${enc(name)}/results`, { query: span, signal });
}

// ---- approvals, complaints -------------------------------------------------------------------------

export function listApprovals(status: string | undefined, signal?: AbortSignal): Promise<Page<Approval>> {
  return staff('/api/v1/approvals', { query: { status }, signal });
}

export function decideApproval(
  approvalId: string,
  decision: 'approve' | 'reject',
  comment?: string,
): Promise<Approval> {
  return staff(`/api/v1/approvals/${enc(approvalId)}/${decision}`, { body: comment ? { comment } : {} });
}

export function listComplaints(query: Query, signal?: AbortSignal): Promise<Page<Complaint>> {
  return staff('/api/v1/complaints', { query: { limit: 100, ...query }, signal });
}

export function updateComplaint(complaint: Complaint, input: ComplaintUpdate): Promise<ComplaintUpdated> {
  return staff(`/api/v1/borrowers/${enc(complaint.borrowerId)}/complaints/${enc(complaint.complaintId)}`, {
    method: 'PATCH',
    body: input,
  });
}

// ---- the lender's day ------------------------------------------------------------------------------

/** How the lender's day went (`kuan day`, the scheduler): the last `days` business dates, newest first. */
export function listDayRuns(days: number, signal?: AbortSignal): Promise<DayRuns> {
  return staff('/api/v1/day-runs', { query: { days }, signal });
}

// ---- audit ------------------------------------------------------------------------------------------

export function listAudit(
  query: { staff?: string; borrowerId?: string; cursor?: string; limit?: number },
  signal?: AbortSignal,
): Promise<Page<AuditRow>> {
  return staff('/api/v1/audit', { query: { limit: 100, ...query }, signal });
}

export function verifyAudit(): Promise<AuditVerify> {
  return staff('/api/v1/audit/verify');
}
