// Recoveries: money collected on a loan after it was charged off. `applyPayment` hands a payment on a
// charged-off loan (charged off before the payment or by the payment date's own step) to `recover`.
//
// - The recoverable balance is what the charge-off wrote off and is still unpaid: all principal, the
//   interest and fee of installments due on or before chargedOffOn, and all penalty. Interest and fee of
//   later installments were never booked (the close stops at charge-off) and are not owed.
// - A recovery is allocated principal → interest → fee → penalty, each component across installments
//   oldest first (the cost-recovery order: the written-off principal comes back before any income). It
//   is at most the recoverable balance (`payment_exceeds_outstanding`); `payoff` must be exactly it.
// - Journal: debit cash, credit credit_loss — a recovery reduces the credit loss the charge-off booked
//   (net charge-offs = charge-offs − recoveries); the receivables stay written off.
// - `recoveredMinor` on the state adds up what was recovered. When nothing recoverable is left, the
//   never-booked interest and fee are cancelled (as a payoff does) and the loan becomes `closed`
//   (status_changed charged_off → closed, then `closed`); chargedOffOn stays as the record of the write-off.
// Invariants: the allocation sums to the amount; nothing is paid beyond what it owes; the credit balance
// is not touched.
import { fromEpochDay, toEpochDay } from '../calendar/index.ts';
import { invariant } from '../errors/index.ts';
import { credit, debit } from '../ledger/index.ts';
import type { Allocation } from './allocation.ts';
import { bucketFor } from './rules.ts';
import {
  feeOutstanding,
  interestOutstanding,
  isSettled,
  penaltyOutstanding,
  principalOutstanding,
  type InstallmentState,
  type LoanState,
} from './state.ts';
import { announceTransitions, edit, emit, post, type StateDraft, type Work } from './work.ts';

/** What a charged-off loan still has written off, by component. */
export interface RecoveryBalance {
  principalMinor: bigint;
  interestMinor: bigint;
  feeMinor: bigint;
  penaltyMinor: bigint;
  totalMinor: bigint;
}

/** Recovery allocation order (fixed, not the product's: see the module comment). */
export const recoveryOrder = ['principal', 'interest', 'fee', 'penalty'] as const;
type RecoveryComponent = (typeof recoveryOrder)[number];

function chargedOffDay(s: StateDraft | LoanState): number {
  invariant(s.status === 'charged_off' && s.chargedOffOn !== null, `loan ${s.loanId} is charged off`);
  return toEpochDay(s.chargedOffOn);
}

function recoverable(row: InstallmentState, component: RecoveryComponent, writtenOffDay: number): bigint {
  switch (component) {
    case 'principal':
      return principalOutstanding(row);
    case 'interest':
      return row.dueEpochDay <= writtenOffDay ? interestOutstanding(row) : 0n;
    case 'fee':
      return row.dueEpochDay <= writtenOffDay ? feeOutstanding(row) : 0n;
    case 'penalty':
      return penaltyOutstanding(row);
  }
}

/** What one installment of a charged-off loan still owes (interest and fee only if due by the write-off). */
export function installmentRecoveryBalance(state: LoanState, row: InstallmentState): bigint {
  const writtenOffDay = chargedOffDay(state);
  return recoveryOrder.reduce((sum, component) => sum + recoverable(row, component, writtenOffDay), 0n);
}

/** The written-off balance still unpaid; the state must be charged off. */
export function recoveryBalance(state: StateDraft | LoanState): RecoveryBalance {
  const writtenOffDay = chargedOffDay(state);
  const balance = { principalMinor: 0n, interestMinor: 0n, feeMinor: 0n, penaltyMinor: 0n, totalMinor: 0n };
  for (const row of state.installments) {
    balance.principalMinor += recoverable(row, 'principal', writtenOffDay);
    balance.interestMinor += recoverable(row, 'interest', writtenOffDay);
    balance.feeMinor += recoverable(row, 'fee', writtenOffDay);
    balance.penaltyMinor += recoverable(row, 'penalty', writtenOffDay);
  }
  balance.totalMinor = balance.principalMinor + balance.interestMinor + balance.feeMinor + balance.penaltyMinor;
  return balance;
}

