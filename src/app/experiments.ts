// Champion/challenger results for one strategy over a span of business dates: its decided contacts per
// arm and whether the borrower paid within a window after each (src/store/experiments.ts counts them),
// compared by the pure armResults (src/contact/strategy/experiment.ts). An outcome is known only once its
// window has closed (business date + window ≤ the last completed close).
import { compareDates, daysBetween, type IsoDate } from '../calendar/index.ts';
import { armResults, type ArmComparison, type ArmOutcome } from '../contact/index.ts';
import { InputError } from '../errors/index.ts';
import {
  countArmOutcomes,
  EXPERIMENT_SPAN_DAYS_MAX,
  EXPERIMENT_WINDOW_DAYS_MAX,
  lastCompletedEodRun,
  type ArmOutcomeCount,
  type Queryable,
} from '../store/index.ts';

export const EXPERIMENT_WINDOW_DAYS_DEFAULT = 7;
export { EXPERIMENT_SPAN_DAYS_MAX, EXPERIMENT_WINDOW_DAYS_MAX };

export interface ExperimentResults {
  strategy: string;
  from: IsoDate;
  through: IsoDate;
  windowDays: number;
  /** The last completed close: outcomes of contacts whose window ends after it are not known yet. */
  knownThrough: IsoDate | null;
  comparison: ArmComparison;
}

/** The counted outcomes as the records armResults compares (one per contact, generated, never stored). */
function* outcomesOf(counts: readonly ArmOutcomeCount[]): Generator<ArmOutcome> {
  for (const row of counts) {
    const record: ArmOutcome =
      row.paid === null ? { arm: row.arm, status: row.status } : { ...row, paidWithinDays: row.paid };
    for (let index = 0; index < row.count; index += 1) yield record;
  }
}

/**
 * Compares a strategy's arms over business dates `from` through `through`: intents decided, sent and
 * suppressed per arm, and the share of known outcomes where the borrower paid on one of the contact's
 * loans within `windowDays` (default 7) of its business date. InputError names a bad span or window.
 */
export async function experimentResults(
  q: Queryable,
  input: { strategy: string; from: IsoDate; through: IsoDate; windowDays?: number },
): Promise<ExperimentResults> {
  const windowDays = input.windowDays ?? EXPERIMENT_WINDOW_DAYS_DEFAULT;
  if (!Number.isInteger(windowDays) || windowDays < 0 || windowDays > EXPERIMENT_WINDOW_DAYS_MAX) {
    throw new InputError('windowDays', `must be a whole number of days 0–${EXPERIMENT_WINDOW_DAYS_MAX}`);
  }
  if (compareDates(input.from, input.through) > 0) {
    throw new InputError('from', `must be on or before through (${input.through})`);
  }
  if (daysBetween(input.from, input.through) >= EXPERIMENT_SPAN_DAYS_MAX) {
    throw new InputError('through', `must be within ${EXPERIMENT_SPAN_DAYS_MAX} days of from`);
  }
  const knownThrough = (await lastCompletedEodRun(q))?.businessDate ?? null;
  const counts = await countArmOutcomes(q, {
    strategyName: input.strategy,
    from: input.from,
    through: input.through,
    windowDays,
    knownThrough,
  });
  return {
    strategy: input.strategy,
    from: input.from,
    through: input.through,
    windowDays,
    knownThrough,
    comparison: armResults(outcomesOf(counts)),
  };
}
