// The borrower portal's calls to the API. A borrower uses the same resources as staff, scoped by the
// API to their own records (anyone else's answer 404): loans, schedule, payoff, calendar, messages,
// payments through the provider, promises, holds, plans with evidence, preferences, complaints and
// surveys (docs/console.md).
import { newIdempotencyKey, request, setSessionToken, download, type RequestOptions } from './http.ts';
import type {
  Answer,
  Borrower,
  Complaint,
  ComplaintInput,
  ContactEvent,
  ContactPreferences,
  ContactPreferencesInput,
  HoldItem,
  LoanDetail,
  LoanListItem,
  LoanSchedule,
  Message,
  Page,
  Payment,
  PayoffQuote,
  PlanItem,
  PlanRequestAnswer,
  Principal,
  PromiseItem,
  ReasonCategory,
  ReasonRecorded,
  SessionAnswer,
  Survey,
  VerifyAnswer,
} from './types.ts';

const borrower = <T>(path: string, options?: RequestOptions) => request<T>('borrower', path, options);
const enc = encodeURIComponent;

/** The API always answers 202 the same way (it never tells whether the number is known). */
export function requestCode(phone: string): Promise<Answer<'/api/v1/auth/borrower/code', 'post'>> {
  return borrower('/api/v1/auth/borrower/code', { body: { phone } });
}

export async function signIn(phone: string, code: string): Promise<Principal> {
  const answer = await borrower<SessionAnswer>('/api/v1/auth/borrower/sign-in', { body: { phone, code } });
  setSessionToken('borrower', answer.token);
  return answer.principal;
}

export async function signOut(): Promise<void> {
  try {
    await borrower<void>('/api/v1/auth/sign-out', { method: 'POST' });
  } finally {
    setSessionToken('borrower', null);
  }
}

/** The signed-in borrower's id, or null (no session, or a staff session in this browser). */
export async function currentBorrowerId(signal?: AbortSignal): Promise<string | null> {
  const principal = await borrower<Principal>('/api/v1/auth/session', { signal });
  return principal.kind === 'borrower' && principal.borrowerId ? principal.borrowerId : null;
}

export function profile(borrowerId: string, signal?: AbortSignal): Promise<Borrower> {
  return borrower(`/api/v1/borrowers/${enc(borrowerId)}`, { signal });
}

/** A borrower has few loans; the list is read whole (bounded by the API's page size). */
export function myLoans(signal?: AbortSignal): Promise<Page<LoanListItem>> {
  return borrower('/api/v1/loans', { query: { limit: 200 }, signal });
}

export function loan(loanId: string, signal?: AbortSignal): Promise<LoanDetail> {
  return borrower(`/api/v1/loans/${enc(loanId)}`, { signal });
}

export function schedule(loanId: string, signal?: AbortSignal): Promise<LoanSchedule> {
  return borrower(`/api/v1/loans/${enc(loanId)}/schedule`, { signal });
}

export function payoffQuote(loanId: string): Promise<PayoffQuote> {
  return borrower(`/api/v1/loans/${enc(loanId)}/payoff`);
}

/**
 * Pays from the borrower's bound account (the server debits it through its payment provider and posts
 * the payment once the debit succeeded), idempotent by the key. Refusals: 422 with the decline code
 * (`insufficient_funds`, …) or a servicing code; 503 `payment_outcome_unknown` (send again with the SAME
 * key and amount); 503 `payments_unavailable` (no provider on this server).
 */
export function pay(loanId: string, amount: string, idempotencyKey: string): Promise<Payment> {
  return borrower(`/api/v1/loans/${enc(loanId)}/payments`, { body: { amount }, idempotencyKey });
}

export function calendar(loanId: string): Promise<{ blob: Blob; fileName: string }> {
  return download('borrower', `/api/v1/loans/${enc(loanId)}/calendar.ics`, `kuan-${loanId}.ics`);
}

export function messages(borrowerId: string, signal?: AbortSignal): Promise<{ items: Message[] }> {
  return borrower(`/api/v1/borrowers/${enc(borrowerId)}/messages`, { query: { limit: 200 }, signal });
}

/** Public: is a message with this code genuine (Kuan sent it)? */
export function verifyCode(code: string): Promise<VerifyAnswer> {
  return borrower(`/api/v1/verify/${enc(code)}`);
}

// ---- help: contact events, overdue reasons, plans --------------------------------------------------

