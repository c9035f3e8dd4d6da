// Restructuring a loan under a hardship plan — the ledger half of a plan. Every plan step is a `plan`
// transaction in the loan's history (activate, complete, break), a pure function of the state and that
// transaction, so `replay` reproduces it; like a payment, a step first runs the close up to its date.
//
// What each plan type does to the installments (docs/hardship.md has worked examples):
// - deferral: every installment from the oldest unsettled one on moves N periods (or N days) later;
//   with interest `accrue`, the interest of the deferral (principal outstanding × the period rate × N,
//   or × the annual rate × days / days in year) is added to the first moved installment.
// - re_installment (停息分期): everything outstanding — principal, and the interest, fee and penalty
//   already due or charged — is spread over N new equal installments built by the schedule engine at a
//   zero rate; interest and fees of periods to come are given up, and the state's `accrualFrozen` flag
//   stops penalty while the plan runs.
// - settlement: nothing changes at activation; completion applies any credit balance and waives the
//   rest, which closes the loan.
// - due_date_change: every installment not yet due moves to a new day of month (monthly loans).
// - re_age: nothing changes at activation; completion moves what is past due to one installment a
//   period after the last, so DPD falls to 0 and the loan is back in the first bucket.
// Completion and a break that keeps the plan lift `accrualFrozen`; a break that restores the original
// schedule is a replay without the plan (see history.ts `breakPlan`).
//
// Invariants, asserted on every step: per component (principal, interest, fee, penalty), the balance
// before + what the plan charged = the balance after + what it waived + what credit paid; principal due
// always sums to the loan's principal; due dates rise; the journal's receivables still equal what is due
// (interest and fee that stop being due are un-booked, and the close books them again on their new due
// dates; forgiven amounts that were booked go to waiver expense, amounts never booked just disappear).
import { addDays, addMonths, fromEpochDay, toEpochDay, type IsoDate } from '../calendar/index.ts';
import { InputError, invariant, quote } from '../errors/index.ts';
import { credit, debit, type JournalEntry } from '../ledger/index.ts';
import { divideRounded, formatMinor, ratio } from '../money/index.ts';
import { buildSchedule, periodRate, type LoanTerms } from '../schedule/index.ts';
import { emptyTally, payAhead, payDue, tallyCredits, tallyTotal } from './allocation.ts';
import { catchUp } from './close.ts';
import type { LoanEvent } from './events.ts';
import {
  feeOutstanding,
  interestOutstanding,
  isSettled,
  penaltyDenominator,
  penaltyOutstanding,
  principalOutstanding,
  scheduledOutstanding,
  type InstallmentState,
  type LoanState,
} from './state.ts';
import {
  beginWork,
  editAll,
  finishWork,
  markSettlements,
  post,
  refreshStatus,
  type InstallmentDraft,
  type Work,
} from './work.ts';

export const planTypes = ['deferral', 're_installment', 'settlement', 'due_date_change', 're_age'] as const;
export type PlanType = (typeof planTypes)[number];
export const planActions = ['activate', 'complete', 'break'] as const;
export type PlanAction = (typeof planActions)[number];
export const deferralUnits = ['period', 'day'] as const;
export type DeferralUnit = (typeof deferralUnits)[number];
export const deferralInterestModes = ['none', 'accrue'] as const;
export type DeferralInterest = (typeof deferralInterestModes)[number];
/** On a break: `keep` the restructured schedule (accrual resumes), or `restore` the loan without the plan. */
export const planBreakModes = ['keep', 'restore'] as const;
export type PlanBreakMode = (typeof planBreakModes)[number];

/** Bounds on plan parameters (the product's eligibility rules are usually tighter). */
export const planTermCountMax = 120;
export const deferralPeriodsMax = 24;
export const deferralDaysMax = 730;
export const reAgePaymentsMax = 24;

export type PlanTerms =
  | { type: 'deferral'; unit: DeferralUnit; count: number; interest: DeferralInterest }
  | { type: 're_installment'; termCount: number; firstDueDate: IsoDate | null }
  | { type: 'settlement'; amountMinor: bigint; deadline: IsoDate }
  | { type: 'due_date_change'; dayOfMonth: number }
  | { type: 're_age'; onTimePayments: number };

export interface PlanTransaction {
  kind: 'plan';
  planId: string;
  action: PlanAction;
  on: IsoDate;
  /** The plan's type and parameters (every action carries them, so completion and break know the plan). */
  terms: PlanTerms;
  /** Breaks only. */
  onBreak: PlanBreakMode | null;
  /** Breaks that restore only: how far the loan was closed; replay closes it this far. */
  closedThrough: IsoDate | null;
}

/** An amount per component of what a loan owes, in minor units. */
export interface ComponentAmounts {
  principalMinor: bigint;
  interestMinor: bigint;
  feeMinor: bigint;
  penaltyMinor: bigint;
}

