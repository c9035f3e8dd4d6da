// The collector workbench's repositories (migration 0005): agents, cases and their assignments, call logs,
// notes, callbacks, escalations with the lawyer's letter, complaints and surveys. Plain rows in and out;
// the workbench's rules live in src/workbench and the orchestration in src/app/workbench.ts.
// Invariants: every instant is the caller's (`…Ms` arguments; SQL never reads the clock for anything a
// decision depends on); a borrower has at most one open case (a unique index); a case is claimed by one
// agent at a time (FOR UPDATE SKIP LOCKED plus a lease until claimed_until), and a lapsed claim can be
// taken over; assignment, note and escalation numbers are per borrower (or case) and gap-free, written
// under the case's row lock; a survey is offered once and answered once.
import { sql, type SQL } from 'drizzle-orm';
import type { IsoDate } from '../calendar/index.ts';
import { invariant } from '../errors/index.ts';
import { executeStatement, queryRows, type Queryable } from './db.ts';
import { loanDocumentOf } from './loans.ts';
import { borrowerHash } from './partition.ts';
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
  toDateOrNull,
  toInteger,
  toText,
  toTextOrNull,
} from './rows.ts';

/** Most rows a listing returns. */
export const CASE_LIST_MAX = 1_000;
/** Most borrowers one page of case lookups may name. */
export const CASE_BORROWERS_PAGE_MAX = 2_000;

const iso = isoOfMs;
const msOf = msOfInstant;
const msOrNull = msOfInstantOrNull;
const idList = idListJson;

function checkLimit(limit: number, max = CASE_LIST_MAX): void {
  invariant(Number.isInteger(limit) && limit >= 1 && limit <= max, `list limit 1…${max}`);
}

// ---- agents -----------------------------------------------------------------------------------------

export interface AgentRow {
  agentId: string;
  name: string;
  team: string;
  skills: { languages: string[]; buckets: string[] };
  capacity: number;
  active: boolean;
}

/** Creates agents or updates their name, team, skills, capacity and whether they are active. */
export async function upsertAgents(queryable: Queryable, agents: readonly AgentRow[], nowMs: number): Promise<number> {
  assertUniqueKeys(agents, (agent) => agent.agentId, 'agent');
  let written = 0;
  for (const chunk of chunks(agents, BATCH_ROWS_MAX)) {
    const document = batchDocument(
      chunk.map((agent) => ({
        agent_id: agent.agentId,
        name: agent.name,
        team: agent.team,
        skills: { languages: agent.skills.languages, buckets: agent.skills.buckets },
        capacity: agent.capacity,
        active: agent.active,
      })),
    );
    written += await executeStatement(
      queryable,
      sql`INSERT INTO agents (agent_id, name, team, skills, capacity, active, created_at, updated_at)
          SELECT agent_id, name, team, skills, capacity, active, ${iso(nowMs)}::timestamptz, ${iso(nowMs)}::timestamptz
          FROM jsonb_to_recordset(${document}::jsonb) AS v(agent_id text, name text, team text, skills jsonb,
               capacity integer, active boolean)
          ON CONFLICT (agent_id) DO UPDATE
          SET name = excluded.name, team = excluded.team, skills = excluded.skills, capacity = excluded.capacity,
              active = excluded.active, updated_at = excluded.updated_at`,
    );
  }
  return written;
}

function toAgentRow(row: Record<string, unknown>): AgentRow {
  const skills = (row.skills ?? {}) as { languages?: string[]; buckets?: string[] };
  return {
    agentId: toText(row.agent_id),
    name: toText(row.name),
    team: toText(row.team),
    skills: { languages: skills.languages ?? [], buckets: skills.buckets ?? [] },
    capacity: toInteger(row.capacity),
    active: row.active === true,
  };
}

export async function getAgent(queryable: Queryable, agentId: string): Promise<AgentRow | undefined> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT agent_id, name, team, skills, capacity, active FROM agents WHERE agent_id = ${agentId}`,
  );
  return rows[0] ? toAgentRow(rows[0]) : undefined;
}

/** Agents by id, of one team when asked (active or not: who may work what is src/workbench/assignment.ts's). */
export async function listAgents(queryable: Queryable, options: { team?: string } = {}): Promise<AgentRow[]> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT agent_id, name, team, skills, capacity, active FROM agents
        WHERE true ${options.team !== undefined ? sql`AND team = ${options.team}` : sql``}
        ORDER BY agent_id LIMIT ${CASE_LIST_MAX}`,
  );
  return rows.map(toAgentRow);
}

/** Open cases per assigned agent. */
export async function countOpenCasesByAgent(queryable: Queryable): Promise<Map<string, number>> {
  const rows = await queryRows<{ agent_id: unknown; count: unknown }>(
    queryable,
    sql`SELECT assigned_agent_id AS agent_id, count(*) AS count FROM cases
        WHERE status = 'open' AND assigned_agent_id IS NOT NULL GROUP BY assigned_agent_id`,
  );
  return new Map(rows.map((row) => [toText(row.agent_id), toInteger(row.count)]));
}

// ---- loans and borrowers the refresh reads ----------------------------------------------------------

/**
 * The next page of borrowers the case refresh must look at, in borrower id order after `after`: those
 * with a loan overdue (past its grace days) or charged off, and those with an open case (to resolve it).
 */
export async function listCaseBorrowers(
  queryable: Queryable,
  options: { after?: string; limit: number },
): Promise<string[]> {
  checkLimit(options.limit, CASE_BORROWERS_PAGE_MAX);
  const from = options.after ?? '';
  const rows = await queryRows<{ borrower_id: unknown }>(
    queryable,
    sql`SELECT borrower_id FROM (
          (SELECT DISTINCT borrower_id FROM loans
           WHERE status IN ('overdue', 'charged_off') AND borrower_id > ${from}
           ORDER BY borrower_id LIMIT ${options.limit})
          UNION
          (SELECT borrower_id FROM cases WHERE status = 'open' AND borrower_id > ${from}
           ORDER BY borrower_id LIMIT ${options.limit})
        ) AS candidates
        ORDER BY borrower_id LIMIT ${options.limit}`,
  );
  return rows.map((row) => toText(row.borrower_id));
}

/** A loan as the workbench reads it: enough to decode its state (src/app/document.ts). */
export interface CaseLoanRow {
  borrowerId: string;
  loanId: string;
  currency: string;
  status: string;
  state: unknown;
  terms: unknown;
  rulesDigest: string | null;
}

