// Payments and payoff quotes. `applyPayment` first brings the loan to the payment's date (running that
// day's step if the close has not yet), then allocates:
// - `regular`: what is due (oldest first, in the rules' order); the rest per the overpayment rule —
//   `prepay_next` pays the next installments ahead of their due dates, `credit_balance` keeps it as a
//   credit that is spent automatically as installments fall due;
// - `prepayment`: what is due, then the rest straight to principal, re-amortising the remaining
//   schedule (shorten the term or lower the installment, per the rules);
// - `payoff`: exactly the payoff quote; the loan closes.
// A payment on a charged-off loan is a recovery (recovery.ts): allocated against the written-off balance,
// booked against credit loss; `payoff` there must be exactly the recoverable balance.
// Expected refusals are result codes, never exceptions, and leave the state untouched. Invariants: the
// allocation sums to the amount; cash in equals the journal's credits; nothing owed goes negative.
import { toEpochDay, type IsoDate } from '../calendar/index.ts';
import { invariant } from '../errors/index.ts';
import { credit, debit, type JournalEntry } from '../ledger/index.ts';
import { formatMinor } from '../money/index.ts';
import {
  allocationOf,
  collectible,
  collectibleDue,
  emptyTally,
  outstandingAhead,
  payAhead,
  payAheadComponent,
  payDue,
  principalAhead,
  tallyCredits,
  tallyTotal,
  type Allocation,
  type Tally,
} from './allocation.ts';
import { catchUp } from './close.ts';
import type { LoanEvent } from './events.ts';
import { reamortise } from './reamortise.ts';
import { recover, recoveryBalance } from './recovery.ts';
import type { Component } from './rules.ts';
import {
  feeOutstanding,
  interestOutstanding,
  penaltyOutstanding,
  principalOutstanding,
  type InstallmentState,
  type LoanState,
} from './state.ts';
import {
  beginWork,
  edit,
  emit,
  finishWork,
  markSettlements,
  post,
  refreshStatus,
  type StateDraft,
  type Work,
} from './work.ts';

export const paymentSources = ['manual', 'auto_debit', 'portal', 'agent', 'bank_transfer', 'import'] as const;
export type PaymentSource = (typeof paymentSources)[number];
export const paymentModes = ['regular', 'prepayment', 'payoff'] as const;
export type PaymentMode = (typeof paymentModes)[number];

export interface PaymentInput {
  paymentId: string;
  amountMinor: bigint;
  on: IsoDate;
  source: PaymentSource;
  mode?: PaymentMode;
}

/** The transaction record of a payment: exactly its input, so replaying it reproduces the posting. */
export interface PaymentTransaction {
  kind: 'payment';
  paymentId: string;
  amountMinor: bigint;
  on: IsoDate;
  source: PaymentSource;
  mode: PaymentMode;
}

export type PaymentRejection =
  | 'amount_not_positive'
  | 'loan_closed'
  | 'loan_charged_off'
  | 'payment_date_before_close'
  | 'payment_exceeds_outstanding'
  | 'payoff_amount_mismatch';

export type PaymentResult =
  | {
      ok: true;
      state: LoanState;
      events: LoanEvent[];
      journal: JournalEntry[];
      allocation: Allocation;
      transaction: PaymentTransaction;
      /** Present (true) when the loan was charged off: the payment is a recovery. */
      recovery?: true;
    }
  | { ok: false; code: PaymentRejection; message: string };

export interface PayoffQuote {
  asOf: IsoDate;
  /** What to pay today to close the loan: the components less the credit balance. */
  totalMinor: bigint;
  penaltyMinor: bigint;
  feeMinor: bigint;
  interestMinor: bigint;
  principalMinor: bigint;
  creditAppliedMinor: bigint;
  /** Credit balance beyond what is owed, to be refunded (a payoff of zero is then not needed). */
  refundMinor: bigint;
}

export type PayoffQuoteResult =
  | { ok: true; quote: PayoffQuote }
  | { ok: false; code: 'loan_closed' | 'loan_charged_off' | 'quote_date_before_close'; message: string };

function reject(code: PaymentRejection, message: string): PaymentResult {
  return { ok: false, code, message };
}

/**
 * The installment whose period is running on `day` (the first not yet due), if its period started before
 * `day`. Its interest is owed in full on payoff or prepayment; later periods' interest is not.
 */
function runningPeriod(s: StateDraft, day: number): number {
  const index = s.installments.findIndex((row) => row.dueEpochDay > day);
  if (index < 0) return -1;
  const startDay =
    index === 0 ? toEpochDay(s.terms.startDate) : (s.installments[index - 1] as { dueEpochDay: number }).dueEpochDay;
  return startDay < day ? index : -1;
}

