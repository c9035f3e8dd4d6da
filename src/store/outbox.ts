// The transactional outbox: events (contacts to plan, debits to present, notices to send) written in the
// same transaction as the state change that caused them, then handed to dispatchers. Invariants: an
// event id is deterministic and unique per borrower, so writing the same event again (a rerun of the
// close) inserts nothing; an event is claimed by one dispatcher at a time (FOR UPDATE SKIP LOCKED plus a
// lease), and a claim whose lease ran out (a dispatcher that died) can be claimed again — delivery is at
// least once, so a channel deduplicates by event id. A row may carry several events of one cause: the
// daily close and the payment path write one `loan_events` row per loan step (src/app/document.ts
// loanEventsOf splits it into events with their own ids), rather than a row per event.
import { sql } from 'drizzle-orm';
import type { IsoDate } from '../calendar/index.ts';
import { invariant } from '../errors/index.ts';
import { executeStatement, queryRows, type Queryable } from './db.ts';
import { borrowerHash, partitionRange, type Partition } from './partition.ts';
import {
  assertUniqueKeys,
  batchDocument,
  batchRows,
  BATCH_ROWS_MAX,
  chunks,
  toDate,
  toInstant,
  toInstantOrNull,
  toInteger,
  toText,
  toTextOrNull,
} from './rows.ts';

export interface NewOutboxEvent {
  borrowerId: string;
  /** Deterministic, e.g. `${loanId}:${businessDate}:${kind}`; unique per borrower. */
  eventId: string;
  kind: string;
  loanId: string | null;
  businessDate: IsoDate;
  /** JSON-serialisable. */
  payload: unknown;
  /** Not to be dispatched before this instant (ISO-8601); default: at once. */
  availableAt?: string;
}

export interface OutboxEventRow {
  borrowerId: string;
  eventId: string;
  kind: string;
  loanId: string | null;
  businessDate: IsoDate;
  borrowerHash: number;
  payload: unknown;
  createdAt: string;
  availableAt: string;
  /** Claims so far, this one included. */
  attempts: number;
  claimedBy: string | null;
  claimedAt: string | null;
  dispatchedAt: string | null;
}

export interface OutboxKey {
  borrowerId: string;
  eventId: string;
}

export interface ClaimOutboxOptions {
  /** 1 … OUTBOX_CLAIM_MAX. */
  limit: number;
  /** Who claims (recorded in claimed_by), e.g. `${hostname}:${pid}`. */
  workerId: string;
  /** How long a claim holds before another dispatcher may take the event over. Default 300. */
  leaseSeconds?: number;
  /** Only this worker's share of borrowers (to keep one borrower's events with one dispatcher). */
  partition?: Partition;
  /** Only these kinds. */
  kinds?: readonly string[];
}

export const OUTBOX_CLAIM_MAX = 10_000;

const outboxColumns = sql.raw(
  'o.borrower_id, o.event_id, o.kind, o.loan_id, o.business_date, o.borrower_hash, o.payload, o.created_at, o.available_at, o.attempts, o.claimed_by, o.claimed_at, o.dispatched_at',
);

/**
 * Adds events; an event whose (borrower, event id) exists already is ignored, or with `duplicates:
 * 'refuse'` fails the statement (for callers whose ids are new by construction, which then skip the
 * conflict check). Returns how many were new.
 */
export async function enqueueOutbox(
  queryable: Queryable,
  events: readonly NewOutboxEvent[],
  options: { duplicates?: 'ignore' | 'refuse' } = {},
): Promise<number> {
  assertUniqueKeys(events, (event) => `${event.borrowerId}/${event.eventId}`, 'outbox event');
  let inserted = 0;
  for (const chunk of chunks(events, BATCH_ROWS_MAX)) {
    const rows = batchRows(
      chunk.map((event) => [
        event.borrowerId,
        event.eventId,
        event.kind,
        event.loanId,
        event.businessDate,
        borrowerHash(event.borrowerId),
        event.payload,
        event.availableAt ?? null,
      ]),
    );
    inserted += await executeStatement(
      queryable,
      sql`INSERT INTO outbox (borrower_id, event_id, kind, loan_id, business_date, borrower_hash, payload, available_at)
          SELECT e->>0, e->>1, e->>2, e->>3, (e->>4)::date, (e->>5)::integer, e->6,
                 coalesce((e->>7)::timestamptz, now())
          FROM jsonb_array_elements(${rows}::jsonb) AS e
          ${options.duplicates === 'refuse' ? sql`` : sql`ON CONFLICT (borrower_id, event_id) DO NOTHING`}`,
    );
  }
  return inserted;
}

/**
 * Claims up to `limit` undispatched events that are available and not under a live claim, oldest
 * first, and returns them. One statement: safe to call on the database handle from many processes.
 */
