// The lender's day, stage by stage: one row per (business date, stage) saying whether the stage is
// running, completed or failed, with its counts. Invariants: a completed stage is never started again for
// its date (the caller skips it); a running or failed one is started again (attempts + 1), which is safe
// because every stage is idempotent in itself — a stage killed part-way is simply run once more. While a
// stage runs, its claim (withDayStageClaim) keeps every other process from starting it: a row that is
// `running` is taken over only by a run that holds the claim, i.e. after its holder died or finished.
import { sql } from 'drizzle-orm';
import type { IsoDate } from '../calendar/index.ts';
import { invariant } from '../errors/index.ts';
import { queryRows, type Database, type Queryable } from './db.ts';
import { toDate, toInstant, toInstantOrNull, toInteger, toTextOrNull } from './rows.ts';

export type DayStageStatus = 'running' | 'completed' | 'failed';

export interface DayRunRow {
  businessDate: IsoDate;
  stage: string;
  status: DayStageStatus;
  attempts: number;
  startedAt: string;
  finishedAt: string | null;
  counts: Record<string, unknown>;
  error: string | null;
}

export const DAY_RUNS_PAGE_MAX = 1_000;

/** The first key of Kuan's advisory locks ("KUAN"); the second is a hash of the schema, date and stage. */
const DAY_STAGE_LOCK_CLASS = 0x4b55414e;

/** Stage claims held in this process, per database handle (PGlite: the only process on its data). */
const claimsInProcess = new WeakMap<Database, Set<string>>();

/**
 * Runs `work` holding the claim on a stage of a date, or resolves `{ claimed: false }` at once without
 * running it when another run holds that claim. PostgreSQL: a transaction-scoped advisory lock, taken in a
 * transaction that stays open (on one pooled connection, doing nothing else) until `work` ends, so the
 * claim ends with the work, or with the process's connection when the process dies — never held by a dead
 * run, never needing a lease to expire. PGlite: one process owns the data folder (its lock file), so a
 * claim in this process's memory is enough — and an open transaction there would block `work` itself.
 */
export async function withDayStageClaim<T>(
  db: Database,
  key: { businessDate: IsoDate; stage: string },
  work: () => Promise<T>,
): Promise<{ claimed: true; value: T } | { claimed: false }> {
  const name = `${key.businessDate}:${key.stage}`;
  if (db.kind === 'pglite') {
    const held = claimsInProcess.get(db) ?? new Set<string>();
    claimsInProcess.set(db, held);
    if (held.has(name)) return { claimed: false };
    held.add(name);
    try {
      return { claimed: true, value: await work() };
    } finally {
      held.delete(name);
    }
  }
  return db.transaction(async (tx) => {
    // The schema is part of the key: test schemas (and several books) share one database's lock space.
    const [row] = await queryRows<{ locked: boolean }>(
      tx,
      sql`SELECT pg_try_advisory_xact_lock(${DAY_STAGE_LOCK_CLASS}, hashtext(current_schema() || ':' || ${name})) AS locked`,
    );
    if (row?.locked !== true) return { claimed: false } as const;
    return { claimed: true, value: await work() } as const;
  });
}

/**
 * Starts a stage for its date: `started` is false (and the row returned as it is) when the stage has
 * already completed; otherwise the row is (re)marked running and its attempts counted.
 */
export async function startDayStage(
  queryable: Queryable,
  key: { businessDate: IsoDate; stage: string },
): Promise<{ run: DayRunRow; started: boolean }> {
  const [started] = await queryRows<Record<string, unknown>>(
    queryable,
    sql`INSERT INTO day_runs (business_date, stage, status) VALUES (${key.businessDate}::date, ${key.stage}, 'running')
        ON CONFLICT (business_date, stage) DO UPDATE
          SET status = 'running', attempts = day_runs.attempts + 1, started_at = now(), finished_at = NULL, error = NULL
          WHERE day_runs.status <> 'completed'
        RETURNING *`,
  );
  if (started) return { run: toDayRunRow(started), started: true };
  const existing = await getDayStage(queryable, key);
  invariant(existing !== undefined, `day run ${key.businessDate} ${key.stage} exists after a conflicting insert`);
  return { run: existing, started: false };
}

/** Ends a stage as completed (with its counts) or failed (with the error's message). */
export async function finishDayStage(
  queryable: Queryable,
  finish: { businessDate: IsoDate; stage: string; status: 'completed' | 'failed'; counts?: object; error?: string },
): Promise<DayRunRow> {
  const [row] = await queryRows<Record<string, unknown>>(
    queryable,
    sql`UPDATE day_runs SET status = ${finish.status}, finished_at = now(),
          counts = ${JSON.stringify(finish.counts ?? {})}::jsonb, error = ${finish.error ?? null}
        WHERE business_date = ${finish.businessDate}::date AND stage = ${finish.stage}
        RETURNING *`,
  );
  invariant(row !== undefined, `day run ${finish.businessDate} ${finish.stage} was started before it is finished`);
  return toDayRunRow(row);
}

