// The collector workbench on the database (docs/workbench.md): refreshing the work queue from the book,
// handing the next case to an agent, call outcomes, notes, callbacks, escalation with the lawyer's
// letter, complaints, breach alerts, surveys and status notices. The rules are the pure core's
// (src/workbench: queue, assignment, calls, escalation, complaints, notices; the contact state's
// transitions and the compliance gate from src/contact); this file gathers state, calls them and writes
// what they decided.
//
// Invariants:
// - A borrower's contact state changes only under the borrower-row lock the contact pipeline takes
//   (loadContactSubjects lock), written back version-checked, in the same transaction as the workbench
//   rows that go with the change (call log, callback, complaint, escalation) — all or nothing.
// - Lock order: borrower row, then case or complaint row; nextCase locks one case row and nothing else.
// - Commands that contact or commit a borrower (call outcomes, callbacks, escalations, complaints) carry an
//   idempotency key: the same request again answers the first result and writes nothing; another request
//   under the same key is rejected. Each command decides (locks, reads, calls the core) before it writes
//   anything, so an expected refusal is a value returned with nothing written, and consumes no key.
// - No rendering under a lock: the lawyer's letter's PDF is rendered before the transaction that records
//   it, from the same facts, and used only if the facts read under the lock give the very same letter.
// - Every instant comes from the caller (`nowMs`, `atMs`): the same code runs on a simulated clock.
import { createHash } from 'node:crypto';
import { localDate, type IsoDate } from '../calendar/index.ts';
import {
  defaultPolicy,
  loanContactView,
  recordContact,
  type BorrowerContactState,
  type CallOutcome,
  type ContactChannel,
  type GateDecision,
  type PolicyPack,
} from '../contact/index.ts';
import { contactPlanThrough } from '../contact/events.ts';
import { letterFileName, renderLetterPdf } from '../channels/letter/index.ts';
import { InputError, invariant } from '../errors/index.ts';
import { defineCommand, planned, refuse, succeed, type Refusal, type Result } from './index.ts';
import { applyCallOutcome, checkCallback, checkCallNow, parseNote, type CaseEffect } from '../workbench/calls.ts';
import {
  decideEscalation,
  defaultEscalationLadder,
  renderLawyerLetter,
  type EscalationDecision,
  type EscalationStage,
  type Lender,
  type LetterContent,
} from '../workbench/escalation.ts';
import {
  closeComplaint as closeComplaintCore,
  defaultComplaintRules,
  openComplaint as openComplaintCore,
  parseComplaintCategory,
  reviewComplaint as reviewComplaintCore,
  type Complaint,
  type ComplaintCategory,
  type ComplaintRules,
  type ComplaintSource,
} from '../workbench/complaints.ts';
import { statusNotice, type DelayKind } from '../workbench/notices.ts';
import { parseSurveyAnswer, surveyOffer } from '../workbench/surveys.ts';
import {
  assignCases,
  claimPoolOf,
  leastLoaded,
  parseAgent,
  poolFor,
  roomOf,
  type AssignmentStrategy,
  type PoolAgent,
} from '../workbench/assignment.ts';
import {
  buildCase,
  caseLoanOf,
  defaultPriorityWeights,
  explainPriority,
  type CollectionCase,
  type PriorityExplanation,
  type PriorityTerm,
  type PriorityWeights,
} from '../workbench/queue.ts';
import type { LoanState } from '../servicing/index.ts';
import {
  answerSurvey,
  assignCaseRows,
  claimComplaintBreaches,
  claimNextCase,
  countOpenCasesByAgent,
  countOpenComplaintsByAgent,
  getAgent,
  getCase,
  getComplaint,
  getOpenCase,
  getSurvey,
  insertCallback,
  insertCallLog,
  insertComplaint,
  insertEscalation,
  insertNote,
  lastAssignedAgent,
  listAgents,
  listBorrowerComplaints,
  listCaseBorrowers,
  listLoansOfBorrowers,
  listOpenCasesOf,
  listQueue,
  offerSurveys,
  queuePosition,
  resolveCases,
  updateCase,
  updateComplaint,
  upsertAgents,
  upsertCases,
  CASE_BORROWERS_PAGE_MAX,
  CASE_LIST_MAX,
  type CaseRow,
  type CaseWrite,
  type ComplaintRow,
} from '../store/cases.ts';
import {
  appendContactDecision,
  assignVerificationCode,
  completeCallTask,
  getContact,
  insertContacts,
  listBorrowerMessages,
  listOpenCallTasks,
  loadContactSubjects,
  nextVerificationCode,
  saveContactStates,
  updateContact,
  type ContactSubject,
  type NewContact,
} from '../store/contacts.ts';
import {
  beginIdempotent,
  completeIdempotent,
  enqueueOutbox,
  IDEMPOTENCY_KEY_REUSED,
  listBorrowerLoans,
  peekIdempotent,
  type IdempotencyBegin,
  requestHash,
  type Database,
  type Queryable,
} from '../store/index.ts';
import { decodeLoanDocument, jsonSafe, prepareServicingRules, readLoanState } from './document.ts';
import { currentState } from './contacts.ts';
import { applyPreferences, type PreferencesChange, type PreferencesOutcome } from '../contact/preferences.ts';
import { upsertBorrowers } from '../store/borrowers.ts';

// ---- configuration ----------------------------------------------------------------------------------

export interface CaseServiceConfig {
  policy?: PolicyPack;
  weights?: PriorityWeights;
  ladder?: readonly EscalationStage[];
  complaintRules?: ComplaintRules;
  /** How refreshCases hands out unassigned cases. Default `by_skill`. */
  assignment?: AssignmentStrategy;
  /** The team (agents.team) that works collection cases. Default `collections`. */
  collectionsTeam?: string;
  /** How long nextCase's claim holds. Default 15 minutes. */
  claimLeaseMs?: number;
  /** The sender of lawyer's letters. Needed to escalate to a stage with a letter. */
  lender?: Lender;
  /** The lender's secret for verification codes (at least 16 bytes). Needed for a letter too. */
  verificationSecret?: Uint8Array | string;
}

export const CASE_CLAIM_LEASE_MS_DEFAULT = 15 * 60_000;
export const CASE_REFRESH_PAGE_DEFAULT = 500;
const idempotencyKeyLengthMax = 200;

function settings(config: CaseServiceConfig = {}) {
  return {
    policy: config.policy ?? defaultPolicy,
    weights: config.weights ?? defaultPriorityWeights,
    ladder: config.ladder ?? defaultEscalationLadder,
    complaintRules: config.complaintRules ?? defaultComplaintRules,
    assignment: config.assignment ?? ('by_skill' as AssignmentStrategy),
    collectionsTeam: config.collectionsTeam ?? 'collections',
    claimLeaseMs: config.claimLeaseMs ?? CASE_CLAIM_LEASE_MS_DEFAULT,
  };
}

/**
 * An expected refusal as the workbench's commands answer it (the API turns it into a problem): a stable
 * code and a message naming the field or rule. escalate answers the application layer's Result instead.
 */
export interface CaseRejection {
  outcome: 'rejected';
  code: string;
  message: string;
}

function rejection(code: string, message: string): CaseRejection {
  return { outcome: 'rejected', code, message };
}

function rejectionOf(refusal: Refusal): CaseRejection {
  return rejection(refusal.code, refusal.message);
}

/** A command decided: refused, or the writes that carry out what it decided (in the same transaction). */
type Decided<T> = Result<(tx: Queryable) => Promise<T>>;

function checkKey(key: unknown): string {
  if (typeof key !== 'string' || key.length === 0 || key.length > idempotencyKeyLengthMax) {
    throw new InputError('idempotencyKey', `must be 1–${idempotencyKeyLengthMax} characters`);
  }
  return key;
}

