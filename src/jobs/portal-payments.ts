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
// - Never more debited than the loan owes: before any debit the amount is reserved (a row in
//   portal_payment_reservations) in a transaction holding the loan's row lock, and only if what the loan
//   still takes covers it plus every other active reservation; else `payment_exceeds_outstanding` and
//   nothing moves. Concurrent payments on one loan therefore queue on the lock, and at most what the loan
//   owes is ever presented to the provider at once.
// - The provider key is derived from the payment key (`portal:<paymentId>`, the payment id itself being
//   derived from the key), so a retry after a timeout presents the same debit again and the provider
//   answers it without debiting twice; the posting is idempotent by the payment key (postPayment), so a
//   retry never posts twice either.
// - A decline, a refusal and a posted payment are final answers, stored with the key and replayed; an
//   `unknown` answer is not, and the client retries with the same key.
// - Money debited and not applied (the loan changed between the reservation and the posting, e.g. a staff
//   payment) is recorded with the key as `not_applied` and the reservation as `refund_due` with the
//   provider's reference, and is refunded through the provider at once when it can; otherwise it stays
//   queued and listed (listUnappliedPortalPayments). It is never silently dropped.
// - A crash anywhere leaves the reservation active (reserved, or debited with the provider reference);
//   reconcilePortalPayments (`kuan payments reconcile`) finishes it: it presents the debit again under the
//   same key (which learns the first answer, or makes the debit the borrower asked for), then posts it or
//   refunds it, and retries refunds still due.
import type { IsoDate } from '../calendar/index.ts';
import type { DebitOutcome, DeclineCode, PaymentProvider, RefundOutcome } from '../channels/payments/index.ts';
import { formatMinor } from '../money/index.ts';
import { applyPayment, defaultValueDate } from '../servicing/index.ts';
import {
  ACTIVE_RESERVATION_STATUSES,
  moneyInFlightMinor,
  beginIdempotent,
  completeIdempotent,
  findPaymentByIdempotencyKey,
  getPortalReservation,
  IDEMPOTENCY_KEY_REUSED,
  insertPortalReservation,
  listPortalReservations,
  movePortalReservation,
  requestHash,
  type Database,
  type NewPortalReservation,
  type PaymentRow,
  type PortalReservation,
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
  const { row } = loan;
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

  const reserved = await reserve(db, { ...request, loanId: row.loanId });
  if (reserved.outcome === 'refused') {
    await completeIdempotent(db, {
      scope,
      key,
      response: { outcome: 'rejected', code: reserved.code, message: reserved.message } satisfies StoredAnswer,
    });
    return rejected(reserved.code, reserved.message);
  }
  if (reserved.outcome === 'settled') {
    // A concurrent request under this key finished it between our look-ups: its stored answer is ours.
    const again = await beginIdempotent(db, { scope, key, requestHash: hash });
    if (again.outcome === 'replayed') return replay(db, key, again.response);
    throw new Error(`invariant violated: portal payment ${key} is settled but its answer is not stored`);
  }
  return presentAndSettle(db, provider, reserved.reservation);
}

type ReserveResult =
  | { outcome: 'reserved'; reservation: PortalReservation }
  /** This key's reservation is already final (a concurrent request under the same key settled it). */
  | { outcome: 'settled' }
  | { outcome: 'refused'; code: string; message: string };

/**
 * Holds the amount against the loan, under the loan's row lock: refused when the loan cannot take it
 * together with every other active reservation. A key that already holds a reservation (a retry after a
 * timeout or a crash) keeps it: its debit may have been presented, and only presenting it again tells.
 */
async function reserve(db: Database, request: PortalPaymentRequest): Promise<ReserveResult> {
  return db.transaction(async (tx): Promise<ReserveResult> => {
    const loan = await readLoanState(tx, request.loanId, { forUpdate: true });
    if (!loan) return { outcome: 'refused', code: 'loan_not_found', message: `loanId: no loan ${request.loanId}` };
    const key = request.idempotencyKey;
    const own = await getPortalReservation(tx, key);
    if (own) {
      return ACTIVE_RESERVATION_STATUSES.includes(own.status)
        ? { outcome: 'reserved', reservation: own }
        : { outcome: 'settled' };
    }
    const { row, state } = loan;
    const on = defaultValueDate({ today: request.today, closedThrough: state.closedThrough });
    const paymentId = paymentIdOf(key);
    const alone = applyPayment(state, { paymentId, amountMinor: request.amountMinor, on, source: 'portal' });
    if (!alone.ok) return { outcome: 'refused', code: alone.code, message: alone.message };
    const othersMinor = await moneyInFlightMinor(tx, { loanId: row.loanId, excludingKey: key });
    if (othersMinor > 0n) {
      const together = applyPayment(state, {
        paymentId,
        amountMinor: request.amountMinor + othersMinor,
        on,
        source: 'portal',
      });
      if (!together.ok && together.code === 'payment_exceeds_outstanding') {
        const money = (minor: bigint) => formatMinor(minor, row.currency);
        return {
          outcome: 'refused',
          code: 'payment_exceeds_outstanding',
          message:
            `amount ${money(request.amountMinor)} together with ${money(othersMinor)} already on its way to the loan ` +
            `(portal payments, auto-debits) is more than the loan still owes (${together.message}); nothing was debited`,
        };
      }
      if (!together.ok) return { outcome: 'refused', code: together.code, message: together.message };
    }
    const reservation: NewPortalReservation = {
      paymentKey: key,
      loanId: row.loanId,
      borrowerId: row.borrowerId,
      amountMinor: request.amountMinor,
      currency: row.currency,
      onDate: on,
    };
    await insertPortalReservation(tx, reservation);
    const stored = await getPortalReservation(tx, key);
    if (!stored) throw new Error(`invariant violated: reservation ${key} was inserted but is not stored`);
    return { outcome: 'reserved', reservation: stored };
  });
}

