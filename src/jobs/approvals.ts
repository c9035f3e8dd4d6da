// Maker-checker approvals, and the contact strategy in force. A member with strategies:write asks for a
// strategy document to be activated (requestActivation); another member decides it (approveRequest,
// rejectRequest); approving makes that exact document — stored with its digest when it was asked — the
// active strategy, which the daily contact planning reads through activeStrategy(db).
//
// Invariants:
// - Nobody decides their own request (`own_request`); only a pending request is decided, once: the
//   decision is a conditional update, so of two approvers at once exactly one wins (`approval_not_pending`
//   for the other).
// - Exactly one strategy is active overall (the one the planning uses); without any activation it is
//   the built-in `default`. Approving an activation retires the active strategy and supersedes every
//   other pending activation in the same transaction: their diffs were made against the strategy just
//   retired, so an approver would no longer see what they change. Every pending activation's base is
//   therefore the active strategy (requests and decisions run under one transaction lock).
// - A strategy name and version always mean one document: asking to activate name N version V with
//   other content than an activated or built-in N V is refused at `strategy.version`, so the
//   `strategy: { name, version }` every planned contact records identifies the document it came from.
// - A document identical to the active strategy, or to a pending request, is refused.
import { randomBytes } from 'node:crypto';
import {
  builtInStrategies,
  diffStrategies,
  parseStrategy,
  resolveStrategy,
  strategyDigest,
  strategyToJson,
  type Strategy,
  type StrategyChange,
} from '../contact/strategy/index.ts';
import { InputError, invariant } from '../errors/index.ts';
import {
  activateStrategy,
  decideApproval,
  findPendingApproval,
  findStrategyVersionDigests,
  getActiveStrategy,
  getApproval,
  insertApproval,
  lockApprovalDecisions,
  supersedePendingApprovals,
  type ApprovalRow,
  type Database,
  type Queryable,
  type StrategyRow,
  type Transaction,
} from '../store/index.ts';

/** Characters a request or decision comment holds at most. */
export const APPROVAL_COMMENT_MAX = 2000;
/** Changes listed in an approval's summary line at most (the detail holds all of them). */
const summaryChangesMax = 3;

export type ApprovalRefusalCode =
  | 'approval_not_found'
  | 'approval_not_pending'
  | 'own_request'
  | 'identical_to_active'
  | 'already_pending'
  | 'approval_stale';

export interface ApprovalRefused {
  outcome: 'refused';
  code: ApprovalRefusalCode;
  message: string;
  /** The approval the refusal is about (the pending twin for `already_pending`). */
  approvalId?: string;
}

function refused(code: ApprovalRefusalCode, message: string, approvalId?: string): ApprovalRefused {
  return { outcome: 'refused', code, message, ...(approvalId === undefined ? {} : { approvalId }) };
}

/** The strategy in force and where it comes from. */
export interface ActiveStrategy {
  strategy: Strategy;
  digest: string;
  /** `activated`: approved through an approval; `builtin`: nothing was ever activated. */
  source: 'activated' | 'builtin';
  approvalId: string | null;
  activatedAt: string | null;
  activatedBy: string | null;
  approvedBy: string | null;
}

// Stored documents were validated when asked for; parsing them again per read is cheap but not free.
const parsedByDigest = new Map<string, Strategy>();
const parsedMax = 32;

function storedStrategy(row: { digest: string; document: unknown; name: string }): Strategy {
  const cached = parsedByDigest.get(row.digest);
  if (cached !== undefined) return cached;
  const strategy = parseStrategy(row.document, `strategies.${row.name}`);
  invariant(strategyDigest(strategy) === row.digest, `stored strategy ${row.name} still has digest ${row.digest}`);
  if (parsedByDigest.size >= parsedMax) parsedByDigest.clear();
  parsedByDigest.set(row.digest, strategy);
  return strategy;
}

function fromRow(row: StrategyRow): ActiveStrategy {
  return {
    strategy: storedStrategy(row),
    digest: row.digest,
    source: 'activated',
    approvalId: row.approvalId,
    activatedAt: row.activatedAt,
    activatedBy: row.activatedBy,
    approvedBy: row.approvedBy,
  };
}

const builtInDefault = (): ActiveStrategy => {
  const strategy = builtInStrategies.default as Strategy;
  return {
    strategy,
    digest: strategyDigest(strategy),
    source: 'builtin',
    approvalId: null,
    activatedAt: null,
    activatedBy: null,
    approvedBy: null,
  };
};

/** The strategy in force, with where it comes from: the active activated one, else the built-in default. */
export async function activeStrategyRecord(db: Queryable): Promise<ActiveStrategy> {
  const row = await getActiveStrategy(db);
  return row === undefined ? builtInDefault() : fromRow(row);
}

/** The strategy the daily contact planning uses: the active activated one, else the built-in `default`. */
export async function activeStrategy(db: Queryable): Promise<Strategy> {
  return (await activeStrategyRecord(db)).strategy;
}

