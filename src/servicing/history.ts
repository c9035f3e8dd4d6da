// A loan's history: the opening state plus an append-only list of transactions (day closes, payments,
// waivers, reversals). The state is a fold over it — `replay(opening, transactions)` rebuilds exactly the
// state the steps built one at a time, because every step is a pure function of the state and its
// transaction, and a payment or waiver runs its date's day step itself (so recorded day closes only
// matter for how far the final state is closed; `through` closes it further).
//
// A reversal does not edit history: it appends a `reversal` transaction, and replay skips the reversed
// payment, so the loan becomes what it would have been without it — penalty, DPD, credit and all. The
// journal gets one balanced entry that moves every account from the old replay's totals to the new one's.
// Days already closed stay closed (their journal ids were issued); a reversal refuses when a later
// transaction would no longer apply without the reversed payment.
//
// A hardship plan's steps are `plan` transactions (restructure.ts). A plan broken with `restore` is
// handled like a reversal: replay skips every step of that plan, so the loan becomes what it would have
// been without it, and the break posts one entry for the difference.
//
// A refund (refund.ts) is a `refund` transaction; `reverseRefund` appends a `refund_reversal` and replay
// skips the refund, exactly as for a payment. A recovery is a payment on a charged-off loan, reversed
// like any payment.
import type { IsoDate } from '../calendar/index.ts';
import { InputError, invariant, quote } from '../errors/index.ts';
import { differencePostings, netByAccount, type JournalEntry } from '../ledger/index.ts';
import { closeDay } from './close.ts';
import type { LoanEvent } from './events.ts';
import {
  applyPayment,
  paymentModes,
  paymentSources,
  type PaymentMode,
  type PaymentSource,
  type PaymentTransaction,
} from './payment.ts';
import {
  applyPlanTransaction,
  breakPlanKeeping,
  loanBalance,
  planTransactionFromJson,
  planTransactionToJson,
  scheduleView,
  zeroAmounts,
  type PlanStepInput,
  type PlanStepResult,
  type PlanTransaction,
  type PlanTransactionJson,
} from './restructure.ts';
import { applyRefund, type RefundTransaction } from './refund.ts';
import { serializeLoanState, type LoanState } from './state.ts';
import { waivableComponents, waive, type WaivableComponent, type WaiverTransaction } from './waiver.ts';
import { announceTransitions, beginWork, emit, post, type EventBody } from './work.ts';

/**
 * Why a payment is taken back, the vocabulary a lender's operations use: the debit was returned unpaid
 * (insufficient funds, closed account), the money belonged to another loan, it was posted twice, the
 * payer disputed it (fraud, chargeback), or someone keyed it wrongly.
 */
export const reversalReasons = [
  'returned_nsf',
  'wrong_loan',
  'duplicate',
  'fraud_chargeback',
  'operator_error',
] as const;
export type ReversalReason = (typeof reversalReasons)[number];

export interface ReversalTransaction {
  kind: 'reversal';
  reversalId: string;
  paymentId: string;
  on: IsoDate;
  /** How far the loan was closed when reversed: replay closes it this far, as the reversal did. */
  closedThrough: IsoDate;
  /** Why (absent on reversals recorded before reasons were). Replay does not read it. */
  reason?: ReversalReason;
}

export interface RefundReversalTransaction {
  kind: 'refund_reversal';
  reversalId: string;
  refundId: string;
  on: IsoDate;
  /** How far the loan was closed when reversed: replay closes it this far, as the reversal did. */
  closedThrough: IsoDate;
}

export type LoanTransaction =
  | { kind: 'close_day'; date: IsoDate }
  | PaymentTransaction
  | WaiverTransaction
  | ReversalTransaction
  | PlanTransaction
  | RefundTransaction
  | RefundReversalTransaction;

export interface ReplayResult {
  state: LoanState;
  events: LoanEvent[];
  journal: JournalEntry[];
  /** Transactions that no longer apply (by index), with the result code they now get. */
  rejected: { index: number; code: string }[];
}

/** The first transaction a replay refuses that the earlier replay did not (a correction would break it). */
function firstNewRejection(before: ReplayResult, after: ReplayResult): { index: number; code: string } | undefined {
  return after.rejected.find((rejection) => !before.rejected.some((earlier) => earlier.index === rejection.index));
}

