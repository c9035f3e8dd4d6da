// Maker-checker approvals, and the contact strategy in force. A member with strategies:write asks for a
// strategy document to be activated (requestActivation); another member decides it (approveRequest,
// rejectRequest) — commands of the application layer (src/app/command.ts), the asker or decider being
// the context's actor; approving makes that exact document — stored with its digest when it was asked — the
// active strategy, which the daily contact planning reads through activeStrategy(db). A `payment_reversal`
// approval (asked by reversePostedPayment above the lender's threshold, src/app/reversals.ts) is carried
// out when approved: the reversal it holds is decided again on the loan as it is then and written in the
// same transaction as the decision (a reversal now refused leaves the approval pending, to be rejected).
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
import {
  defineCommand,
  planned,
  refuse,
  succeed,
  type CommandAudit,
  type CommandResult,
  type Refusal,
} from './index.ts';
import { InputError, invariant } from '../errors/index.ts';
import {
  decideApprovedReversal,
  saveReversal,
  type PaymentReversalReceipt,
  type ReversalRequestDocument,
  type ReversalWrites,
} from './reversals.ts';
import {
  activateStrategy,
  APPROVALS_LIST_MAX,
  decideApproval,
  findPendingApproval,
  findStrategyVersionDigests,
  getActiveStrategy,
  getApproval,
  insertApproval,
  listApprovals,
  lockApprovalDecisions,
  supersedePendingApprovals,
  type ApprovalRow,
  type NewApproval,
  type Queryable,
  type StrategyRow,
  type Transaction,
} from '../store/index.ts';

/** Characters a request or decision comment holds at most. */
export const APPROVAL_COMMENT_MAX = 2000;
/** Changes listed in an approval's summary line at most (the detail holds all of them). */
const summaryChangesMax = 3;

/** Refusal codes: `approval_not_found`, `approval_not_pending`, `own_request`, `identical_to_active`, `already_pending` (about the pending twin), `approval_stale`. */
export type ApprovalRefusalCode =
  | 'approval_not_found'
  | 'approval_not_pending'
  | 'own_request'
  | 'identical_to_active'
  | 'already_pending'
  | 'approval_stale';

function refused(code: ApprovalRefusalCode, message: string, approvalId?: string): Refusal {
  const refusal = refuse(code, message);
  return approvalId === undefined ? refusal : { ...refusal, about: approvalId };
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
  /** Default: a fresh random id. */
  approvalId?: string;
}

export function newApprovalId(nowMs: number): string {
  return `A-${nowMs.toString(36)}-${randomBytes(5).toString('hex')}`;
}

function approvalAudit(approval: ApprovalRow): Record<string, unknown> {
  if (approval.kind === 'payment_reversal') {
    const document = approval.document as ReversalRequestDocument;
    return {
      approvalId: approval.approvalId,
      kind: approval.kind,
      paymentId: document.paymentId,
      loanId: document.loanId,
      reason: document.reason,
      digest: approval.digest,
    };
  }
  const document = approval.document as { name?: unknown; version?: unknown };
  return {
    approvalId: approval.approvalId,
    kind: approval.kind,
    strategy: { name: String(document.name ?? approval.subject), version: Number(document.version ?? 0) },
    digest: approval.digest,
  };
}

/**
 * Asks for a strategy to become the active one; the asker is the context's actor. The document is
 * validated (InputError naming the field, e.g. `strategy.steps[2].channel`), stored in canonical form with
 * its digest and its diff against the active strategy. Refused when identical to the active strategy or to
 * a pending request.
 */
