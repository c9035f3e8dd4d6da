// The daily close of one loan: `closeDay(state, date)` applies every business date from the day after
// closedThrough up to `date`, jumping over days on which nothing can happen (before nextEventDate) and
// stepping day by day while anything is past due. One day's step, in order: due-soon reminders; on a due
// date, the installment's interest and fee are booked as receivable and income (accrual accounting) and
// a credit balance is applied; penalty accrues on what was overdue at the start of the day; installments
// passing their grace days unpaid become delinquent; then DPD, bucket and status are derived, the loan is
// charged off at the configured DPD, and auto-debit presentments are announced.
//
// A payment dated D runs D's step first (if not yet run), so a payment sees the loan as of its own date:
// the penalty of the payment day is owed, and paying on the last grace day is inside grace. Closing a
// date on or before closedThrough changes nothing (idempotent). Loops are bounded.
import { fromEpochDay, toEpochDay, type IsoDate } from '../calendar/index.ts';
import { InputError, invariant } from '../errors/index.ts';
import { credit, debit, type JournalEntry } from '../ledger/index.ts';
import { emptyTally, payDue, tallyPostings, tallyTotal } from './allocation.ts';
import { autoDebitCollectibleOnDay } from './auto-debit.ts';
import type { LoanEvent } from './events.ts';
import {
  feeOutstanding,
  interestOutstanding,
  isSettled,
  penaltyDenominator,
  penaltyOutstanding,
  penaltyRateNumerator,
  principalOutstanding,
  scheduledOutstanding,
  type InstallmentState,
  type LoanState,
  type LoanStatus,
} from './state.ts';
import {
  beginWork,
  edit,
  emit,
  finishWork,
  markSettlements,
  nextEventDay,
  post,
  refreshStatus,
  type Work,
} from './work.ts';

/** The most single-day steps one call may run (a loan overdue from opening to charge-off takes ~chargeOffDpd). */
export const stepsPerCallMax = 40_000;

export interface CloseDayResult {
  state: LoanState;
  events: LoanEvent[];
  journal: JournalEntry[];
  transaction: { kind: 'close_day'; date: IsoDate };
}

/** Applies business dates up to and including `date`. Pure; the input state is not modified. */
export function closeDay(state: LoanState, date: IsoDate): CloseDayResult {
  const transaction = { kind: 'close_day' as const, date };
  const day = toEpochDay(date);
  if (day <= toEpochDay(state.closedThrough)) return { state, events: [], journal: [], transaction };
  const work = beginWork(state);
  catchUp(work, day);
  return { state: finishWork(work), events: work.events, journal: work.journal, transaction };
}

/** Runs the day steps after work.closedDay through `day`, skipping days on which nothing happens. */
export function catchUp(work: Work, day: number): void {
  let steps = 0;
  while (work.closedDay < day) {
    const next = nextEventDay(work.s, work.closedDay);
    if (next === null || next > day) {
      work.closedDay = day;
      return;
    }
    // Days before `next` change nothing, so the loop starts at the next event.
    stepDay(work, next);
    steps += 1;
    if (steps > stepsPerCallMax) {
      throw new InputError(
        'date',
        `is more than ${stepsPerCallMax} eventful days after closedThrough; close in smaller steps`,
      );
    }
  }
}

