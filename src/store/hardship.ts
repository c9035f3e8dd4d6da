// Hardship records: overdue reasons with their evidence files (bytes in bytea), hardship policies per
// product, plans and their approval decisions (migration 0004). The plan's ledger effect is not here: it
// is the loan's transactions, journal and state, written by the caller in the same transaction.
// Invariants: reasons and approvals are append-only; an evidence file's content matches its recorded size
// (checked by the table) and SHA-256 (checked by the caller before it gets here); a plan row changes only
// under the version it was read with (the caller locks it first), and only an active plan has a next
// check date; every list read has a bound.
import { sql } from 'drizzle-orm';
import type { IsoDate } from '../calendar/index.ts';
import { invariant } from '../errors/index.ts';
import { executeStatement, queryRows, type Queryable, type Transaction } from './db.ts';
import { jsonOrNull, toDate, toDateOrNull, toInstant, toInteger, toText, toTextOrNull } from './rows.ts';

/** Rows one list call returns at most. */
export const HARDSHIP_LIST_MAX = 1_000;
/** Plans one judgePlans page claims at most. */
export const PLAN_CLAIM_MAX = 1_000;

// ---- policies --------------------------------------------------------------------------------------------

/** Writes a policy (already validated by parseHardshipPolicy) under a product id or 'default'. */
export async function upsertHardshipPolicy(
  queryable: Queryable,
  policy: { policyId: string; config: unknown; updatedAt: string },
): Promise<void> {
  await executeStatement(
    queryable,
    sql`INSERT INTO hardship_policies (policy_id, config, updated_at)
        VALUES (${policy.policyId}, ${JSON.stringify(policy.config)}::jsonb, ${policy.updatedAt}::timestamptz)
        ON CONFLICT (policy_id) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at`,
  );
}

/** The first of these policy ids that exists (e.g. [productId, 'default']), as stored JSON. */
export async function findHardshipPolicy(
  queryable: Queryable,
  policyIds: readonly string[],
): Promise<{ policyId: string; config: unknown } | undefined> {
  if (policyIds.length === 0) return undefined;
  const rows = await queryRows<{ policy_id: unknown; config: unknown }>(
    queryable,
    sql`SELECT policy_id, config FROM hardship_policies
        WHERE policy_id IN (SELECT jsonb_array_elements_text(${JSON.stringify(policyIds)}::jsonb))`,
  );
  for (const id of policyIds) {
    const row = rows.find((candidate) => candidate.policy_id === id);
    if (row) return { policyId: id, config: row.config };
  }
  return undefined;
}

// ---- overdue reasons -------------------------------------------------------------------------------------

export interface EvidenceMetadata {
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
}

export interface NewEvidence extends EvidenceMetadata {
  content: Uint8Array;
}

export interface NewOverdueReason {
  borrowerId: string;
  reasonId: string;
  loanId: string | null;
  category: string;
  text: string;
  /** 'borrower' or an agent id. */
  capturedBy: string;
  capturedAt: string;
  evidence: readonly NewEvidence[];
}

export interface OverdueReasonRow extends Omit<NewOverdueReason, 'evidence'> {
  /** Metadata only; getEvidenceContent reads the bytes. */
  evidence: (EvidenceMetadata & { evidenceNo: number })[];
}

/** Inserts a reason and its files (numbered 1, 2, … in order); false when the reason id exists already. */
export async function insertOverdueReason(queryable: Queryable, reason: NewOverdueReason): Promise<boolean> {
  const inserted = await executeStatement(
    queryable,
    sql`INSERT INTO overdue_reasons (borrower_id, reason_id, loan_id, category, text, captured_by, captured_at)
        VALUES (${reason.borrowerId}, ${reason.reasonId}, ${reason.loanId}, ${reason.category}, ${reason.text},
                ${reason.capturedBy}, ${reason.capturedAt}::timestamptz)
        ON CONFLICT (borrower_id, reason_id) DO NOTHING`,
  );
  if (inserted === 0) return false;
  let number = 0;
  for (const file of reason.evidence) {
    number += 1;
    await executeStatement(
      queryable,
      sql`INSERT INTO overdue_reason_evidence
            (borrower_id, reason_id, evidence_no, file_name, media_type, size_bytes, sha256, content)
          VALUES (${reason.borrowerId}, ${reason.reasonId}, ${number}, ${file.fileName}, ${file.mediaType},
                  ${file.sizeBytes}, ${file.sha256}, decode(${Buffer.from(file.content).toString('base64')}, 'base64'))`,
    );
  }
  return true;
}

