// A borrower's local day as a span of instants, and the hold that covers it. One rule for the planner in
// production and in the simulator: a local day runs from its midnight to the next local midnight, so a
// day with a clock change is 23 or 25 hours long, never "start + 24 h".
// Invariants: startMs < endMs; consecutive days tile time (one day's endMs is the next day's startMs).
import { addDays, localDate, zonedEpochMs, type IsoDate } from '../calendar/index.ts';
import type { HoldView } from './model.ts';

/** [startMs, endMs): the local date `date` in `timezone`, from its first instant to the next local midnight. */
export interface DayWindow {
  startMs: number;
  endMs: number;
}

export function dayWindowOf(date: IsoDate, timezone: string): DayWindow {
  // zonedEpochMs maps a midnight inside a clock-change gap to the first instant of the day.
  return { startMs: zonedEpochMs(timezone, date, 0), endMs: zonedEpochMs(timezone, addDays(date, 1), 0) };
}

/**
 * The first hold active at some instant of the local day, as the planner reads it: local dates from its
 * first day through its last (a hold ending exactly at midnight does not cover the next day).
 */
export function holdOnDay(
  holds: readonly HoldView[],
  day: { date: IsoDate; timezone: string },
): { fromDate: IsoDate; untilDate: IsoDate } | undefined {
  const window = dayWindowOf(day.date, day.timezone);
  const hold = holds.find((span) => span.fromMs < window.endMs && span.untilMs > window.startMs);
  if (hold === undefined) return undefined;
  return { fromDate: localDate(day.timezone, hold.fromMs), untilDate: localDate(day.timezone, hold.untilMs - 1) };
}
