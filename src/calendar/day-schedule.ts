// What the production scheduler should do at an instant, decided purely from the clock, the lender's zone
// and cut-off, the last business date whose day completed and the next instant a contact can be claimed.
// Invariants: the dates to run are consecutive, oldest first, each after the last completed one and none
// whose cut-off is still ahead (a day never runs early); a gap longer than `catchUpDaysMax` dates is
// refused rather than run unattended (as `kuan day` refuses a far date); the wake-up instant is after
// `nowMs` and no later than `nowMs + pollMsMax`, so the loop neither spins nor sleeps unboundedly.
import { invariant } from '../errors/index.ts';
import { addDays, compareDates, daysBetween, type IsoDate } from './date.ts';
import { localDate, zonedEpochMs } from './zone.ts';

/** The instant at which the day of `businessDate` runs (its cut-off in the lender's zone). */
export function dayCutoffMs(options: { businessDate: IsoDate; timezone: string; cutoffMinutes: number }): number {
  return zonedEpochMs(options.timezone, options.businessDate, options.cutoffMinutes);
}

export interface ScheduleState {
  nowMs: number;
  /** The lender's IANA zone and local cut-off (minutes after midnight). */
  timezone: string;
  cutoffMinutes: number;
  /** The latest business date whose day completed; undefined before any day ran. */
  lastDayDate: IsoDate | undefined;
  /** The earliest instant at which an open contact can be claimed, if any. */
  nextContactAtMs: number | undefined;
  /** Missed dates run unattended at most; more is refused until an operator runs `kuan day`. */
  catchUpDaysMax: number;
  /** The longest sleep: contacts planned by other processes are noticed at least this often. */
  pollMsMax: number;
}

export interface ScheduleDecision {
  /** Business dates whose day is due now, oldest first; empty when none is due or the catch-up is refused. */
  dueDates: IsoDate[];
  /** Why the due dates are not run unattended (too many missed). */
  refusal?: string;
  /** A contact can be claimed now. */
  dispatchNow: boolean;
  /** The next business date whose cut-off is still ahead, and that cut-off's instant. */
  nextDay: { businessDate: IsoDate; atMs: number };
  /** When to decide again (if nothing is due now). */
  wakeAtMs: number;
}

/** The latest business date whose cut-off has passed at `nowMs`. */
export function dueBusinessDate(options: { nowMs: number; timezone: string; cutoffMinutes: number }): IsoDate {
  const today = localDate(options.timezone, options.nowMs);
  return dayCutoffMs({ ...options, businessDate: today }) <= options.nowMs ? today : addDays(today, -1);
}

export function decideSchedule(state: ScheduleState): ScheduleDecision {
  invariant(Number.isInteger(state.catchUpDaysMax) && state.catchUpDaysMax >= 1, 'catchUpDaysMax is at least 1');
  invariant(Number.isInteger(state.pollMsMax) && state.pollMsMax >= 1, 'pollMsMax is at least 1');
  const dueThrough = dueBusinessDate(state);
  const first = state.lastDayDate === undefined ? dueThrough : addDays(state.lastDayDate, 1);
  const missed = compareDates(first, dueThrough) <= 0 ? daysBetween(first, dueThrough) + 1 : 0;
  const refused = missed > state.catchUpDaysMax;
  const dueDates = refused ? [] : Array.from({ length: missed }, (_, index) => addDays(first, index));

  // The book may be ahead of the clock (a date run by hand): the next day follows the later of the two.
  const nextDate = addDays(
    state.lastDayDate !== undefined && compareDates(state.lastDayDate, dueThrough) > 0 ? state.lastDayDate : dueThrough,
    1,
  );
  const nextDay = { businessDate: nextDate, atMs: dayCutoffMs({ ...state, businessDate: nextDate }) };
  const dispatchNow = state.nextContactAtMs !== undefined && state.nextContactAtMs <= state.nowMs;
  const candidates = [nextDay.atMs, state.nowMs + state.pollMsMax];
  if (state.nextContactAtMs !== undefined && state.nextContactAtMs > state.nowMs)
    candidates.push(state.nextContactAtMs);
  const wakeAtMs = Math.min(...candidates);
  invariant(wakeAtMs > state.nowMs, 'the scheduler wakes after now');
  return {
    dueDates,
    ...(refused
      ? {
          refusal:
            `${missed} business dates (${first} … ${dueThrough}) have not run, more than the ${state.catchUpDaysMax} ` +
            'run unattended; run them with kuan day, or raise --catch-up-days',
        }
      : {}),
    dispatchNow,
    nextDay,
    wakeAtMs,
  };
}