function toReason(row: Record<string, unknown>): Omit<OverdueReasonRow, 'evidence'> {
  return {
    borrowerId: toText(row.borrower_id),
    reasonId: toText(row.reason_id),
    loanId: toTextOrNull(row.loan_id),
    category: toText(row.category),
    text: toText(row.text),
    capturedBy: toText(row.captured_by),
    capturedAt: toInstant(row.captured_at),
  };
}

async function evidenceOf(
  queryable: Queryable,
  borrowerId: string,
  reasonIds: readonly string[],
): Promise<Map<string, OverdueReasonRow['evidence']>> {
  const found = new Map<string, OverdueReasonRow['evidence']>();
  if (reasonIds.length === 0) return found;
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT reason_id, evidence_no, file_name, media_type, size_bytes, sha256 FROM overdue_reason_evidence
        WHERE borrower_id = ${borrowerId}
          AND reason_id IN (SELECT jsonb_array_elements_text(${JSON.stringify(reasonIds)}::jsonb))
        ORDER BY reason_id, evidence_no`,
  );
  for (const row of rows) {
    const reasonId = toText(row.reason_id);
    const list = found.get(reasonId) ?? [];
    list.push({
      evidenceNo: toInteger(row.evidence_no),
      fileName: toText(row.file_name),
      mediaType: toText(row.media_type),
      sizeBytes: toInteger(row.size_bytes),
      sha256: toText(row.sha256),
    });
    found.set(reasonId, list);
  }
  return found;
}

export async function getOverdueReason(
  queryable: Queryable,
  key: { borrowerId: string; reasonId: string },
): Promise<OverdueReasonRow | undefined> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT borrower_id, reason_id, loan_id, category, text, captured_by, captured_at FROM overdue_reasons
        WHERE borrower_id = ${key.borrowerId} AND reason_id = ${key.reasonId}`,
  );
  if (!rows[0]) return undefined;
  const evidence = await evidenceOf(queryable, key.borrowerId, [key.reasonId]);
  return { ...toReason(rows[0]), evidence: evidence.get(key.reasonId) ?? [] };
}

/** A borrower's reasons, newest first (optionally of one loan), at most `limit` (≤ HARDSHIP_LIST_MAX). */
export async function listOverdueReasons(
  queryable: Queryable,
  options: { borrowerId: string; loanId?: string; limit?: number },
): Promise<OverdueReasonRow[]> {
  const limit = options.limit ?? 100;
  invariant(Number.isInteger(limit) && limit >= 1 && limit <= HARDSHIP_LIST_MAX, `list limit 1…${HARDSHIP_LIST_MAX}`);
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT borrower_id, reason_id, loan_id, category, text, captured_by, captured_at FROM overdue_reasons
        WHERE borrower_id = ${options.borrowerId}
          ${options.loanId === undefined ? sql`` : sql`AND loan_id = ${options.loanId}`}
        ORDER BY captured_at DESC, reason_id LIMIT ${limit}`,
  );
  const reasons = rows.map(toReason);
  const evidence = await evidenceOf(
    queryable,
    options.borrowerId,
    reasons.map((reason) => reason.reasonId),
  );
  return reasons.map((reason) => ({ ...reason, evidence: evidence.get(reason.reasonId) ?? [] }));
}

/** One evidence file with its bytes. */
export async function getEvidenceContent(
  queryable: Queryable,
  key: { borrowerId: string; reasonId: string; evidenceNo: number },
): Promise<(EvidenceMetadata & { content: Uint8Array }) | undefined> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT file_name, media_type, size_bytes, sha256, encode(content, 'base64') AS content
        FROM overdue_reason_evidence
        WHERE borrower_id = ${key.borrowerId} AND reason_id = ${key.reasonId} AND evidence_no = ${key.evidenceNo}`,
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    fileName: toText(row.file_name),
    mediaType: toText(row.media_type),
    sizeBytes: toInteger(row.size_bytes),
    sha256: toText(row.sha256),
    // PostgreSQL's base64 wraps lines every 76 characters; Buffer ignores the newlines.
    content: new Uint8Array(Buffer.from(toText(row.content), 'base64')),
  };
}