/** One installment as the borrower is shown it: what is still to pay on it. */
export interface PlanInstallmentView {
  number: number;
  dueDate: IsoDate;
  principalMinor: bigint;
  interestMinor: bigint;
  feeMinor: bigint;
  penaltyMinor: bigint;
  totalMinor: bigint;
}

/** A payment the plan is judged on: an installment to settle (number) or an amount to pay (number null). */
export interface PlanInstallment {
  number: number | null;
  dueDate: IsoDate;
  amountMinor: bigint;
}

export interface PlanEffect {
  /** Everything the schedule still asks for, per component (interest and fees of periods to come included). */
  balanceBefore: ComponentAmounts;
  balanceAfter: ComponentAmounts;
  /** No longer owed because of the plan: forgiven (booked amounts, to waiver expense) or given up (never booked). */
  waived: ComponentAmounts;
  /** Added by the plan: the interest of a deferral with interest `accrue`. */
  charged: ComponentAmounts;
  /** Paid from the credit balance (a settlement's completion). */
  paid: ComponentAmounts;
  scheduleBefore: PlanInstallmentView[];
  scheduleAfter: PlanInstallmentView[];
  /** What the plan's payments are judged on (activation only; empty for a due-date change). */
  planInstallments: PlanInstallment[];
}

export type PlanRejection =
  | 'invalid_plan_terms'
  | 'loan_closed'
  | 'loan_charged_off'
  | 'plan_date_before_close'
  | 'nothing_to_restructure'
  | 'deferral_too_short'
  | 'plan_not_applicable'
  | 'plan_installment_too_small'
  | 'settlement_not_below_balance'
  | 'settlement_deadline_passed';

export type PlanStepResult =
  | {
      ok: true;
      state: LoanState;
      events: LoanEvent[];
      journal: JournalEntry[];
      transaction: PlanTransaction;
      effect: PlanEffect;
    }
  | { ok: false; code: PlanRejection; message: string };

export interface PlanStepInput {
  planId: string;
  on: IsoDate;
  terms: PlanTerms;
}

type Rejection = { ok: false; code: PlanRejection; message: string };

function reject(code: PlanRejection, message: string): Rejection {
  return { ok: false, code, message };
}

// ---- amounts ---------------------------------------------------------------------------------------------

export const componentNames = ['principalMinor', 'interestMinor', 'feeMinor', 'penaltyMinor'] as const;

export function zeroAmounts(): ComponentAmounts {
  return { principalMinor: 0n, interestMinor: 0n, feeMinor: 0n, penaltyMinor: 0n };
}

export function totalOf(amounts: ComponentAmounts): bigint {
  return amounts.principalMinor + amounts.interestMinor + amounts.feeMinor + amounts.penaltyMinor;
}

function outstandingOf(row: InstallmentState): ComponentAmounts {
  return {
    principalMinor: principalOutstanding(row),
    interestMinor: interestOutstanding(row),
    feeMinor: feeOutstanding(row),
    penaltyMinor: penaltyOutstanding(row),
  };
}

function addInto(target: ComponentAmounts, amounts: ComponentAmounts): void {
  for (const name of componentNames) target[name] += amounts[name];
}

/** Everything the schedule still asks for, per component. */
export function loanBalance(state: Pick<LoanState, 'installments'>): ComponentAmounts {
  const balance = zeroAmounts();
  for (const row of state.installments) addInto(balance, outstandingOf(row));
  return balance;
}

/** The installments with anything left to pay, as the borrower sees them. */
export function scheduleView(state: Pick<LoanState, 'installments'>): PlanInstallmentView[] {
  const view: PlanInstallmentView[] = [];
  for (const row of state.installments) {
    const owed = outstandingOf(row);
    const totalMinor = totalOf(owed);
    if (totalMinor === 0n) continue;
    view.push({ number: row.number, dueDate: row.dueDate, ...owed, totalMinor });
  }
  return view;
}

// ---- steps -----------------------------------------------------------------------------------------------

interface Step {
  work: Work;
  day: number;
  before: ComponentAmounts;
  scheduleBefore: PlanInstallmentView[];
}

/** The checks every step shares, then the close up to the step's date. */
function begin(
  state: LoanState,
  on: IsoDate,
  options: { closedAllowed: boolean; chargedOffAllowed?: boolean },
): Step | Rejection {
  const chargedOffAllowed = options.chargedOffAllowed ?? false;
  if (state.status === 'charged_off' && !chargedOffAllowed) {
    return reject('loan_charged_off', `loan ${state.loanId} is charged off`);
  }
  if (state.status === 'closed' && !options.closedAllowed)
    return reject('loan_closed', `loan ${state.loanId} is closed`);
  const day = toEpochDay(on);
  if (day < toEpochDay(state.closedThrough)) {
    return reject('plan_date_before_close', `plan date ${on} is before closedThrough ${state.closedThrough}`);
  }
  const work = beginWork(state);
  catchUp(work, day);
  if (work.s.status === 'charged_off' && !chargedOffAllowed) {
    return reject('loan_charged_off', `loan ${state.loanId} is charged off by ${on}`);
  }
  return { work, day, before: loanBalance(work.s), scheduleBefore: scheduleView(work.s) };
}