/** Every loan of these borrowers, by borrower and loan id (one read for a page: workbench, contact planning). */
export async function listLoansOfBorrowers(
  queryable: Queryable,
  borrowerIds: readonly string[],
): Promise<CaseLoanRow[]> {
  invariant(borrowerIds.length <= CASE_BORROWERS_PAGE_MAX, `at most ${CASE_BORROWERS_PAGE_MAX} borrowers a page`);
  if (borrowerIds.length === 0) return [];
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT borrower_id, loan_id, currency, status, state, terms, rules_digest FROM loans
        -- The LIMIT cuts nothing; it tells the planner how few ids come, so it looks them up by index.
        WHERE borrower_id IN (SELECT jsonb_array_elements_text(${idList(borrowerIds)}::jsonb) LIMIT ${borrowerIds.length})
        ORDER BY borrower_id, loan_id`,
  );
  return rows.map((row) => ({
    borrowerId: toText(row.borrower_id),
    loanId: toText(row.loan_id),
    currency: toText(row.currency),
    status: toText(row.status),
    state: loanDocumentOf(row.state),
    terms: row.terms ?? null,
    rulesDigest: toTextOrNull(row.rules_digest),
  }));
}

// ---- cases ------------------------------------------------------------------------------------------

export type CaseStatus = 'open' | 'resolved';

export interface CaseKey {
  borrowerId: string;
  caseId: string;
}

export interface CaseRow extends CaseKey {
  status: CaseStatus;
  openedOn: IsoDate;
  resolvedOn: IsoDate | null;
  resolution: string | null;
  stage: string;
  locale: string;
  timezone: string;
  loanIds: string[];
  dpd: number;
  bucket: string;
  chargedOff: boolean;
  /** JSON (amounts as decimal strings): the facts the priority was computed from. */
  facts: unknown;
  priorityCenti: number;
  /** JSON: the formula's terms. */
  explanation: unknown;
  refreshedOn: IsoDate;
  assignedAgentId: string | null;
  assignedAtMs: number | null;
  claimedBy: string | null;
  claimedUntilMs: number | null;
  lastCallAtMs: number | null;
  createdAtMs: number;
  updatedAtMs: number;
}

const caseColumns = sql.raw(
  'c.borrower_id, c.case_id, c.status, c.opened_on, c.resolved_on, c.resolution, c.stage, c.locale, c.timezone, c.loan_ids, c.dpd, c.bucket, c.charged_off, c.facts, c.priority_centi, c.explanation, c.refreshed_on, c.assigned_agent_id, c.assigned_at, c.claimed_by, c.claimed_until, c.last_call_at, c.created_at, c.updated_at',
);

function toCaseRow(row: Record<string, unknown>): CaseRow {
  return {
    borrowerId: toText(row.borrower_id),
    caseId: toText(row.case_id),
    status: toText(row.status) as CaseStatus,
    openedOn: toDate(row.opened_on),
    resolvedOn: toDateOrNull(row.resolved_on),
    resolution: toTextOrNull(row.resolution),
    stage: toText(row.stage),
    locale: toText(row.locale),
    timezone: toText(row.timezone),
    loanIds: row.loan_ids as string[],
    dpd: toInteger(row.dpd),
    bucket: toText(row.bucket),
    chargedOff: row.charged_off === true,
    facts: row.facts,
    priorityCenti: toInteger(row.priority_centi),
    explanation: row.explanation,
    refreshedOn: toDate(row.refreshed_on),
    assignedAgentId: toTextOrNull(row.assigned_agent_id),
    assignedAtMs: msOrNull(row.assigned_at),
    claimedBy: toTextOrNull(row.claimed_by),
    claimedUntilMs: msOrNull(row.claimed_until),
    lastCallAtMs: msOrNull(row.last_call_at),
    createdAtMs: msOf(row.created_at),
    updatedAtMs: msOf(row.updated_at),
  };
}

/** The open cases of these borrowers. */
export async function listOpenCasesOf(queryable: Queryable, borrowerIds: readonly string[]): Promise<CaseRow[]> {
  invariant(borrowerIds.length <= CASE_BORROWERS_PAGE_MAX, `at most ${CASE_BORROWERS_PAGE_MAX} borrowers a page`);
  if (borrowerIds.length === 0) return [];
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT ${caseColumns} FROM cases AS c
        WHERE c.status = 'open' AND c.borrower_id IN (SELECT jsonb_array_elements_text(${idList(borrowerIds)}::jsonb))
        ORDER BY c.borrower_id`,
  );
  return rows.map(toCaseRow);
}

/** One case by key; forUpdate locks it until the caller's transaction ends. */
export async function getCase(
  queryable: Queryable,
  key: CaseKey,
  options: { forUpdate?: boolean } = {},
): Promise<CaseRow | undefined> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT ${caseColumns} FROM cases AS c WHERE c.borrower_id = ${key.borrowerId} AND c.case_id = ${key.caseId}
        ${options.forUpdate ? sql`FOR UPDATE` : sql``}`,
  );
  return rows[0] ? toCaseRow(rows[0]) : undefined;
}

/** The borrower's open case, if any. */
export async function getOpenCase(queryable: Queryable, borrowerId: string): Promise<CaseRow | undefined> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT ${caseColumns} FROM cases AS c WHERE c.borrower_id = ${borrowerId} AND c.status = 'open'`,
  );
  return rows[0] ? toCaseRow(rows[0]) : undefined;
}

/** A case as the refresh computed it. */
export interface CaseWrite extends CaseKey {
  openedOn: IsoDate;
  /** Used only when the case is created. */
  stage: string;
  locale: string;
  timezone: string;
  loanIds: string[];
  dpd: number;
  bucket: string;
  chargedOff: boolean;
  facts: unknown;
  priorityCenti: number;
  explanation: unknown;
  refreshedOn: IsoDate;
}

/**
 * Creates cases or refreshes their facts and priority (an existing case keeps its stage, assignment,
 * claim and calls; a resolved one with the same key opens again). Returns how many rows were written.
 */
