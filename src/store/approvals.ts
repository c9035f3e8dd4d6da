// Approvals (maker-checker requests) and the strategies activated through them (migration 0007). The
// rules — who may decide, what an activation must satisfy — are the caller's (src/app/approvals.ts);
// this file only reads and writes rows.
//
// Invariants: a decision is a conditional update from 'pending' (two deciders at once: one row changes,
// the other sees 0), so an approval is decided at most once; at most one strategy row is active (a
// unique partial index), and activating one retires the one before in the same statement group of the
// caller's transaction; activations and decisions that may supersede others run under one transaction
// lock (lockApprovalDecisions), so two approvals of different requests cannot cross; every list read has
// a bound.
import { sql } from 'drizzle-orm';
import { invariant } from '../errors/index.ts';
import { executeStatement, queryRows, type Queryable, type Transaction } from './db.ts';
import { toInstant, toInstantOrNull, toInteger, toText, toTextOrNull } from './rows.ts';

/** Rows one list call returns at most. */
export const APPROVALS_LIST_MAX = 500;

/** `payment_reversal`: a reversal above the lender's threshold (src/app/reversals.ts, migration 0017). */
export const approvalKinds = ['strategy_activation', 'payment_reversal'] as const;
export type ApprovalKind = (typeof approvalKinds)[number];

export const approvalStatuses = ['pending', 'approved', 'rejected', 'superseded'] as const;
export type ApprovalStatus = (typeof approvalStatuses)[number];

/** The transaction lock key every approval decision takes first ("Kuan" approvals, 0x4b75616e_0008). */
const decisionLockKey = 0x4b75616e0008n;

export interface NewApproval {
  approvalId: string;
  kind: ApprovalKind;
  /** What it is about: for a strategy activation, the strategy's name. */
  subject: string;
  /** One line for people. */
  summary: string;
  requestedBy: string;
  /** ISO-8601 instant. */
  requestedAt: string;
  requestComment: string | null;
  /** The requested document, as JSON. */
  document: unknown;
  /** Hex SHA-256 of the document's canonical form. */
  digest: string;
  /** The digest of what the document replaces, when it was asked. */
  baseDigest: string | null;
  /** What changes against the base (JSON). */
  changes: unknown;
}

export interface ApprovalRow extends NewApproval {
  status: ApprovalStatus;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionComment: string | null;
  supersededBy: string | null;
}

export interface StrategyRow {
  approvalId: string;
  name: string;
  version: number;
  digest: string;
  document: unknown;
  active: boolean;
  activatedAt: string;
  activatedBy: string;
  approvedBy: string;
  retiredAt: string | null;
}

function oneOf<T extends string>(values: readonly T[], value: unknown, what: string): T {
  const text = toText(value);
  invariant((values as readonly string[]).includes(text), `${what} is one of ${values.join(', ')}, got ${text}`);
  return text as T;
}

function toApproval(row: Record<string, unknown>): ApprovalRow {
  return {
    approvalId: toText(row.approval_id),
    kind: oneOf(approvalKinds, row.kind, 'approval kind'),
    status: oneOf(approvalStatuses, row.status, 'approval status'),
    subject: toText(row.subject),
    summary: toText(row.summary),
    requestedBy: toText(row.requested_by),
    requestedAt: toInstant(row.requested_at),
    requestComment: toTextOrNull(row.request_comment),
    document: row.document,
    digest: toText(row.digest),
    baseDigest: toTextOrNull(row.base_digest),
    changes: row.changes,
    decidedBy: toTextOrNull(row.decided_by),
    decidedAt: toInstantOrNull(row.decided_at),
    decisionComment: toTextOrNull(row.decision_comment),
    supersededBy: toTextOrNull(row.superseded_by),
  };
}

function toStrategy(row: Record<string, unknown>): StrategyRow {
  return {
    approvalId: toText(row.approval_id),
    name: toText(row.name),
    version: toInteger(row.version),
    digest: toText(row.digest),
    document: row.document,
    active: row.active === true,
    activatedAt: toInstant(row.activated_at),
    activatedBy: toText(row.activated_by),
    approvedBy: toText(row.approved_by),
    retiredAt: toInstantOrNull(row.retired_at),
  };
}