export async function getDayStage(
  queryable: Queryable,
  key: { businessDate: IsoDate; stage: string },
): Promise<DayRunRow | undefined> {
  const [row] = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT * FROM day_runs WHERE business_date = ${key.businessDate}::date AND stage = ${key.stage}`,
  );
  return row ? toDayRunRow(row) : undefined;
}

/** The stages of the latest `days` business dates (or of one date), newest date first, stages by start. */
export async function listDayRuns(
  queryable: Queryable,
  options: { businessDate?: IsoDate; days?: number } = {},
): Promise<DayRunRow[]> {
  const days = options.days ?? 30;
  invariant(Number.isInteger(days) && days >= 1 && days <= DAY_RUNS_PAGE_MAX, `days 1…${DAY_RUNS_PAGE_MAX}`);
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    options.businessDate === undefined
      ? sql`SELECT * FROM day_runs WHERE business_date IN (
              SELECT DISTINCT business_date FROM day_runs ORDER BY business_date DESC LIMIT ${days})
            ORDER BY business_date DESC, started_at, stage`
      : sql`SELECT * FROM day_runs WHERE business_date = ${options.businessDate}::date ORDER BY started_at, stage`,
  );
  return rows.map(toDayRunRow);
}

function toDayRunRow(row: Record<string, unknown>): DayRunRow {
  return {
    businessDate: toDate(row.business_date),
    stage: String(row.stage),
    status: String(row.status) as DayStageStatus,
    attempts: toInteger(row.attempts),
    startedAt: toInstant(row.started_at),
    finishedAt: toInstantOrNull(row.finished_at),
    counts: (typeof row.counts === 'string' ? JSON.parse(row.counts) : row.counts) as Record<string, unknown>,
    error: toTextOrNull(row.error),
  };
}

/**
 * The earliest instant at or before `throughMs` at which an open contact of these channels can be claimed
 * (its due time, or the end of a live claim on it), or undefined when none: the next tick of a replayed
 * day's dispatch clock.
 */
export async function nextClaimableContactAt(
  queryable: Queryable,
  options: { throughMs: number; channels: readonly string[] },
): Promise<number | undefined> {
  const through = new Date(options.throughMs).toISOString();
  const [row] = await queryRows<{ at: unknown }>(
    queryable,
    sql`SELECT min(greatest(due_at, coalesce(claimed_until, due_at))) AS at FROM contacts
        WHERE status IN ('planned', 'deferred', 'sending') AND due_at <= ${through}::timestamptz
          AND coalesce(claimed_until, due_at) <= ${through}::timestamptz
          AND channel IN (SELECT jsonb_array_elements_text(${JSON.stringify(options.channels)}::jsonb))`,
  );
  return row?.at === null || row?.at === undefined ? undefined : Date.parse(toInstant(row.at));
}

/** The latest business date whose `lastStage` completed (its whole day), or undefined before any did. */
export async function lastCompletedDayDate(
  queryable: Queryable,
  options: { lastStage: string },
): Promise<IsoDate | undefined> {
  const [row] = await queryRows<{ date: unknown }>(
    queryable,
    sql`SELECT max(business_date) AS date FROM day_runs WHERE stage = ${options.lastStage} AND status = 'completed'`,
  );
  return row?.date === null || row?.date === undefined ? undefined : toDate(row.date);
}

/** A scheduler process's heartbeat rows are deleted once this old (the process is long gone). */
const SCHEDULER_HEARTBEAT_KEEP_MS = 7 * 86_400_000;

export interface SchedulerHeartbeat {
  workerId: string;
  startedAt: string;
  beatAt: string;
}

/**
 * Records that the scheduler `workerId` is alive at `atMs` (its clock), and deletes the rows of
 * schedulers silent for a week, so the table stays about as small as the number of schedulers.
 */
export async function recordSchedulerBeat(
  queryable: Queryable,
  beat: { workerId: string; atMs: number },
): Promise<void> {
  const at = new Date(beat.atMs).toISOString();
  const keepAfter = new Date(beat.atMs - SCHEDULER_HEARTBEAT_KEEP_MS).toISOString();
  await queryRows(
    queryable,
    sql`INSERT INTO scheduler_heartbeats (worker_id, started_at, beat_at) VALUES (${beat.workerId}, ${at}::timestamptz, ${at}::timestamptz)
        ON CONFLICT (worker_id) DO UPDATE SET beat_at = excluded.beat_at`,
  );
  await queryRows(queryable, sql`DELETE FROM scheduler_heartbeats WHERE beat_at < ${keepAfter}::timestamptz`);
}

/** One scheduler's heartbeat, or (without `workerId`) the most recent of any scheduler; undefined when none. */
export async function latestSchedulerBeat(
  queryable: Queryable,
  options: { workerId?: string } = {},
): Promise<SchedulerHeartbeat | undefined> {
  const [row] = await queryRows<Record<string, unknown>>(
    queryable,
    options.workerId === undefined
      ? sql`SELECT * FROM scheduler_heartbeats ORDER BY beat_at DESC LIMIT 1`
      : sql`SELECT * FROM scheduler_heartbeats WHERE worker_id = ${options.workerId}`,
  );
  return row === undefined
    ? undefined
    : { workerId: String(row.worker_id), startedAt: toInstant(row.started_at), beatAt: toInstant(row.beat_at) };
}