/** Presents the reserved debit (again, under its stable key) and settles the reservation by the answer. */
async function presentAndSettle(
  db: Database,
  provider: PaymentProvider,
  reservation: PortalReservation,
): Promise<PortalPaymentResult> {
  const key = reservation.paymentKey;
  let debit: DebitOutcome;
  try {
    debit = await provider.debit({
      idempotencyKey: portalDebitKey(key),
      accountRef: reservation.borrowerId,
      amountMinor: reservation.amountMinor,
      currency: reservation.currency,
      reference: `${reservation.loanId} portal ${paymentIdOf(key)}`,
    });
  } catch (error) {
    debit = { outcome: 'unknown', detail: error instanceof Error ? error.message : 'provider failed' };
  }
  if (debit.outcome === 'unknown') {
    // The reservation stays: the amount is held until a retry or `kuan payments reconcile` learns the answer.
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
    const { code } = debit;
    await db.transaction(async (tx) => {
      await movePortalReservation(tx, key, { from: ['reserved'], status: 'released', reason: code });
      await completeIdempotent(tx, { scope: PORTAL_PAYMENT_SCOPE, key, response: answer });
    });
    return declined(debit.code, false);
  }
  return postDebited(db, provider, reservation, { providerRef: debit.providerRef, amountMinor: debit.amountMinor });
}

/** Posts a debit that succeeded; when the loan cannot take it, queues it for a refund and tries the refund. */
async function postDebited(
  db: Database,
  provider: PaymentProvider,
  reservation: PortalReservation,
  debit: { providerRef: string; amountMinor: bigint },
): Promise<PortalPaymentResult> {
  const key = reservation.paymentKey;
  const scope = PORTAL_PAYMENT_SCOPE;
  // Recorded before posting, so a crash from here on leaves the provider's reference for the reconciler.
  await movePortalReservation(db, key, { from: ['reserved'], status: 'debited', providerRef: debit.providerRef });
  // What moved is what is posted (as the daily close does); under one key it is the amount asked for.
  const posted = await postPayment(db, {
    loanId: reservation.loanId,
    amountMinor: debit.amountMinor,
    on: reservation.onDate,
    source: 'portal',
    idempotencyKey: key,
  });
  if (posted.outcome === 'rejected') {
    const amount = `${formatMinor(debit.amountMinor, reservation.currency)} ${reservation.currency}`;
    const answer: StoredAnswer = {
      outcome: 'not_applied',
      code: posted.code,
      message: `${amount} was debited (provider reference ${debit.providerRef}) but the loan could not take it: ${posted.message}; it is returned to the bound account by a refund`,
      providerRef: debit.providerRef,
    };
    await db.transaction(async (tx) => {
      await movePortalReservation(tx, key, {
        from: ['reserved', 'debited'],
        status: 'refund_due',
        providerRef: debit.providerRef,
        reason: `${posted.code}: ${posted.message}`,
      });
      await completeIdempotent(tx, { scope, key, response: answer });
    });
    await refundReservation(db, provider, {
      ...reservation,
      providerRef: debit.providerRef,
      amountMinor: debit.amountMinor,
    });
    return { ...answer, outcome: 'not_applied', replayed: false };
  }
  await db.transaction(async (tx) => {
    await movePortalReservation(tx, key, { from: ['reserved', 'debited'], status: 'posted' });
    await completeIdempotent(tx, {
      scope,
      key,
      response: {
        outcome: 'posted',
        paymentId: posted.paymentId,
        providerRef: debit.providerRef,
      } satisfies StoredAnswer,
    });
  });
  const payment = await findPaymentByIdempotencyKey(db, key);
  if (!payment) throw new Error(`invariant violated: payment ${posted.paymentId} was posted but is not stored`);
  return { outcome: 'posted', replayed: posted.outcome === 'replayed', payment, providerRef: debit.providerRef };
}

export type RefundAttempt = 'refunded' | 'queued';

