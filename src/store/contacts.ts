// The contact pipeline's repositories (migration 0003): borrowers' contact states, planned contacts and
// their statuses, the append-only decision record, the verification-code directory and call tasks.
// Invariants: every instant is the caller's (`…Ms` arguments; SQL never reads the clock for anything a
// decision depends on); a contact's id is deterministic and inserting it again inserts nothing, nor a
// second 'plan' decision; a contact is claimed by one dispatcher at a time (FOR UPDATE SKIP LOCKED plus a
// lease until claimed_until), and a claim whose lease ran out can be taken over; a contact state write
// names the version it read; a verification code belongs to one message forever.
import { sql, type SQL } from 'drizzle-orm';
import type { IsoDate } from '../calendar/index.ts';
import type { BorrowerContactState, PromiseToPay } from '../contact/borrower.ts';
import { verificationCode, verificationCodeAttemptsMax } from '../contact/codes.ts';
import type { ContactChannel, ContactIntent, LoanSubject } from '../contact/model.ts';
import { invariant } from '../errors/index.ts';
import { executeStatement, queryRows, type Queryable } from './db.ts';
import { borrowerHash, partitionRange, type Partition } from './partition.ts';
import {
  assertUniqueKeys,
  BATCH_ROWS_MAX,
  batchDocument,
  chunks,
  idListJson,
  isoOfMs,
  msOfInstant,
  msOfInstantOrNull,
  toDate,
  toInteger,
  toText,
  toTextOrNull,
} from './rows.ts';

export const contactStatuses = ['planned', 'deferred', 'sending', 'sent', 'suppressed', 'failed'] as const;
export type ContactStatus = (typeof contactStatuses)[number];
/** Statuses a dispatcher still has work for. */
export const openContactStatuses: readonly ContactStatus[] = ['planned', 'deferred', 'sending'];

export type DecisionPhase = 'plan' | 'dispatch' | 'delivery' | 'receipt';
export type DecisionVerdict =
  | 'send'
  | 'defer'
  | 'suppress'
  | 'accepted'
  | 'rejected'
  | 'retryable'
  | 'failed'
  | 'expired'
  | 'delivered'
  | 'undelivered'
  | 'read';

/** Most contacts one claim may take. */
export const CONTACT_CLAIM_MAX = 1_000;
/** Most borrowers one page of contact lookups may name. */
export const CONTACT_BORROWERS_PAGE_MAX = 5_000;
/** Most rows a listing returns. */
export const CONTACT_LIST_MAX = 1_000;

/** Someone else wrote a contact state since it was read: roll back and retry with fresh reads. */
export class ContactStateConflictError extends Error {
  readonly code = 'contact_state_version_conflict';

  constructor(detail: string) {
    super(`contact_state_version_conflict: ${detail}`);
    this.name = 'ContactStateConflictError';
  }
}

// ---- JSON codecs (bigint amounts as decimal strings) ------------------------------------------------

type Json = Record<string, unknown>;

export function encodeContactState(state: BorrowerContactState): Json {
  return {
    ...state,
    promises: state.promises.map((p) => ({
      ...p,
      amountMinor: p.amountMinor.toString(),
      paidMinor: p.paidMinor.toString(),
    })),
  };
}

export function decodeContactState(json: unknown): BorrowerContactState {
  const doc = json as Omit<BorrowerContactState, 'promises'> & { promises: Json[] };
  invariant(
    doc !== null && typeof doc === 'object' && typeof doc.borrowerId === 'string' && Array.isArray(doc.history),
    'a contact state document has a borrower and a history',
  );
  return {
    ...doc,
    promises: doc.promises.map(
      (p) =>
        ({
          ...p,
          amountMinor: BigInt(p.amountMinor as string),
          paidMinor: BigInt(p.paidMinor as string),
        }) as PromiseToPay,
    ),
  };
}

export function encodeIntent(intent: ContactIntent): Json {
  return { ...intent, subjects: intent.subjects.map((s) => ({ ...s, amountMinor: s.amountMinor.toString() })) };
}

export function decodeIntent(json: unknown): ContactIntent {
  const doc = json as ContactIntent & { subjects: (Omit<LoanSubject, 'amountMinor'> & { amountMinor: string })[] };
  invariant(
    doc !== null && typeof doc === 'object' && typeof doc.intentId === 'string' && Array.isArray(doc.subjects),
    'a contact intent document has an id and subjects',
  );
  return { ...doc, subjects: doc.subjects.map((s) => ({ ...s, amountMinor: BigInt(s.amountMinor) })) };
}

const iso = isoOfMs;
const msOf = msOfInstant;
const msOrNull = msOfInstantOrNull;
const idList = idListJson;

// ---- contact states ---------------------------------------------------------------------------------

/** A borrower as the contact pipeline reads them: the borrower row and their stored contact state, if any. */
export interface ContactSubject {
  borrowerId: string;
  name: string;
  timezone: string;
  locale: string;
  /** borrowers.contacts as stored (addresses by channel). */
  contacts: unknown;
  /** The stored state, or null when the borrower has none yet. */
  state: BorrowerContactState | null;
  /** The version read (0 when there is no state yet). */
  version: number;
}