export async function upsertCases(queryable: Queryable, writes: readonly CaseWrite[], nowMs: number): Promise<number> {
  assertUniqueKeys(writes, (w) => `${w.borrowerId}/${w.caseId}`, 'case');
  let written = 0;
  for (const chunk of chunks(writes, BATCH_ROWS_MAX)) {
    const document = batchDocument(
      chunk.map((w) => ({
        borrower_id: w.borrowerId,
        case_id: w.caseId,
        borrower_hash: borrowerHash(w.borrowerId),
        opened_on: w.openedOn,
        stage: w.stage,
        locale: w.locale,
        timezone: w.timezone,
        loan_ids: w.loanIds,
        dpd: w.dpd,
        bucket: w.bucket,
        charged_off: w.chargedOff,
        facts: w.facts,
        priority_centi: w.priorityCenti,
        explanation: w.explanation,
        refreshed_on: w.refreshedOn,
      })),
    );
    const now = iso(nowMs);
    written += await executeStatement(
      queryable,
      sql`INSERT INTO cases (borrower_id, case_id, borrower_hash, status, opened_on, stage, locale, timezone, loan_ids,
                             dpd, bucket, charged_off, facts, priority_centi, explanation, refreshed_on, created_at,
                             updated_at)
          SELECT borrower_id, case_id, borrower_hash, 'open', opened_on, stage, locale, timezone, loan_ids, dpd, bucket,
                 charged_off, facts, priority_centi, explanation, refreshed_on, ${now}::timestamptz, ${now}::timestamptz
          FROM jsonb_to_recordset(${document}::jsonb) AS v(borrower_id text, case_id text, borrower_hash integer,
               opened_on date, stage text, locale text, timezone text, loan_ids jsonb, dpd integer, bucket text,
               charged_off boolean, facts jsonb, priority_centi integer, explanation jsonb, refreshed_on date)
          ON CONFLICT (borrower_id, case_id) DO UPDATE
          SET status = 'open', resolved_on = NULL, resolution = NULL, locale = excluded.locale,
              timezone = excluded.timezone, loan_ids = excluded.loan_ids, dpd = excluded.dpd, bucket = excluded.bucket,
              charged_off = excluded.charged_off, facts = excluded.facts, priority_centi = excluded.priority_centi,
              explanation = excluded.explanation, refreshed_on = excluded.refreshed_on, updated_at = excluded.updated_at`,
    );
  }
  return written;
}

/** Resolves open cases; returns the ones it resolved (an already resolved case is left alone). */
export async function resolveCases(
  queryable: Queryable,
  resolutions: readonly (CaseKey & { resolvedOn: IsoDate; resolution: string })[],
  nowMs: number,
): Promise<CaseKey[]> {
  assertUniqueKeys(resolutions, (r) => `${r.borrowerId}/${r.caseId}`, 'case');
  const resolved: CaseKey[] = [];
  for (const chunk of chunks(resolutions, BATCH_ROWS_MAX)) {
    const document = batchDocument(
      chunk.map((r) => ({
        borrower_id: r.borrowerId,
        case_id: r.caseId,
        resolved_on: r.resolvedOn,
        resolution: r.resolution,
      })),
    );
    const rows = await queryRows<{ borrower_id: unknown; case_id: unknown }>(
      queryable,
      sql`UPDATE cases AS c
          SET status = 'resolved', resolved_on = v.resolved_on, resolution = v.resolution, claimed_by = NULL,
              claimed_until = NULL, updated_at = ${iso(nowMs)}::timestamptz
          FROM jsonb_to_recordset(${document}::jsonb) AS v(borrower_id text, case_id text, resolved_on date,
               resolution text)
          WHERE c.borrower_id = v.borrower_id AND c.case_id = v.case_id AND c.status = 'open'
          RETURNING c.borrower_id, c.case_id`,
    );
    for (const row of rows) resolved.push({ borrowerId: toText(row.borrower_id), caseId: toText(row.case_id) });
  }
  return resolved;
}

/** Open cases in queue order (priority, then borrower id): all, one agent's, or the unassigned ones. */
export async function listQueue(
  queryable: Queryable,
  options: {
    limit: number;
    agentId?: string;
    unassignedOnly?: boolean;
    after?: { priorityCenti: number; borrowerId: string };
  },
): Promise<CaseRow[]> {
  checkLimit(options.limit);
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT ${caseColumns} FROM cases AS c
        WHERE c.status = 'open'
        ${options.agentId !== undefined ? sql`AND c.assigned_agent_id = ${options.agentId}` : sql``}
        ${options.unassignedOnly ? sql`AND c.assigned_agent_id IS NULL` : sql``}
        ${
          options.after
            ? sql`AND (c.priority_centi < ${options.after.priorityCenti}
                   OR (c.priority_centi = ${options.after.priorityCenti} AND c.borrower_id > ${options.after.borrowerId}))`
            : sql``
        }
        ORDER BY c.priority_centi DESC, c.borrower_id LIMIT ${options.limit}`,
  );
  return rows.map(toCaseRow);
}

/** A case's place in the whole queue (1 = first): open cases ahead of it by priority, then borrower id. */
export async function queuePosition(
  queryable: Queryable,
  c: { priorityCenti: number; borrowerId: string },
): Promise<number> {
  const rows = await queryRows<{ count: unknown }>(
    queryable,
    sql`SELECT count(*) AS count FROM cases
        WHERE status = 'open' AND (priority_centi > ${c.priorityCenti}
          OR (priority_centi = ${c.priorityCenti} AND borrower_id < ${c.borrowerId}))`,
  );
  return toInteger(rows[0]?.count ?? 0) + 1;
}

export interface NewCaseAssignment extends CaseKey {
  agentId: string;
  strategy: string;
  reason: string;
  assignedAtMs: number;
}

/** Assigns open cases and appends each assignment to the case's history; returns how many were assigned. */
export async function assignCaseRows(queryable: Queryable, assignments: readonly NewCaseAssignment[]): Promise<number> {
  assertUniqueKeys(assignments, (a) => `${a.borrowerId}/${a.caseId}`, 'case assignment');
  let assigned = 0;
  for (const chunk of chunks(assignments, BATCH_ROWS_MAX)) {
    const document = batchDocument(
      chunk.map((a) => ({
        borrower_id: a.borrowerId,
        case_id: a.caseId,
        agent_id: a.agentId,
        strategy: a.strategy,
        reason: a.reason,
        assigned_at: iso(a.assignedAtMs),
      })),
    );
    const rows = await queryRows<{ count: unknown }>(
      queryable,
      sql`WITH v AS (
            SELECT * FROM jsonb_to_recordset(${document}::jsonb) AS v(borrower_id text, case_id text, agent_id text,
              strategy text, reason text, assigned_at timestamptz)
          ), updated AS (
            UPDATE cases AS c SET assigned_agent_id = v.agent_id, assigned_at = v.assigned_at, updated_at = v.assigned_at
            FROM v WHERE c.borrower_id = v.borrower_id AND c.case_id = v.case_id AND c.status = 'open'
            RETURNING c.borrower_id, c.case_id
          ), logged AS (
            INSERT INTO case_assignments (borrower_id, case_id, seq, agent_id, strategy, reason, assigned_at)
            SELECT v.borrower_id, v.case_id,
                   coalesce((SELECT max(a.seq) FROM case_assignments AS a
                             WHERE a.borrower_id = v.borrower_id AND a.case_id = v.case_id), 0) + 1,
                   v.agent_id, v.strategy, v.reason, v.assigned_at
            FROM v JOIN updated AS u ON u.borrower_id = v.borrower_id AND u.case_id = v.case_id
            RETURNING 1
          )
          SELECT count(*) AS count FROM logged`,
    );
    assigned += toInteger(rows[0]?.count ?? 0);
  }
  return assigned;
}

export interface CaseAssignmentRow extends NewCaseAssignment {
  seq: number;
}

export async function listCaseAssignments(queryable: Queryable, key: CaseKey): Promise<CaseAssignmentRow[]> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT borrower_id, case_id, seq, agent_id, strategy, reason, assigned_at FROM case_assignments
        WHERE borrower_id = ${key.borrowerId} AND case_id = ${key.caseId} ORDER BY seq LIMIT ${CASE_LIST_MAX}`,
  );
  return rows.map((row) => ({
    borrowerId: toText(row.borrower_id),
    caseId: toText(row.case_id),
    seq: toInteger(row.seq),
    agentId: toText(row.agent_id),
    strategy: toText(row.strategy),
    reason: toText(row.reason),
    assignedAtMs: msOf(row.assigned_at),
  }));
}

