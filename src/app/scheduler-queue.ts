// The scheduler's two DayQueues, chosen by the database kind. PostgreSQL: pg-boss, an established job
// queue in the same database — a "stately" queue holds at most one waiting and one active job per key, so
// of several processes that find the day due, one fetches the job and runs the day's work and the others'
// fetches come back empty; a job whose process died expires and the work is fetched again. PGlite: one
// process owns the data folder, so a flag in this process is the whole exclusion.
//
// The job carries no date: it means "bring the days up to date", and its handler decides afresh which
// dates are due, so a job left waiting while another ran is harmless (it finds nothing due). pg-boss is
// the first guard; runDay's stage claims are the second, and hold even when a job expired under a process
// that is still running it.
//
// Processes starting together on a fresh database all create the queue: pg-boss's createQueue (a table
// row, then a partition with a foreign key to that table) deadlocks when two run at once, so it runs
// under an advisory lock. A start that fails stops pg-boss again (its pool and maintenance timer would
// otherwise keep the process alive after the caller gave up).
import pg from 'pg';
import PgBoss from 'pg-boss';
import type { DayQueue } from './scheduler.ts';

/** The queue of the day's work, and the one key all its jobs share (one active at a time). */
export const DAY_QUEUE_NAME = 'kuan-day';
const dayJobKey = 'days';
/** A job active this long without finishing is taken to have lost its process and is fetched anew. */
const dayJobExpireSeconds = 15 * 60;

export function inProcessDayQueue(): DayQueue {
  let running = false;
  return {
    name: 'in-process',
    async exclusive(work) {
      if (running) return false;
      running = true;
      try {
        await work();
        return true;
      } finally {
        running = false;
      }
    },
    async close() {},
  };
}

/**
 * pg-boss in `schema` of the database at `connectionString` (created and migrated on first start; two
 * connections). `onError` receives pg-boss's background errors (maintenance), which never throw.
 */
export async function pgBossDayQueue(options: {
  connectionString: string;
  schema: string;
  onError: (error: Error) => void;
}): Promise<DayQueue> {
  const boss = new PgBoss({
    connectionString: options.connectionString,
    schema: options.schema,
    max: 2,
    application_name: 'kuan-scheduler',
    // Its own cron clock is not used: the scheduler decides when the day is due, on its injected clock.
    schedule: false,
    supervise: true,
    migrate: true,
  });
  boss.on('error', options.onError);
  try {
    await boss.start();
    await oneAtATime(options, () =>
      boss.createQueue(DAY_QUEUE_NAME, {
        name: DAY_QUEUE_NAME,
        policy: 'stately',
        retryLimit: 0,
        expireInSeconds: dayJobExpireSeconds,
      }),
    );
  } catch (error) {
    await stopAfterFailedStart(boss);
    throw error;
  }
  return {
    name: `pg-boss (schema ${options.schema})`,
    async exclusive(work) {
      // null when a job is already waiting: the fetch below takes that one instead.
      await boss.send(DAY_QUEUE_NAME, {}, { singletonKey: dayJobKey });
      const [job] = await boss.fetch(DAY_QUEUE_NAME, { ignoreStartAfter: true });
      if (job === undefined) return false;
      try {
        await work();
      } catch (error) {
        await boss.fail(DAY_QUEUE_NAME, job.id, { message: error instanceof Error ? error.message : String(error) });
        throw error;
      }
      await boss.complete(DAY_QUEUE_NAME, job.id);
      return true;
    },
    close: () => boss.stop({ graceful: true, wait: true, timeout: 5_000 }),
  };
}

/** Runs `work` while holding a session advisory lock of `schema` (one connection, released by the end). */
async function oneAtATime(
  options: { connectionString: string; schema: string },
  work: () => Promise<void>,
): Promise<void> {
  const client = new pg.Client({ connectionString: options.connectionString, application_name: 'kuan-scheduler' });
  await client.connect();
  try {
    const key = `kuan.scheduler-queue:${options.schema}`;
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
    try {
      await work();
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
    }
  } finally {
    await client.end();
  }
}

/** pg-boss's stop() does nothing for an instance whose start() failed; its pool is then closed directly. */
async function stopAfterFailedStart(boss: PgBoss): Promise<void> {
  await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
  const db = boss.getDb() as { opened?: boolean; close?: () => Promise<void> };
  if (db.opened === true) await db.close?.().catch(() => undefined);
}