export const requestActivation = defineCommand<RequestActivationInput, ApprovalRow, NewApproval>({
  name: 'strategy.request_activation',
  scope: 'strategy.request_activation',
  async decide(tx, input, ctx) {
    const strategy = strategyOf(input.strategy);
    const comment = commentOf(input.comment, 'comment');
    const digest = strategyDigest(strategy);
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
    const approval: NewApproval = {
      approvalId: input.approvalId ?? newApprovalId(ctx.nowMs),
      kind: 'strategy_activation',
      subject: strategy.name,
      summary: summaryOf(strategy, active.strategy, changes),
      requestedBy: ctx.actor.id,
      requestedAt: new Date(ctx.nowMs).toISOString(),
      requestComment: comment,
      document: strategyToJson(strategy),
      digest,
      baseDigest: active.digest,
      changes,
    };
    const row: ApprovalRow = {
      ...approval,
      status: 'pending',
      decidedBy: null,
      decidedAt: null,
      decisionComment: null,
      supersededBy: null,
    };
    return planned(succeed(row), approval);
  },
  async apply(tx, approval) {
    invariant(await insertApproval(tx, approval), `approval id ${approval.approvalId} is new`);
  },
  audit: (_input, answer) =>
    answer.ok
      ? {
          resource: `approval/${answer.value.approvalId}`,
          subjectBorrowerId: null,
          detail: { ...approvalAudit(answer.value), baseDigest: answer.value.baseDigest },
        }
      : {
          resource: 'approvals',
          subjectBorrowerId: null,
          detail: { outcome: answer.code, ...(answer.about === undefined ? {} : { approvalId: answer.about }) },
        },
});

export interface DecisionInput {
  approvalId: string;
  comment?: string | null;
}

export interface Approved {
  approval: ApprovalRow;
  /** Pending activations this one superseded. */
  superseded: string[];
  /** The approval id of the strategy it replaced (null: the built-in default, or not a strategy). */
  retired: string | null;
  /** For a `payment_reversal`: the reversal carried out. */
  reversal?: PaymentReversalReceipt;
}

/** Locks a pending approval someone other than its requester may decide, or says why not. */
async function lockDecidable(tx: Transaction, approvalId: string, decidedBy: string): Promise<ApprovalRow | Refusal> {
  await lockApprovalDecisions(tx);
  const approval = await getApproval(tx, approvalId, { forUpdate: true });
  if (approval === undefined) return refused('approval_not_found', `approval ${approvalId} does not exist`);
  if (approval.status !== 'pending') {
    return refused(
      'approval_not_pending',
      `approval ${approvalId} is ${approval.status} already (by ${approval.decidedBy ?? 'nobody'}); only a pending one can be decided`,
      approvalId,
    );
  }
  if (approval.requestedBy === decidedBy) {
    return refused(
      'own_request',
      `${decidedBy} asked for approval ${approvalId}; another member must decide it`,
      approvalId,
    );
  }
  return approval;
}

function decided(
  approval: ApprovalRow,
  decision: { status: 'approved' | 'rejected'; decidedBy: string; decidedAt: string; comment: string | null },
): ApprovalRow {
  return {
    ...approval,
    status: decision.status,
    decidedBy: decision.decidedBy,
    decidedAt: decision.decidedAt,
    decisionComment: decision.comment,
  };
}

function decisionAudit(
  input: DecisionInput,
  decision: 'approve' | 'reject',
  answer: CommandResult<{ approval: ApprovalRow }>,
): CommandAudit {
  if (!answer.ok) {
    return {
      resource: `approval/${input.approvalId}`,
      subjectBorrowerId: null,
      detail: { approvalId: input.approvalId, decision, outcome: answer.code },
    };
  }
  const { approval } = answer.value;
  return {
    resource: `approval/${input.approvalId}`,
    subjectBorrowerId: null,
    detail: {
      ...approvalAudit(approval),
      decision: decision === 'approve' ? 'approved' : 'rejected',
      requestedBy: approval.requestedBy,
    },
  };
}

interface StrategyWrites {
  kind: 'strategy_activation';
  approval: ApprovalRow;
  strategy: Strategy;
  comment: string | null;
  decidedAt: string;
  superseded: string[];
}

interface ReversalApprovalWrites {
  kind: 'payment_reversal';
  approval: ApprovalRow;
  comment: string | null;
  decidedAt: string;
  reversal: ReversalWrites;
}

type ApprovalWrites = StrategyWrites | ReversalApprovalWrites;

/**
 * Approves a pending request (the decider is the context's actor) and carries it out in the same
 * transaction: for a strategy activation, the stored document becomes the active strategy and every other
 * pending activation is superseded.
 */
