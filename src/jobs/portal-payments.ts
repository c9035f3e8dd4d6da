// A borrower paying from the portal: the server debits the borrower's bound account through the
// payment-provider port and posts the payment (source `portal`) only when the debit succeeded.
//
// The bound account: as for the daily close's auto-debit, the borrower id is the account reference
// (the store keeps no other account field; the simulator's `autoDebitAccount` defaults to it too).
//
// Invariants:
// - One payment key (`idempotencyKey`, namespaced by the borrower like the staff path's keys) names one
//   request forever: it is registered (scope `portal.payment`, hash of borrower, loan and amount) before
//   the provider is called, so another body under it is refused (`idempotency_key_reused`) even while
//   the first one's outcome is still unknown.
// - The provider key is derived from the payment key (`portal:<paymentId>`, the payment id itself being
//   derived from the key), so a retry after a timeout presents the same debit again and the provider
//   answers it without debiting twice; the posting is idempotent by the payment key (postPayment), so a
//   retry never posts twice either.
// - A payment the loan cannot take (closed, more than it owes, …) is refused before any money moves. A
//   decline, a refusal and a posted payment are final answers, stored with the key and replayed; an
//   `unknown` answer is not, and the client retries with the same key.
// - A debit that succeeded but could not be posted (the loan changed between the check and the posting)
//   is recorded with the key as `not_applied` with the provider's reference, so the money can be
//   returned; it is never silently dropped.
import type { IsoDate } from '../calendar/index.ts';
import { maxDate } from '../calendar/index.ts';
import type { DeclineCode, PaymentProvider } from '../channels/payments/index.ts';
import { formatMinor } from '../money/index.ts';
import { applyPayment } from '../servicing/index.ts';
import {
  beginIdempotent,
  completeIdempotent,
  findPaymentByIdempotencyKey,
  IDEMPOTENCY_KEY_REUSED,
  requestHash,
  type Database,
  type PaymentRow,
} from '../store/index.ts';
import { readLoanState } from './document.ts';
import { paymentIdOf, postPayment } from './loans.ts';

export const PORTAL_PAYMENT_SCOPE = 'portal.payment';

export interface PortalPaymentRequest {
  /** The payment key as stored (namespaced by the borrower); the provider key is derived from it. */
  idempotencyKey: string;
  /** The signed-in borrower: only their own loan is paid, from their own bound account. */
  borrowerId: string;
  loanId: string;
  amountMinor: bigint;
  /** Today's date where the API runs; the payment is dated max(today, the loan's last closed date). */
  today: IsoDate;
}

export type PortalPaymentResult =
  | { outcome: 'posted'; replayed: boolean; payment: PaymentRow; providerRef: string | null }
  | { outcome: 'declined'; replayed: boolean; code: DeclineCode; message: string }
  /** The provider's answer is not known (timeout, 5xx): retry with the same key. Nothing stored as final. */
  | { outcome: 'unknown'; detail: string; message: string }
  /** The debit succeeded, the loan could not take it: recorded for a refund, replayed as is. */
  | { outcome: 'not_applied'; replayed: boolean; code: string; message: string; providerRef: string }
  /** Refused before any money moved (`loan_not_found`, `idempotency_key_reused`, the core's codes). */
  | { outcome: 'rejected'; replayed: boolean; code: string; message: string };

/** What is stored with the key once the answer is final. */
type StoredAnswer =
  | { outcome: 'posted'; paymentId: string; providerRef: string | null }
  | { outcome: 'declined'; code: DeclineCode; providerRef: string | null }
  | { outcome: 'not_applied'; code: string; message: string; providerRef: string }
  | { outcome: 'rejected'; code: string; message: string };

/** What each decline means, in words a borrower can act on. */
export const declineMessages: Readonly<Record<DeclineCode, string>> = {
  insufficient_funds: 'the bound account does not hold enough money for this payment',
  account_closed: 'the bound account is closed',
  account_not_found: 'the payment provider does not know the bound account',
  mandate_revoked: 'the debit mandate on the bound account has been revoked',
  limit_exceeded: "the bound account's debit limit would be exceeded",
};

/** The provider key of a portal payment: derived from the payment key, so every retry presents the same debit. */
export function portalDebitKey(paymentKey: string): string {
  return `portal:${paymentIdOf(paymentKey)}`;
}

