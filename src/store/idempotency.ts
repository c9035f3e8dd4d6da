// Idempotency keys: every command that moves money or contacts a person carries a key; the first
// request under a key is executed and its response stored, a repeat with the same body gets the stored
// response, and a repeat with a different body is rejected as `idempotency_key_reused`. Invariants: a
// request's hash depends only on its content (canonical JSON: keys sorted, bigint kept exact), and a key
// belongs to one request forever.
import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { executorOf, type Queryable } from './db.ts';
import { idempotencyKeys } from './schema.ts';

export const IDEMPOTENCY_KEY_REUSED = 'idempotency_key_reused';

export type IdempotencyBegin =
  /** First time: do the work, then completeIdempotent in the same transaction. */
  | { outcome: 'new' }
  /** Done before with the same body: answer with the stored response. */
  | { outcome: 'replayed'; response: unknown }
  /** Started with the same body but not completed (only visible when begun outside a transaction). */
  | { outcome: 'in_progress' }
  | { outcome: 'rejected'; code: typeof IDEMPOTENCY_KEY_REUSED };

/** SHA-256 (hex) of the canonical JSON of a request body. */
export function requestHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

/** JSON with object keys sorted at every level and bigint written as {"$bigint":"…"}, for hashing. */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'bigint') return JSON.stringify({ $bigint: value.toString() });
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

/**
 * Registers a key for a request. Run it in the command's transaction: a concurrent request with the
 * same key waits on the unique index until this transaction ends, then sees its outcome.
 */
export async function beginIdempotent(
  queryable: Queryable,
  request: { scope: string; key: string; requestHash: string },
): Promise<IdempotencyBegin> {
  const orm = executorOf(queryable);
  const inserted = await orm
    .insert(idempotencyKeys)
    .values({ scope: request.scope, key: request.key, requestHash: request.requestHash })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (inserted.length === 1) return { outcome: 'new' };
  const [existing] = await orm
    .select({ requestHash: idempotencyKeys.requestHash, response: idempotencyKeys.response })
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.scope, request.scope), eq(idempotencyKeys.key, request.key)));
  if (!existing) throw new Error(`invariant violated: idempotency key ${request.scope}/${request.key} vanished`);
  if (existing.requestHash !== request.requestHash) return { outcome: 'rejected', code: IDEMPOTENCY_KEY_REUSED };
  return existing.response === null ? { outcome: 'in_progress' } : { outcome: 'replayed', response: existing.response };
}

/**
 * What a key has answered so far, without registering it (a read): null while the key is unused. Lets a
 * command decide before it writes anything, so a refusal leaves no trace and consumes no key.
 */
export async function peekIdempotent(
  queryable: Queryable,
  request: { scope: string; key: string; requestHash: string },
): Promise<Exclude<IdempotencyBegin, { outcome: 'new' }> | null> {
  const [existing] = await executorOf(queryable)
    .select({ requestHash: idempotencyKeys.requestHash, response: idempotencyKeys.response })
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.scope, request.scope), eq(idempotencyKeys.key, request.key)));
  if (!existing) return null;
  if (existing.requestHash !== request.requestHash) return { outcome: 'rejected', code: IDEMPOTENCY_KEY_REUSED };
  return existing.response === null ? { outcome: 'in_progress' } : { outcome: 'replayed', response: existing.response };
}

/** Stores the response of a request begun with beginIdempotent (not null: null means "in progress"). */
export async function completeIdempotent(
  queryable: Queryable,
  request: { scope: string; key: string; response: unknown },
): Promise<void> {
  if (request.response === null || request.response === undefined) {
    throw new Error('invariant violated: an idempotent response is not null');
  }
  await executorOf(queryable)
    .update(idempotencyKeys)
    .set({ response: sql`${JSON.stringify(request.response)}::jsonb` })
    .where(and(eq(idempotencyKeys.scope, request.scope), eq(idempotencyKeys.key, request.key)));
}
