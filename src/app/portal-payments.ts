// A borrower paying from the portal: the server debits the borrower's bound account through the
// payment-provider port and posts the payment (source `portal`) only when the debit succeeded. It is a
// command with an outside effect (src/app/command.ts defineExternalCommand): a refusal before any money
// moved is a Refusal, every other answer a value (posted, declined, unknown, not_applied).
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
  defineExternalCommand,
  planned,
  refuse,
  settleOf,
  succeed,
  type CommandResult,
  type Decision,
  type Result,
  type Settle,
} from './index.ts';
import {
  ACTIVE_RESERVATION_STATUSES,
  moneyInFlightMinor,
  findPaymentByIdempotencyKey,
  getPortalReservation,
  IDEMPOTENCY_KEY_REUSED,
  insertPortalReservation,
  listPortalReservations,
  movePortalReservation,
  type Database,
  type NewPortalReservation,
  type PaymentRow,
  type PortalReservation,
  type Transaction,
} from '../store/index.ts';
import { readLoanState } from './document.ts';
import { paymentIdOf, postPayment } from './loans.ts';

export const PORTAL_PAYMENT_SCOPE = 'portal.payment';

export interface PortalPaymentInput {
  /** The signed-in borrower: only their own loan is paid, from their own bound account. */
  borrowerId: string;
  loanId: string;
  amountMinor: bigint;
  /** Today's date where the API runs; the payment is dated max(today, the loan's last closed date). */
  today: IsoDate;
}

/** A portal payment's answer (a refusal before any money moved is a Refusal: `loan_not_found`, the core's codes). */
export type PortalPayment =
  | { outcome: 'posted'; payment: PaymentRow; providerRef: string | null }
  | { outcome: 'declined'; code: DeclineCode; message: string }
  /** The provider's answer is not known (timeout, 5xx): retry with the same key. Nothing stored as final. */
  | { outcome: 'unknown'; detail: string; message: string }
  /** The debit succeeded, the loan could not take it: recorded for a refund, replayed as is. */
  | { outcome: 'not_applied'; code: string; message: string; providerRef: string }
  /** A dry run: what would be debited, and the date it would be posted on. */
  | { outcome: 'to_debit'; loanId: string; amountMinor: bigint; currency: string; on: IsoDate };

export type PortalPaymentResult = CommandResult<PortalPayment>;

/** What is stored with the key once the answer is final (the posted payment is read again on a replay). */
type StoredAnswer =
  | { outcome: 'posted'; paymentId: string; providerRef: string | null }
  | { outcome: 'declined'; code: DeclineCode; providerRef: string | null }
  | { outcome: 'not_applied'; code: string; message: string; providerRef: string };

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

type ReserveWrites =
  | { kind: 'reserve'; reservation: NewPortalReservation }
  /** A retry after a timeout or a crash: the key's reservation stands, its debit may have been presented. */
  | { kind: 'resume'; reservation: PortalReservation }
  /** This key's reservation is already final (a concurrent request under the same key settled it). */
  | { kind: 'settled' };

/**
 * The portal payment command: the payment key (namespaced by the borrower) is its idempotency key, bound
 * to borrower, loan and amount; `provider` is the payment-provider port.
 */