/** The agent given the most recent case under this strategy (where a round robin continues). */
export async function lastAssignedAgent(queryable: Queryable, strategy: string): Promise<string | null> {
  const rows = await queryRows<{ agent_id: unknown }>(
    queryable,
    sql`SELECT agent_id FROM case_assignments WHERE strategy = ${strategy}
        ORDER BY assigned_at DESC, borrower_id DESC, case_id DESC, seq DESC LIMIT 1`,
  );
  return rows[0] ? toText(rows[0].agent_id) : null;
}

export interface ClaimCaseOptions {
  agentId: string;
  nowMs: number;
  leaseMs: number;
  /**
   * When the agent has no claimable case of their own, which unassigned case they may take (it becomes
   * theirs), as decided by the workbench's rule (src/workbench/assignment.ts claimPoolOf): null when none;
   * else the case's bucket is one of `buckets` and its lower-cased locale matches one of the LIKE
   * `localePatterns` (a null list: any). The rule is not restated here: this only applies the sets to the
   * many cases, where the index is.
   */
  pool: { buckets: readonly string[] | null; localePatterns: readonly string[] | null } | null;
}

/**
 * Claims the agent's next case: the highest-priority open case assigned to them, else (if `pool`) the
 * highest-priority unassigned one they may work; never a case under someone's live claim. One statement
 * with FOR UPDATE SKIP LOCKED, so two agents asking at once never get the same case.
 */
export async function claimNextCase(queryable: Queryable, options: ClaimCaseOptions): Promise<CaseRow | undefined> {
  const { agentId, nowMs, leaseMs, pool } = options;
  invariant(leaseMs > 0, 'the case lease is positive');
  const now = iso(nowMs);
  const poolCondition: SQL = pool
    ? sql`OR (assigned_agent_id IS NULL
              ${pool.buckets === null ? sql`` : sql`AND bucket IN (SELECT jsonb_array_elements_text(${idList(pool.buckets)}::jsonb))`}
              ${
                pool.localePatterns === null
                  ? sql``
                  : sql`AND lower(locale) LIKE ANY (SELECT jsonb_array_elements_text(${idList(pool.localePatterns)}::jsonb))`
              })`
    : sql``;
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`UPDATE cases AS c
        SET claimed_by = ${agentId}, claimed_until = ${iso(nowMs + leaseMs)}::timestamptz,
            assigned_agent_id = coalesce(c.assigned_agent_id, ${agentId}),
            assigned_at = coalesce(c.assigned_at, ${now}::timestamptz), updated_at = ${now}::timestamptz
        FROM (
          SELECT borrower_id, case_id FROM cases
          WHERE status = 'open' AND (claimed_until IS NULL OR claimed_until <= ${now}::timestamptz)
            AND (assigned_agent_id = ${agentId} ${poolCondition})
          ORDER BY (assigned_agent_id IS NULL), priority_centi DESC, borrower_id
          LIMIT 1
          FOR UPDATE SKIP LOCKED
        ) AS next
        WHERE c.borrower_id = next.borrower_id AND c.case_id = next.case_id
        RETURNING ${caseColumns}`,
  );
  return rows[0] ? toCaseRow(rows[0]) : undefined;
}

/** What changes about a case besides its refresh; absent fields stay as they are. */
export interface CaseChange {
  stage?: string;
  lastCallAtMs?: number;
  /** Gives the claim up. */
  releaseClaim?: boolean;
}

export async function updateCase(
  queryable: Queryable,
  key: CaseKey,
  change: CaseChange,
  nowMs: number,
): Promise<boolean> {
  const sets: SQL[] = [sql`updated_at = ${iso(nowMs)}::timestamptz`];
  if (change.stage !== undefined) sets.push(sql`stage = ${change.stage}`);
  if (change.lastCallAtMs !== undefined) sets.push(sql`last_call_at = ${iso(change.lastCallAtMs)}::timestamptz`);
  if (change.releaseClaim) sets.push(sql`claimed_by = NULL, claimed_until = NULL`);
  const count = await executeStatement(
    queryable,
    sql`UPDATE cases SET ${sql.join(sets, sql`, `)} WHERE borrower_id = ${key.borrowerId} AND case_id = ${key.caseId}`,
  );
  return count === 1;
}

// ---- call logs --------------------------------------------------------------------------------------

export interface CallLogRow {
  borrowerId: string;
  callId: string;
  caseId: string | null;
  agentId: string;
  number: string;
  outcome: string;
  calledAtMs: number;
  loanIds: string[];
  /** JSON (amounts as decimal strings). */
  effects: unknown[];
}