function finish(
  step: Step,
  transaction: PlanTransaction,
  parts: {
    waived?: ComponentAmounts;
    charged?: ComponentAmounts;
    paid?: ComponentAmounts;
    planInstallments?: PlanInstallment[];
  },
): PlanStepResult {
  const { work } = step;
  const state = finishWork(work);
  const waived = parts.waived ?? zeroAmounts();
  const charged = parts.charged ?? zeroAmounts();
  const paid = parts.paid ?? zeroAmounts();
  const after = loanBalance(state);
  for (const name of componentNames) {
    invariant(
      step.before[name] + charged[name] === after[name] + waived[name] + paid[name],
      `plan ${transaction.planId} on ${state.loanId}: ${name} before ${step.before[name]} + charged ${charged[name]} ≠ after ${after[name]} + waived ${waived[name]} + paid ${paid[name]}`,
    );
  }
  let principalDue = 0n;
  for (const row of state.installments) principalDue += row.principalDueMinor;
  invariant(
    principalDue === state.terms.principalMinor,
    `plan ${transaction.planId}: principal due sums to the principal`,
  );
  for (let index = 1; index < state.installments.length; index += 1) {
    const previous = state.installments[index - 1] as InstallmentState;
    invariant(
      (state.installments[index] as InstallmentState).dueEpochDay >= previous.dueEpochDay,
      `plan ${transaction.planId}: due dates rise`,
    );
  }
  return {
    ok: true,
    state,
    events: work.events,
    journal: work.journal,
    transaction,
    effect: {
      balanceBefore: step.before,
      balanceAfter: after,
      waived,
      charged,
      paid,
      scheduleBefore: step.scheduleBefore,
      scheduleAfter: scheduleView(state),
      planInstallments: parts.planInstallments ?? [],
    },
  };
}

function planTransaction(input: PlanStepInput, action: PlanAction): PlanTransaction {
  return {
    kind: 'plan',
    planId: input.planId,
    action,
    on: input.on,
    terms: input.terms,
    onBreak: null,
    closedThrough: null,
  };
}

/** The checks on a plan's parameters that do not depend on the loan. */
function checkTerms(terms: PlanTerms, on: IsoDate): Rejection | null {
  const whole = (value: number, min: number, max: number): boolean =>
    Number.isInteger(value) && value >= min && value <= max;
  switch (terms.type) {
    case 'deferral': {
      const max = terms.unit === 'period' ? deferralPeriodsMax : deferralDaysMax;
      if (!whole(terms.count, 1, max))
        return reject('invalid_plan_terms', `a deferral moves 1 to ${max} ${terms.unit}s, got ${terms.count}`);
      return null;
    }
    case 're_installment':
      if (!whole(terms.termCount, 1, planTermCountMax)) {
        return reject(
          'invalid_plan_terms',
          `a re-installment has 1 to ${planTermCountMax} terms, got ${terms.termCount}`,
        );
      }
      if (terms.firstDueDate !== null && terms.firstDueDate <= on) {
        return reject(
          'invalid_plan_terms',
          `the first due date ${terms.firstDueDate} must be after the plan date ${on}`,
        );
      }
      return null;
    case 'settlement':
      if (terms.amountMinor <= 0n) return reject('invalid_plan_terms', 'a settlement amount must be positive');
      if (terms.deadline < on) {
        return reject('settlement_deadline_passed', `the deadline ${terms.deadline} is before the plan date ${on}`);
      }
      return null;
    case 'due_date_change':
      if (!whole(terms.dayOfMonth, 1, 31))
        return reject('invalid_plan_terms', `the day of month must be 1 to 31, got ${terms.dayOfMonth}`);
      return null;
    case 're_age':
      if (!whole(terms.onTimePayments, 1, reAgePaymentsMax)) {
        return reject(
          'invalid_plan_terms',
          `a re-age needs 1 to ${reAgePaymentsMax} on-time payments, got ${terms.onTimePayments}`,
        );
      }
      return null;
  }
}

