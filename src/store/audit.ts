// The audit log (migration 0006): an append-only, hash-chained record of every staff action and every
// read of borrower personal data. Row n stores prev_hash = hash of row n − 1 (64 zeros for row 1) and
// hash = SHA-256(prev_hash + "\n" + canonical JSON of its content); audit_head holds the last seq and
// hash. Invariants: rows are numbered 1, 2, 3 … without gaps in commit order (an append moves the head
// from the value it chained onto, in the statement that inserts its rows); a row is never updated or
// deleted (a trigger refuses it); what is hashed is exactly what is stored (text is made well-formed and
// NUL-free, numbers that JSON cannot round-trip become strings, before hashing); verifyAuditChain
// recomputes every hash and names the first row that disagrees.
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { invariant } from '../errors/index.ts';
import { executeStatement, queryRows, type Database, type Queryable } from './db.ts';
import { canonicalJson } from './idempotency.ts';
import { batchDocument, toInstant, toInteger, toText, toTextOrNull } from './rows.ts';

export const auditActorKinds = ['staff', 'borrower', 'anonymous', 'system'] as const;
export type AuditActorKind = (typeof auditActorKinds)[number];

/** The prev_hash of row 1. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);
/** Rows per appendAudit call. */
export const AUDIT_APPEND_MAX = 1_000;
/** Rows per page read by verifyAuditChain and listAudit. */
export const AUDIT_PAGE_MAX = 5_000;
/** A row's detail larger than this (as JSON) is replaced by a note saying so. */
export const AUDIT_DETAIL_BYTES_MAX = 8 * 1024;

const textLengthMax = { actorId: 200, action: 100, resource: 500, subjectBorrowerId: 200 } as const;

export interface AuditEntry {
  /** When it happened (the caller's clock), epoch milliseconds. */
  atMs: number;
  actorKind: AuditActorKind;
  /** The staff username, the borrower id, or a description ("ip 127.0.0.1") for anonymous actors. */
  actorId: string;
  /** What was done, e.g. `POST /api/v1/loans/{loanId}/payments`, `staff.sign_in`, `borrower.read`. */
  action: string;
  /** What it was done to, e.g. `/api/v1/loans/L1/payments`. */
  resource: string;
  /** The borrower whose data this is about, if any. */
  subjectBorrowerId: string | null;
  /** The HTTP status it ended with; 0 when not an HTTP request. */
  outcome: number;
  /** JSON object: request id, client address, ids returned, … */
  detail: Record<string, unknown>;
}

export interface AuditRow extends Omit<AuditEntry, 'atMs'> {
  seq: number;
  /** ISO-8601 UTC, millisecond precision: what the hash covers. */
  at: string;
  prevHash: string;
  hash: string;
}

export type AuditVerification =
  | { ok: true; rowsChecked: number; headSeq: number; headHash: string }
  | { ok: false; rowsChecked: number; brokenSeq: number; reason: string };

/**
 * The chain's head as this process last wrote or read it, per database: a guess that spares reading it
 * before each append (appendAudit checks it in the same statement, and reads the head when it was wrong).
 */
const knownHeads = new WeakMap<Database, { seq: number; hash: string }>();
/** Appends retried against a head that moved (another process appended in between) before giving up. */
const APPEND_ATTEMPTS_MAX = 20;

async function readAuditHead(db: Database): Promise<{ seq: number; hash: string }> {
  const [head] = await queryRows<{ seq: unknown; hash: unknown }>(
    db,
    sql`SELECT seq, hash FROM audit_head WHERE id = 1`,
  );
  invariant(head !== undefined, 'audit_head has its row (migration 0006)');
  return { seq: toInteger(head.seq), hash: toText(head.hash) };
}

/**
 * Appends entries, in the order given, in one statement: the rows chained onto the head this process
 * knows, inserted only if the head still is that (compare-and-set on audit_head, which also orders
 * concurrent appenders: one waits for the other's row lock, then finds the head moved and chains again
 * onto the new one). Returns the stored rows.
 */
