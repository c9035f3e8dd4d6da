// What an operator's probes and metrics read from the store. Readiness: one trivial statement. Metrics
// (GET /metrics), on a scrape: aggregates only, each one statement, none holding a lock a writer waits
// for. Costs on PostgreSQL (no index serves a count by status of a whole table): loans and contacts are
// one sequential scan each, linear in the book and in the contact history, so the caller limits how often
// it runs them (src/api/metrics.ts); the outbox and the case queue read only their open rows (through
// their partial indexes); the day's stages read the newest date's rows of day_runs (a small table).
import { sql } from 'drizzle-orm';
import { queryRows, type Queryable } from './db.ts';
import { toDate, toInteger, toText } from './rows.ts';

export interface OperationsSnapshot {
  loans: { status: string; bucket: string; count: number }[];
  /** Contacts by channel and status; `rule` is the gate rule (first word of the last reason) of held-back ones. */
  contacts: { channel: string; status: string; rule: string; count: number }[];
  /** Age in seconds of the oldest event not yet delivered (0 when none waits). */
  outboxOldestSeconds: number;
  outboxPending: number;
  /** Open collection cases with no agent assigned, and the age of the oldest (by opening date) in seconds. */
  queueDepth: number;
  queueOldestSeconds: number;
  /** The newest business date's stages (empty before any day ran). */
  dayStages: {
    businessDate: string;
    stage: string;
    status: string;
    attempts: number;
    seconds: number | null;
    counts: Record<string, unknown>;
  }[];
  /** Epoch seconds at which the last whole day (its `lastStage`) finished, or null before any did. */
  lastDayFinishedSeconds: number | null;
}

/** One trivial statement: the database answers (readiness). */
export async function pingDatabase(queryable: Queryable): Promise<void> {
  await queryRows(queryable, sql`SELECT 1`);
}

/** A rule name as the gate writes it, or `other`: keeps the label set bounded whatever a reason says. */
const rulePattern = /^[a-z][a-z0-9_]{0,39}$/;

export async function operationsSnapshot(
  queryable: Queryable,
  options: { nowMs: number; lastStage: string },
): Promise<OperationsSnapshot> {
  const now = new Date(options.nowMs).toISOString();
  const loans = await queryRows<{ status: unknown; bucket: unknown; count: unknown }>(
    queryable,
    sql`SELECT status, bucket, count(*) AS count FROM loans GROUP BY status, bucket`,
  );
  const contacts = await queryRows<{ channel: unknown; status: unknown; rule: unknown; count: unknown }>(
    queryable,
    sql`SELECT channel, status,
               CASE WHEN status IN ('suppressed', 'deferred')
                    THEN coalesce(split_part(reasons->>(jsonb_array_length(reasons) - 1), ' ', 1), '') ELSE '' END AS rule,
               count(*) AS count
        FROM contacts GROUP BY 1, 2, 3`,
  );
  const [outbox] = await queryRows<{ oldest: unknown; pending: unknown }>(
    queryable,
    sql`SELECT coalesce(extract(epoch FROM ${now}::timestamptz - min(created_at)), 0) AS oldest, count(*) AS pending
        FROM outbox WHERE dispatched_at IS NULL`,
  );
  const [queue] = await queryRows<{ oldest: unknown; depth: unknown }>(
    queryable,
    sql`SELECT coalesce(extract(epoch FROM ${now}::timestamptz - min(opened_on)::timestamptz), 0) AS oldest, count(*) AS depth
        FROM cases WHERE status = 'open' AND assigned_agent_id IS NULL`,
  );
  const stages = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT business_date, stage, status, attempts, counts,
               extract(epoch FROM finished_at - started_at) AS seconds
        FROM day_runs WHERE business_date = (SELECT max(business_date) FROM day_runs)`,
  );
  const [last] = await queryRows<{ at: unknown }>(
    queryable,
    sql`SELECT extract(epoch FROM max(finished_at)) AS at FROM day_runs
        WHERE stage = ${options.lastStage} AND status = 'completed'`,
  );
  const rules = new Map<string, { channel: string; status: string; rule: string; count: number }>();
  for (const row of contacts) {
    const raw = toText(row.rule);
    const rule = raw === '' || rulePattern.test(raw) ? raw : 'other';
    const key = `${toText(row.channel)}\u0000${toText(row.status)}\u0000${rule}`;
    const entry = rules.get(key) ?? { channel: toText(row.channel), status: toText(row.status), rule, count: 0 };
    entry.count += toInteger(row.count);
    rules.set(key, entry);
  }
  return {
    loans: loans.map((row) => ({
      status: toText(row.status),
      bucket: toText(row.bucket),
      count: toInteger(row.count),
    })),
    contacts: [...rules.values()],
    outboxOldestSeconds: Math.max(0, Number(outbox?.oldest ?? 0)),
    outboxPending: toInteger(outbox?.pending ?? 0),
    queueDepth: toInteger(queue?.depth ?? 0),
    queueOldestSeconds: Math.max(0, Number(queue?.oldest ?? 0)),
    dayStages: stages.map((row) => ({
      businessDate: toDate(row.business_date),
      stage: toText(row.stage),
      status: toText(row.status),
      attempts: toInteger(row.attempts),
      seconds: row.seconds === null || row.seconds === undefined ? null : Number(row.seconds),
      counts: (typeof row.counts === 'string' ? JSON.parse(row.counts) : row.counts) as Record<string, unknown>,
    })),
    lastDayFinishedSeconds: last?.at === null || last?.at === undefined ? null : Number(last.at),
  };
}