function quoteOf(s: StateDraft, day: number, asOf: IsoDate): PayoffQuote {
  let penaltyMinor = 0n;
  let feeMinor = 0n;
  let interestMinor = 0n;
  let principalMinor = 0n;
  const running = runningPeriod(s, day);
  s.installments.forEach((row, index) => {
    if (row.dueEpochDay <= day) {
      penaltyMinor += collectible(s, row, 'penalty', day);
      feeMinor += feeOutstanding(row);
      interestMinor += interestOutstanding(row);
    } else if (s.accrualFrozen === true) {
      // Under a re-installment the rows to come carry rescheduled arrears, not future interest: all owed.
      penaltyMinor += penaltyOutstanding(row);
      feeMinor += feeOutstanding(row);
      interestMinor += interestOutstanding(row);
    } else if (index === running) {
      interestMinor += interestOutstanding(row);
    }
    principalMinor += principalOutstanding(row);
  });
  const owed = penaltyMinor + feeMinor + interestMinor + principalMinor;
  const creditAppliedMinor = s.creditBalanceMinor < owed ? s.creditBalanceMinor : owed;
  return {
    asOf,
    totalMinor: owed - creditAppliedMinor,
    penaltyMinor,
    feeMinor,
    interestMinor,
    principalMinor,
    creditAppliedMinor,
    refundMinor: s.creditBalanceMinor - creditAppliedMinor,
  };
}

/** The exact amount that pays the loan off on `asOf` (penalty, fee and interest due, the running period's interest, all principal), less credit. */
export function payoffQuote(state: LoanState, asOf: IsoDate): PayoffQuoteResult {
  if (state.status === 'closed') return { ok: false, code: 'loan_closed', message: `loan ${state.loanId} is closed` };
  if (state.status === 'charged_off')
    return { ok: false, code: 'loan_charged_off', message: `loan ${state.loanId} is charged off` };
  const day = toEpochDay(asOf);
  if (day < toEpochDay(state.closedThrough)) {
    return {
      ok: false,
      code: 'quote_date_before_close',
      message: `asOf ${asOf} is before closedThrough ${state.closedThrough}`,
    };
  }
  const work = beginWork(state);
  catchUp(work, day);
  if (work.s.status === 'charged_off')
    return { ok: false, code: 'loan_charged_off', message: `loan ${state.loanId} is charged off by ${asOf}` };
  return { ok: true, quote: quoteOf(work.s, day, asOf) };
}