/** A short id derived from a key, so a retried request names the same row. */
function idOf(prefix: string, ...parts: string[]): string {
  return `${prefix}${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 20)}`;
}

type IdempotentUse = Exclude<IdempotencyBegin, { outcome: 'new' }>;

/** An idempotent command's answer: this run's, or the first run's again (a replay). */
type Idempotent<T> = Result<{ replayed: false; value: T } | { replayed: true; response: unknown }>;

function answerOfUsedKey(used: IdempotentUse): Idempotent<never> {
  if (used.outcome === 'replayed') return succeed({ replayed: true, response: used.response });
  if (used.outcome === 'in_progress') {
    return refuse('idempotency_in_progress', 'idempotencyKey: the same request is still running', 'idempotencyKey');
  }
  return refuse(IDEMPOTENCY_KEY_REUSED, 'idempotencyKey: already used for another request', 'idempotencyKey');
}

/**
 * Runs an idempotent command in the caller's transaction, deciding before writing: the stored answer for
 * a key used before; else `decide` (it takes the locks and reads, and writes nothing), whose refusal is
 * answered with nothing written; else the key is registered, the decided writes run and their answer is
 * stored under the key. The key is looked at again after a refusal: a request that waited on the lock
 * for its own first run answers that run, not a refusal of the state it left behind.
 */
async function runIdempotent<T extends object>(
  tx: Queryable,
  request: { scope: string; key: string; body: unknown },
  decide: (tx: Queryable) => Promise<Decided<T>>,
): Promise<Idempotent<T>> {
  const key = checkKey(request.key);
  const ids = { scope: request.scope, key, requestHash: requestHash(jsonSafe(request.body)) };
  const before = await peekIdempotent(tx, ids);
  if (before !== undefined) return answerOfUsedKey(before);
  const decided = await decide(tx);
  if (!decided.ok) {
    const after = await peekIdempotent(tx, ids);
    return after === undefined ? decided : answerOfUsedKey(after);
  }
  const begun = await beginIdempotent(tx, ids);
  // Not new: a request under the same key ran meanwhile (this one waited for it); nothing was written here.
  if (begun.outcome !== 'new') return answerOfUsedKey(begun);
  const value = await decided.value(tx);
  await completeIdempotent(tx, { scope: request.scope, key, response: jsonSafe(value) });
  return succeed({ replayed: false, value });
}

/** runIdempotent in a transaction of its own, answered the way the workbench's older commands answer. */
async function idempotent<T extends object>(
  db: Database,
  request: { scope: string; key: string; body: unknown },
  decide: (tx: Queryable) => Promise<Decided<T>>,
): Promise<T | { outcome: 'replayed'; response: unknown } | CaseRejection> {
  const answer = await db.transaction((tx) => runIdempotent(tx, request, decide));
  if (!answer.ok) return rejectionOf(answer);
  return answer.value.replayed ? { outcome: 'replayed', response: answer.value.response } : answer.value.value;
}

// ---- contact state access (the contact pipeline's rules: src/app/contacts.ts) ----------------------

const stateOf = currentState;

async function lockSubject(tx: Queryable, borrowerId: string, lock = true): Promise<Result<ContactSubject>> {
  const [subject] = await loadContactSubjects(tx, [borrowerId], { lock });
  if (subject === undefined) return refuse('borrower_not_found', `borrowerId: no borrower ${borrowerId}`, 'borrowerId');
  return succeed(subject);
}

async function saveState(tx: Queryable, subject: ContactSubject, state: BorrowerContactState, nowMs: number) {
  await saveContactStates(tx, [
    { state, expectedVersion: subject.version, planThrough: contactPlanThrough(state), updatedAtMs: nowMs },
  ]);
}

async function borrowerLoanStates(tx: Queryable, borrowerId: string): Promise<LoanState[]> {
  const rows = await listBorrowerLoans(tx, borrowerId);
  await prepareServicingRules(tx, rows);
  return rows.map((row) => decodeLoanDocument(row).state);
}

// ---- agents -----------------------------------------------------------------------------------------

/** Registers or updates agents given as JSON (validated by parseAgent) in one team. */
export async function saveAgents(input: {
  db: Database;
  agents: readonly unknown[];
  team?: string;
  active?: boolean;
  nowMs: number;
}): Promise<number> {
  const team = input.team ?? 'collections';
  if (!/^[a-z][a-z0-9_]{0,31}$/.test(team)) throw new InputError('team', 'must be a team name in lower snake case');
  const agents = input.agents.map((json, index) => parseAgent(json, `agents[${index}]`));
  return upsertAgents(
    input.db,
    agents.map((agent) => ({ ...agent, team, active: input.active ?? true })),
    input.nowMs,
  );
}

// ---- the queue --------------------------------------------------------------------------------------

/** A case's facts as stored (bigint amounts as decimal strings). */
interface CaseFactsJson {
  balances: { currency: string; amountMinor: string }[];
  openPromise: { loanId: string; date: string; amountMinor: string } | null;
  lastBrokenPromiseOn: string | null;
  lastContactAtMs: number | null;
  daysSinceLastContact: number | null;
  score: number | null;
}

function factsJson(c: CollectionCase): CaseFactsJson {
  return {
    balances: c.balances.map((b) => ({ currency: b.currency, amountMinor: b.amountMinor.toString() })),
    openPromise: c.openPromise
      ? { loanId: c.openPromise.loanId, date: c.openPromise.date, amountMinor: c.openPromise.amountMinor.toString() }
      : null,
    lastBrokenPromiseOn: c.lastBrokenPromiseOn,
    lastContactAtMs: c.lastContactAtMs,
    daysSinceLastContact: c.daysSinceLastContact,
    score: c.score,
  };
}

export interface RefreshCasesStats {
  borrowers: number;
  opened: number;
  refreshed: number;
  resolved: number;
  assigned: number;
  /** Cases left without an agent, and why (at most 100 listed). */
  unassigned: { borrowerId: string; reason: string }[];
  unassignedCount: number;
}

/**
 * Builds and refreshes the queue as of `date` (the business date just closed): one open case per borrower
 * with a loan past its grace days or charged off, its facts and priority recomputed from the loans and
 * the contact state; a case whose borrower is no longer in collection is resolved (and a survey offered);
 * then unassigned cases are handed to the collections team's agents by the configured strategy, in queue
 * order. `scores` (propensity to pay, 0–1, by borrower) replaces the stored score when given. Run it from
 * one process at a time (after the daily close).
 */