export function payByBorrower(provider: PaymentProvider) {
  return defineExternalCommand<PortalPaymentInput, PortalPayment, ReserveWrites>({
    name: 'portal.pay',
    scope: PORTAL_PAYMENT_SCOPE,
    identity: ({ borrowerId, loanId, amountMinor }) => ({ borrowerId, loanId, amountMinor }),
    async admit(ctx, input, key) {
      const loan = await readLoanState(ctx.db, input.loanId);
      if (!loan || loan.row.borrowerId !== input.borrowerId) {
        const refusal = refuse(
          'loan_not_found',
          `loanId: no loan ${input.loanId} of borrower ${input.borrowerId}`,
          'loanId',
        );
        return { answer: refusal, replayed: false };
      }
      // A key the staff path already posted under: the same payment is a replay, another is refused.
      const existing = await findPaymentByIdempotencyKey(ctx.db, key);
      if (!existing) return undefined;
      if (existing.loanId === input.loanId && existing.amountMinor === input.amountMinor) {
        return { answer: succeed({ outcome: 'posted', payment: existing, providerRef: null }), replayed: true };
      }
      const refusal = refuse(
        IDEMPOTENCY_KEY_REUSED,
        'idempotencyKey: already used for a different payment',
        'idempotencyKey',
      );
      return { answer: refusal, replayed: false };
    },
    decide: (tx, input, _ctx, key) => reserve(tx, input, key),
    async apply(tx, writes) {
      if (writes.kind === 'reserve') await insertPortalReservation(tx, writes.reservation);
    },
    async carryOut(ctx, writes, key) {
      if (writes.kind === 'settled') return key.settled();
      const reservation =
        writes.kind === 'resume'
          ? writes.reservation
          : await getPortalReservation(ctx.db, writes.reservation.paymentKey);
      if (!reservation) throw new Error('invariant violated: a reservation inserted is stored');
      return presentAndSettle(ctx.db, provider, reservation, key.settle);
    },
    revive: (ctx, stored, key) => revive(ctx.db, stored, key),
    audit: (input, answer) => ({
      resource: `loan/${input.loanId}`,
      subjectBorrowerId: input.borrowerId,
      detail: {
        via: 'portal',
        outcome: answer.ok ? answer.value.outcome : 'rejected',
        ...(answer.ok && answer.value.outcome === 'posted'
          ? { paymentId: answer.value.payment.paymentId, providerRef: answer.value.providerRef }
          : {}),
        ...(answer.ok && answer.value.outcome === 'not_applied'
          ? { providerRef: answer.value.providerRef, code: answer.value.code }
          : {}),
      },
    }),
  });
}

/**
 * Holds the amount against the loan, under the loan's row lock: refused when the loan cannot take it
 * together with every other active reservation. A key that already holds a reservation (a retry after a
 * timeout or a crash) keeps it: its debit may have been presented, and only presenting it again tells.
 */
async function reserve(
  tx: Transaction,
  request: PortalPaymentInput,
  key: string,
): Promise<Decision<PortalPayment, ReserveWrites>> {
  const loan = await readLoanState(tx, request.loanId, { forUpdate: true });
  if (!loan) return refuse('loan_not_found', `loanId: no loan ${request.loanId}`, 'loanId');
  const own = await getPortalReservation(tx, key);
  const { row, state } = loan;
  if (own) {
    if (!ACTIVE_RESERVATION_STATUSES.includes(own.status)) return planned(toDebit(own), { kind: 'settled' });
    return planned(toDebit(own), { kind: 'resume', reservation: own });
  }
  const on = defaultValueDate({ today: request.today, closedThrough: state.closedThrough });
  const paymentId = paymentIdOf(key);
  const alone = applyPayment(state, { paymentId, amountMinor: request.amountMinor, on, source: 'portal' });
  if (!alone.ok) return refuse(alone.code, alone.message);
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
      return refuse(
        'payment_exceeds_outstanding',
        `amount ${money(request.amountMinor)} together with ${money(othersMinor)} already on its way to the loan ` +
          `(portal payments, auto-debits) is more than the loan still owes (${together.message}); nothing was debited`,
        'amount',
      );
    }
    if (!together.ok) return refuse(together.code, together.message);
  }
  const reservation: NewPortalReservation = {
    paymentKey: key,
    loanId: row.loanId,
    borrowerId: row.borrowerId,
    amountMinor: request.amountMinor,
    currency: row.currency,
    onDate: on,
  };
  return planned(toDebit(reservation), { kind: 'reserve', reservation });
}

function toDebit(reservation: NewPortalReservation): Result<PortalPayment> {
  return succeed({
    outcome: 'to_debit',
    loanId: reservation.loanId,
    amountMinor: reservation.amountMinor,
    currency: reservation.currency,
    on: reservation.onDate,
  });
}