/** Logs a call; a call with the same id exists already → nothing (returns false). */
export async function insertCallLog(queryable: Queryable, call: CallLogRow): Promise<boolean> {
  const count = await executeStatement(
    queryable,
    sql`INSERT INTO call_logs (borrower_id, call_id, case_id, agent_id, number, outcome, called_at, loan_ids, effects)
        VALUES (${call.borrowerId}, ${call.callId}, ${call.caseId}, ${call.agentId}, ${call.number}, ${call.outcome},
                ${iso(call.calledAtMs)}::timestamptz, ${idList(call.loanIds)}::jsonb, ${JSON.stringify(call.effects)}::jsonb)
        ON CONFLICT (borrower_id, call_id) DO NOTHING`,
  );
  return count === 1;
}

/** A borrower's calls, oldest first; of one case when given. */
export async function listCallLogs(
  queryable: Queryable,
  options: { borrowerId: string; caseId?: string; limit?: number },
): Promise<CallLogRow[]> {
  const limit = options.limit ?? 100;
  checkLimit(limit);
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT * FROM call_logs WHERE borrower_id = ${options.borrowerId}
        ${options.caseId !== undefined ? sql`AND case_id = ${options.caseId}` : sql``}
        ORDER BY called_at, call_id LIMIT ${limit}`,
  );
  return rows.map((row) => ({
    borrowerId: toText(row.borrower_id),
    callId: toText(row.call_id),
    caseId: toTextOrNull(row.case_id),
    agentId: toText(row.agent_id),
    number: toText(row.number),
    outcome: toText(row.outcome),
    calledAtMs: msOf(row.called_at),
    loanIds: row.loan_ids as string[],
    effects: row.effects as unknown[],
  }));
}

/** Calls per outcome logged by an agent in [fromMs, toMs): for dashboards (promise rate per agent). */
export async function countCallOutcomes(
  queryable: Queryable,
  options: { agentId?: string; fromMs: number; toMs: number },
): Promise<Record<string, number>> {
  const rows = await queryRows<{ outcome: unknown; count: unknown }>(
    queryable,
    sql`SELECT outcome, count(*) AS count FROM call_logs
        WHERE called_at >= ${iso(options.fromMs)}::timestamptz AND called_at < ${iso(options.toMs)}::timestamptz
        ${options.agentId !== undefined ? sql`AND agent_id = ${options.agentId}` : sql``}
        GROUP BY outcome`,
  );
  return Object.fromEntries(rows.map((row) => [toText(row.outcome), toInteger(row.count)]));
}

// ---- notes ------------------------------------------------------------------------------------------

export interface NewNote {
  borrowerId: string;
  caseId: string | null;
  complaintId: string | null;
  author: string;
  text: string;
  createdAtMs: number;
}

export interface NoteRow extends NewNote {
  noteId: number;
}

/**
 * Adds a note, numbered after the borrower's last one; returns its number. Call it holding a lock that
 * serialises the borrower's writers (the contact-state lock or the case's row lock).
 */
export async function insertNote(queryable: Queryable, note: NewNote): Promise<number> {
  const rows = await queryRows<{ note_id: unknown }>(
    queryable,
    sql`INSERT INTO notes (borrower_id, note_id, case_id, complaint_id, author, text, created_at)
        SELECT ${note.borrowerId}, coalesce(max(note_id), 0) + 1, ${note.caseId}, ${note.complaintId}, ${note.author},
               ${note.text}, ${iso(note.createdAtMs)}::timestamptz
        FROM notes WHERE borrower_id = ${note.borrowerId}
        RETURNING note_id`,
  );
  return toInteger(rows[0]?.note_id);
}

/** A borrower's notes, oldest first; of one case or complaint when given. */
export async function listNotes(
  queryable: Queryable,
  options: { borrowerId: string; caseId?: string; complaintId?: string; limit?: number },
): Promise<NoteRow[]> {
  const limit = options.limit ?? 100;
  checkLimit(limit);
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT * FROM notes WHERE borrower_id = ${options.borrowerId}
        ${options.caseId !== undefined ? sql`AND case_id = ${options.caseId}` : sql``}
        ${options.complaintId !== undefined ? sql`AND complaint_id = ${options.complaintId}` : sql``}
        ORDER BY note_id LIMIT ${limit}`,
  );
  return rows.map((row) => ({
    borrowerId: toText(row.borrower_id),
    noteId: toInteger(row.note_id),
    caseId: toTextOrNull(row.case_id),
    complaintId: toTextOrNull(row.complaint_id),
    author: toText(row.author),
    text: toText(row.text),
    createdAtMs: msOf(row.created_at),
  }));
}

// ---- callbacks --------------------------------------------------------------------------------------

export type CallbackStatus = 'scheduled' | 'done' | 'cancelled';

export interface CallbackRow {
  borrowerId: string;
  callbackId: string;
  caseId: string | null;
  agentId: string;
  dueAtMs: number;
  localTime: string;
  timezone: string;
  status: CallbackStatus;
  createdAtMs: number;
}

/** Schedules a callback; one with the same id exists already → nothing (returns false). */
export async function insertCallback(queryable: Queryable, callback: CallbackRow): Promise<boolean> {
  const count = await executeStatement(
    queryable,
    sql`INSERT INTO callbacks (borrower_id, callback_id, case_id, agent_id, due_at, local_time, timezone, status, created_at)
        VALUES (${callback.borrowerId}, ${callback.callbackId}, ${callback.caseId}, ${callback.agentId},
                ${iso(callback.dueAtMs)}::timestamptz, ${callback.localTime}, ${callback.timezone}, ${callback.status},
                ${iso(callback.createdAtMs)}::timestamptz)
        ON CONFLICT (borrower_id, callback_id) DO NOTHING`,
  );
  return count === 1;
}