export async function refreshCases(input: {
  db: Database;
  date: IsoDate;
  nowMs: number;
  config?: CaseServiceConfig;
  scores?: ReadonlyMap<string, number>;
  pageSize?: number;
}): Promise<RefreshCasesStats> {
  const { db, date, nowMs } = input;
  const { weights, ladder, assignment, collectionsTeam } = settings(input.config);
  const pageSize = input.pageSize ?? CASE_REFRESH_PAGE_DEFAULT;
  invariant(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= CASE_BORROWERS_PAGE_MAX, 'page size in range');
  const stats: RefreshCasesStats = {
    borrowers: 0,
    opened: 0,
    refreshed: 0,
    resolved: 0,
    assigned: 0,
    unassigned: [],
    unassignedCount: 0,
  };
  const firstStage = (ladder[0] as EscalationStage).name;
  let after: string | undefined;
  for (;;) {
    const page = await listCaseBorrowers(db, { limit: pageSize, ...(after === undefined ? {} : { after }) });
    if (page.length === 0) break;
    after = page.at(-1);
    stats.borrowers += page.length;
    await db.transaction(async (tx) => {
      const loanRows = await listLoansOfBorrowers(tx, page);
      await prepareServicingRules(tx, loanRows);
      const loansBy = new Map<string, LoanState[]>();
      for (const row of loanRows) {
        const list = loansBy.get(row.borrowerId) ?? [];
        list.push(decodeLoanDocument(row).state);
        loansBy.set(row.borrowerId, list);
      }
      const subjects = new Map((await loadContactSubjects(tx, page)).map((s) => [s.borrowerId, s]));
      const open = new Map((await listOpenCasesOf(tx, page)).map((c) => [c.borrowerId, c]));
      const writes: CaseWrite[] = [];
      const resolutions: { borrowerId: string; caseId: string; resolvedOn: IsoDate; resolution: string }[] = [];
      for (const borrowerId of page) {
        const subject = subjects.get(borrowerId);
        const existing = open.get(borrowerId);
        const loans = loansBy.get(borrowerId) ?? [];
        if (subject === undefined) continue;
        const state = stateOf(subject);
        const previousScore = (existing?.facts as CaseFactsJson | undefined)?.score ?? null;
        const built = buildCase({
          borrowerId,
          locale: subject.locale,
          timezone: subject.timezone,
          date,
          loans: loans.map(caseLoanOf),
          contact: state,
          lastCallAtMs: existing?.lastCallAtMs ?? null,
          score: input.scores?.has(borrowerId) ? (input.scores.get(borrowerId) as number) : previousScore,
        });
        if (built === null) {
          if (existing) {
            const closed = loans.length > 0 && loans.every((loan) => loan.status === 'closed');
            resolutions.push({
              borrowerId,
              caseId: existing.caseId,
              resolvedOn: date,
              resolution: closed ? 'loans_closed' : 'cured',
            });
          }
          continue;
        }
        const explanation = explainPriority(built, weights);
        if (existing) stats.refreshed += 1;
        else stats.opened += 1;
        writes.push({
          borrowerId,
          caseId: existing?.caseId ?? `C${date}`,
          openedOn: existing?.openedOn ?? date,
          stage: existing?.stage ?? firstStage,
          locale: built.locale,
          timezone: built.timezone,
          loanIds: built.loanIds,
          dpd: built.dpd,
          bucket: built.bucket,
          chargedOff: built.chargedOff,
          facts: factsJson(built),
          priorityCenti: explanation.scoreCenti,
          explanation,
          refreshedOn: date,
        });
      }
      await upsertCases(tx, writes, nowMs);
      const resolved = await resolveCases(tx, resolutions, nowMs);
      stats.resolved += resolved.length;
      await offerSurveys(
        tx,
        resolved.map((key) =>
          surveyOffer({ borrowerId: key.borrowerId, subjectKind: 'case', subjectId: key.caseId, atMs: nowMs }),
        ),
      );
    });
    if (page.length < pageSize) break;
  }
  await assignOpenCases({ db, nowMs, strategy: assignment, team: collectionsTeam, stats });
  return stats;
}

async function assignOpenCases(input: {
  db: Database;
  nowMs: number;
  strategy: AssignmentStrategy;
  team: string;
  stats: RefreshCasesStats;
}): Promise<void> {
  const { db, nowMs, strategy, stats } = input;
  await db.transaction(async (tx) => {
    const agents: PoolAgent[] = await listAgents(tx, { team: input.team });
    const openCases = await countOpenCasesByAgent(tx);
    let lastAgentId = strategy === 'round_robin' ? await lastAssignedAgent(tx, strategy) : null;
    let cursor: { priorityCenti: number; borrowerId: string } | undefined;
    // Bounded: each page is CASE_LIST_MAX cases, and the loop ends when a page is short or nobody has room.
    for (;;) {
      const spare = agents.reduce((sum, a) => sum + roomOf(a, openCases), 0);
      const page = await listQueue(tx, {
        limit: CASE_LIST_MAX,
        unassignedOnly: true,
        ...(cursor ? { after: cursor } : {}),
      });
      if (page.length === 0) break;
      const last = page.at(-1) as CaseRow;
      cursor = { priorityCenti: last.priorityCenti, borrowerId: last.borrowerId };
      if (spare === 0) {
        stats.unassignedCount += page.length;
        for (const c of page) {
          if (stats.unassigned.length < 100) {
            stats.unassigned.push({
              borrowerId: c.borrowerId,
              reason: agents.some((a) => a.active) ? 'every agent is at capacity' : 'no active agent',
            });
          }
        }
      } else {
        const result = assignCases({
          cases: page.map((c) => ({ borrowerId: c.borrowerId, bucket: c.bucket, locale: c.locale })),
          agents,
          openCases,
          strategy,
          lastAgentId,
        });
        const caseOf = new Map(page.map((c) => [c.borrowerId, c]));
        stats.assigned += await assignCaseRows(
          tx,
          result.assignments.map((a) => ({
            borrowerId: a.borrowerId,
            caseId: (caseOf.get(a.borrowerId) as CaseRow).caseId,
            agentId: a.agentId,
            strategy,
            reason: a.reason,
            assignedAtMs: nowMs,
          })),
        );
        for (const a of result.assignments) openCases.set(a.agentId, (openCases.get(a.agentId) ?? 0) + 1);
        lastAgentId = result.lastAgentId;
        stats.unassignedCount += result.unassigned.length;
        for (const u of result.unassigned) if (stats.unassigned.length < 100) stats.unassigned.push(u);
      }
      if (page.length < CASE_LIST_MAX) break;
    }
  });
}

export interface QueueEntry {
  rank: number;
  borrowerId: string;
  caseId: string;
  /** Points (two decimals). */
  priority: number;
  dpd: number;
  bucket: string;
  stage: string;
  assignedAgentId: string | null;
  terms: PriorityTerm[];
  /** "1. W4 43.43 = dpd +22.22 + balance +6.21 + promise_open +0.00 + …": the case's line; `terms` say why. */
  text: string;
}

function entryOf(c: CaseRow, rank: number): QueueEntry {
  const explanation = c.explanation as PriorityExplanation;
  const terms = explanation.terms;
  // The contribution as each term's text ends ("… = +22.22").
  const parts = terms.map((t) => `${t.name} ${t.text.slice(t.text.lastIndexOf('= ') + 2)}`);
  return {
    rank,
    borrowerId: c.borrowerId,
    caseId: c.caseId,
    priority: c.priorityCenti / 100,
    dpd: c.dpd,
    bucket: c.bucket,
    stage: c.stage,
    assignedAgentId: c.assignedAgentId,
    terms,
    text: `${rank}. ${c.borrowerId} ${(c.priorityCenti / 100).toFixed(2)} = ${parts.join(' + ')}`,
  };
}

/** The queue in order (all open cases, or one agent's), each case with the formula's terms: "why this one first". */
export async function explainQueue(input: { db: Database; limit?: number; agentId?: string }): Promise<QueueEntry[]> {
  const rows = await listQueue(input.db, {
    limit: input.limit ?? 100,
    ...(input.agentId === undefined ? {} : { agentId: input.agentId }),
  });
  return rows.map((row, index) => entryOf(row, index + 1));
}

export interface NextCase {
  case: CaseRow;
  entry: QueueEntry;
  /** The number to call (the borrower's voice address), or null when there is none. */
  number: string | null;
  /** The compliance gate on a call now: `send`, or why not (quiet hours, hold, pause, limits …). */
  callCheck: GateDecision | null;
}

/**
 * The agent's next case, claimed for them (claimLeaseMs): the highest-priority open case assigned to
 * them, else — while they are under capacity — the highest-priority unassigned case their skills fit.
 * Two agents asking at once never get the same case. Null when there is none.
 */
