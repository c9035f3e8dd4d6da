// Publishing the transactional outbox: claims undelivered events in bounded batches, hands each batch to
// every configured sink, then marks it published. Invariants: an event is marked published only after
// every sink accepted its batch (at-least-once delivery: a crash in between publishes the batch again,
// under the same event ids); a sink that fails gives the batch back for a later attempt; with no sink
// configured nothing is claimed, so no event is ever marked published without having gone anywhere.
import type { EventSink, PublishedEvent } from '../channels/index.ts';
import { invariant } from '../errors/index.ts';
import {
  claimOutbox,
  markDispatched,
  OUTBOX_CLAIM_MAX,
  releaseOutbox,
  type Database,
  type OutboxEventRow,
} from '../store/index.ts';
import { LOAN_EVENTS_KIND, loanEventsOf } from './document.ts';

export interface PublishEventsOptions {
  db: Database;
  sinks: readonly EventSink[];
  /** Recorded on the claim, e.g. `${hostname}:${pid}`. */
  workerId: string;
  /** Outbox rows per batch (default 1,000, at most OUTBOX_CLAIM_MAX). */
  batchSize?: number;
  /** Batches in one call (default 10,000); the rest waits for the next call. */
  batchesMax?: number;
  /** Seconds before a batch a sink refused is offered again (default 60). */
  retryAfterSeconds?: number;
}

export interface PublishEventsStats {
  /** Outbox rows delivered (a loan step's row carries several events). */
  rows: number;
  events: number;
  batches: number;
  /** True when no sink is configured: nothing was claimed. */
  noSink: boolean;
}

export const PUBLISH_BATCH_DEFAULT = 1_000;
const publishBatchesMaxDefault = 10_000;

/** The events one outbox row carries, each with its own stable id. */
export function publishedEventsOf(row: OutboxEventRow): PublishedEvent[] {
  const base = { borrowerId: row.borrowerId, loanId: row.loanId, businessDate: row.businessDate };
  if (row.kind !== LOAN_EVENTS_KIND) return [{ id: row.eventId, kind: row.kind, ...base, payload: row.payload }];
  return loanEventsOf(row).map((event) => ({ id: event.eventId, kind: event.kind, ...base, payload: event.payload }));
}

export async function publishEvents(options: PublishEventsOptions): Promise<PublishEventsStats> {
  const { db, sinks, workerId } = options;
  const batchSize = options.batchSize ?? PUBLISH_BATCH_DEFAULT;
  invariant(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= OUTBOX_CLAIM_MAX, 'publish batch in range');
  const stats: PublishEventsStats = { rows: 0, events: 0, batches: 0, noSink: sinks.length === 0 };
  if (sinks.length === 0) return stats;
  const batchesMax = options.batchesMax ?? publishBatchesMaxDefault;
  for (let batch = 0; batch < batchesMax; batch += 1) {
    const rows = await claimOutbox(db, { limit: batchSize, workerId });
    if (rows.length === 0) break;
    const keys = rows.map((row) => ({ borrowerId: row.borrowerId, eventId: row.eventId }));
    const events = rows.flatMap(publishedEventsOf);
    try {
      for (const sink of sinks) await sink.publish(events);
    } catch (error) {
      await releaseOutbox(db, keys, { retryAfterSeconds: options.retryAfterSeconds ?? 60 });
      throw error;
    }
    await markDispatched(db, keys);
    stats.rows += rows.length;
    stats.events += events.length;
    stats.batches += 1;
    if (rows.length < batchSize) break;
  }
  return stats;
}
