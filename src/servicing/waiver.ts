// Waivers: the lender forgives part of what a loan owes — penalty, fee or interest of installments already
// due, or principal (of any installment). The forgiven amount goes to waiver expense, oldest installment
// first (or one installment, when named). A waiver that settles an installment counts like a payment for
// DPD and delinquency. Refusals are result codes and leave the state untouched.
import { toEpochDay, type IsoDate } from '../calendar/index.ts';
import { invariant } from '../errors/index.ts';
import { credit, debit, type Account, type JournalEntry } from '../ledger/index.ts';
import { formatMinor } from '../money/index.ts';
import { catchUp } from './close.ts';
import type { LoanEvent } from './events.ts';
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
  type InstallmentDraft,
} from './work.ts';

export const waivableComponents = ['penalty', 'fee', 'interest', 'principal'] as const;
export type WaivableComponent = (typeof waivableComponents)[number];

export interface WaiverInput {
  waiverId: string;
  on: IsoDate;
  component: WaivableComponent;
  /** Default: everything outstanding of that component. */
  amountMinor?: bigint;
  installmentNumber?: number;
  reason?: string;
}

export interface WaiverTransaction {
  kind: 'waiver';
  waiverId: string;
  on: IsoDate;
  component: WaivableComponent;
  amountMinor: bigint | null;
  installmentNumber: number | null;
  reason: string | null;
}

export type WaiverRejection =
  | 'amount_not_positive'
  | 'loan_closed'
  | 'loan_charged_off'
  | 'waiver_date_before_close'
  | 'nothing_to_waive'
  | 'waiver_exceeds_outstanding';

export type WaiverResult =
  | {
      ok: true;
      state: LoanState;
      events: LoanEvent[];
      journal: JournalEntry[];
      waivedMinor: bigint;
      transaction: WaiverTransaction;
    }
  | { ok: false; code: WaiverRejection; message: string };

const receivable: Record<WaivableComponent, Account> = {
  penalty: 'penalty_receivable',
  fee: 'fee_receivable',
  interest: 'interest_receivable',
  principal: 'principal_receivable',
};

function outstandingOf(row: InstallmentState, component: WaivableComponent): bigint {
  switch (component) {
    case 'penalty':
      return penaltyOutstanding(row);
    case 'fee':
      return feeOutstanding(row);
    case 'interest':
      return interestOutstanding(row);
    case 'principal':
      return principalOutstanding(row);
  }
}

function addWaived(row: InstallmentDraft, component: WaivableComponent, amountMinor: bigint): void {
  if (component === 'penalty') row.penaltyWaivedMinor += amountMinor;
  else if (component === 'fee') row.feeWaivedMinor += amountMinor;
  else if (component === 'interest') row.interestWaivedMinor += amountMinor;
  else row.principalWaivedMinor += amountMinor;
}

export function waive(state: LoanState, input: WaiverInput): WaiverResult {
  const transaction: WaiverTransaction = {
    kind: 'waiver',
    waiverId: input.waiverId,
    on: input.on,
    component: input.component,
    amountMinor: input.amountMinor ?? null,
    installmentNumber: input.installmentNumber ?? null,
    reason: input.reason ?? null,
  };
  const money = (minor: bigint): string => formatMinor(minor, state.currency);
  if (input.amountMinor !== undefined && input.amountMinor <= 0n) {
    return {
      ok: false,
      code: 'amount_not_positive',
      message: `amount must be positive, got ${money(input.amountMinor)}`,
    };
  }
  if (state.status === 'closed') return { ok: false, code: 'loan_closed', message: `loan ${state.loanId} is closed` };
  if (state.status === 'charged_off')
    return { ok: false, code: 'loan_charged_off', message: `loan ${state.loanId} is charged off` };
  const day = toEpochDay(input.on);
  if (day < toEpochDay(state.closedThrough)) {
    return {
      ok: false,
      code: 'waiver_date_before_close',
      message: `waiver date ${input.on} is before closedThrough ${state.closedThrough}`,
    };
  }
  const work = beginWork(state);
  catchUp(work, day);
  const { s } = work;
  if (s.status === 'charged_off')
    return { ok: false, code: 'loan_charged_off', message: `loan ${state.loanId} is charged off by ${input.on}` };
  // Penalty, fee and interest are waivable once booked (due); principal is booked from disbursement.
  const eligible: number[] = [];
  s.installments.forEach((row, index) => {
    const due = input.component === 'principal' || row.dueEpochDay <= day;
    if (due && (input.installmentNumber === undefined || row.number === input.installmentNumber)) eligible.push(index);
  });
  const outstanding = eligible.reduce(
    (sum, index) => sum + outstandingOf(s.installments[index] as InstallmentState, input.component),
    0n,
  );
  if (outstanding === 0n) {
    return {
      ok: false,
      code: 'nothing_to_waive',
      message: `no ${input.component} outstanding to waive on ${input.on}`,
    };
  }
  const amountMinor = input.amountMinor ?? outstanding;
  if (amountMinor > outstanding) {
    return {
      ok: false,
      code: 'waiver_exceeds_outstanding',
      message: `waiver ${money(amountMinor)} is more than the ${money(outstanding)} ${input.component} outstanding`,
    };
  }
  let left = amountMinor;
  for (const index of eligible) {
    const owed = outstandingOf(s.installments[index] as InstallmentState, input.component);
    const part = owed < left ? owed : left;
    if (part > 0n) addWaived(edit(work, index), input.component, part);
    left -= part;
    if (left === 0n) break;
  }
  invariant(left === 0n, 'a waiver is spread in full');
  const key = `waiver:${input.waiverId}`;
  post(work, input.on, key, 'waiver', [
    debit('waiver_expense', amountMinor),
    credit(receivable[input.component], amountMinor),
  ]);
  emit(work, input.on, { type: 'waived', waiverId: input.waiverId, component: input.component, amountMinor });
  markSettlements(work, day, key);
  refreshStatus(work, day);
  return {
    ok: true,
    state: finishWork(work),
    events: work.events,
    journal: work.journal,
    waivedMinor: amountMinor,
    transaction,
  };
}
