// The working copy one servicing step mutates, and the bookkeeping every step shares: emitting events,
// posting journal entries, marking installments settled (with the grace-period consequences), deriving
// DPD / delinquency / bucket / status and the next event date. A step copies the state once, mutates
// the copy, asserts the invariants and hands it back; the input state is never touched, so callers can
// keep it (a rejection returns the caller's state as it was).
import { fromEpochDay, toEpochDay, type IsoDate } from '../calendar/index.ts';
import { invariant } from '../errors/index.ts';
import { credit, debit, makeEntry, type JournalEntry, type Posting } from '../ledger/index.ts';
import type { LoanEvent } from './events.ts';
import { bucketFor } from './rules.ts';
import {
  assertLoanState,
  isSettled,
  penaltyOutstanding,
  scheduledOutstanding,
  type InstallmentState,
  type LoanState,
  type LoanStatus,
} from './state.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
export type InstallmentDraft = Mutable<InstallmentState>;
export type StateDraft = Mutable<Omit<LoanState, 'installments'>> & { installments: InstallmentDraft[] };

export interface Work {
  /** The draft. Its installments start as the input's own (shared) rows; `edit` copies one before a change. */
  readonly s: StateDraft;
  /** Rows copied by this step (the only ones it may change, and the only ones to re-check). */
  readonly fresh: Set<InstallmentState>;
  /** closedThrough as an epoch day. */
  closedDay: number;
  readonly events: LoanEvent[];
  readonly journal: JournalEntry[];
}

/**
 * A copy of the state one step may change. Rows are copied on first write (`edit`), so a day that touches
 * one overdue installment copies one row, not the whole schedule; untouched rows are shared with the input.
 */
export function beginWork(state: LoanState): Work {
  const s = { ...state, installments: state.installments.slice() } as StateDraft;
  return { s, fresh: new Set(), closedDay: toEpochDay(state.closedThrough), events: [], journal: [] };
}

/** The row at `index`, copied first if this step has not copied it yet. */
export function edit(work: Work, index: number): InstallmentDraft {
  const row = work.s.installments[index];
  invariant(row !== undefined, `no installment at ${index}`);
  if (work.fresh.has(row)) return row;
  const copy = { ...row };
  work.s.installments[index] = copy;
  work.fresh.add(copy);
  return copy;
}

/** Copies every row (for steps that rebuild the schedule). */
export function editAll(work: Work): InstallmentDraft[] {
  for (let index = 0; index < work.s.installments.length; index += 1) edit(work, index);
  return work.s.installments;
}

export function finishWork(work: Work): LoanState {
  work.s.closedThrough = fromEpochDay(work.closedDay);
  work.s.nextEventDate = nextEventDate(work.s, work.closedDay);
  const state: LoanState = work.s;
  // Shared rows were checked when their own step finished.
  assertLoanState(state, work.fresh);
  return state;
}

export type EventBody = LoanEvent extends infer E
  ? E extends LoanEvent
    ? Omit<E, 'loanId' | 'borrowerId' | 'date'>
    : never
  : never;

export function emit(work: Work, date: IsoDate, body: EventBody): void {
  work.events.push({ loanId: work.s.loanId, borrowerId: work.s.borrowerId, date, ...body } as LoanEvent);
}

/** Posts an entry with a deterministic id (loan id + transaction key + kind); nothing when all zero. */
export function post(work: Work, date: IsoDate, key: string, kind: string, postings: readonly Posting[]): void {
  const entry = makeEntry(
    {
      entryId: `${work.s.loanId}:${key}:${kind}`,
      loanId: work.s.loanId,
      borrowerId: work.s.borrowerId,
      currency: work.s.currency,
      date,
      kind,
    },
    postings,
  );
  if (entry !== null) work.journal.push(entry);
}

/** Days the installment is past its due date on `day` (0 on or before the due date). */
export function daysOverdue(row: InstallmentState, day: number): number {
  return day > row.dueEpochDay ? day - row.dueEpochDay : 0;
}

/**
 * Under `due_date`, penalty booked while an installment is inside its grace days is contingent: it is
 * not collected, and it is waived if the installment is settled before grace ends.
 */
export function isPenaltyContingent(s: StateDraft | LoanState, row: InstallmentState, day: number): boolean {
  const overdue = daysOverdue(row, day);
  return s.rules.penaltyStart === 'due_date' && overdue >= 1 && overdue <= s.rules.graceDays;
}

/**
 * Records installments that have just become settled on `day`: paidOn, the consecutive overdue count
 * (reset by an installment settled on time, grace included), and grace's promise that a settlement inside
 * grace costs no penalty — booked contingent penalty is waived, the retroactive shadow accrual dropped.
 */