export async function appendAudit(db: Database, entries: readonly AuditEntry[]): Promise<AuditRow[]> {
  invariant(entries.length <= AUDIT_APPEND_MAX, `at most ${AUDIT_APPEND_MAX} audit rows per append`);
  if (entries.length === 0) return [];
  const contents = entries.map(sanitiseEntry);
  // One append at a time per process and database: callers here queue rather than race for the head
  // (only another process can move it under an append).
  const previous = appendsInFlight.get(db) ?? Promise.resolve();
  const appended = previous.catch(() => undefined).then(() => appendChained(db, contents));
  appendsInFlight.set(db, appended);
  try {
    return await appended;
  } finally {
    if (appendsInFlight.get(db) === appended) appendsInFlight.delete(db);
  }
}

const appendsInFlight = new WeakMap<Database, Promise<AuditRow[]>>();

async function appendChained(db: Database, contents: readonly ReturnType<typeof sanitiseEntry>[]): Promise<AuditRow[]> {
  for (let attempt = 1; ; attempt += 1) {
    const head = knownHeads.get(db) ?? (await readAuditHead(db));
    let prevHash = head.hash;
    const rows: AuditRow[] = contents.map((entry, index) => {
      const content = auditContentOf({ ...entry, seq: head.seq + index + 1 });
      const hash = auditRowHash(prevHash, content);
      const row: AuditRow = { ...content, prevHash, hash };
      prevHash = hash;
      return row;
    });
    const last = rows.at(-1)!;
    const inserted = await executeStatement(
      db,
      sql`WITH moved AS (
            UPDATE audit_head SET seq = ${last.seq}, hash = ${last.hash}
            WHERE id = 1 AND seq = ${head.seq} AND hash = ${head.hash}
            RETURNING 1
          )
          INSERT INTO audit_log (seq, at, actor_kind, actor_id, action, resource, subject_borrower_id, outcome,
                                 detail, prev_hash, hash)
          SELECT seq, at, actor_kind, actor_id, action, resource, subject_borrower_id, outcome, detail,
                 prev_hash, hash
          FROM jsonb_to_recordset(${batchDocument(
            rows.map((row) => ({
              seq: row.seq,
              at: row.at,
              actor_kind: row.actorKind,
              actor_id: row.actorId,
              action: row.action,
              resource: row.resource,
              subject_borrower_id: row.subjectBorrowerId,
              outcome: row.outcome,
              detail: row.detail,
              prev_hash: row.prevHash,
              hash: row.hash,
            })),
          )}::jsonb) AS v(seq bigint, at timestamptz, actor_kind text, actor_id text, action text, resource text,
               subject_borrower_id text, outcome integer, detail jsonb, prev_hash text, hash text)
          WHERE EXISTS (SELECT 1 FROM moved)`,
    );
    if (inserted === rows.length) {
      knownHeads.set(db, { seq: last.seq, hash: last.hash });
      return rows;
    }
    invariant(inserted === 0, 'an audit append lands whole or not at all');
    knownHeads.delete(db);
    invariant(attempt < APPEND_ATTEMPTS_MAX, `the audit head moved under ${APPEND_ATTEMPTS_MAX} appends in a row`);
  }
}

/** The hashed part of a row, with its keys in a fixed order. */
function auditContentOf(
  entry: Omit<AuditEntry, 'atMs'> & { at: string; seq: number },
): Omit<AuditRow, 'prevHash' | 'hash'> {
  return {
    seq: entry.seq,
    at: entry.at,
    actorKind: entry.actorKind,
    actorId: entry.actorId,
    action: entry.action,
    resource: entry.resource,
    subjectBorrowerId: entry.subjectBorrowerId,
    outcome: entry.outcome,
    detail: entry.detail,
  };
}