/** Callbacks by due time: one borrower's, one agent's, those due by an instant, of one status. */
export async function listCallbacks(
  queryable: Queryable,
  options: { borrowerId?: string; agentId?: string; dueBeforeMs?: number; status?: CallbackStatus; limit?: number },
): Promise<CallbackRow[]> {
  const limit = options.limit ?? 100;
  checkLimit(limit);
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT * FROM callbacks WHERE true
        ${options.borrowerId !== undefined ? sql`AND borrower_id = ${options.borrowerId}` : sql``}
        ${options.agentId !== undefined ? sql`AND agent_id = ${options.agentId}` : sql``}
        ${options.dueBeforeMs !== undefined ? sql`AND due_at <= ${iso(options.dueBeforeMs)}::timestamptz` : sql``}
        ${options.status !== undefined ? sql`AND status = ${options.status}` : sql``}
        ORDER BY due_at, borrower_id, callback_id LIMIT ${limit}`,
  );
  return rows.map((row) => ({
    borrowerId: toText(row.borrower_id),
    callbackId: toText(row.callback_id),
    caseId: toTextOrNull(row.case_id),
    agentId: toText(row.agent_id),
    dueAtMs: msOf(row.due_at),
    localTime: toText(row.local_time),
    timezone: toText(row.timezone),
    status: toText(row.status) as CallbackStatus,
    createdAtMs: msOf(row.created_at),
  }));
}

/** Marks a scheduled callback done or cancelled; returns whether it was scheduled. */
export async function finishCallback(
  queryable: Queryable,
  key: { borrowerId: string; callbackId: string },
  status: 'done' | 'cancelled',
): Promise<boolean> {
  const count = await executeStatement(
    queryable,
    sql`UPDATE callbacks SET status = ${status}
        WHERE borrower_id = ${key.borrowerId} AND callback_id = ${key.callbackId} AND status = 'scheduled'`,
  );
  return count === 1;
}

// ---- escalations ------------------------------------------------------------------------------------

export interface NewEscalation extends CaseKey {
  fromStage: string;
  toStage: string;
  agentId: string;
  escalatedAtMs: number;
  reasons: string[];
  letter: { contactId: string; address: string; code: string; pdf: Uint8Array } | null;
}

export interface EscalationRow extends Omit<NewEscalation, 'letter'> {
  seq: number;
  letter: { contactId: string; address: string; code: string; bytes: number } | null;
}

/** Appends an escalation (numbered per case); call it holding the case's row lock. Returns its seq. */
export async function insertEscalation(queryable: Queryable, escalation: NewEscalation): Promise<number> {
  const letter = escalation.letter;
  const rows = await queryRows<{ seq: unknown }>(
    queryable,
    sql`INSERT INTO escalations (borrower_id, case_id, seq, from_stage, to_stage, agent_id, escalated_at, reasons,
                                 letter_contact_id, letter_address, letter_code, letter_pdf)
        SELECT ${escalation.borrowerId}, ${escalation.caseId}, coalesce(max(seq), 0) + 1, ${escalation.fromStage},
               ${escalation.toStage}, ${escalation.agentId}, ${iso(escalation.escalatedAtMs)}::timestamptz,
               ${JSON.stringify(escalation.reasons)}::jsonb, ${letter?.contactId ?? null}, ${letter?.address ?? null},
               ${letter?.code ?? null},
               ${letter ? sql`decode(${Buffer.from(letter.pdf).toString('hex')}, 'hex')` : sql`NULL`}
        FROM escalations WHERE borrower_id = ${escalation.borrowerId} AND case_id = ${escalation.caseId}
        RETURNING seq`,
  );
  return toInteger(rows[0]?.seq);
}

export async function listEscalations(queryable: Queryable, key: CaseKey): Promise<EscalationRow[]> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT borrower_id, case_id, seq, from_stage, to_stage, agent_id, escalated_at, reasons, letter_contact_id,
               letter_address, letter_code, octet_length(letter_pdf) AS letter_bytes
        FROM escalations WHERE borrower_id = ${key.borrowerId} AND case_id = ${key.caseId}
        ORDER BY seq LIMIT ${CASE_LIST_MAX}`,
  );
  return rows.map((row) => ({
    borrowerId: toText(row.borrower_id),
    caseId: toText(row.case_id),
    seq: toInteger(row.seq),
    fromStage: toText(row.from_stage),
    toStage: toText(row.to_stage),
    agentId: toText(row.agent_id),
    escalatedAtMs: msOf(row.escalated_at),
    reasons: row.reasons as string[],
    letter:
      row.letter_contact_id === null || row.letter_contact_id === undefined
        ? null
        : {
            contactId: toText(row.letter_contact_id),
            address: toText(row.letter_address),
            code: toText(row.letter_code),
            bytes: toInteger(row.letter_bytes),
          },
  }));
}

/** The lawyer's letter stored with an escalation (PDF bytes), or undefined when it has none. */
export async function getEscalationLetter(
  queryable: Queryable,
  key: CaseKey & { seq: number },
): Promise<Uint8Array | undefined> {
  const rows = await queryRows<{ pdf: unknown }>(
    queryable,
    sql`SELECT encode(letter_pdf, 'hex') AS pdf FROM escalations
        WHERE borrower_id = ${key.borrowerId} AND case_id = ${key.caseId} AND seq = ${key.seq}`,
  );
  const hex = toTextOrNull(rows[0]?.pdf);
  return hex === null ? undefined : new Uint8Array(Buffer.from(hex, 'hex'));
}

// ---- complaints -------------------------------------------------------------------------------------

export interface ComplaintKey {
  borrowerId: string;
  complaintId: string;
}

export interface ComplaintRow extends ComplaintKey {
  loanId: string | null;
  caseId: string | null;
  source: 'borrower' | 'agent';
  raisedBy: string;
  category: string;
  text: string;
  status: 'open' | 'reviewed' | 'closed';
  team: string;
  assignedAgentId: string | null;
  openedAtMs: number;
  deadlineAtMs: number;
  pauseReason: string | null;
  reviewedAtMs: number | null;
  reviewedBy: string | null;
  reviewNote: string | null;
  closedAtMs: number | null;
  closedBy: string | null;
  resolution: string | null;
  breachAlertedAtMs: number | null;
}

function toComplaintRow(row: Record<string, unknown>): ComplaintRow {
  return {
    borrowerId: toText(row.borrower_id),
    complaintId: toText(row.complaint_id),
    loanId: toTextOrNull(row.loan_id),
    caseId: toTextOrNull(row.case_id),
    source: toText(row.source) as ComplaintRow['source'],
    raisedBy: toText(row.raised_by),
    category: toText(row.category),
    text: toText(row.text),
    status: toText(row.status) as ComplaintRow['status'],
    team: toText(row.team),
    assignedAgentId: toTextOrNull(row.assigned_agent_id),
    openedAtMs: msOf(row.opened_at),
    deadlineAtMs: msOf(row.deadline_at),
    pauseReason: toTextOrNull(row.pause_reason),
    reviewedAtMs: msOrNull(row.reviewed_at),
    reviewedBy: toTextOrNull(row.reviewed_by),
    reviewNote: toTextOrNull(row.review_note),
    closedAtMs: msOrNull(row.closed_at),
    closedBy: toTextOrNull(row.closed_by),
    resolution: toTextOrNull(row.resolution),
    breachAlertedAtMs: msOrNull(row.breach_alerted_at),
  };
}