export async function nextCase(input: {
  db: Database;
  agentId: string;
  nowMs: number;
  config?: CaseServiceConfig;
}): Promise<NextCase | null> {
  const { db, agentId, nowMs } = input;
  const { policy, claimLeaseMs } = settings(input.config);
  const agent = await getAgent(db, agentId);
  if (agent === undefined || !agent.active)
    throw new InputError('agentId', `no active agent ${JSON.stringify(agentId)}`);
  const claimed = await claimNextCase(db, {
    agentId,
    nowMs,
    leaseMs: claimLeaseMs,
    pool: claimPoolOf(agent, await countOpenCasesByAgent(db)),
  });
  if (claimed === undefined) return null;
  const [subject] = await loadContactSubjects(db, [claimed.borrowerId]);
  invariant(subject !== undefined, `the borrower of case ${claimed.caseId} exists`);
  const state = stateOf(subject);
  const number = state.addresses.voice ?? null;
  let callCheck: GateDecision | null = null;
  if (number !== null) {
    const loans = await borrowerLoanStates(db, claimed.borrowerId);
    callCheck = checkCallNow({
      state,
      loans: loans.map(loanContactView),
      loanIds: claimed.loanIds,
      number,
      policy,
      nowMs,
    });
  }
  const rank = await queuePosition(db, claimed);
  return { case: claimed, entry: entryOf(claimed, rank), number, callCheck };
}

/** Gives up the agent's claim on a case without logging a call (the case goes back to the queue). */
export async function releaseCase(input: {
  db: Database;
  borrowerId: string;
  caseId: string;
  agentId: string;
  nowMs: number;
}): Promise<boolean> {
  return input.db.transaction(async (tx) => {
    const c = await getCase(tx, input, { forUpdate: true });
    if (!c || c.claimedBy !== input.agentId) return false;
    return updateCase(tx, input, { releaseClaim: true }, input.nowMs);
  });
}

// ---- calls ------------------------------------------------------------------------------------------

export interface CallOutcomeRequest {
  idempotencyKey: string;
  agentId: string;
  borrowerId: string;
  caseId: string;
  outcome: CallOutcome;
  atMs: number;
  /** Default: the borrower's voice address. */
  number?: string;
  /** Default: the case's loans. */
  loanIds?: string[];
  promise?: { loanId: string; amountMinor: bigint; date: IsoDate };
  callback?: { date: IsoDate; time: string };
  note?: string;
}

export interface CallOutcomeRecorded {
  outcome: 'recorded';
  callId: string;
  effects: CaseEffect[];
  /** The pending call task the call completed, if any. */
  callTaskId: string | null;
  /** The complaint opened for review (a dispute). */
  complaintId: string | null;
}

/** The case, when the agent may work it: open, and theirs or nobody's. */
async function caseForAgent(
  tx: Queryable,
  agentId: string,
  key: { borrowerId: string; caseId: string },
  lock: boolean,
  options: { supervisor?: boolean } = {},
): Promise<Result<CaseRow>> {
  // A supervisor works no queue: they may act on any open case, whoever holds it.
  const agent = options.supervisor === true ? undefined : await getAgent(tx, agentId);
  if (options.supervisor !== true && (agent === undefined || !agent.active))
    throw new InputError('agentId', `no active agent ${JSON.stringify(agentId)}`);
  const c = await getCase(tx, key, { forUpdate: lock });
  if (c === undefined) return refuse('case_not_found', `caseId: no case ${key.caseId} of ${key.borrowerId}`, 'caseId');
  if (c.status !== 'open') return refuse('case_not_open', `caseId: case ${c.caseId} is ${c.status}`, 'caseId');
  if (options.supervisor === true) return succeed(c);
  const mine = c.assignedAgentId === null || c.assignedAgentId === agentId || c.claimedBy === agentId;
  if (!mine) {
    return refuse('case_not_assigned', `caseId: case ${c.caseId} is assigned to ${c.assignedAgentId}`, 'caseId');
  }
  return succeed(c);
}

function effectsJson(effects: readonly CaseEffect[]): unknown[] {
  return effects.map((effect) => jsonSafe(effect));
}

/**
 * What an idempotency key stands for: the request without the instant it arrived (the server's clock),
 * so a retry a moment later is the same request and replays instead of being refused as another.
 */
function keyedBody<Request extends { atMs: number }>(request: Request): Omit<Request, 'atMs'> {
  const { atMs: _arrived, ...body } = request;
  return body;
}

/**
 * Records a call's outcome on a case: the call record the gate counts (completing the borrower's pending
 * call task to that number, if any), and its effects in the same transaction — a promise to pay, a
 * callback (refused unless inside the contact window in the borrower's zone), a dispute's pause and
 * review complaint, a wrong or third-party number blocked, a note. Releases the agent's claim.
 */
export async function recordCallOutcome(input: {
  db: Database;
  request: CallOutcomeRequest;
  config?: CaseServiceConfig;
}): Promise<CallOutcomeRecorded | { outcome: 'replayed'; response: unknown } | CaseRejection> {
  const { db, request } = input;
  const { policy, complaintRules } = settings(input.config);
  return idempotent(db, { scope: 'case_call', key: request.idempotencyKey, body: keyedBody(request) }, async (tx) => {
    const { borrowerId, caseId, atMs } = request;
    const locked = await lockSubject(tx, borrowerId);
    if (!locked.ok) return locked;
    const subject = locked.value;
    const found = await caseForAgent(tx, request.agentId, { borrowerId, caseId }, true);
    if (!found.ok) return found;
    const kase = found.value;
    const state = stateOf(subject);
    const number = request.number ?? state.addresses.voice;
    if (number === undefined) return refuse('no_number', 'number: the borrower has no phone number on file', 'number');
    const owned = new Set((await listBorrowerLoans(tx, borrowerId)).map((loan) => loan.loanId));
    const loanIds = request.loanIds ?? kase.loanIds;
    for (const loanId of [...loanIds, ...(request.promise ? [request.promise.loanId] : [])]) {
      if (!owned.has(loanId)) throw new InputError('loanIds', `${loanId} is not a loan of ${borrowerId}`);
    }
    const callId = idOf('call-', request.idempotencyKey);
    const result = applyCallOutcome(
      state,
      {
        outcome: request.outcome,
        atMs,
        agentId: request.agentId,
        number,
        loanIds,
        ...(request.promise ? { promise: { promiseId: callId, ...request.promise } } : {}),
        ...(request.callback ? { callback: request.callback } : {}),
        ...(request.note !== undefined ? { note: request.note } : {}),
      },
      { policy },
    );
    if (!result.ok) return refuse(result.code, `callback: ${result.reason}`, 'callback');
    return succeed(async (tx: Queryable) => {
      let next = result.state;

      let complaintId: string | null = null;
      for (const effect of result.effects) {
        if (effect.kind === 'callback') {
          await insertCallback(tx, {
            borrowerId,
            callbackId: callId,
            caseId,
            agentId: request.agentId,
            dueAtMs: effect.dueAtMs,
            localTime: `${effect.localDate} ${effect.localTime}`,
            timezone: effect.timezone,
            status: 'scheduled',
            createdAtMs: atMs,
          });
        } else if (effect.kind === 'note') {
          await insertNote(tx, {
            borrowerId,
            caseId,
            complaintId: null,
            author: request.agentId,
            text: effect.text,
            createdAtMs: atMs,
          });
        } else if (effect.kind === 'review') {
          complaintId = idOf('K', 'dispute', callId);
          const opened = openComplaintCore(
            {
              complaintId,
              borrowerId,
              loanId: loanIds.length === 1 ? (loanIds[0] as string) : null,
              caseId,
              source: 'agent',
              raisedBy: request.agentId,
              category: 'dispute',
              text: request.note ?? 'The borrower disputed the debt on a call.',
              atMs,
              ...(effect.pauseReason === null ? {} : { pauseReason: effect.pauseReason }),
            },
            { rules: complaintRules, policy, state: next },
          );
          next = opened.state;
          await insertComplaint(tx, {
            ...opened.complaint,
            assignedAgentId: await routeComplaint(tx, opened.complaint.team),
            breachAlertedAtMs: null,
          });
        }
      }

      let callTaskId: string | null = null;
      if (result.completedPending) {
        // The outcome completed a pending call task (the strategy's call): close that task too.
        const tasks = await listOpenCallTasks(tx, { borrowerId, phone: number, limit: CASE_LIST_MAX });
        const task = tasks.at(-1);
        if (task) {
          await completeCallTask(tx, {
            borrowerId,
            taskId: task.taskId,
            outcome: request.outcome,
            completedAtMs: atMs,
          });
          callTaskId = task.taskId;
        }
      }
      await saveState(tx, subject, next, atMs);
      await insertCallLog(tx, {
        borrowerId,
        callId,
        caseId,
        agentId: request.agentId,
        number,
        outcome: request.outcome,
        calledAtMs: atMs,
        loanIds: result.record.loanIds,
        effects: effectsJson(result.effects),
      });
      await updateCase(tx, { borrowerId, caseId }, { lastCallAtMs: atMs, releaseClaim: true }, atMs);
      return { outcome: 'recorded' as const, callId, effects: result.effects, callTaskId, complaintId };
    });
  });
}