// ---- plans -----------------------------------------------------------------------------------------------

export type HardshipPlanStatus = 'requested' | 'refused' | 'active' | 'completed' | 'broken';

export interface NewHardshipPlan {
  borrowerId: string;
  planId: string;
  loanId: string;
  planType: string;
  status: 'requested' | 'refused';
  /** PlanTermsJson. */
  terms: unknown;
  requestedBy: string;
  requestedOn: IsoDate;
  reasonId: string | null;
  /** The offer as shown (JSON-safe), or null for a request refused before an offer existed. */
  offer: unknown;
  resultCode: string | null;
  resultMessage: string | null;
  createdAt: string;
}

export interface HardshipPlanRow extends Omit<NewHardshipPlan, 'status'> {
  status: HardshipPlanStatus;
  activatedOn: IsoDate | null;
  activationSeq: number | null;
  /** The plan installments it is judged on, as JSON ([{number, dueDate, amountMinor}]). */
  judged: unknown;
  graceDays: number | null;
  onBreak: 'keep' | 'restore' | null;
  nextCheckDate: IsoDate | null;
  endedOn: IsoDate | null;
  version: number;
  updatedAt: string;
}

const planColumns = sql.raw(
  'borrower_id, plan_id, loan_id, plan_type, status, terms, requested_by, requested_on, reason_id, offer, result_code, result_message, activated_on, activation_seq, judged, grace_days, on_break, next_check_date, ended_on, version, created_at, updated_at',
);

function toPlan(row: Record<string, unknown>): HardshipPlanRow {
  const onBreak = toTextOrNull(row.on_break);
  return {
    borrowerId: toText(row.borrower_id),
    planId: toText(row.plan_id),
    loanId: toText(row.loan_id),
    planType: toText(row.plan_type),
    status: toText(row.status) as HardshipPlanStatus,
    terms: row.terms,
    requestedBy: toText(row.requested_by),
    requestedOn: toDate(row.requested_on),
    reasonId: toTextOrNull(row.reason_id),
    offer: row.offer ?? null,
    resultCode: toTextOrNull(row.result_code),
    resultMessage: toTextOrNull(row.result_message),
    activatedOn: toDateOrNull(row.activated_on),
    activationSeq: row.activation_seq === null ? null : toInteger(row.activation_seq),
    judged: row.judged ?? null,
    graceDays: row.grace_days === null ? null : toInteger(row.grace_days),
    onBreak: onBreak === 'keep' || onBreak === 'restore' ? onBreak : null,
    nextCheckDate: toDateOrNull(row.next_check_date),
    endedOn: toDateOrNull(row.ended_on),
    version: toInteger(row.version),
    createdAt: toInstant(row.created_at),
    updatedAt: toInstant(row.updated_at),
  };
}

export async function insertHardshipPlan(queryable: Queryable, plan: NewHardshipPlan): Promise<void> {
  await executeStatement(
    queryable,
    sql`INSERT INTO hardship_plans (borrower_id, plan_id, loan_id, plan_type, status, terms, requested_by,
          requested_on, reason_id, offer, result_code, result_message, ended_on, created_at, updated_at)
        VALUES (${plan.borrowerId}, ${plan.planId}, ${plan.loanId}, ${plan.planType}, ${plan.status},
          ${JSON.stringify(plan.terms)}::jsonb, ${plan.requestedBy}, ${plan.requestedOn}::date, ${plan.reasonId},
          ${jsonOrNull(plan.offer)}::jsonb, ${plan.resultCode}, ${plan.resultMessage},
          ${plan.status === 'refused' ? plan.requestedOn : null}::date,
          ${plan.createdAt}::timestamptz, ${plan.createdAt}::timestamptz)`,
  );
}