/**
 * Borrowers with their contact states, by borrower id (borrowers that do not exist are absent). With
 * `lock`, each borrower row is locked (FOR NO KEY UPDATE, in borrower id order) until the transaction
 * ends: the per-borrower mutex every change of a contact state takes first.
 */
export async function loadContactSubjects(
  queryable: Queryable,
  borrowerIds: readonly string[],
  options: { lock?: boolean } = {},
): Promise<ContactSubject[]> {
  invariant(borrowerIds.length <= CONTACT_BORROWERS_PAGE_MAX, `at most ${CONTACT_BORROWERS_PAGE_MAX} borrowers a page`);
  if (borrowerIds.length === 0) return [];
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT b.borrower_id, b.name, b.timezone, b.locale, b.contacts, s.state, s.version
        FROM borrowers AS b LEFT JOIN contact_states AS s ON s.borrower_id = b.borrower_id
        WHERE b.borrower_id IN (SELECT jsonb_array_elements_text(${idList(borrowerIds)}::jsonb))
        ORDER BY b.borrower_id
        ${options.lock ? sql`FOR NO KEY UPDATE OF b` : sql``}`,
  );
  return rows.map((row) => ({
    borrowerId: toText(row.borrower_id),
    name: toText(row.name),
    timezone: toText(row.timezone),
    locale: toText(row.locale),
    contacts: row.contacts,
    state: row.state === null || row.state === undefined ? null : decodeContactState(row.state),
    version: row.version === null || row.version === undefined ? 0 : toInteger(row.version),
  }));
}

export interface ContactStateWrite {
  state: BorrowerContactState;
  /** The version read; 0 when there was no state (the write creates it). */
  expectedVersion: number;
  /** contactPlanThrough(state). */
  planThrough: IsoDate | null;
  updatedAtMs: number;
}

/**
 * Creates or updates contact states, each checked against the version it read. Throws
 * ContactStateConflictError when any was written by someone else meanwhile (the caller rolls back).
 */
export async function saveContactStates(queryable: Queryable, writes: readonly ContactStateWrite[]): Promise<number> {
  assertUniqueKeys(writes, (write) => write.state.borrowerId, 'contact state');
  let written = 0;
  for (const chunk of chunks(writes, BATCH_ROWS_MAX)) {
    const rows = chunk.map((write) => ({
      borrower_id: write.state.borrowerId,
      borrower_hash: borrowerHash(write.state.borrowerId),
      state: encodeContactState(write.state),
      plan_through: write.planThrough,
      expected_version: write.expectedVersion,
      updated_at: iso(write.updatedAtMs),
    }));
    const created = rows.filter((row) => row.expected_version === 0);
    const updated = rows.filter((row) => row.expected_version !== 0);
    let count = 0;
    if (created.length > 0) {
      count += await executeStatement(
        queryable,
        sql`INSERT INTO contact_states (borrower_id, borrower_hash, state, plan_through, version, updated_at)
            SELECT borrower_id, borrower_hash, state, plan_through, 1, updated_at
            FROM jsonb_to_recordset(${batchDocument(created)}::jsonb) AS v(borrower_id text, borrower_hash integer,
                 state jsonb, plan_through date, updated_at timestamptz)
            ON CONFLICT (borrower_id) DO NOTHING`,
      );
    }
    if (updated.length > 0) {
      count += await executeStatement(
        queryable,
        sql`UPDATE contact_states AS s
            SET state = v.state, plan_through = v.plan_through, version = s.version + 1, updated_at = v.updated_at
            FROM jsonb_to_recordset(${batchDocument(updated)}::jsonb) AS v(borrower_id text, state jsonb,
                 plan_through date, expected_version integer, updated_at timestamptz)
            WHERE s.borrower_id = v.borrower_id AND s.version = v.expected_version`,
      );
    }
    if (count !== chunk.length) {
      throw new ContactStateConflictError(
        `${chunk.length - count} of ${chunk.length} contact states changed since they were read`,
      );
    }
    written += count;
  }
  return written;
}

/** A page of the borrowers the day's planning looks at: after `after`, in borrower id order. */
export interface PlanningBorrowersQuery {
  date: IsoDate;
  eventThrough: IsoDate;
  after?: string;
  limit: number;
  partition?: Partition;
}

/** A plan the borrower asked for and nobody approved or refused yet: the oldest one, per borrower. */
export interface RequestedPlan {
  planType: string;
  requestedAtMs: number;
}

/** A borrower's row as a contact_update event rewrites it: the addresses change, the rest stays. */
export interface BorrowerContacts {
  borrowerId: string;
  name: string;
  timezone: string;
  locale: string;
  /** Addresses by channel (and whatever else the row holds). */
  contacts: Record<string, unknown>;
}

/**
 * The next page of borrowers the day's contact planning must look at, in borrower id order after `after`:
 * those with a loan whose next event is on or before `eventThrough` (overdue, in grace, or an installment
 * due soon — the close keeps next_event_date there) or charged off, and those whose contact state has
 * something to plan through `date` (plan_through). Each branch walks an index in borrower order, so a
 * whole run reads each loan and state once.
 */
export async function listPlanningBorrowers(queryable: Queryable, options: PlanningBorrowersQuery): Promise<string[]> {
  const { date, eventThrough, after, limit, partition } = options;
  invariant(
    Number.isInteger(limit) && limit >= 1 && limit <= CONTACT_BORROWERS_PAGE_MAX,
    `page limit 1…${CONTACT_BORROWERS_PAGE_MAX}`,
  );
  const range = partition ? partitionRange(partition) : { low: 0, high: 2 ** 31 - 1 };
  const from = after ?? '';
  const rows = await queryRows<{ borrower_id: unknown }>(
    queryable,
    sql`SELECT borrower_id FROM (
          (SELECT DISTINCT l.borrower_id FROM loans AS l
           WHERE l.borrower_id > ${from} AND l.borrower_hash BETWEEN ${range.low} AND ${range.high}
             AND (l.next_event_date <= ${eventThrough}::date OR l.status = 'charged_off')
           ORDER BY l.borrower_id LIMIT ${limit})
          UNION
          (SELECT s.borrower_id FROM contact_states AS s
           WHERE s.plan_through IS NOT NULL AND s.plan_through >= ${date}::date
             AND s.borrower_id > ${from} AND s.borrower_hash BETWEEN ${range.low} AND ${range.high}
           ORDER BY s.borrower_id LIMIT ${limit})
        ) AS candidates
        ORDER BY borrower_id LIMIT ${limit}`,
  );
  return rows.map((row) => toText(row.borrower_id));
}

// ---- contacts ---------------------------------------------------------------------------------------

export interface ContactKey {
  borrowerId: string;
  contactId: string;
}

export interface ContactRow extends ContactKey {
  borrowerHash: number;
  businessDate: IsoDate;
  channel: ContactChannel;
  template: string;
  intent: ContactIntent;
  loanIds: string[];
  status: ContactStatus;
  dueAtMs: number;
  attempts: number;
  claimedBy: string | null;
  claimedUntilMs: number | null;
  address: string | null;
  verificationCode: string | null;
  providerMessageId: string | null;
  deliveryStatus: string | null;
  sentAtMs: number | null;
  reasons: string[];
  createdAtMs: number;
  updatedAtMs: number;
}

export interface NewContact {
  intent: ContactIntent;
  businessDate: IsoDate;
  status: 'planned' | 'deferred' | 'suppressed';
  dueAtMs: number;
  /** The decision that gave the status (recorded as the contact's first decision, phase 'plan'). */
  verdict: 'send' | 'defer' | 'suppress';
  reasons: string[];
  decidedAtMs: number;
}

const contactColumns = sql.raw(
  'c.borrower_id, c.contact_id, c.borrower_hash, c.business_date, c.channel, c.template, c.intent, c.loan_ids, c.status, c.due_at, c.attempts, c.claimed_by, c.claimed_until, c.address, c.verification_code, c.provider_message_id, c.delivery_status, c.sent_at, c.reasons, c.created_at, c.updated_at',
);

/**
 * Inserts planned contacts with their 'plan' decision (seq 1), in one statement per chunk; a contact
 * that exists already is left as it is and gets no second decision. Returns how many were new.
 */
export async function insertContacts(queryable: Queryable, contacts: readonly NewContact[]): Promise<number> {
  assertUniqueKeys(contacts, (c) => `${c.intent.borrowerId}/${c.intent.intentId}`, 'contact');
  let inserted = 0;
  for (const chunk of chunks(contacts, BATCH_ROWS_MAX)) {
    const document = batchDocument(
      chunk.map((c) => ({
        borrower_id: c.intent.borrowerId,
        contact_id: c.intent.intentId,
        borrower_hash: borrowerHash(c.intent.borrowerId),
        business_date: c.businessDate,
        channel: c.intent.channel,
        template: c.intent.template,
        intent: encodeIntent(c.intent),
        loan_ids: c.intent.loanIds,
        status: c.status,
        due_at: iso(c.dueAtMs),
        verdict: c.verdict,
        reasons: c.reasons,
        decided_at: iso(c.decidedAtMs),
      })),
    );
    const rows = await queryRows<{ count: unknown }>(
      queryable,
      sql`WITH v AS (
            SELECT * FROM jsonb_to_recordset(${document}::jsonb) AS v(borrower_id text, contact_id text,
              borrower_hash integer, business_date date, channel text, template text, intent jsonb, loan_ids jsonb,
              status text, due_at timestamptz, verdict text, reasons jsonb, decided_at timestamptz)
          ), inserted AS (
            INSERT INTO contacts (borrower_id, contact_id, borrower_hash, business_date, channel, template, intent,
                                  loan_ids, status, due_at, reasons, created_at, updated_at)
            SELECT borrower_id, contact_id, borrower_hash, business_date, channel, template, intent, loan_ids,
                   status, due_at, reasons, decided_at, decided_at
            FROM v
            ON CONFLICT (borrower_id, contact_id) DO NOTHING
            RETURNING borrower_id, contact_id
          ), decided AS (
            INSERT INTO contact_decisions (borrower_id, contact_id, seq, phase, verdict, decided_at, reasons)
            SELECT v.borrower_id, v.contact_id, 1, 'plan', v.verdict, v.decided_at, v.reasons
            FROM v JOIN inserted AS i ON i.borrower_id = v.borrower_id AND i.contact_id = v.contact_id
            RETURNING 1
          )
          SELECT count(*) AS count FROM decided`,
    );
    inserted += toInteger(rows[0]?.count ?? 0);
  }
  return inserted;
}

export interface ClaimContactsOptions {
  nowMs: number;
  workerId: string;
  /** 1 … CONTACT_CLAIM_MAX. */
  limit: number;
  /** The claim holds until nowMs + leaseMs; after that another dispatcher may take the contact over. */
  leaseMs: number;
  /** Only this worker's share of borrowers. */
  partition?: Partition;
  /** Only these channels (the ones the dispatcher has adapters for). */
  channels?: readonly ContactChannel[];
}

/** The order contacts are claimed in: due instant, borrower hash, borrower id, contact id. */
export function claimOrder(a: ContactRow, b: ContactRow): number {
  return (
    a.dueAtMs - b.dueAtMs ||
    a.borrowerHash - b.borrowerHash ||
    compare(a.borrowerId, b.borrowerId) ||
    compare(a.contactId, b.contactId)
  );
}

/** A claim's bounds: 1 … CONTACT_CLAIM_MAX contacts, a positive lease, a named worker. */
export function checkClaim({ limit, leaseMs, workerId }: ClaimContactsOptions): void {
  invariant(
    Number.isInteger(limit) && limit >= 1 && limit <= CONTACT_CLAIM_MAX,
    `contact claim limit 1…${CONTACT_CLAIM_MAX}`,
  );
  invariant(leaseMs > 0, 'the contact lease is positive');
  invariant(workerId.length > 0, 'a contact claim names its worker');
}

/**
 * Claims up to `limit` open contacts due by nowMs and not under a live claim, earliest first, and returns
 * them. One statement (FOR UPDATE SKIP LOCKED): safe from many processes at once. Re-claiming a contact
 * in 'sending' counts an attempt, since the previous claimant may have called the provider.
 */
export async function claimDueContacts(queryable: Queryable, options: ClaimContactsOptions): Promise<ContactRow[]> {
  const { nowMs, workerId, limit, leaseMs, partition, channels } = options;
  checkClaim(options);
  const range = partition ? partitionRange(partition) : undefined;
  const now = iso(nowMs);
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`UPDATE contacts AS c
        SET claimed_by = ${workerId}, claimed_until = ${iso(nowMs + leaseMs)}::timestamptz,
            attempts = c.attempts + (CASE WHEN c.status = 'sending' THEN 1 ELSE 0 END),
            updated_at = ${now}::timestamptz
        FROM (
          SELECT borrower_id, contact_id FROM contacts
          WHERE status IN ('planned', 'deferred', 'sending') AND due_at <= ${now}::timestamptz
            AND (claimed_until IS NULL OR claimed_until <= ${now}::timestamptz)
            ${range ? sql`AND borrower_hash BETWEEN ${range.low} AND ${range.high}` : sql``}
            ${channels ? sql`AND channel IN (SELECT jsonb_array_elements_text(${JSON.stringify(channels)}::jsonb))` : sql``}
          ORDER BY due_at, borrower_hash, borrower_id, contact_id
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED
        ) AS claimed
        WHERE c.borrower_id = claimed.borrower_id AND c.contact_id = claimed.contact_id
        RETURNING ${contactColumns}`,
  );
  return rows.map(toContactRow).sort(claimOrder);
}

/** One contact; forUpdate locks it until the caller's transaction ends. */
export async function getContact(
  queryable: Queryable,
  key: ContactKey,
  options: { forUpdate?: boolean } = {},
): Promise<ContactRow | undefined> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT ${contactColumns} FROM contacts AS c
        WHERE c.borrower_id = ${key.borrowerId} AND c.contact_id = ${key.contactId}
        ${options.forUpdate ? sql`FOR UPDATE` : sql``}`,
  );
  return rows[0] ? toContactRow(rows[0]) : undefined;
}