/**
 * Serialises approval decisions: held until the caller's transaction ends. Approving one strategy
 * activation supersedes the other pending ones; without this lock two approvals of different requests
 * would each lock their own row and then wait for the other's.
 */
export async function lockApprovalDecisions(tx: Transaction): Promise<void> {
  await queryRows(tx, sql`SELECT pg_advisory_xact_lock(${decisionLockKey.toString()}::bigint)`);
}

/** Inserts a pending approval; false when the id exists already. */
export async function insertApproval(queryable: Queryable, approval: NewApproval): Promise<boolean> {
  const inserted = await executeStatement(
    queryable,
    sql`INSERT INTO approvals (approval_id, kind, status, subject, summary, requested_by, requested_at,
                               request_comment, document, digest, base_digest, changes)
        VALUES (${approval.approvalId}, ${approval.kind}, 'pending', ${approval.subject}, ${approval.summary},
                ${approval.requestedBy}, ${approval.requestedAt}::timestamptz, ${approval.requestComment},
                ${JSON.stringify(approval.document)}::jsonb, ${approval.digest}, ${approval.baseDigest},
                ${JSON.stringify(approval.changes)}::jsonb)
        ON CONFLICT (approval_id) DO NOTHING`,
  );
  return inserted === 1;
}

/** One approval; `forUpdate` locks its row until the caller's transaction ends. */
export async function getApproval(
  queryable: Queryable,
  approvalId: string,
  options: { forUpdate?: boolean } = {},
): Promise<ApprovalRow | undefined> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    options.forUpdate === true
      ? sql`SELECT * FROM approvals WHERE approval_id = ${approvalId} FOR UPDATE`
      : sql`SELECT * FROM approvals WHERE approval_id = ${approvalId}`,
  );
  return rows[0] === undefined ? undefined : toApproval(rows[0]);
}

/** A pending approval of this kind asking for exactly this document, if any. */
export async function findPendingApproval(
  queryable: Queryable,
  query: { kind: ApprovalKind; digest: string },
): Promise<ApprovalRow | undefined> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT * FROM approvals WHERE kind = ${query.kind} AND status = 'pending' AND digest = ${query.digest}
        ORDER BY requested_at, approval_id LIMIT 1`,
  );
  return rows[0] === undefined ? undefined : toApproval(rows[0]);
}

/** The pending approval of this kind about `subject` (index approvals_pending_subject_idx), if any. */
export async function findPendingApprovalAbout(
  queryable: Queryable,
  query: { kind: ApprovalKind; subject: string },
): Promise<ApprovalRow | undefined> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT * FROM approvals WHERE kind = ${query.kind} AND subject = ${query.subject} AND status = 'pending'
        ORDER BY requested_at, approval_id LIMIT 1`,
  );
  return rows[0] === undefined ? undefined : toApproval(rows[0]);
}