/** One entry of the strategy list: the built-ins, with the activated strategy in place of its name's. */
export interface StrategyCatalogueEntry {
  strategy: Strategy;
  active: boolean;
  source: 'activated' | 'builtin';
}

/**
 * The strategies a supervisor starts from: every built-in, except that the active strategy replaces the
 * built-in of its name (or is added when its name is new), marked active.
 */
export async function strategyCatalogue(db: Queryable): Promise<StrategyCatalogueEntry[]> {
  const active = await activeStrategyRecord(db);
  const entries: StrategyCatalogueEntry[] = Object.values(builtInStrategies).map((strategy) => ({
    strategy,
    active: false,
    source: 'builtin',
  }));
  const own = entries.findIndex((entry) => entry.strategy.name === active.strategy.name);
  const entry: StrategyCatalogueEntry = { strategy: active.strategy, active: true, source: active.source };
  if (own === -1) entries.push(entry);
  else entries[own] = entry;
  return entries;
}

function commentOf(comment: string | undefined | null, field: string): string | null {
  if (comment === undefined || comment === null) return null;
  const text = comment.trim();
  if (text.length > APPROVAL_COMMENT_MAX) {
    throw new InputError(field, `must be at most ${APPROVAL_COMMENT_MAX} characters, got ${text.length}`);
  }
  return text === '' ? null : text;
}

/** A built-in name, or a whole strategy document (docs/strategies.md); errors name the field under `strategy`. */
function strategyOf(choice: unknown): Strategy {
  if (typeof choice === 'string') return resolveStrategy(choice, 'strategy');
  return parseStrategy(choice, 'strategy');
}