/** A borrower's contacts (for the console and tests), by contact id; optionally only some statuses. */
export async function listBorrowerContacts(
  queryable: Queryable,
  borrowerId: string,
  options: { statuses?: readonly ContactStatus[]; limit?: number } = {},
): Promise<ContactRow[]> {
  const limit = options.limit ?? CONTACT_LIST_MAX;
  invariant(Number.isInteger(limit) && limit >= 1 && limit <= CONTACT_LIST_MAX, `list limit 1…${CONTACT_LIST_MAX}`);
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT ${contactColumns} FROM contacts AS c
        WHERE c.borrower_id = ${borrowerId}
        ${options.statuses ? sql`AND c.status IN (SELECT jsonb_array_elements_text(${JSON.stringify(options.statuses)}::jsonb))` : sql``}
        ORDER BY c.contact_id LIMIT ${limit}`,
  );
  return rows.map(toContactRow);
}

/** How many contacts are in each status (all borrowers); for dashboards and tests. */
export async function countContactsByStatus(queryable: Queryable): Promise<Record<ContactStatus, number>> {
  const rows = await queryRows<{ status: unknown; count: unknown }>(
    queryable,
    sql`SELECT status, count(*) AS count FROM contacts GROUP BY status`,
  );
  const counts = Object.fromEntries(contactStatuses.map((status) => [status, 0])) as Record<ContactStatus, number>;
  for (const row of rows) counts[toText(row.status) as ContactStatus] = toInteger(row.count);
  return counts;
}

/** What changes about a contact; absent fields stay as they are. */
export interface ContactChange {
  status?: ContactStatus;
  dueAtMs?: number;
  /** Sets attempts to this value. */
  attempts?: number;
  /** Gives the claim up (claimed_by and claimed_until become NULL). */
  releaseClaim?: boolean;
  loanIds?: string[];
  address?: string;
  providerMessageId?: string;
  deliveryStatus?: string;
  sentAtMs?: number;
  reasons?: string[];
}

/** Applies a change to one contact at `nowMs`; returns whether the contact exists. */
export async function updateContact(
  queryable: Queryable,
  key: ContactKey,
  change: ContactChange,
  nowMs: number,
): Promise<boolean> {
  const sets: SQL[] = [sql`updated_at = ${iso(nowMs)}::timestamptz`];
  if (change.status !== undefined) sets.push(sql`status = ${change.status}`);
  if (change.dueAtMs !== undefined) sets.push(sql`due_at = ${iso(change.dueAtMs)}::timestamptz`);
  if (change.attempts !== undefined) sets.push(sql`attempts = ${change.attempts}`);
  if (change.releaseClaim) sets.push(sql`claimed_by = NULL, claimed_until = NULL`);
  if (change.loanIds !== undefined) sets.push(sql`loan_ids = ${JSON.stringify(change.loanIds)}::jsonb`);
  if (change.address !== undefined) sets.push(sql`address = ${change.address}`);
  if (change.providerMessageId !== undefined) sets.push(sql`provider_message_id = ${change.providerMessageId}`);
  if (change.deliveryStatus !== undefined) sets.push(sql`delivery_status = ${change.deliveryStatus}`);
  if (change.sentAtMs !== undefined) sets.push(sql`sent_at = ${iso(change.sentAtMs)}::timestamptz`);
  if (change.reasons !== undefined) sets.push(sql`reasons = ${JSON.stringify(change.reasons)}::jsonb`);
  const count = await executeStatement(
    queryable,
    sql`UPDATE contacts SET ${sql.join(sets, sql`, `)}
        WHERE borrower_id = ${key.borrowerId} AND contact_id = ${key.contactId}`,
  );
  return count === 1;
}

/** The borrower's contacts decided for sending and not yet recorded as sent (they count against caps). */
export async function listSendingContacts(queryable: Queryable, borrowerId: string): Promise<ContactRow[]> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT ${contactColumns} FROM contacts AS c
        WHERE c.borrower_id = ${borrowerId} AND c.status = 'sending'
        ORDER BY c.contact_id LIMIT ${CONTACT_LIST_MAX}`,
  );
  return rows.map(toContactRow);
}

