// The Strategies page's readings of GET /strategies/{name}/results (docs/decisions/0005): whether a
// strategy document runs an experiment, the default span, the lift in percentage points, the outcomes
// still waiting for their window, and the chart's values. Pure, so test/web checks them in node.
import type { ArmResult, ExperimentResults } from '../api/types.ts';
import { formatRate } from '../format.ts';

/** The experiment a canonical strategy document declares, or null. */
export function experimentOf(strategy: Record<string, unknown>): { name: string; challengerPercent: number } | null {
  const experiment = strategy.experiment as { name?: unknown; challengerPercent?: unknown } | undefined;
  if (typeof experiment !== 'object' || experiment === null) return null;
  return { name: String(experiment.name ?? ''), challengerPercent: Number(experiment.challengerPercent ?? 0) };
}

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `date` moved by `days` calendar days (ISO dates, no time zone involved). */
export function shiftDate(date: string, days: number): string {
  const match = isoDate.exec(date);
  if (!match) return date;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) + days * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

/** The 30 business dates through `today`: the span the panel opens with. */
export function defaultSpan(today: string): { from: string; through: string } {
  return { from: shiftDate(today, -29), through: today };
}

/** "0.1667" → "+16.67" (percentage points, exactly), "-0.0500" → "-5.00", null → null. */
export function liftPoints(lift: string | null): string | null {
  if (lift === null) return null;
  const negative = lift.startsWith('-');
  const points = formatRate(negative ? lift.slice(1) : lift).replace(/%$/, '');
  if (/^0(\.0+)?$/.test(points)) return points;
  return `${negative ? '-' : '+'}${points}`;
}

/** Contacts decided whose payment window has not closed: not counted as paid or unpaid yet. */
export function pendingOutcomes(results: ExperimentResults): number {
  return [results.champion, results.challenger].reduce((sum, arm) => sum + arm.intents - arm.outcomesKnown, 0);
}

/** No contact of the strategy was decided in the span. */
export function isEmpty(results: ExperimentResults): boolean {
  return results.champion.intents === 0 && results.challenger.intents === 0;
}

/** The paid rate as a percentage for the chart's bar (display only; the table shows the exact string). */
export function chartPercent(arm: ArmResult): number | null {
  return arm.paidRate === null ? null : Number(arm.paidRate) * 100;
}