/** Newest first; `before` is the last row of the previous page (keyset paging). */
export async function listApprovals(
  queryable: Queryable,
  query: {
    status?: ApprovalStatus;
    kind?: ApprovalKind;
    limit: number;
    before?: { requestedAt: string; approvalId: string };
  },
): Promise<ApprovalRow[]> {
  invariant(
    Number.isInteger(query.limit) && query.limit >= 1 && query.limit <= APPROVALS_LIST_MAX,
    `an approvals page holds 1…${APPROVALS_LIST_MAX} rows`,
  );
  const status = query.status ?? null;
  const kind = query.kind ?? null;
  const beforeAt = query.before?.requestedAt ?? null;
  const beforeId = query.before?.approvalId ?? null;
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT * FROM approvals
        WHERE (${status}::text IS NULL OR status = ${status}::text)
          AND (${kind}::text IS NULL OR kind = ${kind}::text)
          AND (${beforeAt}::timestamptz IS NULL
               OR (requested_at, approval_id) < (${beforeAt}::timestamptz, ${beforeId}::text COLLATE "C"))
        ORDER BY requested_at DESC, approval_id DESC
        LIMIT ${query.limit}`,
  );
  return rows.map(toApproval);
}

/**
 * Decides a pending approval: true when this call decided it, false when it was no longer pending (someone
 * decided it first). The caller has checked who may decide; the table refuses the requester anyway.
 */
export async function decideApproval(
  queryable: Queryable,
  decision: {
    approvalId: string;
    status: 'approved' | 'rejected';
    decidedBy: string;
    decidedAt: string;
    comment: string | null;
  },
): Promise<boolean> {
  const changed = await executeStatement(
    queryable,
    sql`UPDATE approvals
        SET status = ${decision.status}, decided_by = ${decision.decidedBy},
            decided_at = ${decision.decidedAt}::timestamptz, decision_comment = ${decision.comment}
        WHERE approval_id = ${decision.approvalId} AND status = 'pending'`,
  );
  return changed === 1;
}

/** Marks every other pending approval of `kind` superseded by `supersededBy`; returns their ids. */
export async function supersedePendingApprovals(
  queryable: Queryable,
  input: { kind: ApprovalKind; supersededBy: string; decidedBy: string; decidedAt: string },
): Promise<string[]> {
  const rows = await queryRows<{ approval_id: unknown }>(
    queryable,
    sql`UPDATE approvals
        SET status = 'superseded', decided_by = ${input.decidedBy}, decided_at = ${input.decidedAt}::timestamptz,
            superseded_by = ${input.supersededBy}
        WHERE kind = ${input.kind} AND status = 'pending' AND approval_id <> ${input.supersededBy}
        RETURNING approval_id`,
  );
  return rows.map((row) => toText(row.approval_id)).sort();
}

// ---- strategies ------------------------------------------------------------------------------------------

/** The strategy in force, or undefined when none was ever activated (the built-in default applies). */
export async function getActiveStrategy(queryable: Queryable): Promise<StrategyRow | undefined> {
  const rows = await queryRows<Record<string, unknown>>(queryable, sql`SELECT * FROM strategies WHERE active`);
  invariant(rows.length <= 1, `at most one strategy is active, found ${rows.length}`);
  return rows[0] === undefined ? undefined : toStrategy(rows[0]);
}

/** The digests a strategy name and version were activated with (normally one). */
export async function findStrategyVersionDigests(
  queryable: Queryable,
  query: { name: string; version: number },
): Promise<string[]> {
  const rows = await queryRows<{ digest: unknown }>(
    queryable,
    sql`SELECT DISTINCT digest FROM strategies WHERE name = ${query.name} AND version = ${query.version}
        ORDER BY digest LIMIT 10`,
  );
  return rows.map((row) => toText(row.digest));
}

/** Activations, newest first (at most `limit`). */
export async function listStrategyActivations(queryable: Queryable, limit: number): Promise<StrategyRow[]> {
  invariant(Number.isInteger(limit) && limit >= 1 && limit <= APPROVALS_LIST_MAX, 'a bounded list');
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT * FROM strategies ORDER BY activated_at DESC, approval_id DESC LIMIT ${limit}`,
  );
  return rows.map(toStrategy);
}

/**
 * Makes this document the active strategy: retires the active one (if any), then inserts the new row.
 * Run it in the transaction that approves `approvalId`, after lockApprovalDecisions.
 */
export async function activateStrategy(
  tx: Transaction,
  activation: {
    approvalId: string;
    name: string;
    version: number;
    digest: string;
    document: unknown;
    activatedAt: string;
    activatedBy: string;
    approvedBy: string;
  },
): Promise<{ retired: string | null }> {
  const retired = await queryRows<{ approval_id: unknown }>(
    tx,
    sql`UPDATE strategies SET active = false, retired_at = ${activation.activatedAt}::timestamptz
        WHERE active RETURNING approval_id`,
  );
  await executeStatement(
    tx,
    sql`INSERT INTO strategies (approval_id, name, version, digest, document, active, activated_at, activated_by,
                                approved_by)
        VALUES (${activation.approvalId}, ${activation.name}, ${activation.version}, ${activation.digest},
                ${JSON.stringify(activation.document)}::jsonb, true, ${activation.activatedAt}::timestamptz,
                ${activation.activatedBy}, ${activation.approvedBy})`,
  );
  return { retired: retired[0] === undefined ? null : toText(retired[0].approval_id) };
}