/**
 * Returns a reservation's debited money through the provider (refund key derived from the payment key,
 * so a retry never refunds twice). `queued` when the provider has no refunds, did not answer or refused:
 * the reservation stays `refund_due`, listed as unapplied, and the next reconcile tries again.
 */
async function refundReservation(
  db: Database,
  provider: PaymentProvider,
  reservation: Pick<PortalReservation, 'paymentKey' | 'loanId' | 'amountMinor' | 'currency'> & { providerRef: string },
): Promise<RefundAttempt> {
  if (!provider.refund) return 'queued';
  let refund: RefundOutcome;
  try {
    refund = await provider.refund({
      idempotencyKey: portalRefundKey(reservation.paymentKey),
      debitRef: reservation.providerRef,
      amountMinor: reservation.amountMinor,
      currency: reservation.currency,
      reference: `${reservation.loanId} portal refund ${paymentIdOf(reservation.paymentKey)}`,
    });
  } catch (error) {
    refund = { outcome: 'unknown', detail: error instanceof Error ? error.message : 'provider failed' };
  }
  if (refund.outcome === 'succeeded') {
    await movePortalReservation(db, reservation.paymentKey, {
      from: ['refund_due'],
      status: 'refunded',
      refundRef: refund.refundRef,
    });
    return 'refunded';
  }
  if (refund.outcome === 'refused') {
    await movePortalReservation(db, reservation.paymentKey, {
      from: ['refund_due'],
      status: 'refund_due',
      reason: `refund refused by the provider: ${refund.code}; return it by hand`,
    });
  }
  return 'queued';
}

/** The provider key of a portal payment's refund: derived from the payment key, so it is presented once. */
export function portalRefundKey(paymentKey: string): string {
  return `portal-refund:${paymentIdOf(paymentKey)}`;
}

/** Reservations looked at per reconcile run, at most. */
export const RECONCILE_BATCH_MAX = 500;
/** By default a reservation is reconciled once untouched this long: a request in flight is left alone. */
export const RECONCILE_OLDER_THAN_SECONDS_DEFAULT = 300;

export interface ReconcileSummary {
  /** Reservations looked at. */
  examined: number;
  posted: number;
  /** Declined when presented again: nothing moved, the amount is free. */
  released: number;
  refunded: number;
  /** Debited and not applied, still owed back (no refund call, refused, or no answer). */
  refundQueued: number;
  /** The provider still did not answer; tried again next run. */
  unknown: number;
}

/**
 * Finishes portal payments a crash or a lost answer left open: reservations still `reserved` or `debited`
 * and untouched for `olderThanSeconds` are presented again under their key and posted or refunded;
 * `refund_due` ones get their refund tried again. Idempotent: running it twice moves no money twice.
 */
export async function reconcilePortalPayments(
  db: Database,
  provider: PaymentProvider,
  options: { olderThanSeconds?: number; limit?: number } = {},
): Promise<ReconcileSummary> {
  const summary: ReconcileSummary = { examined: 0, posted: 0, released: 0, refunded: 0, refundQueued: 0, unknown: 0 };
  const open = await listPortalReservations(db, {
    statuses: ['reserved', 'debited', 'refund_due'],
    olderThanSeconds: options.olderThanSeconds ?? RECONCILE_OLDER_THAN_SECONDS_DEFAULT,
    limit: Math.min(options.limit ?? RECONCILE_BATCH_MAX, RECONCILE_BATCH_MAX),
  });
  for (const reservation of open) {
    summary.examined += 1;
    if (reservation.status === 'refund_due') {
      if (reservation.providerRef === null) {
        throw new Error(`invariant violated: reservation ${reservation.paymentKey} is refund_due without a debit`);
      }
      const attempt = await refundReservation(db, provider, { ...reservation, providerRef: reservation.providerRef });
      summary[attempt === 'refunded' ? 'refunded' : 'refundQueued'] += 1;
      continue;
    }
    const result =
      reservation.status === 'debited' && reservation.providerRef !== null
        ? await postDebited(db, provider, reservation, {
            providerRef: reservation.providerRef,
            amountMinor: reservation.amountMinor,
          })
        : await presentAndSettle(db, provider, reservation);
    if (result.outcome === 'posted') summary.posted += 1;
    else if (result.outcome === 'declined') summary.released += 1;
    else if (result.outcome === 'unknown') summary.unknown += 1;
    else if (result.outcome === 'not_applied') {
      const after = await getPortalReservation(db, reservation.paymentKey);
      summary[after?.status === 'refunded' ? 'refunded' : 'refundQueued'] += 1;
    }
  }
  return summary;
}

/** Portal money debited and not applied: owed back (`refund_due`) and already returned (`refunded`). */
export async function listUnappliedPortalPayments(
  db: Database,
  options: { status?: 'refund_due' | 'refunded'; limit: number },
): Promise<PortalReservation[]> {
  return listPortalReservations(db, {
    statuses: options.status ? [options.status] : ['refund_due', 'refunded'],
    limit: options.limit,
  });
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