/** Activates a plan: the restructuring it makes (none for settlement and re-age). Pure. */
export function activatePlan(state: LoanState, input: PlanStepInput): PlanStepResult {
  if (input.planId === '') return reject('invalid_plan_terms', 'planId must not be empty');
  const bad = checkTerms(input.terms, input.on);
  if (bad !== null) return bad;
  const step = begin(state, input.on, { closedAllowed: false });
  if ('ok' in step) return step;
  if (step.work.s.status === 'closed') return reject('loan_closed', `loan ${state.loanId} is closed by ${input.on}`);
  const transaction = planTransaction(input, 'activate');
  const key = `plan:${input.planId}:activate`;
  const { terms } = input;
  switch (terms.type) {
    case 'deferral':
      return defer(step, transaction, key, terms);
    case 're_installment':
      return reinstall(step, transaction, key, terms);
    case 'due_date_change':
      return changeDueDay(step, transaction, terms);
    case 'settlement': {
      const balance = totalOf(step.before);
      if (terms.amountMinor >= balance) {
        const money = (minor: bigint): string => formatMinor(minor, state.currency);
        return reject(
          'settlement_not_below_balance',
          `a settlement of ${money(terms.amountMinor)} is not below the balance ${money(balance)}`,
        );
      }
      return finish(step, transaction, {
        planInstallments: [{ number: null, dueDate: terms.deadline, amountMinor: terms.amountMinor }],
      });
    }
    case 're_age': {
      const { s } = step.work;
      if (!s.installments.some((row) => row.dueEpochDay <= step.day && !isSettled(row))) {
        return reject('plan_not_applicable', `nothing is past due on loan ${s.loanId}: there is nothing to re-age`);
      }
      const ahead = s.installments.filter((row) => row.dueEpochDay > step.day && !isSettled(row));
      if (ahead.length < terms.onTimePayments) {
        return reject(
          'plan_not_applicable',
          `a re-age after ${terms.onTimePayments} on-time payments needs as many installments to come; ${ahead.length} remain`,
        );
      }
      const planInstallments = ahead.slice(0, terms.onTimePayments).map((row) => ({
        number: null,
        dueDate: row.dueDate,
        amountMinor: scheduledOutstanding(row),
      }));
      return finish(step, transaction, { planInstallments });
    }
  }
}

/**
 * Completes a plan: a settlement waives what is left (the loan closes), a re-age moves what is past due
 * to the end; every plan lifts `accrualFrozen`. A loan already closed completes as it is.
 */
export function completePlan(state: LoanState, input: PlanStepInput): PlanStepResult {
  const step = begin(state, input.on, { closedAllowed: true });
  if ('ok' in step) return step;
  const transaction = planTransaction(input, 'complete');
  const key = `plan:${input.planId}:complete`;
  delete step.work.s.accrualFrozen;
  if (step.work.s.status === 'closed') return finish(step, transaction, {});
  if (input.terms.type === 'settlement') return settle(step, transaction, key);
  if (input.terms.type === 're_age') return reAge(step, transaction, key);
  return finish(step, transaction, {});
}

/**
 * Breaks a plan keeping what it restructured: only `accrualFrozen` is lifted (penalty accrues again). A
 * closed or charged-off loan breaks its plan as it is.
 */
export function breakPlanKeeping(state: LoanState, input: PlanStepInput): PlanStepResult {
  const step = begin(state, input.on, { closedAllowed: true, chargedOffAllowed: true });
  if ('ok' in step) return step;
  delete step.work.s.accrualFrozen;
  refreshStatus(step.work, step.day);
  return finish(step, { ...planTransaction(input, 'break'), onBreak: 'keep' }, {});
}

/** Applies a recorded plan transaction (replay); a break that restores is history's job (it needs the history). */
export function applyPlanTransaction(state: LoanState, tx: PlanTransaction): PlanStepResult {
  const input = { planId: tx.planId, on: tx.on, terms: tx.terms };
  if (tx.action === 'activate') return activatePlan(state, input);
  if (tx.action === 'complete') return completePlan(state, input);
  invariant(tx.onBreak === 'keep', `plan ${tx.planId}: a restoring break is replayed by history`);
  return breakPlanKeeping(state, input);
}

// ---- restructurings --------------------------------------------------------------------------------------

/** Takes a row's outstanding amounts off it: its due amounts fall to what was paid or waived. */
function takeOutstanding(row: InstallmentDraft, denominator: bigint): ComponentAmounts {
  const taken = outstandingOf(row);
  if (totalOf(taken) === 0n) return taken;
  row.principalDueMinor -= taken.principalMinor;
  row.interestDueMinor -= taken.interestMinor;
  row.feeDueMinor -= taken.feeMinor;
  row.penaltyAccruedMinor -= taken.penaltyMinor;
  // No shadow accrual survives: the row owes nothing more (retroactive grace accrual included).
  row.penaltyAccrualExact = row.penaltyAccruedMinor * denominator;
  return taken;
}

