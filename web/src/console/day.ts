// The Day page's readings of GET /day-runs, apart from React so they run in node: every stage of a date in
// pipeline order (one the day has not reached yet stands as `not_run`), a stage's duration from its start
// and finish (none while it runs), stage durations per date for the stacked chart (oldest date first), and
// a stage's counts as label-ready pairs. Durations are whole milliseconds from the server's instants.
import type { DayRun, DayStage, DayStageRun } from '../api/types.ts';
import { messages, type MessageKey } from '../messages.ts';

/** The stages in pipeline order (src/app/day.ts) with their names; a Record, so a new stage is a compile error. */
export const stageLabels: Record<DayStage, MessageKey> = {
  close: 'day.stage.close',
  plans: 'day.stage.plans',
  cases: 'day.stage.cases',
  complaints: 'day.stage.complaints',
  contacts: 'day.stage.contacts',
  dispatch: 'day.stage.dispatch',
  events: 'day.stage.events',
};

export const dayStages = Object.keys(stageLabels) as DayStage[];

/** A stage the day has not reached: an earlier one failed, or is still running. */
export interface StageNotRun {
  stage: DayStage;
  status: 'not_run';
}

export type StageRow = DayStageRun | StageNotRun;

/** Every stage of the day in pipeline order, those without a record as `not_run`. */
export function stageRows(run: DayRun): StageRow[] {
  const byStage = new Map(run.stages.map((stage) => [stage.stage, stage]));
  return dayStages.map((stage) => byStage.get(stage) ?? { stage, status: 'not_run' });
}

/** Milliseconds from the stage's start to its finish; null while it runs or when an instant is unreadable. */
export function stageDurationMs(stage: StageRow): number | null {
  if (stage.status === 'not_run' || !stage.finishedAt) return null;
  const ms = Date.parse(stage.finishedAt) - Date.parse(stage.startedAt);
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

/** The finished stages' durations added up. */
export function dayDurationMs(run: DayRun): number {
  return run.stages.reduce((sum, stage) => sum + (stageDurationMs(stage) ?? 0), 0);
}

export interface DurationChart {
  /** Business dates, oldest first. */
  dates: string[];
  /** One series per stage in pipeline order: seconds per date, null where the stage has no finish. */
  series: { stage: DayStage; seconds: (number | null)[] }[];
}

/** Stage durations per business date, for a stacked bar per date. */
export function durationChart(runs: readonly DayRun[]): DurationChart {
  const ordered = [...runs].sort((a, b) => a.businessDate.localeCompare(b.businessDate));
  return {
    dates: ordered.map((run) => run.businessDate),
    series: dayStages.map((stage) => ({
      stage,
      seconds: ordered.map((run) => {
        const found = run.stages.find((candidate) => candidate.stage === stage);
        const ms = found ? stageDurationMs(found) : null;
        return ms === null ? null : ms / 1000;
      }),
    })),
  };
}

/** A duration in the largest unit that keeps it readable: "850 ms", "12.4 s", "3 min 05 s". */
export function durationParts(ms: number): {
  key: 'day.ms' | 'day.seconds' | 'day.minutes';
  vars: Record<string, string>;
} {
  if (ms < 1000) return { key: 'day.ms', vars: { n: String(Math.round(ms)) } };
  if (ms < 60_000) return { key: 'day.seconds', vars: { n: (Math.round(ms / 100) / 10).toFixed(1) } };
  const seconds = Math.round(ms / 1000);
  return {
    key: 'day.minutes',
    vars: { m: String(Math.floor(seconds / 60)), s: String(seconds % 60).padStart(2, '0') },
  };
}

/** The counts the page names, in the order it shows them (the stores' JSON keeps no order of its own). */
const countOrder = Object.keys(messages)
  .filter((key) => key.startsWith('day.count.'))
  .map((key) => key.slice('day.count.'.length));

function countRank(name: string): number {
  const rank = countOrder.indexOf(name);
  return rank === -1 ? countOrder.length : rank;
}

export type CountValue = string | number | boolean;

/**
 * A stage's counts as [name, value] pairs, named ones first in the page's order and the rest by name; the
 * date a stage repeats is left out, and a nested value is shown as its JSON.
 */
export function countEntries(counts: Record<string, unknown>): [string, CountValue][] {
  return Object.entries(counts)
    .filter(([name, value]) => name !== 'date' && name !== 'businessDate' && value !== null && value !== undefined)
    .sort(([a], [b]) => countRank(a) - countRank(b) || a.localeCompare(b))
    .map(([name, value]) => [
      name,
      typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? value
        : JSON.stringify(value),
    ]);
}