export const approveRequest = defineCommand<DecisionInput, Approved, ApprovalWrites>({
  name: 'approval.approve',
  scope: 'approval.approve',
  async decide(tx, input, ctx) {
    const comment = commentOf(input.comment, 'comment');
    const decidedAt = new Date(ctx.nowMs).toISOString();
    const approval = await lockDecidable(tx, input.approvalId, ctx.actor.id);
    if ('ok' in approval) return approval;
    if (approval.kind === 'payment_reversal') {
      // Decided again on the loan as it is now: a refusal leaves the approval pending (reject it).
      const decidedReversal = await decideApprovedReversal(
        tx,
        approval.document as ReversalRequestDocument,
        approval.approvalId,
      );
      if ('ok' in decidedReversal) return decidedReversal;
      const after = decided(approval, { status: 'approved', decidedBy: ctx.actor.id, decidedAt, comment });
      return planned(succeed({ approval: after, superseded: [], retired: null, reversal: decidedReversal.receipt }), {
        kind: 'payment_reversal',
        approval,
        comment,
        decidedAt,
        reversal: decidedReversal.writes,
      });
    }
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
    const pending = await listApprovals(tx, {
      status: 'pending',
      kind: 'strategy_activation',
      limit: APPROVALS_LIST_MAX,
    });
    invariant(pending.length < APPROVALS_LIST_MAX, `fewer than ${APPROVALS_LIST_MAX} activations are pending`);
    const superseded = pending
      .map((row) => row.approvalId)
      .filter((id) => id !== approval.approvalId)
      .sort();
    const after = decided(approval, { status: 'approved', decidedBy: ctx.actor.id, decidedAt, comment });
    return planned(succeed({ approval: after, superseded, retired: active.approvalId }), {
      kind: 'strategy_activation',
      approval,
      strategy,
      comment,
      decidedAt,
      superseded,
    });
  },
  async apply(tx, writes, ctx) {
    const { approval, comment, decidedAt } = writes;
    const done = await decideApproval(tx, {
      approvalId: approval.approvalId,
      status: 'approved',
      decidedBy: ctx.actor.id,
      decidedAt,
      comment,
    });
    invariant(done, `locked pending approval ${approval.approvalId} is decided once`);
    if (writes.kind === 'payment_reversal') {
      await saveReversal(tx, writes.reversal);
      return;
    }
    const { strategy, superseded } = writes;
    await activateStrategy(tx, {
      approvalId: approval.approvalId,
      name: strategy.name,
      version: strategy.version,
      digest: approval.digest,
      document: approval.document,
      activatedAt: decidedAt,
      activatedBy: approval.requestedBy,
      approvedBy: ctx.actor.id,
    });
    const moved = await supersedePendingApprovals(tx, {
      kind: 'strategy_activation',
      supersededBy: approval.approvalId,
      decidedBy: ctx.actor.id,
      decidedAt,
    });
    invariant(moved.join() === superseded.join(), `approval ${approval.approvalId} supersedes what it decided to`);
  },
  audit: (input, answer) => {
    const about = decisionAudit(input, 'approve', answer);
    if (!answer.ok) return about;
    return {
      ...about,
      detail: { ...about.detail, retired: answer.value.retired, superseded: answer.value.superseded },
    };
  },
});

/** Rejects a pending request (the decider is the context's actor); nothing else changes. */
export const rejectRequest = defineCommand<DecisionInput, { approval: ApprovalRow }, ApprovalRow>({
  name: 'approval.reject',
  scope: 'approval.reject',
  async decide(tx, input, ctx) {
    const comment = commentOf(input.comment, 'comment');
    const approval = await lockDecidable(tx, input.approvalId, ctx.actor.id);
    if ('ok' in approval) return approval;
    const after = decided(approval, {
      status: 'rejected',
      decidedBy: ctx.actor.id,
      decidedAt: new Date(ctx.nowMs).toISOString(),
      comment,
    });
    return planned(succeed({ approval: after }), after);
  },
  async apply(tx, after) {
    const done = await decideApproval(tx, {
      approvalId: after.approvalId,
      status: 'rejected',
      decidedBy: after.decidedBy as string,
      decidedAt: after.decidedAt as string,
      comment: after.decisionComment,
    });
    invariant(done, `locked pending approval ${after.approvalId} is decided once`);
  },
  audit: (input, answer) => decisionAudit(input, 'reject', answer),
});