function isUntouched(row: InstallmentState): boolean {
  return (
    row.principalPaidMinor === 0n &&
    row.interestPaidMinor === 0n &&
    row.feePaidMinor === 0n &&
    row.penaltyPaidMinor === 0n &&
    row.principalWaivedMinor === 0n &&
    row.interestWaivedMinor === 0n &&
    row.feeWaivedMinor === 0n &&
    row.penaltyWaivedMinor === 0n &&
    row.penaltyAccruedMinor === 0n
  );
}

/** Interest and fee that were booked (due) and are due no longer: receivable back against income. */
function unbook(work: Work, date: IsoDate, key: string, amounts: { interestMinor: bigint; feeMinor: bigint }): void {
  post(work, date, key, 'plan_reschedule', [
    debit('interest_income', amounts.interestMinor),
    debit('fee_income', amounts.feeMinor),
    credit('interest_receivable', amounts.interestMinor),
    credit('fee_receivable', amounts.feeMinor),
  ]);
}

function newRow(number: number, dueDate: IsoDate, amounts: ComponentAmounts, denominator: bigint): InstallmentDraft {
  return {
    number,
    dueDate,
    dueEpochDay: toEpochDay(dueDate),
    principalDueMinor: amounts.principalMinor,
    interestDueMinor: amounts.interestMinor,
    feeDueMinor: amounts.feeMinor,
    principalPaidMinor: 0n,
    interestPaidMinor: 0n,
    feePaidMinor: 0n,
    principalWaivedMinor: 0n,
    interestWaivedMinor: 0n,
    feeWaivedMinor: 0n,
    penaltyAccruedMinor: amounts.penaltyMinor,
    penaltyPaidMinor: 0n,
    penaltyWaivedMinor: 0n,
    penaltyAccrualExact: amounts.penaltyMinor * denominator,
    becameDelinquent: false,
    paidOn: null,
  };
}

/**
 * Splits installment totals into components in proportion to the components' totals: each component's
 * running share is rounded down on the running total, and the largest component (principal on a tie)
 * takes what is left of each installment, so every installment and every component sums exactly.
 * Null when an installment is too small for its share (a component would go negative).
 */
export function splitByComponent(totalsMinor: readonly bigint[], amounts: ComponentAmounts): ComponentAmounts[] | null {
  const grand = totalOf(amounts);
  let residual: (typeof componentNames)[number] = 'principalMinor';
  for (const name of componentNames) if (amounts[name] > amounts[residual]) residual = name;
  const previous = zeroAmounts();
  let running = 0n;
  const parts: ComponentAmounts[] = [];
  for (const total of totalsMinor) {
    running += total;
    const part = zeroAmounts();
    let others = 0n;
    for (const name of componentNames) {
      if (name === residual || grand === 0n) continue;
      const cumulative = (running * amounts[name]) / grand;
      part[name] = cumulative - previous[name];
      previous[name] = cumulative;
      others += part[name];
    }
    part[residual] = total - others;
    if (part[residual] < 0n) return null;
    parts.push(part);
  }
  return parts;
}

function reinstall(
  step: Step,
  transaction: PlanTransaction,
  key: string,
  terms: Extract<PlanTerms, { type: 're_installment' }>,
): PlanStepResult {
  const { work, day } = step;
  const { s } = work;
  const date = fromEpochDay(day);
  const denominator = penaltyDenominator(s);
  const moved = zeroAmounts();
  const givenUp = zeroAmounts();
  let numberMax = 0;
  const kept: InstallmentDraft[] = [];
  for (const row of editAll(work)) {
    numberMax = Math.max(numberMax, row.number);
    const due = row.dueEpochDay <= day;
    const untouched = isUntouched(row);
    const taken = takeOutstanding(row, denominator);
    moved.principalMinor += taken.principalMinor;
    moved.penaltyMinor += taken.penaltyMinor;
    // Interest and fee already due move into the plan; those of periods to come are given up (停息).
    const target = due ? moved : givenUp;
    target.interestMinor += taken.interestMinor;
    target.feeMinor += taken.feeMinor;
    if (!due) {
      // A future installment the plan replaces: dropped if nothing was paid on it, else settled today.
      if (untouched) continue;
      row.dueDate = date;
      row.dueEpochDay = day;
    }
    kept.push(row);
  }
  const total = totalOf(moved);
  if (total === 0n) return reject('nothing_to_restructure', `loan ${s.loanId} owes nothing to re-install`);
  const schedule = buildSchedule(
    {
      ...s.terms,
      principalMinor: total,
      annualRate: ratio(0n, 1n),
      termCount: terms.termCount,
      startDate: date,
      firstDueDate: terms.firstDueDate ?? undefined,
      method: 'equal_installment',
      interestType: 'declining',
      principalGraceTerms: 0,
      fees: [],
      // The plan's own checks (plan_installment_too_small …) judge the split; a coarse rounding of the
      // moved amount is not a reason to throw here.
    },
    { degenerate: 'allow' },
  );
  const firstDue = schedule.installments[0]?.dueDate;
  if (firstDue === undefined || toEpochDay(firstDue) <= day) {
    return reject('plan_not_applicable', `the plan's first due date ${String(firstDue)} is not after ${date}`);
  }
  const parts = splitByComponent(
    schedule.installments.map((row) => row.totalMinor),
    moved,
  );
  if (parts === null) {
    return reject(
      'plan_installment_too_small',
      `${formatMinor(total, s.currency)} over ${terms.termCount} terms leaves installments too small to carry each component`,
    );
  }
  const planInstallments: PlanInstallment[] = [];
  schedule.installments.forEach((row, index) => {
    const amounts = parts[index] as ComponentAmounts;
    const created = newRow(numberMax + index + 1, row.dueDate, amounts, denominator);
    kept.push(created);
    work.fresh.add(created);
    planInstallments.push({ number: created.number, dueDate: created.dueDate, amountMinor: totalOf(amounts) });
  });
  s.installments = kept;
  s.accrualFrozen = true;
  unbook(work, date, key, moved);
  markSettlements(work, day, key);
  refreshStatus(work, day);
  return finish(step, transaction, { waived: givenUp, planInstallments });
}

