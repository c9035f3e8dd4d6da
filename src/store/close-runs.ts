// Daily close runs: one row per business date saying whether its close is running, completed or
// failed, with the runner's statistics. Invariants: a business date has one run row; starting a date
// that is running or completed starts nothing new (the caller resumes or skips), and only a failed run
// can be started again.
import { desc, eq, sql } from 'drizzle-orm';
import type { IsoDate } from '../calendar/index.ts';
import { invariant } from '../errors/index.ts';
import { executorOf, type Queryable } from './db.ts';
import { toInstant, toInstantOrNull } from './rows.ts';
import { eodRuns } from './schema.ts';

export type EodRunStatus = 'running' | 'completed' | 'failed';

export interface EodRunRow {
  businessDate: IsoDate;
  status: EodRunStatus;
  startedAt: string;
  finishedAt: string | null;
  stats: Record<string, unknown>;
}

/**
 * Starts the run for a business date: `started` is true when this call created it or restarted a
 * failed one; otherwise the existing run (running: resume it; completed: nothing to do) is returned.
 */
export async function startEodRun(
  queryable: Queryable,
  businessDate: IsoDate,
): Promise<{ run: EodRunRow; started: boolean }> {
  const orm = executorOf(queryable);
  const [started] = await orm
    .insert(eodRuns)
    .values({ businessDate, status: 'running', stats: {} })
    .onConflictDoUpdate({
      target: eodRuns.businessDate,
      set: { status: 'running', startedAt: sql`now()`, finishedAt: null },
      setWhere: eq(eodRuns.status, 'failed'),
    })
    .returning();
  if (started) return { run: toEodRunRow(started), started: true };
  const existing = await getEodRun(orm, businessDate);
  invariant(existing !== undefined, `eod run ${businessDate} exists after a conflicting insert`);
  return { run: existing, started: false };
}

/** Ends a run as completed or failed; stats (if given) are merged into the run's stats. */
export async function finishEodRun(
  queryable: Queryable,
  finish: { businessDate: IsoDate; status: 'completed' | 'failed'; stats?: Record<string, unknown> },
): Promise<EodRunRow> {
  const [row] = await executorOf(queryable)
    .update(eodRuns)
    .set({
      status: finish.status,
      finishedAt: sql`now()`,
      stats: sql`${eodRuns.stats} || ${JSON.stringify(finish.stats ?? {})}::jsonb`,
    })
    .where(eq(eodRuns.businessDate, finish.businessDate))
    .returning();
  invariant(row !== undefined, `eod run ${finish.businessDate} was started before it is finished`);
  return toEodRunRow(row);
}

/** Merges keys into a run's stats (top level), e.g. one key per worker so workers do not overwrite each other. */
export async function mergeEodRunStats(
  queryable: Queryable,
  businessDate: IsoDate,
  stats: Record<string, unknown>,
): Promise<void> {
  await executorOf(queryable)
    .update(eodRuns)
    .set({ stats: sql`${eodRuns.stats} || ${JSON.stringify(stats)}::jsonb` })
    .where(eq(eodRuns.businessDate, businessDate));
}

export async function getEodRun(queryable: Queryable, businessDate: IsoDate): Promise<EodRunRow | undefined> {
  const [row] = await executorOf(queryable).select().from(eodRuns).where(eq(eodRuns.businessDate, businessDate));
  return row ? toEodRunRow(row) : undefined;
}

/** The latest business date whose close completed. */
export async function lastCompletedEodRun(queryable: Queryable): Promise<EodRunRow | undefined> {
  const [row] = await executorOf(queryable)
    .select()
    .from(eodRuns)
    .where(eq(eodRuns.status, 'completed'))
    .orderBy(desc(eodRuns.businessDate))
    .limit(1);
  return row ? toEodRunRow(row) : undefined;
}

function toEodRunRow(row: typeof eodRuns.$inferSelect): EodRunRow {
  return {
    businessDate: row.businessDate,
    status: row.status as EodRunStatus,
    startedAt: toInstant(row.startedAt),
    finishedAt: toInstantOrNull(row.finishedAt),
    stats: row.stats as Record<string, unknown>,
  };
}