/** SHA-256 hex of the previous hash, a newline and the canonical JSON of the row's content. */
export function auditRowHash(prevHash: string, content: Omit<AuditRow, 'prevHash' | 'hash'>): string {
  return createHash('sha256')
    .update(`${prevHash}\n${canonicalJson(auditContentOf(content))}`)
    .digest('hex');
}

/** NUL (PostgreSQL text refuses it) and UTF-16 surrogates without their pair (jsonb refuses them). */
const unstorable = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text as PostgreSQL stores it: no NUL, no lone surrogate, at most `max` characters. */
function cleanText(text: string, max: number): string {
  // Cut first, then clean: a cut through a surrogate pair leaves a lone half, which the cleaning replaces.
  return (text.length > max ? text.slice(0, max) : text).replace(unstorable, '\uFFFD');
}

/** JSON values that survive jsonb and back unchanged: safe integers, strings, booleans, null, lists, objects. */
function cleanJson(value: unknown, depth: number): unknown {
  if (depth > 8) return '…';
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'string') return cleanText(value, 1_000);
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.slice(0, 200).map((item) => cleanJson(item, depth + 1));
  if (typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value).slice(0, 100)) {
      if (item !== undefined) result[cleanText(key, 100)] = cleanJson(item, depth + 1);
    }
    return result;
  }
  return String(value);
}

function sanitiseEntry(entry: AuditEntry): Omit<AuditEntry, 'atMs'> & { at: string } {
  invariant(Number.isFinite(entry.atMs), 'an audit entry has a time');
  invariant((auditActorKinds as readonly string[]).includes(entry.actorKind), 'an audit actor kind is known');
  invariant(Number.isInteger(entry.outcome) && entry.outcome >= 0 && entry.outcome < 1000, 'outcome is 0 … 999');
  let detail = cleanJson(entry.detail ?? {}, 0) as Record<string, unknown>;
  if (Buffer.byteLength(JSON.stringify(detail)) > AUDIT_DETAIL_BYTES_MAX) {
    detail = { truncated: true, keys: Object.keys(detail).slice(0, 20) };
  }
  return {
    at: new Date(entry.atMs).toISOString(),
    actorKind: entry.actorKind,
    actorId: cleanText(entry.actorId, textLengthMax.actorId),
    action: cleanText(entry.action, textLengthMax.action),
    resource: cleanText(entry.resource, textLengthMax.resource),
    subjectBorrowerId:
      entry.subjectBorrowerId === null ? null : cleanText(entry.subjectBorrowerId, textLengthMax.subjectBorrowerId),
    outcome: entry.outcome,
    detail,
  };
}

const auditColumns = sql.raw(
  'seq, at, actor_kind, actor_id, action, resource, subject_borrower_id, outcome, detail, prev_hash, hash',
);

function toAuditRow(row: Record<string, unknown>): AuditRow {
  return {
    seq: toInteger(row.seq),
    at: toInstant(row.at),
    actorKind: toText(row.actor_kind) as AuditActorKind,
    actorId: toText(row.actor_id),
    action: toText(row.action),
    resource: toText(row.resource),
    subjectBorrowerId: toTextOrNull(row.subject_borrower_id),
    outcome: toInteger(row.outcome),
    detail: row.detail as Record<string, unknown>,
    prevHash: toText(row.prev_hash),
    hash: toText(row.hash),
  };
}

export interface ListAuditOptions {
  /** Rows with seq below this (newest first paging); default: from the newest. */
  beforeSeq?: number;
  /** 1 … AUDIT_PAGE_MAX. */
  limit: number;
  subjectBorrowerId?: string;
  actor?: { kind: AuditActorKind; id: string };
}