/** The date `count` units after `date`: loan periods (a month step keeps the day, clamped) or days. */
function shiftDate(terms: LoanTerms, date: IsoDate, unit: DeferralUnit, count: number): IsoDate {
  if (unit === 'day') return addDays(date, count);
  const { every, unit: frequency } = terms.frequency;
  if (frequency === 'month') return addMonths(date, count * every);
  return addDays(date, count * every * (frequency === 'week' ? 7 : 1));
}

function defer(
  step: Step,
  transaction: PlanTransaction,
  key: string,
  terms: Extract<PlanTerms, { type: 'deferral' }>,
): PlanStepResult {
  const { work, day } = step;
  const { s } = work;
  const date = fromEpochDay(day);
  const rows = editAll(work);
  const first = rows.findIndex((row) => !isSettled(row) || penaltyOutstanding(row) > 0n);
  if (first < 0) return reject('nothing_to_restructure', `loan ${s.loanId} has no unpaid installment to defer`);
  const firstRow = rows[first] as InstallmentDraft;
  const movedFirst = shiftDate(s.terms, firstRow.dueDate, terms.unit, terms.count);
  if (toEpochDay(movedFirst) <= day) {
    return reject(
      'deferral_too_short',
      `moving installment ${firstRow.number} due ${firstRow.dueDate} by ${terms.count} ${terms.unit}s gives ${movedFirst}, not after the plan date ${date}`,
    );
  }
  const denominator = penaltyDenominator(s);
  const unbooked = { interestMinor: 0n, feeMinor: 0n };
  for (let index = first; index < rows.length; index += 1) {
    const row = rows[index] as InstallmentDraft;
    if (row.dueEpochDay <= day && !isSettled(row)) {
      unbooked.interestMinor += interestOutstanding(row);
      unbooked.feeMinor += feeOutstanding(row);
      // Not overdue any more: the grace days' shadow accrual (retroactive penalty) is dropped.
      row.penaltyAccrualExact = row.penaltyAccruedMinor * denominator;
    }
    row.dueDate = shiftDate(s.terms, row.dueDate, terms.unit, terms.count);
    row.dueEpochDay = toEpochDay(row.dueDate);
    const previous = rows[index - 1];
    invariant(previous === undefined || row.dueEpochDay > previous.dueEpochDay, 'a deferral keeps due dates rising');
  }
  const charged = zeroAmounts();
  if (terms.interest === 'accrue') {
    let principal = 0n;
    for (const row of rows) principal += principalOutstanding(row);
    charged.interestMinor = deferralInterest(s.terms, principal, terms.unit, terms.count);
    firstRow.interestDueMinor += charged.interestMinor;
  }
  unbook(work, date, key, unbooked);
  refreshStatus(work, day);
  const planInstallments = rows.slice(first).map((row) => ({
    number: row.number,
    dueDate: row.dueDate,
    amountMinor: scheduledOutstanding(row) + penaltyOutstanding(row),
  }));
  return finish(step, transaction, { charged, planInstallments });
}

/** Interest on `principalMinor` for the deferral, at the contract's rate, rounded half-up once. */
export function deferralInterest(terms: LoanTerms, principalMinor: bigint, unit: DeferralUnit, count: number): bigint {
  if (unit === 'period') {
    const rate = periodRate(terms);
    return divideRounded(principalMinor * rate.numerator * BigInt(count), rate.denominator, 'half_up');
  }
  const days = BigInt(terms.daysInYear === 'actual' ? 365 : terms.daysInYear);
  return divideRounded(
    principalMinor * terms.annualRate.numerator * BigInt(count),
    terms.annualRate.denominator * days,
    'half_up',
  );
}