/** Contacts a provider's message id names (normally one). */
export async function findContactsByProviderMessageId(
  queryable: Queryable,
  providerMessageId: string,
): Promise<ContactRow[]> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT ${contactColumns} FROM contacts AS c WHERE c.provider_message_id = ${providerMessageId}
        ORDER BY c.borrower_id, c.contact_id LIMIT 10`,
  );
  return rows.map(toContactRow);
}

function toContactRow(row: Record<string, unknown>): ContactRow {
  return {
    borrowerId: toText(row.borrower_id),
    contactId: toText(row.contact_id),
    borrowerHash: toInteger(row.borrower_hash),
    businessDate: toDate(row.business_date),
    channel: toText(row.channel) as ContactChannel,
    template: toText(row.template),
    intent: decodeIntent(row.intent),
    loanIds: row.loan_ids as string[],
    status: toText(row.status) as ContactStatus,
    dueAtMs: msOf(row.due_at),
    attempts: toInteger(row.attempts),
    claimedBy: toTextOrNull(row.claimed_by),
    claimedUntilMs: msOrNull(row.claimed_until),
    address: toTextOrNull(row.address),
    verificationCode: toTextOrNull(row.verification_code),
    providerMessageId: toTextOrNull(row.provider_message_id),
    deliveryStatus: toTextOrNull(row.delivery_status),
    sentAtMs: msOrNull(row.sent_at),
    reasons: row.reasons as string[],
    createdAtMs: msOf(row.created_at),
    updatedAtMs: msOf(row.updated_at),
  };
}

// ---- decisions --------------------------------------------------------------------------------------

export interface NewContactDecision extends ContactKey {
  phase: DecisionPhase;
  verdict: DecisionVerdict;
  decidedAtMs: number;
  reasons: string[];
}

export interface ContactDecisionRow extends NewContactDecision {
  seq: number;
}

/**
 * Appends a decision after the contact's last one and returns its seq. Call it holding the contact's row
 * lock (getContact forUpdate), so two decisions about one contact never race for a seq.
 */
export async function appendContactDecision(queryable: Queryable, decision: NewContactDecision): Promise<number> {
  const rows = await queryRows<{ seq: unknown }>(
    queryable,
    sql`INSERT INTO contact_decisions (borrower_id, contact_id, seq, phase, verdict, decided_at, reasons)
        SELECT ${decision.borrowerId}, ${decision.contactId}, coalesce(max(seq), 0) + 1, ${decision.phase},
               ${decision.verdict}, ${iso(decision.decidedAtMs)}::timestamptz, ${JSON.stringify(decision.reasons)}::jsonb
        FROM contact_decisions WHERE borrower_id = ${decision.borrowerId} AND contact_id = ${decision.contactId}
        RETURNING seq`,
  );
  return toInteger(rows[0]?.seq);
}

/** A contact's decisions in order: why it was planned, sent, held back, not delivered. */
export async function listContactDecisions(queryable: Queryable, key: ContactKey): Promise<ContactDecisionRow[]> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT borrower_id, contact_id, seq, phase, verdict, decided_at, reasons FROM contact_decisions
        WHERE borrower_id = ${key.borrowerId} AND contact_id = ${key.contactId} ORDER BY seq LIMIT ${CONTACT_LIST_MAX}`,
  );
  return rows.map((row) => ({
    borrowerId: toText(row.borrower_id),
    contactId: toText(row.contact_id),
    seq: toInteger(row.seq),
    phase: toText(row.phase) as DecisionPhase,
    verdict: toText(row.verdict) as DecisionVerdict,
    decidedAtMs: msOf(row.decided_at),
    reasons: row.reasons as string[],
  }));
}