/** One business date. Precondition: `day` is the day after work.closedDay or an uneventful gap precedes it. */
export function stepDay(work: Work, day: number): void {
  const { s } = work;
  invariant(day > work.closedDay, 'a day is stepped once');
  work.closedDay = day;
  if (s.status === 'closed' || s.status === 'charged_off') return;
  const date = fromEpochDay(day);
  const key = `day:${date}`;
  const { rules } = s;
  const grace = rules.graceDays;
  const soonDays = rules.dueSoonDays;
  // A re-installment (停息分期) freezes penalty accrual until the plan completes or breaks.
  // A multiple of the contract rate is read off today's terms, so it follows a rate change from its day.
  const rate = s.accrualFrozen === true ? 0n : penaltyRateNumerator(s);
  const denominator = penaltyDenominator(s);
  const start = rules.penaltyStart;
  let recognisedInterest = 0n;
  let recognisedFee = 0n;
  let penaltyToday = 0n;
  let dueToday = false;

  const rows = s.installments;
  for (let index = 0; index < rows.length; index += 1) {
    const row = rows[index] as InstallmentState;
    const dueDay = row.dueEpochDay;
    if (dueDay - soonDays > day) break;
    if (isSettled(row)) continue;
    if (dueDay > day) {
      if (soonDays > 0 && dueDay - soonDays === day) {
        emit(work, date, {
          type: 'due_soon',
          installmentNumber: row.number,
          dueDate: row.dueDate,
          amountMinor: scheduledOutstanding(row),
        });
      }
      continue;
    }
    if (dueDay === day) {
      // What was paid ahead was booked as income when received; the rest becomes receivable today.
      recognisedInterest += interestOutstanding(row);
      recognisedFee += feeOutstanding(row);
      dueToday = true;
      continue;
    }
    const overdue = day - dueDay;
    const newlyDelinquent = overdue > grace && !row.becameDelinquent;
    if (rate === 0n && !newlyDelinquent) continue;
    // Only rows that change are copied: with a penalty rate, an overdue row's exact accrual moves daily.
    const draft = edit(work, index);
    if (rate > 0n) {
      const base =
        rules.penaltyBase === 'overdue_principal'
          ? principalOutstanding(row)
          : principalOutstanding(row) + interestOutstanding(row);
      // The base is what was overdue at the start of the day: payments dated today come after this step.
      if (base > 0n && (start !== 'grace_end' || overdue > grace)) draft.penaltyAccrualExact += base * rate;
      if (start === 'due_date' || overdue > grace) {
        const booked = (2n * draft.penaltyAccrualExact + denominator) / (2n * denominator);
        if (booked > draft.penaltyAccruedMinor) {
          penaltyToday += booked - draft.penaltyAccruedMinor;
          draft.penaltyAccruedMinor = booked;
        }
      }
    }
    if (newlyDelinquent) {
      draft.becameDelinquent = true;
      s.cumulativeOverdueCount += 1;
      s.consecutiveOverdueCount += 1;
      if (grace > 0) emit(work, date, { type: 'grace_ended', installmentNumber: row.number, dueDate: row.dueDate });
    }
  }

  post(work, date, key, 'interest_recognition', [
    debit('interest_receivable', recognisedInterest),
    debit('fee_receivable', recognisedFee),
    credit('interest_income', recognisedInterest),
    credit('fee_income', recognisedFee),
  ]);
  post(work, date, key, 'penalty_accrual', [
    debit('penalty_receivable', penaltyToday),
    credit('penalty_income', penaltyToday),
  ]);

  if (s.creditBalanceMinor > 0n) applyCredit(work, day, key);
  if (dueToday) {
    for (const row of s.installments) {
      if (row.dueEpochDay > day) break;
      if (row.dueEpochDay === day && !isSettled(row)) {
        emit(work, date, {
          type: 'due',
          installmentNumber: row.number,
          dueDate: row.dueDate,
          amountMinor: scheduledOutstanding(row),
        });
      }
    }
  }
  refreshStatus(work, day);
  if (s.dpd >= rules.chargeOffDpd) {
    chargeOff(work, day, key);
    return;
  }
  // refreshStatus may have closed the loan (a credit balance settled the last installment).
  if (rules.autoDebit.enabled && (s.status as LoanStatus) !== 'closed') announceAutoDebit(work, day);
}

/** Spends the credit balance on what is collectible today. */
export function applyCredit(work: Work, day: number, key: string): void {
  const { s } = work;
  const tally = emptyTally();
  const left = payDue(work, day, s.creditBalanceMinor, tally);
  const used = s.creditBalanceMinor - left;
  if (used === 0n) return;
  invariant(tallyTotal(tally) === used, 'credit applied equals what it paid');
  s.creditBalanceMinor = left;
  const date = fromEpochDay(day);
  post(work, date, key, 'credit_applied', tallyPostings(tally, 'borrower_credit', used));
  emit(work, date, { type: 'credit_applied', amountMinor: used });
  markSettlements(work, day, key);
}

function announceAutoDebit(work: Work, day: number): void {
  const { s } = work;
  const retryDays = s.rules.autoDebit.retryDays;
  for (const row of s.installments) {
    if (row.dueEpochDay > day) break;
    if (isSettled(row)) continue;
    const attempt = retryDays.indexOf(day - row.dueEpochDay);
    if (attempt < 0) continue;
    const amountMinor = autoDebitCollectibleOnDay(s, day);
    if (amountMinor > 0n) {
      emit(work, fromEpochDay(day), { type: 'auto_debit_due', installmentNumber: row.number, attempt, amountMinor });
    }
    return;
  }
}

/** Writes every booked receivable off to credit loss; the loan stops accruing and leaves the daily close. */
function chargeOff(work: Work, day: number, key: string): void {
  const { s } = work;
  const date = fromEpochDay(day);
  let principal = 0n;
  let interest = 0n;
  let fee = 0n;
  let penalty = 0n;
  for (const row of s.installments) {
    principal += principalOutstanding(row);
    penalty += penaltyOutstanding(row);
    // Interest and fee of installments not yet due were never booked, so there is nothing to write off.
    if (row.dueEpochDay <= day) {
      interest += interestOutstanding(row);
      fee += feeOutstanding(row);
    }
  }
  const total = principal + interest + fee + penalty;
  post(work, date, key, 'charge_off', [
    debit('credit_loss', total),
    credit('principal_receivable', principal),
    credit('interest_receivable', interest),
    credit('fee_receivable', fee),
    credit('penalty_receivable', penalty),
  ]);
  emit(work, date, { type: 'status_changed', from: s.status, to: 'charged_off' });
  emit(work, date, { type: 'charged_off', dpd: s.dpd, amountMinor: total });
  s.status = 'charged_off';
  s.chargedOffOn = date;
}