function changeDueDay(
  step: Step,
  transaction: PlanTransaction,
  terms: Extract<PlanTerms, { type: 'due_date_change' }>,
): PlanStepResult {
  const { work, day } = step;
  const { s } = work;
  if (s.terms.frequency.unit !== 'month') {
    return reject(
      'plan_not_applicable',
      `a due-date change needs monthly installments, not every ${s.terms.frequency.unit}`,
    );
  }
  const rows = editAll(work);
  const first = rows.findIndex((row) => row.dueEpochDay > day);
  if (first < 0) return reject('nothing_to_restructure', `loan ${s.loanId} has no installment still to fall due`);
  const old = (rows[first] as InstallmentDraft).dueDate;
  const oldDay = toEpochDay(old);
  // The date on the new day of month nearest the old due date (the later one on a tie), after today.
  let chosen: IsoDate | null = null;
  for (const months of [-1, 0, 1]) {
    const candidate = addMonths(old, months, terms.dayOfMonth);
    const candidateDay = toEpochDay(candidate);
    if (candidateDay <= day) continue;
    if (chosen === null || Math.abs(candidateDay - oldDay) <= Math.abs(toEpochDay(chosen) - oldDay)) chosen = candidate;
  }
  invariant(chosen !== null, 'a month after the next due date is after today');
  const every = s.terms.frequency.every;
  let changed = false;
  for (let index = first; index < rows.length; index += 1) {
    const row = rows[index] as InstallmentDraft;
    const dueDate = addMonths(chosen, (index - first) * every, terms.dayOfMonth);
    if (dueDate !== row.dueDate) changed = true;
    row.dueDate = dueDate;
    row.dueEpochDay = toEpochDay(dueDate);
  }
  if (!changed) {
    return reject('plan_not_applicable', `the installments already fall due on day ${terms.dayOfMonth} of the month`);
  }
  return finish(step, transaction, {});
}

/** Completion of a settlement: the credit balance pays what it can, the rest is waived, the loan closes. */
function settle(step: Step, transaction: PlanTransaction, key: string): PlanStepResult {
  const { work, day } = step;
  const { s } = work;
  const date = fromEpochDay(day);
  const tally = emptyTally();
  const creditMinor = s.creditBalanceMinor;
  let left = payDue(work, day, creditMinor, tally);
  left = payAhead(work, day, left, tally);
  const used = creditMinor - left;
  invariant(tallyTotal(tally) === used, 'credit applied equals what it paid');
  s.creditBalanceMinor = left;
  post(work, date, key, 'credit_applied', [debit('borrower_credit', used), ...tallyCredits(tally)]);
  const paid: ComponentAmounts = {
    principalMinor: tally.principalMinor,
    interestMinor: tally.interestDueMinor + tally.interestAheadMinor,
    feeMinor: tally.feeDueMinor + tally.feeAheadMinor,
    penaltyMinor: tally.penaltyMinor,
  };
  const waived = zeroAmounts();
  const booked = zeroAmounts();
  for (const row of editAll(work)) {
    const owed = outstandingOf(row);
    addInto(waived, owed);
    row.principalWaivedMinor += owed.principalMinor;
    row.penaltyWaivedMinor += owed.penaltyMinor;
    booked.principalMinor += owed.principalMinor;
    booked.penaltyMinor += owed.penaltyMinor;
    if (row.dueEpochDay <= day) {
      row.interestWaivedMinor += owed.interestMinor;
      row.feeWaivedMinor += owed.feeMinor;
      booked.interestMinor += owed.interestMinor;
      booked.feeMinor += owed.feeMinor;
    } else {
      // Interest and fees of periods to come were never booked: they are cancelled, as in a payoff.
      row.interestDueMinor -= owed.interestMinor;
      row.feeDueMinor -= owed.feeMinor;
    }
  }
  post(work, date, key, 'plan_waiver', [
    debit('waiver_expense', totalOf(booked)),
    credit('principal_receivable', booked.principalMinor),
    credit('interest_receivable', booked.interestMinor),
    credit('fee_receivable', booked.feeMinor),
    credit('penalty_receivable', booked.penaltyMinor),
  ]);
  markSettlements(work, day, key);
  refreshStatus(work, day);
  invariant(s.status === 'closed', `settlement ${transaction.planId} closes loan ${s.loanId}`);
  return finish(step, transaction, { waived, paid });
}

