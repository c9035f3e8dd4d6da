// Loan views: what a person reading a loan sees, derived from its state alone — each installment's
// status and amounts, what is outstanding, the next due installment, the written-off balance of a
// charged-off loan and its unpaid due dates. The API and the console serialise these; they compute none
// of it. Amounts are minor units of the loan's currency.
// Invariants: the outstanding totals are the sums of the installments' outstanding amounts and penalty;
// an installment's paid, waived and outstanding amounts add up to what it scheduled (a charged-off loan's
// installments owe less: interest and fee of periods after the write-off were never charged).
import type { IsoDate } from '../calendar/index.ts';
import { invariant } from '../errors/index.ts';
import { installmentRecoveryBalance, recoveryBalance, recoveryOrder } from './recovery.ts';
import {
  feeOutstanding,
  interestOutstanding,
  isSettled,
  penaltyOutstanding,
  principalOutstanding,
  scheduledOutstanding,
  type InstallmentState,
  type LoanState,
} from './state.ts';
import { loanDaySummary, type LoanDaySummary } from './summary.ts';

/**
 * `paid`: nothing scheduled is owed; `overdue`: owing and its due date has been closed; `due`: owing and
 * due on the loan's closedThrough; `upcoming`: owing and not yet due.
 */
export const installmentStatuses = ['paid', 'overdue', 'due', 'upcoming'] as const;
export type InstallmentStatus = (typeof installmentStatuses)[number];

export function installmentStatus(state: Pick<LoanState, 'closedThrough'>, row: InstallmentState): InstallmentStatus {
  if (isSettled(row)) return 'paid';
  if (row.dueDate < state.closedThrough) return 'overdue';
  return row.dueDate === state.closedThrough ? 'due' : 'upcoming';
}

export interface InstallmentView {
  number: number;
  dueDate: IsoDate;
  status: InstallmentStatus;
  principalMinor: bigint;
  interestMinor: bigint;
  feeMinor: bigint;
  /** Principal, interest and fee scheduled. */
  totalMinor: bigint;
  paidMinor: bigint;
  waivedMinor: bigint;
  /** Principal, interest and fee still owed; penalty apart. */
  outstandingMinor: bigint;
  penaltyAccruedMinor: bigint;
  penaltyOutstandingMinor: bigint;
  paidOn: IsoDate | null;
}

export function installmentView(state: LoanState, row: InstallmentState): InstallmentView {
  const outstandingMinor =
    state.status === 'charged_off'
      ? installmentRecoveryBalance(state, row) - penaltyOutstanding(row)
      : scheduledOutstanding(row);
  return {
    number: row.number,
    dueDate: row.dueDate,
    status: installmentStatus(state, row),
    principalMinor: row.principalDueMinor,
    interestMinor: row.interestDueMinor,
    feeMinor: row.feeDueMinor,
    totalMinor: row.principalDueMinor + row.interestDueMinor + row.feeDueMinor,
    paidMinor: row.principalPaidMinor + row.interestPaidMinor + row.feePaidMinor,
    waivedMinor: row.principalWaivedMinor + row.interestWaivedMinor + row.feeWaivedMinor,
    outstandingMinor,
    penaltyAccruedMinor: row.penaltyAccruedMinor,
    penaltyOutstandingMinor: penaltyOutstanding(row),
    paidOn: row.paidOn,
  };
}

/** The schedule as a reader sees it, in installment order. */
export function installmentViews(state: LoanState): InstallmentView[] {
  return state.installments.map((row) => installmentView(state, row));
}

export interface LoanAmounts {
  principalMinor: bigint;
  interestMinor: bigint;
  feeMinor: bigint;
  penaltyMinor: bigint;
  totalMinor: bigint;
}

/**
 * What the borrower owes, by component. A charged-off loan owes its written-off balance
 * (docs/decisions/0003): interest and fee of periods after the charge-off were never charged.
 */
export function loanOutstanding(state: LoanState): LoanAmounts {
  if (state.status === 'charged_off') return recoveryBalance(state);
  const amounts = { principalMinor: 0n, interestMinor: 0n, feeMinor: 0n, penaltyMinor: 0n, totalMinor: 0n };
  for (const row of state.installments) {
    amounts.principalMinor += principalOutstanding(row);
    amounts.interestMinor += interestOutstanding(row);
    amounts.feeMinor += feeOutstanding(row);
    amounts.penaltyMinor += penaltyOutstanding(row);
  }
  amounts.totalMinor = amounts.principalMinor + amounts.interestMinor + amounts.feeMinor + amounts.penaltyMinor;
  return amounts;
}

/** An installment still owing, with what it owes (principal, interest and fee). */
export interface DueInstallment {
  number: number;
  dueDate: IsoDate;
  amountMinor: bigint;
}

function dueInstallment(row: InstallmentState): DueInstallment {
  return { number: row.number, dueDate: row.dueDate, amountMinor: scheduledOutstanding(row) };
}

/** The first installment still owing and not yet due; none on a charged-off loan (nothing falls due any more). */
export function nextDue(state: LoanState): DueInstallment | null {
  if (state.status === 'charged_off') return null;
  const row = state.installments.find((item) => !isSettled(item) && item.dueDate > state.closedThrough);
  return row === undefined ? null : dueInstallment(row);
}

/** Every installment still owing, in order: the borrower's calendar of due dates. */
export function unpaidInstallments(state: LoanState): DueInstallment[] {
  return state.installments.filter((row) => !isSettled(row)).map(dueInstallment);
}

export interface ChargedOffView {
  /** The date the loan was charged off; penalty interest stopped that day. */
  on: IsoDate;
  /** The written-off balance still unpaid. */
  owed: LoanAmounts;
  /** Paid since the charge-off. */
  recoveredMinor: bigint;
  /** How a payment is applied (docs/decisions/0003): principal first, each oldest first. */
  paymentOrder: readonly (typeof recoveryOrder)[number][];
}

/** The charge-off's account, while the loan is charged off; otherwise null. */
export function chargedOffView(state: LoanState): ChargedOffView | null {
  if (state.status !== 'charged_off') return null;
  invariant(state.chargedOffOn !== null, `loan ${state.loanId} is charged off on a date`);
  return {
    on: state.chargedOffOn,
    owed: recoveryBalance(state),
    recoveredMinor: state.recoveredMinor ?? 0n,
    paymentOrder: [...recoveryOrder],
  };
}

/** The loan's page: its day summary as of closedThrough, what it owes, what falls due next, any charge-off. */
export interface LoanView {
  summary: LoanDaySummary;
  outstanding: LoanAmounts;
  nextDue: DueInstallment | null;
  chargedOff: ChargedOffView | null;
}

export function loanView(state: LoanState): LoanView {
  return {
    summary: loanDaySummary(state),
    outstanding: loanOutstanding(state),
    nextDue: nextDue(state),
    chargedOff: chargedOffView(state),
  };
}