/** Files a complaint; one with the same key exists already → nothing (returns false). */
export async function insertComplaint(queryable: Queryable, complaint: ComplaintRow): Promise<boolean> {
  const c = complaint;
  const at = (ms: number | null): string | null => (ms === null ? null : iso(ms));
  const count = await executeStatement(
    queryable,
    sql`INSERT INTO complaints (borrower_id, complaint_id, loan_id, case_id, source, raised_by, category, text, status,
                                team, assigned_agent_id, opened_at, deadline_at, pause_reason, reviewed_at, reviewed_by,
                                review_note, closed_at, closed_by, resolution, breach_alerted_at)
        VALUES (${c.borrowerId}, ${c.complaintId}, ${c.loanId}, ${c.caseId}, ${c.source}, ${c.raisedBy}, ${c.category},
                ${c.text}, ${c.status}, ${c.team}, ${c.assignedAgentId}, ${iso(c.openedAtMs)}::timestamptz,
                ${iso(c.deadlineAtMs)}::timestamptz, ${c.pauseReason}, ${at(c.reviewedAtMs)}::timestamptz,
                ${c.reviewedBy}, ${c.reviewNote}, ${at(c.closedAtMs)}::timestamptz, ${c.closedBy}, ${c.resolution},
                ${at(c.breachAlertedAtMs)}::timestamptz)
        ON CONFLICT (borrower_id, complaint_id) DO NOTHING`,
  );
  return count === 1;
}

/** Writes a complaint's review and closing fields (the rest never changes). */
export async function updateComplaint(queryable: Queryable, complaint: ComplaintRow): Promise<boolean> {
  const c = complaint;
  const at = (ms: number | null): string | null => (ms === null ? null : iso(ms));
  const count = await executeStatement(
    queryable,
    sql`UPDATE complaints
        SET status = ${c.status}, reviewed_at = ${at(c.reviewedAtMs)}::timestamptz, reviewed_by = ${c.reviewedBy},
            review_note = ${c.reviewNote}, closed_at = ${at(c.closedAtMs)}::timestamptz, closed_by = ${c.closedBy},
            resolution = ${c.resolution}, breach_alerted_at = ${at(c.breachAlertedAtMs)}::timestamptz
        WHERE borrower_id = ${c.borrowerId} AND complaint_id = ${c.complaintId}`,
  );
  return count === 1;
}

export async function getComplaint(
  queryable: Queryable,
  key: ComplaintKey,
  options: { forUpdate?: boolean } = {},
): Promise<ComplaintRow | undefined> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT * FROM complaints WHERE borrower_id = ${key.borrowerId} AND complaint_id = ${key.complaintId}
        ${options.forUpdate ? sql`FOR UPDATE` : sql``}`,
  );
  return rows[0] ? toComplaintRow(rows[0]) : undefined;
}

/** A borrower's complaints, oldest first; only those not closed when asked. */
export async function listBorrowerComplaints(
  queryable: Queryable,
  borrowerId: string,
  options: { notClosed?: boolean } = {},
): Promise<ComplaintRow[]> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT * FROM complaints WHERE borrower_id = ${borrowerId}
        ${options.notClosed ? sql`AND status <> 'closed'` : sql``}
        ORDER BY opened_at, complaint_id LIMIT ${CASE_LIST_MAX}`,
  );
  return rows.map(toComplaintRow);
}

/** A team's complaints not closed, by deadline. */
export async function listTeamComplaints(
  queryable: Queryable,
  options: { team: string; limit?: number },
): Promise<ComplaintRow[]> {
  const limit = options.limit ?? 100;
  checkLimit(limit);
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT * FROM complaints WHERE team = ${options.team} AND status <> 'closed'
        ORDER BY deadline_at, borrower_id, complaint_id LIMIT ${limit}`,
  );
  return rows.map(toComplaintRow);
}

/** Complaints not closed per assigned agent of a team. */
export async function countOpenComplaintsByAgent(queryable: Queryable, team: string): Promise<Map<string, number>> {
  const rows = await queryRows<{ agent_id: unknown; count: unknown }>(
    queryable,
    sql`SELECT assigned_agent_id AS agent_id, count(*) AS count FROM complaints
        WHERE team = ${team} AND status <> 'closed' AND assigned_agent_id IS NOT NULL GROUP BY assigned_agent_id`,
  );
  return new Map(rows.map((row) => [toText(row.agent_id), toInteger(row.count)]));
}

/**
 * Complaints past their deadline at nowMs, not closed and not yet alerted, most overdue first; each is
 * marked alerted at nowMs in the same statement (FOR UPDATE SKIP LOCKED: two alerting runs never both
 * take one).
 */
export async function claimComplaintBreaches(
  queryable: Queryable,
  options: { nowMs: number; limit: number },
): Promise<ComplaintRow[]> {
  checkLimit(options.limit);
  const now = iso(options.nowMs);
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`UPDATE complaints AS c SET breach_alerted_at = ${now}::timestamptz
        FROM (
          SELECT borrower_id, complaint_id FROM complaints
          WHERE status <> 'closed' AND deadline_at < ${now}::timestamptz AND breach_alerted_at IS NULL
          ORDER BY deadline_at, borrower_id, complaint_id
          LIMIT ${options.limit}
          FOR UPDATE SKIP LOCKED
        ) AS due
        WHERE c.borrower_id = due.borrower_id AND c.complaint_id = due.complaint_id
        RETURNING c.*`,
  );
  return rows
    .map(toComplaintRow)
    .sort(
      (a, b) =>
        a.deadlineAtMs - b.deadlineAtMs || compare(a.borrowerId, b.borrowerId) || compare(a.complaintId, b.complaintId),
    );
}

// ---- surveys ----------------------------------------------------------------------------------------

export interface SurveyRow {
  borrowerId: string;
  surveyId: string;
  subjectKind: 'case' | 'complaint';
  subjectId: string;
  status: 'pending' | 'answered';
  offeredAtMs: number;
  answeredAtMs: number | null;
  score: number | null;
  comment: string | null;
}

/** Offers surveys; one already offered (same key) is left alone. Returns how many were new. */
export async function offerSurveys(
  queryable: Queryable,
  offers: readonly Pick<SurveyRow, 'borrowerId' | 'surveyId' | 'subjectKind' | 'subjectId' | 'offeredAtMs'>[],
): Promise<number> {
  assertUniqueKeys(offers, (o) => `${o.borrowerId}/${o.surveyId}`, 'survey');
  let inserted = 0;
  for (const chunk of chunks(offers, BATCH_ROWS_MAX)) {
    const document = batchDocument(
      chunk.map((o) => ({
        borrower_id: o.borrowerId,
        survey_id: o.surveyId,
        subject_kind: o.subjectKind,
        subject_id: o.subjectId,
        offered_at: iso(o.offeredAtMs),
      })),
    );
    inserted += await executeStatement(
      queryable,
      sql`INSERT INTO surveys (borrower_id, survey_id, subject_kind, subject_id, status, offered_at)
          SELECT borrower_id, survey_id, subject_kind, subject_id, 'pending', offered_at
          FROM jsonb_to_recordset(${document}::jsonb) AS v(borrower_id text, survey_id text, subject_kind text,
               subject_id text, offered_at timestamptz)
          ON CONFLICT (borrower_id, survey_id) DO NOTHING`,
    );
  }
  return inserted;
}

export async function getSurvey(
  queryable: Queryable,
  key: { borrowerId: string; surveyId: string },
): Promise<SurveyRow | undefined> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT * FROM surveys WHERE borrower_id = ${key.borrowerId} AND survey_id = ${key.surveyId}`,
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    borrowerId: toText(row.borrower_id),
    surveyId: toText(row.survey_id),
    subjectKind: toText(row.subject_kind) as SurveyRow['subjectKind'],
    subjectId: toText(row.subject_id),
    status: toText(row.status) as SurveyRow['status'],
    offeredAtMs: msOf(row.offered_at),
    answeredAtMs: msOrNull(row.answered_at),
    score: row.score === null || row.score === undefined ? null : toInteger(row.score),
    comment: toTextOrNull(row.comment),
  };
}