/** Posts a payment (or refuses it with a result code). Pure; the input state is not modified. */
export function applyPayment(state: LoanState, input: PaymentInput): PaymentResult {
  const mode = input.mode ?? 'regular';
  const { amountMinor, on, paymentId } = input;
  const money = (minor: bigint): string => formatMinor(minor, state.currency);
  if (amountMinor <= 0n) return reject('amount_not_positive', `amount must be positive, got ${money(amountMinor)}`);
  if (state.status === 'closed') return reject('loan_closed', `loan ${state.loanId} is closed`);
  const day = toEpochDay(on);
  if (day < toEpochDay(state.closedThrough)) {
    return reject('payment_date_before_close', `payment date ${on} is before closedThrough ${state.closedThrough}`);
  }
  const work = beginWork(state);
  catchUp(work, day);
  const { s } = work;
  if (s.status === 'closed') return reject('loan_closed', `loan ${state.loanId} is closed`);
  const key = `payment:${paymentId}`;
  const transaction: PaymentTransaction = { kind: 'payment', paymentId, amountMinor, on, source: input.source, mode };
  if (s.status === 'charged_off') {
    const recoverableMinor = recoveryBalance(s).totalMinor;
    if (mode === 'payoff' && amountMinor !== recoverableMinor) {
      return reject(
        'payoff_amount_mismatch',
        `loan ${state.loanId} is charged off: a payoff on ${on} recovers ${money(recoverableMinor)}, got ${money(amountMinor)}`,
      );
    }
    if (amountMinor > recoverableMinor) {
      return reject(
        'payment_exceeds_outstanding',
        `loan ${state.loanId} is charged off: amount ${money(amountMinor)} is more than the ${money(recoverableMinor)} still written off`,
      );
    }
    const allocation = recover(work, { paymentId, amountMinor, day, key });
    return {
      ok: true,
      state: finishWork(work),
      events: work.events,
      journal: work.journal,
      allocation,
      transaction,
      recovery: true,
    };
  }

  const dueMinor = collectibleDue(s, day);
  let tally = emptyTally();
  let creditChangeMinor = 0n;
  if (mode === 'payoff') {
    const quote = quoteOf(s, day, on);
    if (amountMinor !== quote.totalMinor) {
      return reject(
        'payoff_amount_mismatch',
        `a payoff on ${on} is ${money(quote.totalMinor)}, got ${money(amountMinor)}`,
      );
    }
    creditChangeMinor = -s.creditBalanceMinor;
    tally = payOff(work, day, amountMinor);
  } else if (mode === 'prepayment') {
    const principalMax = principalAhead(s, day);
    if (amountMinor > dueMinor + principalMax) {
      return reject(
        'payment_exceeds_outstanding',
        `a prepayment on ${on} can be at most ${money(dueMinor + principalMax)} (due ${money(dueMinor)} + principal ${money(principalMax)}); pay off instead`,
      );
    }
    const prepaid = payDue(work, day, amountMinor, tally);
    if (prepaid > 0n) {
      const { installmentCount } = reamortise(work, day, prepaid);
      tally.principalMinor += prepaid;
      emit(work, on, { type: 'prepaid', paymentId, principalMinor: prepaid, installmentCount });
    }
  } else {
    const maxMinor = dueMinor + outstandingAhead(s, day) - s.creditBalanceMinor;
    if (amountMinor > maxMinor) {
      return reject(
        'payment_exceeds_outstanding',
        `amount ${money(amountMinor)} is more than the ${money(maxMinor)} the loan still owes`,
      );
    }
    let left = payDue(work, day, amountMinor, tally);
    if (left > 0n && s.rules.overpayment === 'prepay_next') left = payAhead(work, day, left, tally);
    creditChangeMinor = left;
    s.creditBalanceMinor += left;
  }
  const allocation = allocationOf(tally, creditChangeMinor);
  const allocated = tallyTotal(tally) + creditChangeMinor;
  invariant(allocated === amountMinor, `payment ${paymentId} allocated ${allocated} of ${amountMinor}`);
  post(work, on, key, 'payment', [
    debit('cash', amountMinor),
    debit('borrower_credit', creditChangeMinor < 0n ? -creditChangeMinor : 0n),
    credit('borrower_credit', creditChangeMinor > 0n ? creditChangeMinor : 0n),
    ...tallyCredits(tally),
  ]);
  emit(work, on, { type: 'payment_posted', paymentId, amountMinor, allocation });
  markSettlements(work, day, key);
  refreshStatus(work, day);
  return { ok: true, state: finishWork(work), events: work.events, journal: work.journal, allocation, transaction };
}

/** Settles everything the quote covers with the payment plus the credit balance, and cancels the rest. */
function payOff(work: Work, day: number, amountMinor: bigint): Tally {
  const { s } = work;
  const creditUsed = s.creditBalanceMinor;
  const tally = emptyTally();
  const running = runningPeriod(s, day);
  let left = payDue(work, day, amountMinor + creditUsed, tally);
  for (let index = 0; index < s.installments.length; index += 1) {
    if ((s.installments[index] as InstallmentState).dueEpochDay <= day) continue;
    if (s.accrualFrozen === true) {
      const row = s.installments[index] as InstallmentState;
      const owed: [Component, bigint][] = [
        ['penalty', penaltyOutstanding(row)],
        ['fee', feeOutstanding(row)],
        ['interest', interestOutstanding(row)],
        ['principal', principalOutstanding(row)],
      ];
      for (const [component, amount] of owed) {
        payAheadComponent(work, index, component, amount, tally);
        left -= amount;
      }
      continue;
    }
    if (index === running) {
      const interest = interestOutstanding(s.installments[index] as InstallmentState);
      payAheadComponent(work, index, 'interest', interest, tally);
      left -= interest;
    }
    const principal = principalOutstanding(s.installments[index] as InstallmentState);
    payAheadComponent(work, index, 'principal', principal, tally);
    left -= principal;
    // Interest of periods not yet started and fees not yet due were never owed: cancelled, not waived.
    const row = edit(work, index);
    row.interestDueMinor = row.interestPaidMinor + row.interestWaivedMinor;
    row.feeDueMinor = row.feePaidMinor + row.feeWaivedMinor;
  }
  invariant(left === 0n, `payoff left ${left} unallocated`);
  invariant(tallyTotal(tally) === amountMinor + creditUsed, 'payoff settles exactly the quote');
  s.creditBalanceMinor = 0n;
  return tally;
}