// ---- verification codes -----------------------------------------------------------------------------

/**
 * The contact's verification code: the one it has, or a new one entered in the directory and on the
 * contact. A new code is verificationCode({ secret, messageId: contactId, attempt }) for attempt 0, 1, …
 * — the next attempt when a code is already another message's — at most verificationCodeAttemptsMax
 * tries (each collision has a 1 in 887,503,681 chance). Call it holding the contact's row lock.
 */
export async function assignVerificationCode(
  queryable: Queryable,
  input: ContactKey & { secret: Uint8Array | string; createdAtMs: number },
): Promise<string> {
  const { borrowerId, contactId } = input;
  const existing = await queryRows<{ verification_code: unknown }>(
    queryable,
    sql`SELECT verification_code FROM contacts WHERE borrower_id = ${borrowerId} AND contact_id = ${contactId}`,
  );
  invariant(existing.length === 1, `contact ${borrowerId}/${contactId} exists`);
  const current = toTextOrNull(existing[0]?.verification_code);
  if (current !== null) return current;
  for (let attempt = 0; attempt < verificationCodeAttemptsMax; attempt += 1) {
    const code = verificationCode({ secret: input.secret, messageId: contactId, attempt });
    await executeStatement(
      queryable,
      sql`INSERT INTO verification_codes (code, borrower_id, contact_id, created_at)
          VALUES (${code}, ${borrowerId}, ${contactId}, ${iso(input.createdAtMs)}::timestamptz)
          ON CONFLICT (code) DO NOTHING`,
    );
    const owner = await queryRows<{ borrower_id: unknown; contact_id: unknown }>(
      queryable,
      sql`SELECT borrower_id, contact_id FROM verification_codes WHERE code = ${code}`,
    );
    if (toText(owner[0]?.borrower_id) === borrowerId && toText(owner[0]?.contact_id) === contactId) {
      await executeStatement(
        queryable,
        sql`UPDATE contacts SET verification_code = ${code}
            WHERE borrower_id = ${borrowerId} AND contact_id = ${contactId}`,
      );
      return code;
    }
  }
  throw new Error(
    `no free verification code for ${borrowerId}/${contactId} in ${verificationCodeAttemptsMax} attempts`,
  );
}