/** Completion of a re-age: what is past due moves to one installment a period after the last one. */
function reAge(step: Step, transaction: PlanTransaction, key: string): PlanStepResult {
  const { work, day } = step;
  const { s } = work;
  const date = fromEpochDay(day);
  const denominator = penaltyDenominator(s);
  const rows = editAll(work);
  const moved = zeroAmounts();
  let numberMax = 0;
  for (const row of rows) {
    numberMax = Math.max(numberMax, row.number);
    if (row.dueEpochDay <= day) addInto(moved, takeOutstanding(row, denominator));
  }
  if (totalOf(moved) > 0n) {
    const last = rows[rows.length - 1] as InstallmentDraft;
    const from = last.dueEpochDay > day ? last.dueDate : date;
    const created = newRow(numberMax + 1, shiftDate(s.terms, from, 'period', 1), moved, denominator);
    rows.push(created);
    work.fresh.add(created);
    unbook(work, date, key, moved);
  }
  markSettlements(work, day, key);
  refreshStatus(work, day);
  return finish(step, transaction, {});
}

// ---- JSON-safe form --------------------------------------------------------------------------------------

export type PlanTermsJson =
  | { type: 'deferral'; unit: string; count: number; interest: string }
  | { type: 're_installment'; termCount: number; firstDueDate: string | null }
  | { type: 'settlement'; amountMinor: string; deadline: string }
  | { type: 'due_date_change'; dayOfMonth: number }
  | { type: 're_age'; onTimePayments: number };

export interface PlanTransactionJson {
  kind: 'plan';
  planId: string;
  action: string;
  on: string;
  terms: PlanTermsJson;
  onBreak: string | null;
  closedThrough: string | null;
}

export function planTermsToJson(terms: PlanTerms): PlanTermsJson {
  if (terms.type === 'settlement') return { ...terms, amountMinor: terms.amountMinor.toString() };
  return { ...terms };
}

function member<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new InputError(field, `must be one of ${allowed.join(', ')}, got ${quote(value)}`);
}

function wholeOf(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new InputError(field, `must be a whole number, got ${quote(value)}`);
  return value;
}

function dateOf(value: unknown, field: string): IsoDate {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    throw new InputError(field, `must be a date YYYY-MM-DD, got ${quote(value)}`);
  }
  return value;
}

export function planTermsFromJson(json: PlanTermsJson, field = 'terms'): PlanTerms {
  const type = member(json?.type, planTypes, `${field}.type`);
  switch (type) {
    case 'deferral': {
      const j = json as Extract<PlanTermsJson, { type: 'deferral' }>;
      return {
        type,
        unit: member(j.unit, deferralUnits, `${field}.unit`),
        count: wholeOf(j.count, `${field}.count`),
        interest: member(j.interest, deferralInterestModes, `${field}.interest`),
      };
    }
    case 're_installment': {
      const j = json as Extract<PlanTermsJson, { type: 're_installment' }>;
      return {
        type,
        termCount: wholeOf(j.termCount, `${field}.termCount`),
        firstDueDate: j.firstDueDate === null ? null : dateOf(j.firstDueDate, `${field}.firstDueDate`),
      };
    }
    case 'settlement': {
      const j = json as Extract<PlanTermsJson, { type: 'settlement' }>;
      if (typeof j.amountMinor !== 'string' || !/^\d+$/.test(j.amountMinor)) {
        throw new InputError(`${field}.amountMinor`, `must be minor units as a string, got ${quote(j.amountMinor)}`);
      }
      return { type, amountMinor: BigInt(j.amountMinor), deadline: dateOf(j.deadline, `${field}.deadline`) };
    }
    case 'due_date_change': {
      const j = json as Extract<PlanTermsJson, { type: 'due_date_change' }>;
      return { type, dayOfMonth: wholeOf(j.dayOfMonth, `${field}.dayOfMonth`) };
    }
    case 're_age': {
      const j = json as Extract<PlanTermsJson, { type: 're_age' }>;
      return { type, onTimePayments: wholeOf(j.onTimePayments, `${field}.onTimePayments`) };
    }
  }
}

export function planTransactionToJson(tx: PlanTransaction): PlanTransactionJson {
  return {
    kind: 'plan',
    planId: tx.planId,
    action: tx.action,
    on: tx.on,
    terms: planTermsToJson(tx.terms),
    onBreak: tx.onBreak,
    closedThrough: tx.closedThrough,
  };
}

export function planTransactionFromJson(json: PlanTransactionJson): PlanTransaction {
  if (typeof json.planId !== 'string' || json.planId === '') {
    throw new InputError('planId', `must be a non-empty string, got ${quote(json.planId)}`);
  }
  return {
    kind: 'plan',
    planId: json.planId,
    action: member(json.action, planActions, 'action'),
    on: dateOf(json.on, 'on'),
    terms: planTermsFromJson(json.terms),
    onBreak: json.onBreak === null ? null : member(json.onBreak, planBreakModes, 'onBreak'),
    closedThrough: json.closedThrough === null ? null : dateOf(json.closedThrough, 'closedThrough'),
  };
}