/** Adds a note to a case or a complaint of the borrower; returns its number. */
export async function addNote(input: {
  db: Database;
  borrowerId: string;
  caseId?: string;
  complaintId?: string;
  author: string;
  text: string;
  atMs: number;
}): Promise<number> {
  const text = parseNote(input.text, 'text');
  return input.db.transaction(async (tx) => {
    const locked = await lockSubject(tx, input.borrowerId);
    if (!locked.ok) throw new InputError('borrowerId', locked.message);
    if (input.caseId !== undefined && !(await getCase(tx, { borrowerId: input.borrowerId, caseId: input.caseId }))) {
      throw new InputError('caseId', `no case ${input.caseId} of ${input.borrowerId}`);
    }
    if (
      input.complaintId !== undefined &&
      !(await getComplaint(tx, { borrowerId: input.borrowerId, complaintId: input.complaintId }))
    ) {
      throw new InputError('complaintId', `no complaint ${input.complaintId} of ${input.borrowerId}`);
    }
    return insertNote(tx, {
      borrowerId: input.borrowerId,
      caseId: input.caseId ?? null,
      complaintId: input.complaintId ?? null,
      author: input.author,
      text,
      createdAtMs: input.atMs,
    });
  });
}

/** Schedules a callback on a case at the borrower's local date and time, inside the policy's contact window. */
export async function scheduleCallback(input: {
  db: Database;
  request: {
    idempotencyKey: string;
    agentId: string;
    borrowerId: string;
    caseId: string;
    date: IsoDate;
    time: string;
    atMs: number;
  };
  config?: CaseServiceConfig;
}): Promise<
  | { outcome: 'scheduled'; callbackId: string; dueAtMs: number; localTime: string }
  | { outcome: 'replayed'; response: unknown }
  | CaseRejection
> {
  const { db, request } = input;
  const { policy } = settings(input.config);
  return idempotent(
    db,
    { scope: 'case_callback', key: request.idempotencyKey, body: keyedBody(request) },
    async (tx) => {
      const locked = await lockSubject(tx, request.borrowerId);
      if (!locked.ok) return locked;
      const found = await caseForAgent(tx, request.agentId, request, true);
      if (!found.ok) return found;
      const checked = checkCallback(
        { date: request.date, time: request.time },
        { timezone: locked.value.timezone, policy, nowMs: request.atMs },
      );
      if (!checked.ok) return refuse(checked.code, `callback: ${checked.reason}`, 'callback');
      return succeed(async (tx: Queryable) => {
        const callbackId = idOf('cb-', request.idempotencyKey);
        const localTime = `${checked.callback.localDate} ${checked.callback.localTime}`;
        await insertCallback(tx, {
          borrowerId: request.borrowerId,
          callbackId,
          caseId: request.caseId,
          agentId: request.agentId,
          dueAtMs: checked.callback.dueAtMs,
          localTime,
          timezone: checked.callback.timezone,
          status: 'scheduled',
          createdAtMs: request.atMs,
        });
        return { outcome: 'scheduled' as const, callbackId, dueAtMs: checked.callback.dueAtMs, localTime };
      });
    },
  );
}

// ---- escalation -------------------------------------------------------------------------------------

export interface EscalateRequest {
  idempotencyKey: string;
  /** Decide and show what would be written (the letter's text too), write nothing. */
  dryRun?: boolean;
  /** Who escalates: an agent of the queue (the case must be theirs or nobody's), or a supervisor's name. */
  agentId: string;
  /** `agentId` is a supervisor's: any open case may be escalated, whoever holds it. */
  supervisor?: boolean;
  borrowerId: string;
  caseId: string;
  toStage: string;
  nowMs: number;
}

export interface Escalated {
  outcome: 'escalated' | 'dry_run';
  fromStage: string;
  toStage: string;
  reasons: string[];
  seq: number | null;
  /** The lawyer's letter: the contact it was recorded as, the address (the borrower's own), its code and size. */
  letter: { contactId: string; address: string; code: string; bytes: number; subject: string } | null;
  /** Dry run: the letter's text as it would print (its code not yet assigned). */
  preview: LetterContent | null;
  /** The first answer under this idempotency key, answered again (nothing was written this time). */
  replayed?: true;
  /** Dry run: what a real run would write; nothing was. */
  wouldWrite?: {
    caseStage: string;
    escalation: { fromStage: string; toStage: string; reasons: string[] };
    /** The letter recorded as a sent contact to this address, with its PDF stored on the escalation. */
    letter: { contactId: string; address: string } | null;
  };
}

/** How often escalate renders the letter again when the case changed while it rendered. */
export const ESCALATE_ATTEMPTS_MAX = 3;
const letterCodePlaceholder = '------';

/** The facts an escalation is decided on, read under the borrower's lock or without it. */
async function decideEscalationOn(
  q: Queryable,
  request: EscalateRequest,
  settings: { policy: PolicyPack; ladder: readonly EscalationStage[]; lender: Lender | undefined },
  lock: boolean,
): Promise<Result<{ subject: ContactSubject; state: BorrowerContactState; decision: EscalationDecision }>> {
  const { borrowerId, caseId, nowMs } = request;
  const subject = await lockSubject(q, borrowerId, lock);
  if (!subject.ok) return subject;
  const found = await caseForAgent(q, request.agentId, { borrowerId, caseId }, lock, {
    supervisor: request.supervisor === true,
  });
  if (!found.ok) return found;
  const state = stateOf(subject.value);
  const messages = await listBorrowerMessages(q, borrowerId, { limit: CASE_LIST_MAX });
  const decided = decideEscalation({
    ladder: settings.ladder,
    policy: settings.policy,
    currentStage: found.value.stage,
    caseLoanIds: found.value.loanIds,
    toStage: request.toStage,
    borrowerName: subject.value.name,
    state,
    loans: await borrowerLoanStates(q, borrowerId),
    messagesSent: messages.flatMap((m) =>
      m.sentAtMs === null ? [] : [{ template: m.template, sentAtMs: m.sentAtMs }],
    ),
    lender: settings.lender,
    nowMs,
  });
  if (!decided.ok) return decided;
  const letter = decided.value.letter;
  if (letter !== null && (await getContact(q, { borrowerId, contactId: letter.intent.intentId })) !== undefined) {
    return refuse('letter_exists', `letter: ${letter.intent.intentId} was sent already`, 'letter');
  }
  return succeed({ subject: subject.value, state, decision: decided.value });
}

/** A lawyer's letter rendered ahead of the transaction that records it, with the code it will get. */
interface RenderedLetter {
  contactId: string;
  code: string;
  content: LetterContent;
  pdf: Uint8Array;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(jsonSafe(a)) === JSON.stringify(jsonSafe(b));
}