/** Folds the transactions over the opening state; `through` closes the result up to that date. */
export function replay(
  opening: LoanState,
  transactions: readonly LoanTransaction[],
  options: { through?: IsoDate } = {},
): ReplayResult {
  const reversed = new Set<string>();
  const reversedRefunds = new Set<string>();
  const restoredPlans = new Set<string>();
  for (const tx of transactions) {
    if (tx.kind === 'reversal') reversed.add(tx.paymentId);
    if (tx.kind === 'refund_reversal') reversedRefunds.add(tx.refundId);
    if (tx.kind === 'plan' && tx.action === 'break' && tx.onBreak === 'restore') restoredPlans.add(tx.planId);
  }
  let state = opening;
  const events: LoanEvent[] = [];
  const journal: JournalEntry[] = [];
  const rejected: { index: number; code: string }[] = [];
  transactions.forEach((tx, index) => {
    if (tx.kind === 'close_day') {
      const result = closeDay(state, tx.date);
      state = result.state;
      events.push(...result.events);
      journal.push(...result.journal);
    } else if (tx.kind === 'payment') {
      if (reversed.has(tx.paymentId)) return;
      const result = applyPayment(state, tx);
      if (!result.ok) {
        rejected.push({ index, code: result.code });
        return;
      }
      state = result.state;
      events.push(...result.events);
      journal.push(...result.journal);
    } else if (tx.kind === 'refund') {
      if (reversedRefunds.has(tx.refundId)) return;
      const result = applyRefund(state, tx);
      if (!result.ok) {
        rejected.push({ index, code: result.code });
        return;
      }
      state = result.state;
      events.push(...result.events);
      journal.push(...result.journal);
    } else if (tx.kind === 'reversal' || tx.kind === 'refund_reversal') {
      const result = closeDay(state, tx.closedThrough);
      state = result.state;
      events.push(...result.events);
      journal.push(...result.journal);
    } else if (tx.kind === 'plan') {
      if (tx.action === 'break' && tx.onBreak === 'restore') {
        // The plan's other steps were skipped: the loan is what it would have been without it.
        const result = closeDay(state, tx.closedThrough ?? tx.on);
        state = result.state;
        events.push(...result.events);
        journal.push(...result.journal);
        return;
      }
      if (restoredPlans.has(tx.planId)) return;
      const result = applyPlanTransaction(state, tx);
      if (!result.ok) {
        rejected.push({ index, code: result.code });
        return;
      }
      state = result.state;
      events.push(...result.events);
      journal.push(...result.journal);
    } else {
      const result = waive(state, {
        waiverId: tx.waiverId,
        on: tx.on,
        component: tx.component,
        ...(tx.amountMinor === null ? {} : { amountMinor: tx.amountMinor }),
        ...(tx.installmentNumber === null ? {} : { installmentNumber: tx.installmentNumber }),
        ...(tx.reason === null ? {} : { reason: tx.reason }),
      });
      if (!result.ok) {
        rejected.push({ index, code: result.code });
        return;
      }
      state = result.state;
      events.push(...result.events);
      journal.push(...result.journal);
    }
  });
  if (options.through !== undefined) {
    const result = closeDay(state, options.through);
    state = result.state;
    events.push(...result.events);
    journal.push(...result.journal);
  }
  return { state, events, journal, rejected };
}

export interface ReversalInput {
  reversalId: string;
  paymentId: string;
  on: IsoDate;
  reason?: ReversalReason;
}

export type ReversalRejection =
  'payment_not_found' | 'payment_already_reversed' | 'reversal_before_payment' | 'reversal_breaks_later_transactions';

export type ReversalResult =
  | { ok: true; state: LoanState; events: LoanEvent[]; journal: JournalEntry[]; transaction: ReversalTransaction }
  | { ok: false; code: ReversalRejection; message: string };

/**
 * Reverses a posted payment. `current` must be the state the history builds (checked); the result is
 * the state without the payment, closed as far as `current` was, plus one journal entry for the difference.
 */