/**
 * The code assignVerificationCode would give the contact now, without writing anything: its own code when
 * it has one, else the first attempt no other message holds. Lets a letter that prints its code be
 * rendered before the transaction that records it (that transaction assigns the code and checks it is this one).
 */
export async function nextVerificationCode(
  queryable: Queryable,
  input: ContactKey & { secret: Uint8Array | string },
): Promise<string> {
  const { borrowerId, contactId } = input;
  const existing = await queryRows<{ verification_code: unknown }>(
    queryable,
    sql`SELECT verification_code FROM contacts WHERE borrower_id = ${borrowerId} AND contact_id = ${contactId}`,
  );
  const current = toTextOrNull(existing[0]?.verification_code);
  if (current !== null) return current;
  for (let attempt = 0; attempt < verificationCodeAttemptsMax; attempt += 1) {
    const code = verificationCode({ secret: input.secret, messageId: contactId, attempt });
    const owner = await queryRows<{ borrower_id: unknown; contact_id: unknown }>(
      queryable,
      sql`SELECT borrower_id, contact_id FROM verification_codes WHERE code = ${code}`,
    );
    if (owner.length === 0) return code;
    if (toText(owner[0]?.borrower_id) === borrowerId && toText(owner[0]?.contact_id) === contactId) return code;
  }
  throw new Error(
    `no free verification code for ${borrowerId}/${contactId} in ${verificationCodeAttemptsMax} attempts`,
  );
}