export interface RecoveryInput {
  paymentId: string;
  amountMinor: bigint;
  /** The payment date as an epoch day; the work is closed through it. */
  day: number;
  /** The journal key of the payment (`payment:<id>`), so a recovery's entry id is the payment's. */
  key: string;
}

/**
 * Allocates a recovery on the charged-off draft and books it. The caller has checked the amount against
 * `recoveryBalance` (positive, at most the total). Returns the allocation (credit part always zero).
 */
export function recover(work: Work, input: RecoveryInput): Allocation {
  const { s } = work;
  const writtenOffDay = chargedOffDay(s);
  const date = fromEpochDay(input.day);
  const allocation: Allocation = {
    penaltyMinor: 0n,
    feeMinor: 0n,
    interestMinor: 0n,
    principalMinor: 0n,
    creditBalanceMinor: 0n,
  };
  let left = input.amountMinor;
  for (const component of recoveryOrder) {
    for (let index = 0; index < s.installments.length && left > 0n; index += 1) {
      const owed = recoverable(s.installments[index] as InstallmentState, component, writtenOffDay);
      if (owed === 0n) continue;
      const paid = owed < left ? owed : left;
      const row = edit(work, index);
      if (component === 'principal') {
        row.principalPaidMinor += paid;
        allocation.principalMinor += paid;
      } else if (component === 'interest') {
        row.interestPaidMinor += paid;
        allocation.interestMinor += paid;
      } else if (component === 'fee') {
        row.feePaidMinor += paid;
        allocation.feeMinor += paid;
      } else {
        row.penaltyPaidMinor += paid;
        allocation.penaltyMinor += paid;
      }
      left -= paid;
    }
  }
  invariant(left === 0n, `recovery ${input.paymentId} left ${left} unallocated`);
  s.recoveredMinor = (s.recoveredMinor ?? 0n) + input.amountMinor;
  post(work, date, input.key, 'recovery', [debit('cash', input.amountMinor), credit('credit_loss', input.amountMinor)]);
  emit(work, date, { type: 'payment_posted', paymentId: input.paymentId, amountMinor: input.amountMinor, allocation });
  const remainingMinor = recoveryBalance(s).totalMinor;
  emit(work, date, { type: 'recovered', paymentId: input.paymentId, amountMinor: input.amountMinor, remainingMinor });
  if (remainingMinor === 0n) {
    // Fully recovered: what was never booked is cancelled, not owed (as on payoff), and the loan closes.
    for (let index = 0; index < s.installments.length; index += 1) {
      const current = s.installments[index] as InstallmentState;
      if (
        current.dueEpochDay <= writtenOffDay ||
        (interestOutstanding(current) === 0n && feeOutstanding(current) === 0n)
      )
        continue;
      const row = edit(work, index);
      row.interestDueMinor = row.interestPaidMinor + row.interestWaivedMinor;
      row.feeDueMinor = row.feePaidMinor + row.feeWaivedMinor;
    }
  }
  for (let index = 0; index < s.installments.length; index += 1) {
    const current = s.installments[index] as InstallmentState;
    if (current.paidOn === null && isSettled(current)) edit(work, index).paidOn = date;
  }
  if (remainingMinor === 0n) {
    const standing = { dpd: 0, delinquent: false, bucket: bucketFor(s.rules, 0, false), status: 'closed' as const };
    announceTransitions(work, date, s, standing);
    s.dpd = 0;
    s.delinquent = false;
    s.inGrace = false;
    s.bucket = standing.bucket;
    s.status = 'closed';
    s.closedOn = date;
  }
  return allocation;
}
