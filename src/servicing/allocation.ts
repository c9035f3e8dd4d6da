// Allocation: how money received (a payment, or the credit balance) is spread over what the loan owes.
// Installments due on or before the day are settled in the rules' component order (default penalty →
// fee → interest → principal), oldest installment first; `installment_first` settles every component of
// the oldest installment before the next, `component_first` settles one component across all installments
// before the next component. Paying ahead (installments not yet due) always goes installment by
// installment. Invariant: the amounts allocated plus what is left equal the amount offered, and no
// component is paid beyond what it owes.
import { credit, debit, type Posting } from '../ledger/index.ts';
import type { Component } from './rules.ts';
import { feeOutstanding, interestOutstanding, penaltyOutstanding, principalOutstanding } from './state.ts';
import { edit, isPenaltyContingent, type StateDraft, type Work } from './work.ts';
import type { InstallmentState, LoanState } from './state.ts';

/**
 * Where a payment went. The four components are the contract's `payment.allocation`;
 * `creditBalanceMinor` is the change in the borrower's credit balance (negative when a payoff used it),
 * so the five always sum to the payment amount.
 */
export interface Allocation {
  penaltyMinor: bigint;
  feeMinor: bigint;
  interestMinor: bigint;
  principalMinor: bigint;
  creditBalanceMinor: bigint;
}

/** Running totals of one allocation, split by whether the receivable was already booked. */
export interface Tally {
  penaltyMinor: bigint;
  /** Fee and interest of installments already due: their receivable is booked. */
  feeDueMinor: bigint;
  interestDueMinor: bigint;
  /** Fee and interest paid ahead of the due date: recognised as income when received. */
  feeAheadMinor: bigint;
  interestAheadMinor: bigint;
  principalMinor: bigint;
}

export function emptyTally(): Tally {
  return {
    penaltyMinor: 0n,
    feeDueMinor: 0n,
    interestDueMinor: 0n,
    feeAheadMinor: 0n,
    interestAheadMinor: 0n,
    principalMinor: 0n,
  };
}

export function tallyTotal(t: Tally): bigint {
  return (
    t.penaltyMinor + t.feeDueMinor + t.interestDueMinor + t.feeAheadMinor + t.interestAheadMinor + t.principalMinor
  );
}

export function allocationOf(t: Tally, creditBalanceMinor: bigint): Allocation {
  return {
    penaltyMinor: t.penaltyMinor,
    feeMinor: t.feeDueMinor + t.feeAheadMinor,
    interestMinor: t.interestDueMinor + t.interestAheadMinor,
    principalMinor: t.principalMinor,
    creditBalanceMinor,
  };
}

/** Credits for what a tally paid: receivables for booked amounts, income for amounts paid ahead. */
export function tallyCredits(t: Tally): Posting[] {
  return [
    credit('penalty_receivable', t.penaltyMinor),
    credit('fee_receivable', t.feeDueMinor),
    credit('interest_receivable', t.interestDueMinor),
    credit('fee_income', t.feeAheadMinor),
    credit('interest_income', t.interestAheadMinor),
    credit('principal_receivable', t.principalMinor),
  ];
}

export function tallyPostings(t: Tally, from: 'cash' | 'borrower_credit', amountMinor: bigint): Posting[] {
  return [debit(from, amountMinor), ...tallyCredits(t)];
}

/** What the component of an installment due by `day` can collect now (contingent penalty excluded). */
export function collectible(s: LoanState, row: InstallmentState, component: Component, day: number): bigint {
  switch (component) {
    case 'penalty':
      return isPenaltyContingent(s, row, day) ? 0n : penaltyOutstanding(row);
    case 'fee':
      return feeOutstanding(row);
    case 'interest':
      return interestOutstanding(row);
    case 'principal':
      return principalOutstanding(row);
  }
}