/** Presents the reserved debit (again, under its stable key) and settles the reservation by the answer. */
async function presentAndSettle(
  db: Database,
  provider: PaymentProvider,
  reservation: PortalReservation,
  settle: Settle,
): Promise<Result<PortalPayment>> {
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
    return succeed({
      outcome: 'unknown',
      detail: debit.detail,
      message:
        `the payment provider did not answer (${debit.detail}); the money may or may not have moved — ` +
        'retry with the same Idempotency-Key, which never debits twice',
    });
  }
  if (debit.outcome === 'declined') {
    const answer: StoredAnswer = { outcome: 'declined', code: debit.code, providerRef: debit.providerRef ?? null };
    const { code } = debit;
    await db.transaction(async (tx) => {
      await movePortalReservation(tx, key, { from: ['reserved'], status: 'released', reason: code });
      await settle(tx, succeed(answer));
    });
    return declined(debit.code);
  }
  return postDebited(
    db,
    provider,
    reservation,
    { providerRef: debit.providerRef, amountMinor: debit.amountMinor },
    settle,
  );
}

/** Posts a debit that succeeded; when the loan cannot take it, queues it for a refund and tries the refund. */
async function postDebited(
  db: Database,
  provider: PaymentProvider,
  reservation: PortalReservation,
  debit: { providerRef: string; amountMinor: bigint },
  settle: Settle,
): Promise<Result<PortalPayment>> {
  const key = reservation.paymentKey;
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
    const answer = {
      outcome: 'not_applied' as const,
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
      await settle(tx, succeed(answer satisfies StoredAnswer));
    });
    await refundReservation(db, provider, {
      ...reservation,
      providerRef: debit.providerRef,
      amountMinor: debit.amountMinor,
    });
    return succeed(answer);
  }
  await db.transaction(async (tx) => {
    await movePortalReservation(tx, key, { from: ['reserved', 'debited'], status: 'posted' });
    const answer: StoredAnswer = { outcome: 'posted', paymentId: posted.paymentId, providerRef: debit.providerRef };
    await settle(tx, succeed(answer));
  });
  const payment = await findPaymentByIdempotencyKey(db, key);
  if (!payment) throw new Error(`invariant violated: payment ${posted.paymentId} was posted but is not stored`);
  return succeed({ outcome: 'posted', payment, providerRef: debit.providerRef });
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
    const settle = settleOf(PORTAL_PAYMENT_SCOPE, reservation.paymentKey);
    const result =
      reservation.status === 'debited' && reservation.providerRef !== null
        ? await postDebited(
            db,
            provider,
            reservation,
            { providerRef: reservation.providerRef, amountMinor: reservation.amountMinor },
            settle,
          )
        : await presentAndSettle(db, provider, reservation, settle);
    // Settled above; a refusal cannot come after the reservation stood.
    if (!result.ok) throw new Error(`invariant violated: reconciling ${reservation.paymentKey} was refused`);
    const outcome = result.value.outcome;
    if (outcome === 'posted') summary.posted += 1;
    else if (outcome === 'declined') summary.released += 1;
    else if (outcome === 'unknown') summary.unknown += 1;
    else if (outcome === 'not_applied') {
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

/** A stored answer as answered again: a posted payment is read back, a decline's message is worded again. */
async function revive(db: Database, stored: Result<unknown>, key: string): Promise<Result<PortalPayment>> {
  if (!stored.ok) return stored;
  const answer = stored.value as StoredAnswer;
  switch (answer.outcome) {
    case 'posted': {
      const payment = await findPaymentByIdempotencyKey(db, key);
      if (!payment) throw new Error(`invariant violated: portal payment ${answer.paymentId} is not stored`);
      return succeed({ outcome: 'posted', payment, providerRef: answer.providerRef });
    }
    case 'declined':
      return declined(answer.code);
    case 'not_applied':
      return succeed(answer);
  }
}

function declined(code: DeclineCode): Result<PortalPayment> {
  return succeed({
    outcome: 'declined',
    code,
    message: `the payment provider declined the debit (${code}): ${declineMessages[code] ?? code}; nothing was paid`,
  });
}