export async function claimOutbox(queryable: Queryable, options: ClaimOutboxOptions): Promise<OutboxEventRow[]> {
  const { limit, workerId, leaseSeconds = 300, partition, kinds } = options;
  invariant(
    Number.isInteger(limit) && limit >= 1 && limit <= OUTBOX_CLAIM_MAX,
    `outbox claim limit 1…${OUTBOX_CLAIM_MAX}`,
  );
  invariant(leaseSeconds > 0, 'the outbox lease is positive');
  invariant(workerId.length > 0, 'an outbox claim names its worker');
  const range = partition ? partitionRange(partition) : undefined;
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`UPDATE outbox AS o
        SET claimed_by = ${workerId}, claimed_at = now(), attempts = o.attempts + 1
        FROM (
          SELECT borrower_id, event_id FROM outbox
          WHERE dispatched_at IS NULL AND available_at <= now()
            AND (claimed_at IS NULL OR claimed_at < now() - make_interval(secs => ${leaseSeconds}))
            ${range ? sql`AND borrower_hash BETWEEN ${range.low} AND ${range.high}` : sql``}
            ${kinds ? sql`AND kind IN (SELECT jsonb_array_elements_text(${JSON.stringify(kinds)}::jsonb))` : sql``}
          ORDER BY available_at, borrower_id, event_id
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED
        ) AS claimed
        WHERE o.borrower_id = claimed.borrower_id AND o.event_id = claimed.event_id
        RETURNING ${outboxColumns}`,
  );
  return rows
    .map(toOutboxRow)
    .sort(
      (a, b) =>
        compare(a.availableAt, b.availableAt) || compare(a.borrowerId, b.borrowerId) || compare(a.eventId, b.eventId),
    );
}

/** Records events as delivered; returns how many were not already. */
export async function markDispatched(queryable: Queryable, events: readonly OutboxKey[]): Promise<number> {
  return updateByKeys(queryable, events, sql`dispatched_at = now()`);
}

/**
 * Gives claimed events back after a failed delivery, to be claimed again no earlier than
 * retryAfterSeconds from now (a back-off the caller chooses from the attempts count).
 */
export async function releaseOutbox(
  queryable: Queryable,
  events: readonly OutboxKey[],
  options: { retryAfterSeconds: number },
): Promise<number> {
  invariant(options.retryAfterSeconds >= 0, 'the retry delay is not negative');
  return updateByKeys(
    queryable,
    events,
    sql`claimed_by = NULL, claimed_at = NULL, available_at = now() + make_interval(secs => ${options.retryAfterSeconds})`,
  );
}

/** One event by key (for tests, the console and receipts). */
export async function getOutboxEvent(queryable: Queryable, key: OutboxKey): Promise<OutboxEventRow | undefined> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT ${outboxColumns} FROM outbox AS o WHERE o.borrower_id = ${key.borrowerId} AND o.event_id = ${key.eventId}`,
  );
  return rows[0] ? toOutboxRow(rows[0]) : undefined;
}

/** Events not yet dispatched (claimed or not). */
export async function countPendingOutbox(queryable: Queryable): Promise<number> {
  const rows = await queryRows<{ count: unknown }>(
    queryable,
    sql`SELECT count(*) AS count FROM outbox WHERE dispatched_at IS NULL`,
  );
  return toInteger(rows[0]?.count ?? 0);
}

async function updateByKeys(
  queryable: Queryable,
  events: readonly OutboxKey[],
  assignments: ReturnType<typeof sql>,
): Promise<number> {
  let updated = 0;
  for (const chunk of chunks(events, BATCH_ROWS_MAX)) {
    const document = batchDocument(chunk.map((event) => ({ borrower_id: event.borrowerId, event_id: event.eventId })));
    updated += await executeStatement(
      queryable,
      sql`UPDATE outbox AS o SET ${assignments}
          FROM jsonb_to_recordset(${document}::jsonb) AS v(borrower_id text, event_id text)
          WHERE o.borrower_id = v.borrower_id AND o.event_id = v.event_id AND o.dispatched_at IS NULL`,
    );
  }
  return updated;
}

function toOutboxRow(row: Record<string, unknown>): OutboxEventRow {
  return {
    borrowerId: toText(row.borrower_id),
    eventId: toText(row.event_id),
    kind: toText(row.kind),
    loanId: toTextOrNull(row.loan_id),
    businessDate: toDate(row.business_date),
    borrowerHash: toInteger(row.borrower_hash),
    payload: row.payload,
    createdAt: toInstant(row.created_at),
    availableAt: toInstant(row.available_at),
    attempts: toInteger(row.attempts),
    claimedBy: toTextOrNull(row.claimed_by),
    claimedAt: toInstantOrNull(row.claimed_at),
    dispatchedAt: toInstantOrNull(row.dispatched_at),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