export function markSettlements(work: Work, day: number, key: string): void {
  const { s } = work;
  const date = fromEpochDay(day);
  let graceWaiverMinor = 0n;
  for (let index = 0; index < s.installments.length; index += 1) {
    const current = s.installments[index] as InstallmentState;
    if (current.paidOn !== null || !isSettled(current)) continue;
    const row = edit(work, index);
    row.paidOn = date;
    const overdue = daysOverdue(row, day);
    if (overdue > s.rules.graceDays) continue;
    s.consecutiveOverdueCount = 0;
    if (overdue === 0) continue;
    if (s.rules.penaltyStart === 'retroactive') row.penaltyAccrualExact = 0n;
    const contingent = penaltyOutstanding(row);
    if (contingent > 0n) {
      row.penaltyWaivedMinor += contingent;
      graceWaiverMinor += contingent;
      emit(work, date, { type: 'penalty_waived_in_grace', installmentNumber: row.number, amountMinor: contingent });
    }
  }
  // Not a concession (no waiver expense): the contract never owed penalty for a payment inside grace.
  if (graceWaiverMinor > 0n) {
    post(work, date, key, 'grace_penalty_waiver', [
      debit('penalty_income', graceWaiverMinor),
      credit('penalty_receivable', graceWaiverMinor),
    ]);
  }
}

function isFinished(s: StateDraft): boolean {
  for (const row of s.installments) {
    if (!isSettled(row) || penaltyOutstanding(row) > 0n) return false;
  }
  return true;
}

/**
 * Derives DPD, delinquency, grace, bucket and status as of `day` and emits the transitions (became
 * delinquent, cured, bucket changed, status changed, closed). DPD counts from the oldest installment
 * still owing principal, interest or fee; penalty alone does not keep a loan past due.
 */
export function refreshStatus(work: Work, day: number): void {
  const { s } = work;
  if (s.status === 'charged_off' || s.status === 'closed') return;
  const date = fromEpochDay(day);
  let dpd = 0;
  for (const row of s.installments) {
    if (row.dueEpochDay >= day) break;
    if (!isSettled(row)) {
      dpd = day - row.dueEpochDay;
      break;
    }
  }
  const delinquent = dpd > s.rules.graceDays;
  const bucket = bucketFor(s.rules, dpd, delinquent);
  const status: LoanStatus = isFinished(s) ? 'closed' : delinquent ? 'overdue' : 'active';
  announceTransitions(work, date, s, { dpd, delinquent, bucket, status });
  s.dpd = dpd;
  s.delinquent = delinquent;
  s.inGrace = dpd > 0 && !delinquent;
  s.bucket = bucket;
  s.status = status;
  if (status === 'closed') s.closedOn = date;
}

interface Standing {
  dpd: number;
  delinquent: boolean;
  bucket: string;
  status: LoanStatus;
}

/** Events for a change of standing: became delinquent or cured, bucket, status, closed. */
export function announceTransitions(work: Work, date: IsoDate, from: Standing, to: Standing): void {
  if (to.delinquent && !from.delinquent) emit(work, date, { type: 'became_delinquent', dpd: to.dpd });
  if (!to.delinquent && from.delinquent) emit(work, date, { type: 'cured', dpd: to.dpd });
  if (to.bucket !== from.bucket)
    emit(work, date, { type: 'bucket_changed', from: from.bucket, to: to.bucket, dpd: to.dpd });
  if (to.status !== from.status) {
    emit(work, date, { type: 'status_changed', from: from.status, to: to.status });
    if (to.status === 'closed') emit(work, date, { type: 'closed', creditBalanceMinor: work.s.creditBalanceMinor });
  }
}

/**
 * The earliest day after `closedDay` on which a close would change this loan: every day while anything
 * is past due (DPD, penalty, auto-debit retries, charge-off all move daily), else the next due-soon
 * reminder or due date of an unsettled installment. Null once closed or charged off.
 */
export function nextEventDay(s: StateDraft | LoanState, closedDay: number): number | null {
  if (s.status === 'closed' || s.status === 'charged_off') return null;
  const soonDays = s.rules.dueSoonDays;
  let best = Number.POSITIVE_INFINITY;
  for (const row of s.installments) {
    if (row.dueEpochDay - soonDays >= best) break;
    if (isSettled(row)) continue;
    if (row.dueEpochDay <= closedDay) return closedDay + 1;
    const soon = row.dueEpochDay - soonDays;
    const candidate = soonDays > 0 && soon > closedDay ? soon : row.dueEpochDay;
    if (candidate < best) best = candidate;
  }
  return best === Number.POSITIVE_INFINITY ? null : best;
}

function nextEventDate(s: StateDraft, closedDay: number): IsoDate | null {
  const day = nextEventDay(s, closedDay);
  return day === null ? null : fromEpochDay(day);
}

/** Scheduled outstanding of installments due on or before `day` (the contract's "overdue" uses `<`). */
export function outstandingDueBy(s: StateDraft | LoanState, day: number, strictlyBefore: boolean): bigint {
  let total = 0n;
  for (const row of s.installments) {
    if (strictlyBefore ? row.dueEpochDay >= day : row.dueEpochDay > day) break;
    total += scheduledOutstanding(row);
  }
  return total;
}

export function assertNonNegative(value: bigint, what: string): void {
  invariant(value >= 0n, `${what} is negative (${value})`);
}