/** A message as the borrower portal shows it. */
export interface SentMessageRow extends ContactKey {
  code: string;
  channel: ContactChannel;
  template: string;
  loanIds: string[];
  status: ContactStatus;
  /** When it was handed to the channel; null while it is still being sent. */
  sentAtMs: number | null;
  deliveryStatus: string | null;
}

function toMessageRow(row: Record<string, unknown>): SentMessageRow {
  return {
    borrowerId: toText(row.borrower_id),
    contactId: toText(row.contact_id),
    code: toText(row.verification_code),
    channel: toText(row.channel) as ContactChannel,
    template: toText(row.template),
    loanIds: row.loan_ids as string[],
    status: toText(row.status) as ContactStatus,
    sentAtMs: msOrNull(row.sent_at),
    deliveryStatus: toTextOrNull(row.delivery_status),
  };
}

const messageColumns = sql.raw(
  'c.borrower_id, c.contact_id, c.verification_code, c.channel, c.template, c.loan_ids, c.status, c.sent_at, c.delivery_status',
);

/** The message a code belongs to (the code exactly as printed: normaliseVerificationCode first), or undefined. */
export async function findMessageByCode(queryable: Queryable, code: string): Promise<SentMessageRow | undefined> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT ${messageColumns} FROM verification_codes AS v
        JOIN contacts AS c ON c.borrower_id = v.borrower_id AND c.contact_id = v.contact_id
        WHERE v.code = ${code}`,
  );
  return rows[0] ? toMessageRow(rows[0]) : undefined;
}

/** The messages sent to a borrower, newest first (the portal's list, so a fake message can be told apart). */
export async function listBorrowerMessages(
  queryable: Queryable,
  borrowerId: string,
  options: { limit?: number } = {},
): Promise<SentMessageRow[]> {
  const limit = options.limit ?? 100;
  invariant(Number.isInteger(limit) && limit >= 1 && limit <= CONTACT_LIST_MAX, `list limit 1…${CONTACT_LIST_MAX}`);
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT ${messageColumns} FROM contacts AS c
        WHERE c.borrower_id = ${borrowerId} AND c.status = 'sent'
        ORDER BY c.sent_at DESC, c.contact_id LIMIT ${limit}`,
  );
  return rows.map(toMessageRow);
}

// ---- call tasks -------------------------------------------------------------------------------------

export interface NewCallTask {
  borrowerId: string;
  /** The voice contact's id. */
  taskId: string;
  phone: string;
  loanIds: string[];
  script: string;
  locale: string;
  verificationCode: string;
  createdAtMs: number;
}

export interface CallTaskRow extends NewCallTask {
  status: 'open' | 'done';
  outcome: string | null;
  completedAtMs: number | null;
}

/** Creates a call task; a task with the same id exists already → nothing (returns false). */
export async function createCallTask(queryable: Queryable, task: NewCallTask): Promise<boolean> {
  const count = await executeStatement(
    queryable,
    sql`INSERT INTO call_tasks (borrower_id, task_id, phone, loan_ids, script, locale, verification_code, status, created_at)
        VALUES (${task.borrowerId}, ${task.taskId}, ${task.phone}, ${JSON.stringify(task.loanIds)}::jsonb, ${task.script},
                ${task.locale}, ${task.verificationCode}, 'open', ${iso(task.createdAtMs)}::timestamptz)
        ON CONFLICT (borrower_id, task_id) DO NOTHING`,
  );
  return count === 1;
}

/** Completes an open call task with its outcome; returns it, or undefined when there is no such open task. */
export async function completeCallTask(
  queryable: Queryable,
  input: { borrowerId: string; taskId: string; outcome: string; completedAtMs: number },
): Promise<CallTaskRow | undefined> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`UPDATE call_tasks SET status = 'done', outcome = ${input.outcome},
               completed_at = ${iso(input.completedAtMs)}::timestamptz
        WHERE borrower_id = ${input.borrowerId} AND task_id = ${input.taskId} AND status = 'open'
        RETURNING *`,
  );
  return rows[0] ? toCallTaskRow(rows[0]) : undefined;
}