/** Records the answer of a pending survey; returns false when there is no pending survey with that key. */
export async function answerSurvey(
  queryable: Queryable,
  answer: { borrowerId: string; surveyId: string; score: number; comment: string | null; answeredAtMs: number },
): Promise<boolean> {
  const count = await executeStatement(
    queryable,
    sql`UPDATE surveys SET status = 'answered', score = ${answer.score}, comment = ${answer.comment},
               answered_at = ${iso(answer.answeredAtMs)}::timestamptz
        WHERE borrower_id = ${answer.borrowerId} AND survey_id = ${answer.surveyId} AND status = 'pending'`,
  );
  return count === 1;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---- listings for the borrower-service API (src/api/routes/cases.ts, complaints.ts) ----------------

/** A borrower's cases, newest first; only those of one status when asked. */
export async function listBorrowerCases(
  queryable: Queryable,
  borrowerId: string,
  options: { status?: CaseStatus; limit?: number } = {},
): Promise<CaseRow[]> {
  const limit = options.limit ?? 100;
  checkLimit(limit);
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT ${caseColumns} FROM cases AS c WHERE c.borrower_id = ${borrowerId}
        ${options.status !== undefined ? sql`AND c.status = ${options.status}` : sql``}
        ORDER BY c.opened_on DESC, c.case_id DESC LIMIT ${limit}`,
  );
  return rows.map(toCaseRow);
}

/** A page of a borrower's notes, oldest first, after note number `afterNoteId` when given. */
export async function listNotesPage(
  queryable: Queryable,
  options: { borrowerId: string; afterNoteId?: number; limit: number },
): Promise<NoteRow[]> {
  checkLimit(options.limit);
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT * FROM notes WHERE borrower_id = ${options.borrowerId}
        ${options.afterNoteId !== undefined ? sql`AND note_id > ${options.afterNoteId}` : sql``}
        ORDER BY note_id LIMIT ${options.limit}`,
  );
  return rows.map((row) => ({
    borrowerId: toText(row.borrower_id),
    noteId: toInteger(row.note_id),
    caseId: toTextOrNull(row.case_id),
    complaintId: toTextOrNull(row.complaint_id),
    author: toText(row.author),
    text: toText(row.text),
    createdAtMs: msOf(row.created_at),
  }));
}

/** The position after which a complaints page continues (deadline, then borrower and complaint id). */
export interface ComplaintPageKey {
  deadlineAtMs: number;
  borrowerId: string;
  complaintId: string;
}

/**
 * A page of every team's complaints by deadline (soonest first), of one status when asked; `breached`:
 * only those whose deadline passed unclosed and were alerted (alertComplaintBreaches), or only the others.
 */
export async function listComplaintsPage(
  queryable: Queryable,
  options: { status?: ComplaintRow['status']; breached?: boolean; after?: ComplaintPageKey; limit: number },
): Promise<ComplaintRow[]> {
  checkLimit(options.limit);
  const after = options.after;
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT * FROM complaints WHERE true
        ${options.status !== undefined ? sql`AND status = ${options.status}` : sql``}
        ${
          options.breached === undefined
            ? sql``
            : options.breached
              ? sql`AND breach_alerted_at IS NOT NULL`
              : sql`AND breach_alerted_at IS NULL`
        }
        ${
          after !== undefined
            ? sql`AND (deadline_at, borrower_id, complaint_id) >
                      (${iso(after.deadlineAtMs)}::timestamptz, ${after.borrowerId}, ${after.complaintId})`
            : sql``
        }
        ORDER BY deadline_at, borrower_id, complaint_id LIMIT ${options.limit}`,
  );
  return rows.map(toComplaintRow);
}

/** A borrower's surveys, newest offer first. */
export async function listBorrowerSurveys(queryable: Queryable, borrowerId: string): Promise<SurveyRow[]> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT * FROM surveys WHERE borrower_id = ${borrowerId}
        ORDER BY offered_at DESC, survey_id LIMIT ${CASE_LIST_MAX}`,
  );
  return rows.map((row) => ({
    borrowerId: toText(row.borrower_id),
    surveyId: toText(row.survey_id),
    subjectKind: toText(row.subject_kind) as SurveyRow['subjectKind'],
    subjectId: toText(row.subject_id),
    status: toText(row.status) as SurveyRow['status'],
    offeredAtMs: msOf(row.offered_at),
    answeredAtMs: msOrNull(row.answered_at),
    score: row.score === null || row.score === undefined ? null : toInteger(row.score),
    comment: toTextOrNull(row.comment),
  }));
}