/** A plan by its id; forUpdate locks it until the caller's transaction ends. */
export async function getHardshipPlan(
  queryable: Queryable,
  planId: string,
  options: { forUpdate?: boolean } = {},
): Promise<HardshipPlanRow | undefined> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT ${planColumns} FROM hardship_plans WHERE plan_id = ${planId}
        ${options.forUpdate ? sql`FOR UPDATE` : sql``}`,
  );
  invariant(rows.length <= 1, `plan id ${planId} names one plan`);
  return rows[0] ? toPlan(rows[0]) : undefined;
}

/** A loan's plans, oldest first (bounded by HARDSHIP_LIST_MAX). */
export async function listLoanPlans(
  queryable: Queryable,
  loan: { borrowerId: string; loanId: string },
): Promise<HardshipPlanRow[]> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT ${planColumns} FROM hardship_plans
        WHERE borrower_id = ${loan.borrowerId} AND loan_id = ${loan.loanId}
        ORDER BY requested_on, created_at, plan_id LIMIT ${HARDSHIP_LIST_MAX}`,
  );
  return rows.map(toPlan);
}

/**
 * Per borrower, the oldest plan still awaiting a decision ('requested'): an open request for help, which
 * holds collection contact back until it is approved or refused (the contact gate reads it).
 */