/** Open call tasks, oldest first; of one borrower (and one phone) when given. */
export async function listOpenCallTasks(
  queryable: Queryable,
  options: { borrowerId?: string; phone?: string; limit?: number } = {},
): Promise<CallTaskRow[]> {
  const limit = options.limit ?? 100;
  invariant(Number.isInteger(limit) && limit >= 1 && limit <= CONTACT_LIST_MAX, `list limit 1…${CONTACT_LIST_MAX}`);
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT * FROM call_tasks WHERE status = 'open'
        ${options.borrowerId !== undefined ? sql`AND borrower_id = ${options.borrowerId}` : sql``}
        ${options.phone !== undefined ? sql`AND phone = ${options.phone}` : sql``}
        ORDER BY created_at, borrower_id, task_id LIMIT ${limit}`,
  );
  return rows.map(toCallTaskRow);
}

/** One call task by key. */
export async function getCallTask(
  queryable: Queryable,
  key: { borrowerId: string; taskId: string },
): Promise<CallTaskRow | undefined> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT * FROM call_tasks WHERE borrower_id = ${key.borrowerId} AND task_id = ${key.taskId}`,
  );
  return rows[0] ? toCallTaskRow(rows[0]) : undefined;
}

function toCallTaskRow(row: Record<string, unknown>): CallTaskRow {
  return {
    borrowerId: toText(row.borrower_id),
    taskId: toText(row.task_id),
    phone: toText(row.phone),
    loanIds: row.loan_ids as string[],
    script: toText(row.script),
    locale: toText(row.locale),
    verificationCode: toText(row.verification_code),
    createdAtMs: msOf(row.created_at),
    status: toText(row.status) as 'open' | 'done',
    outcome: toTextOrNull(row.outcome),
    completedAtMs: msOrNull(row.completed_at),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The position after which a page of contacts continues (newest first: due time, then contact id). */
export interface ContactPageKey {
  dueAtMs: number;
  contactId: string;
}

/**
 * A page of a borrower's contacts in every status (sent, suppressed, deferred, failed, …), newest first
 * by due time then contact id, continuing before `before` when given (the console's timeline).
 */
export async function listBorrowerContactsPage(
  queryable: Queryable,
  borrowerId: string,
  options: { before?: ContactPageKey; limit: number },
): Promise<ContactRow[]> {
  const { before, limit } = options;
  invariant(Number.isInteger(limit) && limit >= 1 && limit <= CONTACT_LIST_MAX, `list limit 1…${CONTACT_LIST_MAX}`);
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT ${contactColumns} FROM contacts AS c
        WHERE c.borrower_id = ${borrowerId}
        ${
          before !== undefined
            ? sql`AND (c.due_at, c.contact_id) < (${iso(before.dueAtMs)}::timestamptz, ${before.contactId})`
            : sql``
        }
        ORDER BY c.due_at DESC, c.contact_id DESC LIMIT ${limit}`,
  );
  return rows.map(toContactRow);
}

/** Borrowers with a loan still being serviced (active, overdue or charged off), in id order, a page at a time. */
export async function listServicedBorrowerIds(
  queryable: Queryable,
  options: { limit: number; after?: string },
): Promise<string[]> {
  invariant(
    options.limit >= 1 && options.limit <= CONTACT_BORROWERS_PAGE_MAX,
    `1…${CONTACT_BORROWERS_PAGE_MAX} borrowers a page`,
  );
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT DISTINCT borrower_id FROM loans
        WHERE status IN ('active', 'overdue', 'charged_off')
          ${options.after === undefined ? sql`` : sql`AND borrower_id > ${options.after}`}
        ORDER BY borrower_id LIMIT ${options.limit}`,
  );
  return rows.map((row) => toText(row.borrower_id));
}

/** Every promise to pay in the contact states, with who took it and its loan's bucket now (for reports). */
export async function listPromiseRecords(
  queryable: Queryable,
): Promise<{ borrowerId: string; loanId: string; takenBy: string; status: string; bucket: string }[]> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT s.borrower_id, p->>'loanId' AS loan_id, coalesce(p->>'takenBy', 'borrower') AS taken_by,
               p->>'status' AS status, coalesce(l.bucket, 'closed') AS bucket
        FROM contact_states AS s
        CROSS JOIN LATERAL jsonb_array_elements(s.state->'promises') AS p
        LEFT JOIN loans AS l ON l.borrower_id = s.borrower_id AND l.loan_id = p->>'loanId'`,
  );
  return rows.map((row) => ({
    borrowerId: toText(row.borrower_id),
    loanId: toText(row.loan_id),
    takenBy: toText(row.taken_by),
    status: toText(row.status),
    bucket: toText(row.bucket),
  }));
}

/** Contacts decided so far by channel and final status (sent or suppressed). */
export async function countContactsByChannel(
  queryable: Queryable,
): Promise<{ channel: string; status: string; count: number }[]> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT channel, status, count(*) AS n FROM contacts
        WHERE status IN ('sent', 'suppressed') GROUP BY channel, status ORDER BY channel, status`,
  );
  return rows.map((row) => ({ channel: toText(row.channel), status: toText(row.status), count: toInteger(row.n) }));
}

/** Suppressed contacts by the reason that stopped them (the last reason recorded). */
export async function countSuppressionReasons(queryable: Queryable): Promise<{ reason: string; count: number }[]> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT coalesce(reasons->>-1, 'unknown') AS reason, count(*) AS n FROM contacts
        WHERE status = 'suppressed' GROUP BY 1`,
  );
  return rows.map((row) => ({ reason: toText(row.reason), count: toInteger(row.n) }));
}