/**
 * Moves a case up the escalation ladder. Refused unless the target stage is later, the borrower's DPD and
 * the notices sent meet its conditions, contact is not paused for review and no hardship request is open.
 * A stage with a lawyer's letter renders it as a PDF to the borrower's own postal address (refused
 * without one, or if the compliance gate would not send a letter now), records it as a sent contact with
 * a verification code (so the borrower can check it in the portal), and stores the bytes.
 *
 * The decision is decideEscalation's (src/workbench/escalation.ts). The PDF is rendered holding no lock,
 * from the facts read and the code the contact will get; the transaction then takes the borrower's lock,
 * decides again and records that PDF only if the letter it decides is the very one rendered (else it
 * renders again, at most ESCALATE_ATTEMPTS_MAX times). A dry run is the decision alone: nothing is
 * locked or written, and the answer says what would be.
 */
export async function escalate(input: {
  db: Database;
  request: EscalateRequest;
  config?: CaseServiceConfig;
}): Promise<Result<Escalated>> {
  const { db, request } = input;
  const { policy, ladder } = settings(input.config);
  const lender = input.config?.lender;
  const decisionSettings = { policy, ladder, lender };
  checkKey(request.idempotencyKey);

  if (request.dryRun) {
    const seen = await decideEscalationOn(db, request, decisionSettings, false);
    if (!seen.ok) return seen;
    const { decision } = seen.value;
    const letter = decision.letter;
    return succeed({
      outcome: 'dry_run',
      fromStage: decision.fromStage,
      toStage: decision.toStage,
      reasons: decision.reasons,
      seq: null,
      letter: null,
      preview:
        letter === null ? null : renderLawyerLetter({ ...letter.draft, verificationCode: letterCodePlaceholder }),
      wouldWrite: {
        caseStage: decision.toStage,
        escalation: { fromStage: decision.fromStage, toStage: decision.toStage, reasons: decision.reasons },
        letter: letter === null ? null : { contactId: letter.intent.intentId, address: letter.address },
      },
    });
  }

  const secret = input.config?.verificationSecret;
  // The key names the request, not the instant it arrived: a retry a moment later replays the first answer.
  const scope = { scope: 'case_escalate', key: request.idempotencyKey, body: { ...request, nowMs: undefined } };
  for (let attempt = 1; attempt <= ESCALATE_ATTEMPTS_MAX; attempt += 1) {
    // Outside any lock: decide on what is there now and render the letter, if the stage sends one.
    let rendered: RenderedLetter | null = null;
    const seen = await decideEscalationOn(db, request, decisionSettings, false);
    if (seen.ok && seen.value.decision.letter !== null) {
      if (secret === undefined) throw new InputError('config.verificationSecret', 'is needed to send a lawyer letter');
      const letter = seen.value.decision.letter;
      const contactId = letter.intent.intentId;
      const code = await nextVerificationCode(db, { borrowerId: request.borrowerId, contactId, secret });
      const content = renderLawyerLetter({ ...letter.draft, verificationCode: code });
      rendered = { contactId, code, content, pdf: await renderLetterPdf(content) };
    }
    // Under the lock: decide again (a refusal or a replay is answered from here), and write only when the
    // letter decided now is the one rendered.
    let stale = false;
    const answer = await db.transaction((tx) =>
      runIdempotent(tx, scope, async (tx): Promise<Decided<Escalated>> => {
        const now = await decideEscalationOn(tx, request, decisionSettings, true);
        if (!now.ok) return now;
        const letter = now.value.decision.letter;
        if (letter !== null) {
          const same =
            rendered !== null &&
            rendered.contactId === letter.intent.intentId &&
            sameJson(rendered.content, renderLawyerLetter({ ...letter.draft, verificationCode: rendered.code })) &&
            (await nextVerificationCode(tx, { ...rendered, borrowerId: request.borrowerId, secret: secret! })) ===
              rendered.code;
          if (!same) {
            stale = true;
            return refuse('escalation_contended', 'caseId: the case changed while its letter was rendered', 'caseId');
          }
        }
        return succeed((tx: Queryable) =>
          applyEscalation(tx, { request, ...now.value, rendered: letter === null ? null : rendered, secret }),
        );
      }),
    );
    if (stale) continue;
    if (!answer.ok) return answer;
    return succeed(
      answer.value.replayed ? { ...(answer.value.response as Escalated), replayed: true } : answer.value.value,
    );
  }
  return refuse(
    'escalation_contended',
    'caseId: the case kept changing while its letter was rendered; try again',
    'caseId',
  );
}

/** Writes a decided escalation: the letter as a sent contact with its code and PDF, the new stage. */
async function applyEscalation(
  tx: Queryable,
  input: {
    request: EscalateRequest;
    subject: ContactSubject;
    state: BorrowerContactState;
    decision: EscalationDecision;
    rendered: RenderedLetter | null;
    secret: Uint8Array | string | undefined;
  },
): Promise<Escalated> {
  const { request, subject, state, decision, rendered } = input;
  const { borrowerId, caseId, nowMs } = request;
  const reasons = [...decision.reasons];
  let letter: Escalated['letter'] = null;
  let stored: { contactId: string; address: string; code: string; pdf: Uint8Array } | null = null;
  const planned = decision.letter;
  if (planned !== null) {
    invariant(rendered !== null && input.secret !== undefined, 'a decided letter was rendered');
    const key = { borrowerId, contactId: planned.intent.intentId };
    const inserted = await insertContacts(tx, [
      {
        intent: planned.intent,
        businessDate: decision.date,
        status: 'planned',
        dueAtMs: nowMs,
        verdict: 'send',
        reasons: planned.gate.reasons,
        decidedAtMs: nowMs,
      },
    ]);
    invariant(inserted === 1, `letter ${key.contactId} is new (checked under the borrower's lock)`);
    // The code printed on the PDF was free a moment ago under this lock; another borrower's message taking
    // it since (odds below 1e-9) is an exception that rolls back, and the request can be sent again.
    const code = await assignVerificationCode(tx, { ...key, secret: input.secret, createdAtMs: nowMs });
    invariant(code === rendered.code, `letter ${key.contactId} gets the code printed on it`);
    await updateContact(
      tx,
      key,
      { status: 'sent', address: planned.address, sentAtMs: nowMs, providerMessageId: letterFileName(key.contactId) },
      nowMs,
    );
    await appendContactDecision(tx, {
      ...key,
      phase: 'delivery',
      verdict: 'accepted',
      decidedAtMs: nowMs,
      reasons: [`lawyer letter for escalation to ${decision.toStage}, by ${request.agentId}`],
    });
    const next = recordContact(state, {
      atMs: nowMs,
      channel: 'letter',
      localDate: decision.date,
      loanIds: planned.intent.loanIds,
    });
    await saveState(tx, subject, next, nowMs);
    stored = { contactId: key.contactId, address: planned.address, code, pdf: rendered.pdf };
    letter = {
      contactId: key.contactId,
      address: planned.address,
      code,
      bytes: rendered.pdf.length,
      subject: rendered.content.subject,
    };
    reasons.push(`lawyer letter ${key.contactId} to the borrower's own address`);
  }
  const seq = await insertEscalation(tx, {
    borrowerId,
    caseId,
    fromStage: decision.fromStage,
    toStage: decision.toStage,
    agentId: request.agentId,
    escalatedAtMs: nowMs,
    reasons,
    letter: stored,
  });
  await updateCase(tx, { borrowerId, caseId }, { stage: decision.toStage }, nowMs);
  return {
    outcome: 'escalated',
    fromStage: decision.fromStage,
    toStage: decision.toStage,
    reasons,
    seq,
    letter,
    preview: null,
  };
}

// ---- complaints -------------------------------------------------------------------------------------

/** The least loaded active agent of the team (ties by id), or null when the team has nobody with room. */
async function routeComplaint(tx: Queryable, team: string): Promise<string | null> {
  const agents = await listAgents(tx, { team });
  const load = await countOpenComplaintsByAgent(tx, team);
  // A complaint is no case of a bucket or a language: anyone of the team with room may take it.
  const pool = poolFor({ bucket: '', locale: '' }, agents, { openCases: load, match: 'any' });
  return leastLoaded(pool.agents, load)?.agentId ?? null;
}