export function reversePayment(
  opening: LoanState,
  transactions: readonly LoanTransaction[],
  current: LoanState,
  input: ReversalInput,
): ReversalResult {
  const payment = transactions.find(
    (tx): tx is PaymentTransaction => tx.kind === 'payment' && tx.paymentId === input.paymentId,
  );
  if (payment === undefined)
    return { ok: false, code: 'payment_not_found', message: `no payment ${quote(input.paymentId)} on this loan` };
  if (transactions.some((tx) => tx.kind === 'reversal' && tx.paymentId === input.paymentId)) {
    return {
      ok: false,
      code: 'payment_already_reversed',
      message: `payment ${quote(input.paymentId)} is already reversed`,
    };
  }
  if (input.on < payment.on) {
    return {
      ok: false,
      code: 'reversal_before_payment',
      message: `reversal date ${input.on} is before the payment's ${payment.on}`,
    };
  }
  const transaction: ReversalTransaction = {
    kind: 'reversal',
    reversalId: input.reversalId,
    paymentId: input.paymentId,
    on: input.on,
    closedThrough: current.closedThrough,
    ...(input.reason === undefined ? {} : { reason: input.reason }),
  };
  return replayWithout(opening, transactions, current, transaction, {
    what: `payment ${quote(input.paymentId)}`,
    event: {
      type: 'payment_reversed',
      paymentId: input.paymentId,
      reversalId: input.reversalId,
      amountMinor: payment.amountMinor,
      ...(input.reason === undefined ? {} : { reason: input.reason }),
    },
    journalKind: 'payment_reversal',
  });
}

/**
 * What reversing a payment or a refund shares: the history must rebuild `current`; the history with the
 * reversal appended (which replay reads as "skip the reversed one") must refuse nothing it accepted
 * before; the result is closed as far as `current` was, announces the reversal and the loan-level
 * changes it makes, and posts one journal entry for the difference.
 */
function replayWithout<T extends ReversalTransaction | RefundReversalTransaction>(
  opening: LoanState,
  transactions: readonly LoanTransaction[],
  current: LoanState,
  transaction: T,
  about: {
    what: string;
    event: EventBody;
    journalKind: 'payment_reversal' | 'refund_reversal';
  },
):
  | { ok: true; state: LoanState; events: LoanEvent[]; journal: JournalEntry[]; transaction: T }
  | { ok: false; code: 'reversal_breaks_later_transactions'; message: string } {
  const through = current.closedThrough;
  const before = replay(opening, transactions, { through });
  invariant(
    JSON.stringify(serializeLoanState(before.state)) === JSON.stringify(serializeLoanState(current)),
    `loan ${current.loanId}: the history given does not rebuild the current state`,
  );
  const after = replay(opening, [...transactions, transaction], { through });
  const first = firstNewRejection(before, after);
  if (first) {
    return {
      ok: false,
      code: 'reversal_breaks_later_transactions',
      message: `without ${about.what}, transaction ${first.index} would be refused (${first.code})`,
    };
  }
  const work = beginWork(after.state);
  emit(work, transaction.on, about.event);
  announceTransitions(work, transaction.on, current, after.state);
  post(
    work,
    transaction.on,
    `reversal:${transaction.reversalId}`,
    about.journalKind,
    differencePostings(netByAccount(before.journal), netByAccount(after.journal)),
  );
  return { ok: true, state: after.state, events: work.events, journal: work.journal, transaction };
}

export interface RefundReversalInput {
  reversalId: string;
  refundId: string;
  on: IsoDate;
}

export type RefundReversalRejection =
  'refund_not_found' | 'refund_already_reversed' | 'reversal_before_refund' | 'reversal_breaks_later_transactions';

export type RefundReversalResult =
  | { ok: true; state: LoanState; events: LoanEvent[]; journal: JournalEntry[]; transaction: RefundReversalTransaction }
  | { ok: false; code: RefundReversalRejection; message: string };

/**
 * Reverses a refund (the money came back, or was never sent): the credit balance is restored as if the
 * refund had not happened. `current` must be the state the history builds (checked); one
 * `refund_reversal` entry posts the difference.
 */