function pay(work: Work, index: number, component: Component, amountMinor: bigint, tally: Tally, ahead: boolean): void {
  const row = edit(work, index);
  switch (component) {
    case 'penalty':
      row.penaltyPaidMinor += amountMinor;
      tally.penaltyMinor += amountMinor;
      return;
    case 'fee':
      row.feePaidMinor += amountMinor;
      if (ahead) tally.feeAheadMinor += amountMinor;
      else tally.feeDueMinor += amountMinor;
      return;
    case 'interest':
      row.interestPaidMinor += amountMinor;
      if (ahead) tally.interestAheadMinor += amountMinor;
      else tally.interestDueMinor += amountMinor;
      return;
    case 'principal':
      row.principalPaidMinor += amountMinor;
      tally.principalMinor += amountMinor;
      return;
  }
}

function payOne(work: Work, index: number, component: Component, day: number, left: bigint, tally: Tally): bigint {
  const owed = collectible(work.s, work.s.installments[index] as InstallmentState, component, day);
  if (owed <= 0n || left <= 0n) return left;
  const paid = owed < left ? owed : left;
  pay(work, index, component, paid, tally, false);
  return left - paid;
}

/** Total collectible now over installments due on or before `day`. */
export function collectibleDue(s: LoanState, day: number): bigint {
  let total = 0n;
  for (const row of s.installments) {
    if (row.dueEpochDay > day) break;
    for (const component of s.rules.allocation.order) total += collectible(s, row, component, day);
  }
  return total;
}

/** Pays what is due on or before `day` in the rules' order; returns what is left of `amountMinor`. */
export function payDue(work: Work, day: number, amountMinor: bigint, tally: Tally): bigint {
  const { order, ordering } = work.s.rules.allocation;
  const rows = work.s.installments;
  let left = amountMinor;
  if (ordering === 'installment_first') {
    for (let index = 0; index < rows.length; index += 1) {
      if ((rows[index] as InstallmentState).dueEpochDay > day || left === 0n) break;
      for (const component of order) left = payOne(work, index, component, day, left, tally);
    }
  } else {
    for (const component of order) {
      for (let index = 0; index < rows.length; index += 1) {
        if ((rows[index] as InstallmentState).dueEpochDay > day || left === 0n) break;
        left = payOne(work, index, component, day, left, tally);
      }
    }
  }
  return left;
}

/** Fee, interest and principal outstanding on installments not yet due on `day`. */
export function outstandingAhead(s: StateDraft, day: number): bigint {
  let total = 0n;
  for (const row of s.installments) {
    if (row.dueEpochDay <= day) continue;
    total += feeOutstanding(row) + interestOutstanding(row) + principalOutstanding(row);
  }
  return total;
}

export function principalAhead(s: StateDraft, day: number): bigint {
  let total = 0n;
  for (const row of s.installments) if (row.dueEpochDay > day) total += principalOutstanding(row);
  return total;
}

/** Pays the next installments ahead of their due dates, one installment at a time, in component order. */
/**
 * Money paid ahead settles each coming installment's principal first, then its fee and interest: an
 * extra sum beyond a full installment reduces what the borrower owes (CONTRACTS.md's example posts
 * 500.00 against a 305.00 installment as 50.00 interest + 450.00 principal), while paying a whole
 * installment early still covers all of it.
 */
const aheadOrder = ['principal', 'fee', 'interest'] as const;

export function payAhead(work: Work, day: number, amountMinor: bigint, tally: Tally): bigint {
  const { s } = work;
  let left = amountMinor;
  for (let index = 0; index < s.installments.length; index += 1) {
    if (left === 0n) break;
    if ((s.installments[index] as InstallmentState).dueEpochDay <= day) continue;
    for (const component of aheadOrder) {
      const owed = collectible(s, s.installments[index] as InstallmentState, component, day);
      if (owed <= 0n || left <= 0n) continue;
      const paid = owed < left ? owed : left;
      pay(work, index, component, paid, tally, true);
      left -= paid;
    }
  }
  return left;
}

/** Pays principal ahead (and, for the installment whose period is running, its interest). Used by payoff. */
export function payAheadComponent(
  work: Work,
  index: number,
  component: Component,
  amountMinor: bigint,
  tally: Tally,
): void {
  if (amountMinor > 0n) pay(work, index, component, amountMinor, tally, true);
}