function summaryOf(strategy: Strategy, base: Strategy, changes: readonly StrategyChange[]): string {
  const head = `activate strategy ${strategy.name} v${strategy.version} (replacing ${base.name} v${base.version})`;
  if (changes.length === 0) return `${head}: no change in behaviour`;
  const shown = changes.slice(0, summaryChangesMax).map((change) => change.text);
  const more = changes.length - shown.length;
  const text = `${head}: ${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
  return text.length > 1000 ? `${text.slice(0, 997)}...` : text;
}

/** Refuses a name and version that already stand for another document (a built-in or an activated one). */
async function checkVersion(db: Queryable, strategy: Strategy, digest: string): Promise<void> {
  const builtIn = Object.hasOwn(builtInStrategies, strategy.name) ? builtInStrategies[strategy.name] : undefined;
  const digests = await findStrategyVersionDigests(db, { name: strategy.name, version: strategy.version });
  if (builtIn !== undefined && builtIn.version === strategy.version) digests.push(strategyDigest(builtIn));
  if (digests.length > 0 && !digests.includes(digest)) {
    throw new InputError(
      'strategy.version',
      `${strategy.name} version ${strategy.version} already stands for another document; give this one a new version`,
    );
  }
}

export interface RequestActivationInput {
  /** A built-in name, or the whole strategy document. */
  strategy: unknown;
  comment?: string | null;
  /** The staff member asking. */
  requestedBy: string;
  nowMs: number;
  /** Default: a fresh random id. */
  approvalId?: string;
}

export type RequestActivationResult = { outcome: 'requested'; approval: ApprovalRow } | ApprovalRefused;

export function newApprovalId(nowMs: number): string {
  return `A-${nowMs.toString(36)}-${randomBytes(5).toString('hex')}`;
}

/**
 * Asks for a strategy to become the active one. The document is validated (InputError naming the field,
 * e.g. `strategy.steps[2].channel`), stored in canonical form with its digest and its diff against the
 * active strategy. Refused when identical to the active strategy or to a pending request.
 */
export async function requestActivation(db: Database, input: RequestActivationInput): Promise<RequestActivationResult> {
  const strategy = strategyOf(input.strategy);
  const comment = commentOf(input.comment, 'comment');
  const digest = strategyDigest(strategy);
  const requestedAt = new Date(input.nowMs).toISOString();
  return db.transaction(async (tx) => {
    await lockApprovalDecisions(tx);
    const active = await activeStrategyRecord(tx);
    if (active.digest === digest) {
      return refused(
        'identical_to_active',
        `strategy ${strategy.name} v${strategy.version} is the active strategy already (digest ${digest.slice(0, 12)}…)`,
      );
    }
    const twin = await findPendingApproval(tx, { kind: 'strategy_activation', digest });
    if (twin !== undefined) {
      return refused(
        'already_pending',
        `approval ${twin.approvalId} already asks for this exact document (asked by ${twin.requestedBy})`,
        twin.approvalId,
      );
    }
    await checkVersion(tx, strategy, digest);
    const changes = diffStrategies(active.strategy, strategy);
    const approvalId = input.approvalId ?? newApprovalId(input.nowMs);
    const approval = {
      approvalId,
      kind: 'strategy_activation' as const,
      subject: strategy.name,
      summary: summaryOf(strategy, active.strategy, changes),
      requestedBy: input.requestedBy,
      requestedAt,
      requestComment: comment,
      document: strategyToJson(strategy),
      digest,
      baseDigest: active.digest,
      changes,
    };
    invariant(await insertApproval(tx, approval), `approval id ${approvalId} is new`);
    const stored = await getApproval(tx, approvalId);
    invariant(stored !== undefined, `approval ${approvalId} reads back`);
    return { outcome: 'requested', approval: stored };
  });
}

export interface DecisionInput {
  approvalId: string;
  /** The staff member deciding. */
  decidedBy: string;
  comment?: string | null;
  nowMs: number;
}

export type ApproveResult =
  | {
      outcome: 'approved';
      approval: ApprovalRow;
      /** Pending activations this one superseded. */
      superseded: string[];
      /** The approval id of the strategy it replaced (null: the built-in default). */
      retired: string | null;
    }
  | ApprovalRefused;

export type RejectResult = { outcome: 'rejected'; approval: ApprovalRow } | ApprovalRefused;

/** Locks a pending approval someone other than its requester may decide, or says why not. */
async function lockDecidable(
  tx: Transaction,
  input: DecisionInput,
): Promise<{ approval: ApprovalRow } | ApprovalRefused> {
  await lockApprovalDecisions(tx);
  const approval = await getApproval(tx, input.approvalId, { forUpdate: true });
  if (approval === undefined) return refused('approval_not_found', `approval ${input.approvalId} does not exist`);
  if (approval.status !== 'pending') {
    return refused(
      'approval_not_pending',
      `approval ${input.approvalId} is ${approval.status} already (by ${approval.decidedBy ?? 'nobody'}); only a pending one can be decided`,
      input.approvalId,
    );
  }
  if (approval.requestedBy === input.decidedBy) {
    return refused(
      'own_request',
      `${input.decidedBy} asked for approval ${input.approvalId}; another member must decide it`,
      input.approvalId,
    );
  }
  return { approval };
}

/**
 * Approves a pending request and carries it out in the same transaction: for a strategy activation, the
 * stored document becomes the active strategy and every other pending activation is superseded.
 */
export async function approveRequest(db: Database, input: DecisionInput): Promise<ApproveResult> {
  const comment = commentOf(input.comment, 'comment');
  const decidedAt = new Date(input.nowMs).toISOString();
  return db.transaction(async (tx) => {
    const locked = await lockDecidable(tx, input);
    if ('outcome' in locked) return locked;
    const { approval } = locked;
    invariant(approval.kind === 'strategy_activation', `approval kind ${approval.kind} is handled`);
    const strategy = storedStrategy({ digest: approval.digest, document: approval.document, name: approval.subject });
    const active = await activeStrategyRecord(tx);
    if (approval.baseDigest !== active.digest) {
      // Cannot happen while requests and decisions share the lock; refused rather than applied blind.
      return refused(
        'approval_stale',
        `approval ${approval.approvalId} was asked against another active strategy; ask again`,
        approval.approvalId,
      );
    }
    const decided = await decideApproval(tx, {
      approvalId: approval.approvalId,
      status: 'approved',
      decidedBy: input.decidedBy,
      decidedAt,
      comment,
    });
    invariant(decided, `locked pending approval ${approval.approvalId} is decided once`);
    const { retired } = await activateStrategy(tx, {
      approvalId: approval.approvalId,
      name: strategy.name,
      version: strategy.version,
      digest: approval.digest,
      document: approval.document,
      activatedAt: decidedAt,
      activatedBy: approval.requestedBy,
      approvedBy: input.decidedBy,
    });
    const superseded = await supersedePendingApprovals(tx, {
      kind: 'strategy_activation',
      supersededBy: approval.approvalId,
      decidedBy: input.decidedBy,
      decidedAt,
    });
    const after = await getApproval(tx, approval.approvalId);
    invariant(after !== undefined, `approval ${approval.approvalId} reads back`);
    return { outcome: 'approved', approval: after, superseded, retired };
  });
}

/** Rejects a pending request; nothing else changes. */
export async function rejectRequest(db: Database, input: DecisionInput): Promise<RejectResult> {
  const comment = commentOf(input.comment, 'comment');
  const decidedAt = new Date(input.nowMs).toISOString();
  return db.transaction(async (tx) => {
    const locked = await lockDecidable(tx, input);
    if ('outcome' in locked) return locked;
    const decided = await decideApproval(tx, {
      approvalId: input.approvalId,
      status: 'rejected',
      decidedBy: input.decidedBy,
      decidedAt,
      comment,
    });
    invariant(decided, `locked pending approval ${input.approvalId} is decided once`);
    const after = await getApproval(tx, input.approvalId);
    invariant(after !== undefined, `approval ${input.approvalId} reads back`);
    return { outcome: 'rejected', approval: after };
  });
}