export async function listRequestedPlansByBorrower(
  queryable: Queryable,
  borrowerIds: readonly string[],
): Promise<Map<string, HardshipPlanRow>> {
  const found = new Map<string, HardshipPlanRow>();
  if (borrowerIds.length === 0) return found;
  invariant(borrowerIds.length <= HARDSHIP_LIST_MAX, `at most ${HARDSHIP_LIST_MAX} borrowers a call`);
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT DISTINCT ON (borrower_id) ${planColumns} FROM hardship_plans
        WHERE borrower_id IN (SELECT jsonb_array_elements_text(${JSON.stringify(borrowerIds)}::jsonb))
          AND status = 'requested'
        ORDER BY borrower_id, created_at, plan_id`,
  );
  for (const row of rows) {
    const plan = toPlan(row);
    found.set(plan.borrowerId, plan);
  }
  return found;
}

export interface HardshipPlanUpdate {
  borrowerId: string;
  planId: string;
  expectedVersion: number;
  status: HardshipPlanStatus;
  resultCode?: string | null;
  resultMessage?: string | null;
  activatedOn?: IsoDate | null;
  activationSeq?: number | null;
  judged?: unknown;
  graceDays?: number | null;
  onBreak?: 'keep' | 'restore' | null;
  /** The offer as applied (an approval works it out again on the loan as it then is). */
  offer?: unknown;
  nextCheckDate: IsoDate | null;
  endedOn?: IsoDate | null;
  updatedAt: string;
}

/** Changes a plan read (and locked) at `expectedVersion`; fields left undefined keep their value. */
export async function updateHardshipPlan(queryable: Queryable, update: HardshipPlanUpdate): Promise<void> {
  const sets = [
    sql`status = ${update.status}`,
    sql`next_check_date = ${update.nextCheckDate}::date`,
    sql`version = version + 1`,
    sql`updated_at = ${update.updatedAt}::timestamptz`,
  ];
  if (update.resultCode !== undefined) sets.push(sql`result_code = ${update.resultCode}`);
  if (update.resultMessage !== undefined) sets.push(sql`result_message = ${update.resultMessage}`);
  if (update.activatedOn !== undefined) sets.push(sql`activated_on = ${update.activatedOn}::date`);
  if (update.activationSeq !== undefined) sets.push(sql`activation_seq = ${update.activationSeq}::integer`);
  if (update.judged !== undefined) sets.push(sql`judged = ${jsonOrNull(update.judged)}::jsonb`);
  if (update.graceDays !== undefined) sets.push(sql`grace_days = ${update.graceDays}::integer`);
  if (update.onBreak !== undefined) sets.push(sql`on_break = ${update.onBreak}`);
  if (update.endedOn !== undefined) sets.push(sql`ended_on = ${update.endedOn}::date`);
  if (update.offer !== undefined) sets.push(sql`offer = ${jsonOrNull(update.offer)}::jsonb`);
  const count = await executeStatement(
    queryable,
    sql`UPDATE hardship_plans SET ${sql.join(sets, sql`, `)}
        WHERE borrower_id = ${update.borrowerId} AND plan_id = ${update.planId} AND version = ${update.expectedVersion}`,
  );
  invariant(count === 1, `plan ${update.planId} changed since it was read at version ${update.expectedVersion}`);
}

/** Plans of a loan activated on or after `since` (for the plans-per-year rule). */
export async function countPlansActivatedSince(
  queryable: Queryable,
  loan: { borrowerId: string; loanId: string; since: IsoDate },
): Promise<number> {
  const rows = await queryRows<{ n: unknown }>(
    queryable,
    sql`SELECT count(*) AS n FROM hardship_plans
        WHERE borrower_id = ${loan.borrowerId} AND loan_id = ${loan.loanId}
          AND activated_on IS NOT NULL AND activated_on >= ${loan.since}::date`,
  );
  return toInteger(rows[0]?.n ?? 0);
}

/**
 * Active plans due for a look on `businessDate` (next_check_date ≤ it), oldest check first, locked FOR
 * UPDATE SKIP LOCKED so concurrent runners never take the same plan. Call it and the updates in one
 * transaction.
 */
export async function claimPlansToJudge(
  tx: Transaction,
  options: { businessDate: IsoDate; limit: number },
): Promise<HardshipPlanRow[]> {
  const { limit } = options;
  invariant(Number.isInteger(limit) && limit >= 1 && limit <= PLAN_CLAIM_MAX, `claim limit 1…${PLAN_CLAIM_MAX}`);
  const rows = await queryRows<Record<string, unknown>>(
    tx,
    sql`SELECT ${planColumns} FROM hardship_plans
        WHERE status = 'active' AND next_check_date <= ${options.businessDate}::date
        ORDER BY next_check_date, borrower_id, plan_id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED`,
  );
  return rows.map(toPlan);
}

// ---- approvals ------------------------------------------------------------------------------------------

export interface NewPlanApproval {
  borrowerId: string;
  planId: string;
  approverId: string;
  role: string;
  decision: 'approved' | 'refused' | 'exceeded';
  limits: unknown;
  code: string | null;
  message: string | null;
  decidedOn: IsoDate;
  decidedAt: string;
}

export interface PlanApprovalRow extends NewPlanApproval {
  seq: number;
}

/** Appends a decision (seq = the plan's next); run it under the plan's lock. */
export async function insertPlanApproval(queryable: Queryable, approval: NewPlanApproval): Promise<number> {
  const rows = await queryRows<{ seq: unknown }>(
    queryable,
    sql`INSERT INTO hardship_plan_approvals (borrower_id, plan_id, seq, approver_id, role, decision, limits, code,
          message, decided_on, decided_at)
        SELECT ${approval.borrowerId}, ${approval.planId}, coalesce(max(seq), 0) + 1, ${approval.approverId},
          ${approval.role}, ${approval.decision}, ${jsonOrNull(approval.limits)}::jsonb, ${approval.code},
          ${approval.message}, ${approval.decidedOn}::date, ${approval.decidedAt}::timestamptz
        FROM hardship_plan_approvals WHERE borrower_id = ${approval.borrowerId} AND plan_id = ${approval.planId}
        RETURNING seq`,
  );
  return toInteger(rows[0]?.seq);
}

export async function listPlanApprovals(
  queryable: Queryable,
  plan: { borrowerId: string; planId: string },
): Promise<PlanApprovalRow[]> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT borrower_id, plan_id, seq, approver_id, role, decision, limits, code, message, decided_on, decided_at
        FROM hardship_plan_approvals WHERE borrower_id = ${plan.borrowerId} AND plan_id = ${plan.planId}
        ORDER BY seq LIMIT ${HARDSHIP_LIST_MAX}`,
  );
  return rows.map((row) => ({
    borrowerId: toText(row.borrower_id),
    planId: toText(row.plan_id),
    seq: toInteger(row.seq),
    approverId: toText(row.approver_id),
    role: toText(row.role),
    decision: toText(row.decision) as PlanApprovalRow['decision'],
    limits: row.limits ?? null,
    code: toTextOrNull(row.code),
    message: toTextOrNull(row.message),
    decidedOn: toDate(row.decided_on),
    decidedAt: toInstant(row.decided_at),
  }));
}