export function reverseRefund(
  opening: LoanState,
  transactions: readonly LoanTransaction[],
  current: LoanState,
  input: RefundReversalInput,
): RefundReversalResult {
  const refund = transactions.find(
    (tx): tx is RefundTransaction => tx.kind === 'refund' && tx.refundId === input.refundId,
  );
  if (refund === undefined)
    return { ok: false, code: 'refund_not_found', message: `no refund ${quote(input.refundId)} on this loan` };
  if (transactions.some((tx) => tx.kind === 'refund_reversal' && tx.refundId === input.refundId)) {
    return {
      ok: false,
      code: 'refund_already_reversed',
      message: `refund ${quote(input.refundId)} is already reversed`,
    };
  }
  if (input.on < refund.on) {
    return {
      ok: false,
      code: 'reversal_before_refund',
      message: `reversal date ${input.on} is before the refund's ${refund.on}`,
    };
  }
  const transaction: RefundReversalTransaction = {
    kind: 'refund_reversal',
    reversalId: input.reversalId,
    refundId: input.refundId,
    on: input.on,
    closedThrough: current.closedThrough,
  };
  return replayWithout(opening, transactions, current, transaction, {
    what: `refund ${quote(input.refundId)}`,
    event: {
      type: 'refund_reversed',
      refundId: input.refundId,
      reversalId: input.reversalId,
      amountMinor: refund.amountMinor,
    },
    journalKind: 'refund_reversal',
  });
}

export interface PlanBreakInput extends PlanStepInput {
  onBreak: 'keep' | 'restore';
}

export type PlanBreakResult =
  PlanStepResult | { ok: false; code: 'plan_not_found' | 'plan_break_breaks_later_transactions'; message: string };

/**
 * Breaks a plan. `keep` leaves the restructured schedule (accrual resumes); `restore` rebuilds the loan as
 * if the plan had never been granted (its payments kept), closed through the break date, and posts one
 * `plan_restore` entry for the difference. `current` must be the state the history builds (checked).
 */
export function breakPlan(
  opening: LoanState,
  transactions: readonly LoanTransaction[],
  current: LoanState,
  input: PlanBreakInput,
): PlanBreakResult {
  const step = { planId: input.planId, on: input.on, terms: input.terms };
  if (input.onBreak === 'keep') return breakPlanKeeping(current, step);
  const activation = transactions.find(
    (tx): tx is PlanTransaction => tx.kind === 'plan' && tx.planId === input.planId && tx.action === 'activate',
  );
  if (activation === undefined) {
    return { ok: false, code: 'plan_not_found', message: `no plan ${quote(input.planId)} on this loan` };
  }
  if (input.on < current.closedThrough) {
    return {
      ok: false,
      code: 'plan_date_before_close',
      message: `plan date ${input.on} is before closedThrough ${current.closedThrough}`,
    };
  }
  const before = replay(opening, transactions, { through: current.closedThrough });
  invariant(
    JSON.stringify(serializeLoanState(before.state)) === JSON.stringify(serializeLoanState(current)),
    `loan ${current.loanId}: the history given does not rebuild the current state`,
  );
  const transaction: PlanTransaction = {
    kind: 'plan',
    planId: input.planId,
    action: 'break',
    on: input.on,
    terms: input.terms,
    onBreak: 'restore',
    closedThrough: input.on,
  };
  const after = replay(opening, [...transactions, transaction], { through: input.on });
  const first = firstNewRejection(before, after);
  if (first) {
    return {
      ok: false,
      code: 'plan_break_breaks_later_transactions',
      message: `without plan ${quote(input.planId)}, transaction ${first.index} would be refused (${first.code})`,
    };
  }
  const work = beginWork(after.state);
  announceTransitions(work, input.on, current, after.state);
  post(
    work,
    input.on,
    `plan:${input.planId}:break`,
    'plan_restore',
    differencePostings(netByAccount(before.journal), netByAccount(after.journal)),
  );
  // Restoring is not a concession: what the plan gave up is owed again, so it shows as charged.
  const balanceBefore = loanBalance(current);
  const balanceAfter = loanBalance(after.state);
  const charged = zeroAmounts();
  const waived = zeroAmounts();
  for (const name of ['principalMinor', 'interestMinor', 'feeMinor', 'penaltyMinor'] as const) {
    const delta = balanceAfter[name] - balanceBefore[name];
    if (delta > 0n) charged[name] = delta;
    else waived[name] = -delta;
  }
  return {
    ok: true,
    state: after.state,
    events: work.events,
    journal: work.journal,
    transaction,
    effect: {
      balanceBefore,
      balanceAfter,
      waived,
      charged,
      paid: zeroAmounts(),
      scheduleBefore: scheduleView(current),
      scheduleAfter: scheduleView(after.state),
      planInstallments: [],
    },
  };
}

// ---- JSON-safe transactions ---------------------------------------------------------------------------