/** Audit rows, newest first. */
export async function listAudit(queryable: Queryable, options: ListAuditOptions): Promise<AuditRow[]> {
  const { beforeSeq, limit, subjectBorrowerId, actor } = options;
  invariant(Number.isInteger(limit) && limit >= 1 && limit <= AUDIT_PAGE_MAX, `audit page 1…${AUDIT_PAGE_MAX}`);
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT ${auditColumns} FROM audit_log
        WHERE true
          ${beforeSeq === undefined ? sql`` : sql`AND seq < ${beforeSeq}`}
          ${subjectBorrowerId === undefined ? sql`` : sql`AND subject_borrower_id = ${subjectBorrowerId}`}
          ${actor === undefined ? sql`` : sql`AND actor_kind = ${actor.kind} AND actor_id = ${actor.id}`}
        ORDER BY seq DESC LIMIT ${limit}`,
  );
  return rows.map(toAuditRow);
}

/** The chain's head: the last row's seq and hash (seq 0 and the genesis hash when empty). */
export async function auditHead(queryable: Queryable): Promise<{ seq: number; hash: string }> {
  const [head] = await queryRows<{ seq: unknown; hash: unknown }>(
    queryable,
    sql`SELECT seq, hash FROM audit_head WHERE id = 1`,
  );
  invariant(head !== undefined, 'audit_head has its row (migration 0006)');
  return { seq: toInteger(head.seq), hash: toText(head.hash) };
}

/**
 * Walks every row of the table in seq order and recomputes every hash. The first row whose seq is out of
 * sequence, whose prev_hash is not the previous row's hash or whose hash does not match its content is
 * reported; so is a head that does not point at the last row (rows removed from the end), and a row past
 * the head (inserted around appendAudit: it is on no chain the head vouches for, and it blocks every
 * later append at its seq).
 */
export async function verifyAuditChain(
  queryable: Queryable,
  options: { pageSize?: number; onProgress?: (rowsChecked: number) => void } = {},
): Promise<AuditVerification> {
  const pageSize = options.pageSize ?? 1_000;
  invariant(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= AUDIT_PAGE_MAX, 'verify page size');
  // The head is read before the rows: every row up to it has committed by then. A row past it may be an
  // append that committed while we walked (its row and its head move commit together), so the head is
  // read again when one shows up; a row still past the fresh head was not appended through the head.
  let head = await auditHead(queryable);
  let expectedSeq = 1;
  let prevHash = AUDIT_GENESIS_HASH;
  let rowsChecked = 0;
  for (;;) {
    const page = await queryRows<Record<string, unknown>>(
      queryable,
      sql`SELECT ${auditColumns} FROM audit_log WHERE seq >= ${expectedSeq} ORDER BY seq LIMIT ${pageSize}`,
    );
    for (const raw of page) {
      const row = toAuditRow(raw);
      if (row.seq > head.seq) head = await auditHead(queryable);
      if (row.seq > head.seq) {
        return {
          ok: false,
          rowsChecked,
          brokenSeq: row.seq,
          reason: `row ${row.seq} is past the chain head (row ${head.seq}): it was not appended through the head`,
        };
      }
      if (row.seq !== expectedSeq) {
        return { ok: false, rowsChecked, brokenSeq: expectedSeq, reason: `row ${expectedSeq} is missing` };
      }
      if (row.prevHash !== prevHash) {
        return {
          ok: false,
          rowsChecked,
          brokenSeq: row.seq,
          reason: `its prev_hash is not the hash of row ${row.seq - 1}`,
        };
      }
      if (auditRowHash(prevHash, row) !== row.hash) {
        return { ok: false, rowsChecked, brokenSeq: row.seq, reason: 'its content does not match its hash' };
      }
      prevHash = row.hash;
      expectedSeq += 1;
      rowsChecked += 1;
    }
    options.onProgress?.(rowsChecked);
    if (page.length < pageSize) break;
  }
  if (expectedSeq - 1 !== head.seq) {
    return { ok: false, rowsChecked, brokenSeq: expectedSeq, reason: `row ${expectedSeq} is missing` };
  }
  if (prevHash !== head.hash) {
    return { ok: false, rowsChecked, brokenSeq: head.seq, reason: 'the chain head does not match the last row' };
  }
  return { ok: true, rowsChecked, headSeq: head.seq, headHash: head.hash };
}