export async function payByBorrower(
  db: Database,
  provider: PaymentProvider,
  request: PortalPaymentRequest,
): Promise<PortalPaymentResult> {
  const loan = await readLoanState(db, request.loanId);
  if (!loan || loan.row.borrowerId !== request.borrowerId) {
    return rejected('loan_not_found', `loanId: no loan ${request.loanId} of borrower ${request.borrowerId}`);
  }
  const { row, state } = loan;
  const key = request.idempotencyKey;
  // A key the staff path (or an earlier portal payment) already posted under: the same payment is a replay.
  const existing = await findPaymentByIdempotencyKey(db, key);
  if (existing) {
    if (existing.loanId === row.loanId && existing.amountMinor === request.amountMinor) {
      return { outcome: 'posted', replayed: true, payment: existing, providerRef: null };
    }
    return rejected(IDEMPOTENCY_KEY_REUSED, 'Idempotency-Key: already used for a different payment');
  }
  const hash = requestHash({ borrowerId: request.borrowerId, loanId: row.loanId, amountMinor: request.amountMinor });
  const scope = PORTAL_PAYMENT_SCOPE;
  const begun = await beginIdempotent(db, { scope, key, requestHash: hash });
  if (begun.outcome === 'rejected') {
    return rejected(IDEMPOTENCY_KEY_REUSED, 'Idempotency-Key: already used for a different payment');
  }
  if (begun.outcome === 'replayed') return replay(db, key, begun.response);

  const on = maxDate(request.today, state.closedThrough);
  const paymentId = paymentIdOf(key);
  // Refuse what the loan cannot take before any money moves. Only a fresh key: under a key begun before,
  // a debit may already have been presented, and only presenting it again tells whether money moved.
  const check = applyPayment(state, { paymentId, amountMinor: request.amountMinor, on, source: 'portal' });
  if (!check.ok && begun.outcome === 'new') {
    await completeIdempotent(db, {
      scope,
      key,
      response: { outcome: 'rejected', code: check.code, message: check.message } satisfies StoredAnswer,
    });
    return rejected(check.code, check.message);
  }

  let debit;
  try {
    debit = await provider.debit({
      idempotencyKey: portalDebitKey(key),
      accountRef: row.borrowerId,
      amountMinor: request.amountMinor,
      currency: row.currency,
      reference: `${row.loanId} portal ${paymentId}`,
    });
  } catch (error) {
    debit = { outcome: 'unknown' as const, detail: error instanceof Error ? error.message : 'provider failed' };
  }
  if (debit.outcome === 'unknown') {
    return {
      outcome: 'unknown',
      detail: debit.detail,
      message:
        `the payment provider did not answer (${debit.detail}); the money may or may not have moved — ` +
        'retry with the same Idempotency-Key, which never debits twice',
    };
  }
  if (debit.outcome === 'declined') {
    const answer: StoredAnswer = { outcome: 'declined', code: debit.code, providerRef: debit.providerRef ?? null };
    await completeIdempotent(db, { scope, key, response: answer });
    return declined(debit.code, false);
  }
  // What moved is what is posted (as the daily close does); under one key it is the amount asked for.
  const posted = await postPayment(db, {
    loanId: row.loanId,
    amountMinor: debit.amountMinor,
    on,
    source: 'portal',
    idempotencyKey: key,
  });
  if (posted.outcome === 'rejected') {
    const answer: StoredAnswer = {
      outcome: 'not_applied',
      code: posted.code,
      message: `${formatMinor(debit.amountMinor, row.currency)} ${row.currency} was debited (provider reference ${debit.providerRef}) but the loan could not take it: ${posted.message}; it is recorded for a refund`,
      providerRef: debit.providerRef,
    };
    await completeIdempotent(db, { scope, key, response: answer });
    return { ...answer, outcome: 'not_applied', replayed: false };
  }
  await completeIdempotent(db, {
    scope,
    key,
    response: { outcome: 'posted', paymentId: posted.paymentId, providerRef: debit.providerRef } satisfies StoredAnswer,
  });
  const payment = await findPaymentByIdempotencyKey(db, key);
  if (!payment) throw new Error(`invariant violated: payment ${posted.paymentId} was posted but is not stored`);
  return { outcome: 'posted', replayed: posted.outcome === 'replayed', payment, providerRef: debit.providerRef };
}

async function replay(db: Database, key: string, response: unknown): Promise<PortalPaymentResult> {
  const answer = response as StoredAnswer;
  switch (answer.outcome) {
    case 'posted': {
      const payment = await findPaymentByIdempotencyKey(db, key);
      if (!payment) throw new Error(`invariant violated: portal payment ${answer.paymentId} is not stored`);
      return { outcome: 'posted', replayed: true, payment, providerRef: answer.providerRef };
    }
    case 'declined':
      return declined(answer.code, true);
    case 'not_applied':
      return { ...answer, replayed: true };
    case 'rejected':
      return { ...answer, replayed: true };
  }
}

function declined(code: DeclineCode, replayed: boolean): PortalPaymentResult {
  return {
    outcome: 'declined',
    replayed,
    code,
    message: `the payment provider declined the debit (${code}): ${declineMessages[code] ?? code}; nothing was paid`,
  };
}

function rejected(code: string, message: string): PortalPaymentResult {
  return { outcome: 'rejected', replayed: false, code, message };
}