function complaintOf(row: ComplaintRow): Complaint {
  const { assignedAgentId: _agent, breachAlertedAtMs: _alerted, ...rest } = row;
  return { ...rest, category: row.category as ComplaintCategory };
}

export interface OpenComplaintRequest {
  idempotencyKey: string;
  borrowerId: string;
  loanId?: string;
  source: ComplaintSource;
  /** The borrower's id, or the agent's who records it. */
  raisedBy: string;
  category: ComplaintCategory;
  text: string;
  atMs: number;
}

/**
 * Files a complaint: deadline by category, routed to its team (the least loaded agent there), linked to
 * the loan and to the borrower's open case; a complaint about contact or a dispute pauses collection
 * contact until reviewed (policy pauseOnComplaint, rules pausingCategories).
 */
export async function openComplaint(input: {
  db: Database;
  request: OpenComplaintRequest;
  config?: CaseServiceConfig;
}): Promise<
  | { outcome: 'opened'; complaint: ComplaintRow; paused: boolean }
  | { outcome: 'replayed'; response: unknown }
  | CaseRejection
> {
  const { db, request } = input;
  const { policy, complaintRules } = settings(input.config);
  parseComplaintCategory(request.category);
  return idempotent(
    db,
    { scope: 'complaint_open', key: request.idempotencyKey, body: keyedBody(request) },
    async (tx) => {
      const locked = await lockSubject(tx, request.borrowerId);
      if (!locked.ok) return locked;
      const subject = locked.value;
      if (request.loanId !== undefined) {
        const owned = (await listBorrowerLoans(tx, request.borrowerId)).some((loan) => loan.loanId === request.loanId);
        if (!owned) throw new InputError('loanId', `${request.loanId} is not a loan of ${request.borrowerId}`);
      }
      const openCase = await getOpenCase(tx, request.borrowerId);
      const opened = openComplaintCore(
        {
          complaintId: idOf('K', request.idempotencyKey),
          borrowerId: request.borrowerId,
          loanId: request.loanId ?? null,
          caseId: openCase?.caseId ?? null,
          source: request.source,
          raisedBy: request.raisedBy,
          category: request.category,
          text: request.text,
          atMs: request.atMs,
        },
        { rules: complaintRules, policy, state: stateOf(subject) },
      );
      return succeed(async (tx: Queryable) => {
        const row: ComplaintRow = {
          ...opened.complaint,
          assignedAgentId: await routeComplaint(tx, opened.complaint.team),
          breachAlertedAtMs: null,
        };
        await insertComplaint(tx, row);
        if (opened.paused) await saveState(tx, subject, opened.state, request.atMs);
        return { outcome: 'opened' as const, complaint: row, paused: opened.paused };
      });
    },
  );
}

/** A complaint reviewed or closed, and whether that lifted its pause of collection contact. */
export interface ComplaintDone {
  outcome: 'done';
  complaint: ComplaintRow;
  lifted: boolean;
}

async function transitionComplaint(
  db: Database,
  key: { borrowerId: string; complaintId: string },
  atMs: number,
  policy: PolicyPack,
  apply: (
    complaint: Complaint,
    context: { state: BorrowerContactState; others: Complaint[]; policy: PolicyPack },
  ) =>
    | { ok: true; complaint: Complaint; state: BorrowerContactState; lifted: boolean }
    | { ok: false; code: string; reason: string },
  after?: (tx: Queryable, complaint: Complaint) => Promise<void>,
): Promise<ComplaintDone | CaseRejection> {
  return db.transaction(async (tx): Promise<ComplaintDone | CaseRejection> => {
    const locked = await lockSubject(tx, key.borrowerId);
    if (!locked.ok) return rejectionOf(locked);
    const subject = locked.value;
    const row = await getComplaint(tx, key, { forUpdate: true });
    if (!row) return rejection('complaint_not_found', `complaintId: no complaint ${key.complaintId}`);
    const others = (await listBorrowerComplaints(tx, key.borrowerId, { notClosed: true })).map(complaintOf);
    const result = apply(complaintOf(row), { state: stateOf(subject), others, policy });
    if (!result.ok) return rejection(result.code, `complaintId: ${result.reason}`);
    const updated: ComplaintRow = {
      ...result.complaint,
      assignedAgentId: row.assignedAgentId,
      breachAlertedAtMs: row.breachAlertedAtMs,
    };
    await updateComplaint(tx, updated);
    if (result.lifted) await saveState(tx, subject, result.state, atMs);
    await after?.(tx, result.complaint);
    return { outcome: 'done' as const, complaint: updated, lifted: result.lifted };
  });
}

/** Someone reviewed the complaint: the pause of collection contact it held is lifted (unless another holds it). */
export async function reviewComplaint(input: {
  db: Database;
  request: { borrowerId: string; complaintId: string; by: string; atMs: number; note?: string };
  config?: CaseServiceConfig;
}): Promise<ComplaintDone | CaseRejection> {
  const { request } = input;
  const { policy } = settings(input.config);
  return transitionComplaint(input.db, request, request.atMs, policy, (complaint, context) =>
    reviewComplaintCore(
      complaint,
      { by: request.by, atMs: request.atMs, ...(request.note === undefined ? {} : { note: request.note }) },
      context,
    ),
  );
}

/** Closes the complaint with its resolution (lifting its pause if nobody had reviewed it) and offers a survey. */
export async function closeComplaint(input: {
  db: Database;
  request: { borrowerId: string; complaintId: string; by: string; atMs: number; resolution: string };
  config?: CaseServiceConfig;
}): Promise<ComplaintDone | CaseRejection> {
  const { request } = input;
  const { policy } = settings(input.config);
  return transitionComplaint(
    input.db,
    request,
    request.atMs,
    policy,
    (complaint, context) =>
      closeComplaintCore(complaint, { by: request.by, atMs: request.atMs, resolution: request.resolution }, context),
    async (tx, complaint) => {
      await offerSurveys(tx, [
        surveyOffer({
          borrowerId: complaint.borrowerId,
          subjectKind: 'complaint',
          subjectId: complaint.complaintId,
          atMs: request.atMs,
        }),
      ]);
    },
  );
}

export const COMPLAINT_BREACH_KIND = 'complaint_breach';

/**
 * Alerts on complaints whose deadline passed while not closed: each is marked once and an outbox event
 * (kind complaint_breach) goes to its team in the same transaction. Returns the complaints alerted.
 */
export async function alertComplaintBreaches(input: {
  db: Database;
  nowMs: number;
  limit?: number;
}): Promise<ComplaintRow[]> {
  const { db, nowMs } = input;
  return db.transaction(async (tx) => {
    const breached = await claimComplaintBreaches(tx, { nowMs, limit: input.limit ?? 500 });
    await enqueueOutbox(
      tx,
      breached.map((c) => ({
        borrowerId: c.borrowerId,
        eventId: `complaint:${c.complaintId}:breach`,
        kind: COMPLAINT_BREACH_KIND,
        loanId: c.loanId,
        businessDate: new Date(nowMs).toISOString().slice(0, 10),
        payload: {
          complaintId: c.complaintId,
          team: c.team,
          assignedAgentId: c.assignedAgentId,
          category: c.category,
          deadlineAt: new Date(c.deadlineAtMs).toISOString(),
          overdueHours: Math.floor((nowMs - c.deadlineAtMs) / 3_600_000),
        },
      })),
    );
    return breached;
  });
}

// ---- cases and surveys ------------------------------------------------------------------------------