export type LoanTransactionJson =
  | { kind: 'close_day'; date: string }
  | { kind: 'payment'; paymentId: string; amountMinor: string; on: string; source: string; mode: string }
  | {
      kind: 'waiver';
      waiverId: string;
      on: string;
      component: string;
      amountMinor: string | null;
      installmentNumber: number | null;
      reason: string | null;
    }
  | { kind: 'reversal'; reversalId: string; paymentId: string; on: string; closedThrough: string; reason?: string }
  | { kind: 'refund'; refundId: string; amountMinor: string; on: string }
  | { kind: 'refund_reversal'; reversalId: string; refundId: string; on: string; closedThrough: string }
  | PlanTransactionJson;

export function serializeTransaction(tx: LoanTransaction): LoanTransactionJson {
  switch (tx.kind) {
    case 'close_day':
      return { kind: 'close_day', date: tx.date };
    case 'payment':
      return {
        kind: 'payment',
        paymentId: tx.paymentId,
        amountMinor: tx.amountMinor.toString(),
        on: tx.on,
        source: tx.source,
        mode: tx.mode,
      };
    case 'waiver':
      return {
        kind: 'waiver',
        waiverId: tx.waiverId,
        on: tx.on,
        component: tx.component,
        amountMinor: tx.amountMinor === null ? null : tx.amountMinor.toString(),
        installmentNumber: tx.installmentNumber,
        reason: tx.reason,
      };
    case 'reversal':
      return {
        kind: 'reversal',
        reversalId: tx.reversalId,
        paymentId: tx.paymentId,
        on: tx.on,
        closedThrough: tx.closedThrough,
        ...(tx.reason === undefined ? {} : { reason: tx.reason }),
      };
    case 'plan':
      return planTransactionToJson(tx);
    case 'refund':
      return { kind: 'refund', refundId: tx.refundId, amountMinor: tx.amountMinor.toString(), on: tx.on };
    case 'refund_reversal':
      return {
        kind: 'refund_reversal',
        reversalId: tx.reversalId,
        refundId: tx.refundId,
        on: tx.on,
        closedThrough: tx.closedThrough,
      };
  }
}

function minorOf(value: unknown, field: string): bigint {
  if (typeof value !== 'string' || !/^\d+$/.test(value))
    throw new InputError(field, `must be minor units as a string, got ${quote(value)}`);
  return BigInt(value);
}

function member<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new InputError(field, `must be one of ${allowed.join(', ')}, got ${quote(value)}`);
}

export function deserializeTransaction(json: LoanTransactionJson): LoanTransaction {
  switch (json.kind) {
    case 'close_day':
      return { kind: 'close_day', date: json.date };
    case 'payment':
      return {
        kind: 'payment',
        paymentId: json.paymentId,
        amountMinor: minorOf(json.amountMinor, 'amountMinor'),
        on: json.on,
        source: member<PaymentSource>(json.source, paymentSources, 'source'),
        mode: member<PaymentMode>(json.mode, paymentModes, 'mode'),
      };
    case 'waiver':
      return {
        kind: 'waiver',
        waiverId: json.waiverId,
        on: json.on,
        component: member<WaivableComponent>(json.component, waivableComponents, 'component'),
        amountMinor: json.amountMinor === null ? null : minorOf(json.amountMinor, 'amountMinor'),
        installmentNumber: json.installmentNumber,
        reason: json.reason,
      };
    case 'reversal':
      return {
        kind: 'reversal',
        reversalId: json.reversalId,
        paymentId: json.paymentId,
        on: json.on,
        closedThrough: json.closedThrough,
        ...(json.reason === undefined
          ? {}
          : { reason: member<ReversalReason>(json.reason, reversalReasons, 'reason') }),
      };
    case 'plan':
      return planTransactionFromJson(json);
    case 'refund':
      return {
        kind: 'refund',
        refundId: json.refundId,
        amountMinor: minorOf(json.amountMinor, 'amountMinor'),
        on: json.on,
      };
    case 'refund_reversal':
      return {
        kind: 'refund_reversal',
        reversalId: json.reversalId,
        refundId: json.refundId,
        on: json.on,
        closedThrough: json.closedThrough,
      };
    default:
      throw new InputError('kind', `unknown transaction kind ${quote((json as { kind: unknown }).kind)}`);
  }
}