/**
 * A hold, a promise to pay or an opt-out, recorded on the borrower's contact state (src/app/contacts.ts
 * recordContactEvent): every later send re-checks it.
 */
export function contactEvent(
  borrowerId: string,
  event: ContactEvent,
): Promise<Answer<'/api/v1/borrowers/{borrowerId}/contact-events', 'post'>> {
  return borrower(`/api/v1/borrowers/${enc(borrowerId)}/contact-events`, { body: event });
}

export function promiseToPay(borrowerId: string, input: { loanId: string; amount: string; date: string }) {
  return contactEvent(borrowerId, { type: 'promise_to_pay', ...input });
}

/**
 * Records why the borrower fell behind, on one loan (src/app/hardship.ts recordOverdueReason). With
 * evidence files it is multipart (a JSON field `reason` and the files as `evidence`; the server measures
 * each file's size, type and SHA-256 from its bytes and answers with them); without, plain JSON.
 */
export function recordReason(
  loanId: string,
  reason: { category: ReasonCategory; text?: string },
  files: readonly File[],
): Promise<ReasonRecorded> {
  const path = `/api/v1/loans/${enc(loanId)}/overdue-reasons`;
  const idempotencyKey = newIdempotencyKey('reason');
  if (files.length === 0) return borrower(path, { body: reason, idempotencyKey });
  const form = new FormData();
  form.set('reason', JSON.stringify(reason));
  for (const file of files) form.append('evidence', file, file.name);
  return borrower(path, { body: form, idempotencyKey });
}

/** Asks for a plan on one loan (src/app/hardship.ts requestPlan): the offer, and whether it needs approval. */
export function askForPlan(
  loanId: string,
  input: { plan: Record<string, unknown>; reasonId?: string },
): Promise<PlanRequestAnswer> {
  return borrower(`/api/v1/loans/${enc(loanId)}/plans`, { body: input, idempotencyKey: newIdempotencyKey('plan') });
}

/** Takes a self-service offer (one the policy lets a borrower take without approval). */
export function acceptPlan(planId: string): Promise<unknown> {
  return borrower(`/api/v1/plans/${enc(planId)}/accept`, {
    method: 'POST',
    idempotencyKey: newIdempotencyKey('accept'),
  });
}

export function loanPlans(loanId: string, signal?: AbortSignal): Promise<{ items: PlanItem[] }> {
  return borrower(`/api/v1/loans/${enc(loanId)}/plans`, { signal });
}

// ---- promises, holds, contact preferences, complaints, surveys -------------------------------------

export function promises(borrowerId: string, signal?: AbortSignal): Promise<Page<PromiseItem>> {
  return borrower(`/api/v1/borrowers/${enc(borrowerId)}/promises`, { signal });
}

export function holds(borrowerId: string, signal?: AbortSignal): Promise<Page<HoldItem>> {
  return borrower(`/api/v1/borrowers/${enc(borrowerId)}/holds`, { signal });
}

export function preferences(borrowerId: string, signal?: AbortSignal): Promise<ContactPreferences> {
  return borrower(`/api/v1/borrowers/${enc(borrowerId)}/contact-preferences`, { signal });
}

export function savePreferences(borrowerId: string, input: ContactPreferencesInput): Promise<ContactPreferences> {
  return borrower(`/api/v1/borrowers/${enc(borrowerId)}/contact-preferences`, { method: 'PUT', body: input });
}

export function complaints(borrowerId: string, signal?: AbortSignal): Promise<Page<Complaint>> {
  return borrower(`/api/v1/borrowers/${enc(borrowerId)}/complaints`, { signal });
}

export function fileComplaint(
  borrowerId: string,
  input: ComplaintInput,
): Promise<Answer<'/api/v1/borrowers/{borrowerId}/complaints', 'post'>> {
  return borrower(`/api/v1/borrowers/${enc(borrowerId)}/complaints`, {
    body: input,
    idempotencyKey: newIdempotencyKey('complaint'),
  });
}

export function surveys(borrowerId: string, signal?: AbortSignal): Promise<Page<Survey>> {
  return borrower(`/api/v1/borrowers/${enc(borrowerId)}/surveys`, { signal });
}

export function answerSurvey(
  borrowerId: string,
  surveyId: string,
  input: { score: number; comment?: string },
): Promise<unknown> {
  return borrower(`/api/v1/borrowers/${enc(borrowerId)}/surveys/${enc(surveyId)}`, { body: input });
}