/** Resolves a case by hand (settled, written off, …) and offers the borrower a survey. */
export async function resolveCase(input: {
  db: Database;
  request: { borrowerId: string; caseId: string; by: string; resolution: string; atMs: number };
}): Promise<{ outcome: 'resolved'; surveyId: string } | CaseRejection> {
  const { db, request } = input;
  const resolution = parseNote(request.resolution, 'resolution');
  return db.transaction(async (tx): Promise<{ outcome: 'resolved'; surveyId: string } | CaseRejection> => {
    const c = await getCase(tx, request, { forUpdate: true });
    if (!c || c.status !== 'open') return rejection('case_not_open', `caseId: no open case ${request.caseId}`);
    const resolvedOn = localDate(c.timezone, request.atMs);
    await resolveCases(tx, [{ ...request, resolvedOn, resolution }], request.atMs);
    await insertNote(tx, {
      borrowerId: request.borrowerId,
      caseId: request.caseId,
      complaintId: null,
      author: request.by,
      text: `resolved: ${resolution}`,
      createdAtMs: request.atMs,
    });
    const offer = surveyOffer({
      borrowerId: request.borrowerId,
      subjectKind: 'case',
      subjectId: request.caseId,
      atMs: request.atMs,
    });
    await offerSurveys(tx, [offer]);
    return { outcome: 'resolved' as const, surveyId: offer.surveyId };
  });
}

/** The borrower's answer to a survey offered when their case was resolved or complaint closed. */
export async function recordSurvey(input: {
  db: Database;
  request: { borrowerId: string; surveyId: string; score: number; comment?: string; atMs: number };
}): Promise<{ outcome: 'answered' } | CaseRejection> {
  const { db, request } = input;
  const answer = parseSurveyAnswer(request);
  return db.transaction(async (tx): Promise<{ outcome: 'answered' } | CaseRejection> => {
    const survey = await getSurvey(tx, request);
    if (!survey) {
      return rejection('survey_not_found', `surveyId: no survey ${request.surveyId} for ${request.borrowerId}`);
    }
    if (survey.status !== 'pending') {
      return rejection('survey_answered', `surveyId: ${request.surveyId} was answered already`);
    }
    await answerSurvey(tx, {
      borrowerId: request.borrowerId,
      surveyId: request.surveyId,
      ...answer,
      answeredAtMs: request.atMs,
    });
    return { outcome: 'answered' as const };
  });
}

// ---- status notices ---------------------------------------------------------------------------------

export interface StatusNoticeRequest {
  loanId: string;
  kind: DelayKind;
  amountMinor: bigint;
  etaMs: number;
  reference: string;
  channel: ContactChannel;
  nowMs: number;
}

export interface StatusNoticeQueued {
  contactId: string;
  /** False when the same notice (borrower, kind, reference, channel) was queued before: nothing was inserted. */
  queued: boolean;
  variables: { what: string; eta: string };
}

/** A status notice decided: the planned contact to insert and the notice's id and text. */
interface StatusNoticePlan {
  contact: NewContact;
  borrowerId: string;
  contactId: string;
  variables: { what: string; eta: string };
}

/** Decides a status notice (refused for a loan that does not exist); writes nothing. */
async function planStatusNotice(tx: Queryable, request: StatusNoticeRequest): Promise<Result<StatusNoticePlan>> {
  const read = await readLoanState(tx, request.loanId);
  if (read === undefined) return refuse('loan_not_found', `loanId: no loan ${request.loanId}`, 'loanId');
  const loan = read.state;
  const borrowerId = loan.borrowerId;
  const [subject] = await loadContactSubjects(tx, [borrowerId]);
  invariant(subject !== undefined, `borrower ${borrowerId} of loan ${request.loanId} exists`);
  const notice = statusNotice({
    borrowerId,
    timezone: subject.timezone,
    locale: subject.locale,
    loanId: request.loanId,
    kind: request.kind,
    amountMinor: request.amountMinor,
    currency: loan.currency,
    etaMs: request.etaMs,
    reference: request.reference,
    channel: request.channel,
    nowMs: request.nowMs,
    stage: loan.delinquent ? 'delinquent' : loan.inGrace ? 'grace' : 'pre_due',
  });
  const contact: NewContact = {
    intent: { ...notice.intent, variables: notice.variables },
    businessDate: notice.intent.date,
    status: 'planned',
    dueAtMs: request.nowMs,
    verdict: 'send',
    reasons: notice.intent.reasons,
    decidedAtMs: request.nowMs,
  };
  return succeed({ contact, borrowerId, contactId: notice.intent.intentId, variables: notice.variables });
}

/**
 * Queues a status notice with an ETA (template status_delayed) as a planned contact for the contact
 * pipeline's dispatcher, which gates and sends it. The intent carries `variables` (what, eta) for the
 * renderer. Queueing the same notice again inserts nothing.
 */
export async function queueStatusNotice(input: {
  db: Database;
  request: StatusNoticeRequest;
}): Promise<StatusNoticeQueued> {
  const { db, request } = input;
  return db.transaction(async (tx) => {
    const decided = await planStatusNotice(tx, request);
    if (!decided.ok) throw new InputError(decided.field ?? 'loanId', decided.message);
    const { contact, contactId, variables } = decided.value;
    const inserted = await insertContacts(tx, [contact]);
    return { contactId, queued: inserted === 1, variables };
  });
}

export type StatusNoticeInput = Omit<StatusNoticeRequest, 'nowMs'>;

/**
 * queueStatusNotice as a command (the API's and the CLI's door; src/app/command.ts): a key is required,
 * the same request again answers the first answer and another under the key is refused; a loan that does
 * not exist is refused (loan_not_found) and writes nothing; a dry run answers what would be queued. The
 * instant is the context's, not part of the request, so a retry later replays.
 */
export const requestStatusNotice = defineCommand<StatusNoticeInput, StatusNoticeQueued, NewContact>({
  name: 'status_notice.queue',
  scope: 'status_notice',
  keyRequired: true,
  async decide(tx, input, ctx) {
    const decided = await planStatusNotice(tx, { ...input, nowMs: ctx.nowMs });
    if (!decided.ok) return decided;
    const { contact, borrowerId, contactId, variables } = decided.value;
    // Queued once per notice (its id is deterministic): a notice planned before is not planned again.
    const queued = (await getContact(tx, { borrowerId, contactId })) === undefined;
    return planned(succeed({ contactId, queued, variables }), contact);
  },
  async apply(tx, contact) {
    await insertContacts(tx, [contact]);
  },
  audit: (input, answer) => ({
    resource: `loan/${input.loanId}`,
    subjectBorrowerId: null,
    detail: { loanId: input.loanId, kind: input.kind, ...(answer.ok ? { contactId: answer.value.contactId } : {}) },
  }),
});

// ---- contact preferences ----------------------------------------------------------------------------

/**
 * The borrower's contact preferences changed (portal settings, or staff on their behalf): opt-outs and
 * opt-ins, the preferred channel, the language of messages — through the pure transitions of
 * src/contact/preferences.ts, saved under the borrower-row lock like every contact-state change, so the
 * next send's gate sees it. The language lives on the borrower row (where currentState reads it).
 */
export async function saveContactPreferences(input: {
  db: Database;
  borrowerId: string;
  change: PreferencesChange;
  nowMs: number;
}): Promise<PreferencesOutcome> {
  const { db, borrowerId, change, nowMs } = input;
  return db.transaction(async (tx) => {
    const locked = await lockSubject(tx, borrowerId);
    if (!locked.ok) throw new InputError('borrowerId', locked.message);
    const subject = locked.value;
    const outcome = applyPreferences(stateOf(subject), change);
    await saveState(tx, subject, outcome.state, nowMs);
    if (outcome.locale !== null) {
      await upsertBorrowers(tx, [
        {
          borrowerId,
          name: subject.name,
          timezone: subject.timezone,
          locale: outcome.locale,
          contacts: subject.contacts as Record<string, unknown>,
        },
      ]);
    }
    return outcome;
  });
}
