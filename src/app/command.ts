// The one wrapper every command runs through: idempotency, dry run and audit, the same for all of them.
// A command is written as read → pure decision → write: `decide` reads (and locks) what it needs inside
// the command's transaction and answers what it would do — a refusal, or the answer with the writes that
// produce it — and `apply` writes those writes. The wrapper does the rest:
//
// - Idempotency (src/store/idempotency.ts, scope per command): before deciding, the key is looked up, so a
//   repeat is answered from its stored answer (`replayed: true`) and never decided again on a state the
//   first request already changed; the same key with another input is refused `idempotency_key_reused`,
//   and one still being written elsewhere `idempotency_key_in_progress`. The key is registered just before
//   the writes and completed with the answer in the same transaction: a key is stored exactly when the
//   command's writes are. A plain refusal (one that writes nothing) stores nothing, unless the command
//   says its refusals are final answers (`storeRefusals`), then they are replayed like any answer.
// - Dry run: the same lookups and the same decision in the same transaction, then no key, no writes, no
//   audit; it answers what the real run would answer now (`dryRun: true`). Nothing is thrown to undo.
// - Audit: once per real run (replays and refusals included), one row naming the actor of the context,
//   the command, what it was done to and its outcome; written where the context says (the API merges it
//   into its request's row, so one request still makes one row), else appended to the audit chain after
//   the transaction committed.
//
// Invariants: stored answers are JSON (bigint written as decimal strings) and replay to the answer given
// the first time; an exception (a bug, an unavailable dependency, bad input as InputError) rolls the whole
// command back, key included.
import {
  appendAudit,
  beginIdempotent,
  completeIdempotent,
  peekIdempotent,
  requestHash,
  type AuditActorKind,
  type AuditEntry,
  type Database,
  type IdempotencyBegin,
  type Transaction,
} from '../store/index.ts';
import { refuse, type CommandRequest, type Refusal, type Result } from './result.ts';

/** Who runs a command: the audit row's actor. */
export interface Actor {
  kind: AuditActorKind;
  /** The staff username, the borrower id, `cli:<user>`, `system:<job>`. */
  id: string;
}

/** Where a command's audit row goes. */
export interface AuditSink {
  record(entry: AuditEntry): Promise<void>;
}

/** What every command runs with: the store, who acts and when (the caller's clock). */
export interface CommandContext {
  db: Database;
  actor: Actor;
  /** The instant of the request, epoch milliseconds. */
  nowMs: number;
  /** Default: appended to the audit chain of `db`. */
  audit?: AuditSink;
}

/** A command's answer: the Result, and whether it was replayed from its key or only computed (dry run). */
export type CommandResult<Value> = Result<Value> & { replayed: boolean; dryRun: boolean };

/** A decision that writes: the answer it gives and the writes that make it true. */
export interface Planned<Value, Writes> {
  answer: Result<Value>;
  writes: Writes;
}

/** What `decide` answers: a refusal that writes nothing, or a plan. */
export type Decision<Value, Writes> = Refusal | Planned<Value, Writes>;

export function planned<Value, Writes>(answer: Result<Value>, writes: Writes): Planned<Value, Writes> {
  return { answer, writes };
}

/** What the audit row says about one run. */
export interface CommandAudit {
  /** What it was done to, e.g. `loan/L1`, `approval/A-1`. */
  resource: string;
  subjectBorrowerId: string | null;
  detail?: Record<string, unknown>;
}

export interface CommandSpec<Input, Value, Writes> {
  /** The audit row's action, e.g. `refund.credit`. */
  name: string;
  /** The idempotency scope of the command's keys. */
  scope: string;
  /** What a key is bound to (default: the whole input); leave out what a retry may change (a default date). */
  identity?: (input: Input) => unknown;
  /** Refusals are final answers: stored under the key and replayed (default: a refusal stores nothing). */
  storeRefusals?: boolean;
  /** Refuse a request without a key (`idempotency_key_required`): ids derive from it. */
  keyRequired?: boolean;
  /** Reads and locks inside the transaction, then decides; never writes. The key is given to derive ids from. */
  decide(
    tx: Transaction,
    input: Input,
    ctx: CommandContext,
    idempotencyKey: string | undefined,
  ): Promise<Decision<Value, Writes>>;
  /** Writes what was decided. */
  apply(tx: Transaction, writes: Writes, ctx: CommandContext): Promise<void>;
  audit(input: Input, answer: CommandResult<Value>): CommandAudit;
}

export type Command<Input, Value> = (
  ctx: CommandContext,
  request: CommandRequest<Input>,
) => Promise<CommandResult<Value>>;

export const IDEMPOTENCY_KEY_IN_PROGRESS = 'idempotency_key_in_progress';
export const IDEMPOTENCY_KEY_REQUIRED = 'idempotency_key_required';

/** The refusal or replay a key already holds (`new` never reaches here). */
function answerOfKey<Value>(
  seen: Exclude<IdempotencyBegin, { outcome: 'new' }>,
  dryRun: boolean,
): CommandResult<Value> {
  if (seen.outcome === 'rejected') {
    const refusal = refuse(seen.code, 'idempotencyKey: already used for another request', 'idempotencyKey');
    return { ...refusal, replayed: false, dryRun };
  }
  if (seen.outcome === 'in_progress') {
    const refusal = refuse(
      IDEMPOTENCY_KEY_IN_PROGRESS,
      'idempotencyKey: a request under this key is still being carried out; retry later',
      'idempotencyKey',
    );
    return { ...refusal, replayed: false, dryRun };
  }
  return { ...(seen.response as Result<Value>), replayed: true, dryRun };
}

/** An answer as stored under its key: JSON, bigint as decimal strings. */
export function storedAnswer(answer: Result<unknown>): unknown {
  return JSON.parse(
    JSON.stringify(answer, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)),
  );
}

export function defineCommand<Input, Value, Writes>(spec: CommandSpec<Input, Value, Writes>): Command<Input, Value> {
  return async (ctx, request) => {
    const dryRun = request.dryRun === true;
    if (spec.keyRequired === true && request.idempotencyKey === undefined) {
      const refusal = refuse(
        IDEMPOTENCY_KEY_REQUIRED,
        'idempotencyKey: is required for this command',
        'idempotencyKey',
      );
      return { ...refusal, replayed: false, dryRun };
    }
    const answer = await ctx.db.transaction((tx) => run(spec, tx, ctx, request, dryRun));
    if (!dryRun) await recordAudit(spec, ctx, request.input, answer);
    return answer;
  };
}

async function run<Input, Value, Writes>(
  spec: CommandSpec<Input, Value, Writes>,
  tx: Transaction,
  ctx: CommandContext,
  request: CommandRequest<Input>,
  dryRun: boolean,
): Promise<CommandResult<Value>> {
  const key =
    request.idempotencyKey === undefined
      ? undefined
      : {
          scope: spec.scope,
          key: request.idempotencyKey,
          requestHash: requestHash((spec.identity ?? ((input: Input): unknown => input))(request.input)),
        };
  if (key) {
    const seen = await peekIdempotent(tx, key);
    if (seen) return answerOfKey(seen, dryRun);
  }
  const decision = await spec.decide(tx, request.input, ctx, request.idempotencyKey);
  if (!('answer' in decision)) {
    if (key && !dryRun && spec.storeRefusals === true) {
      const begun = await beginIdempotent(tx, key);
      if (begun.outcome !== 'new') return answerOfKey(begun, dryRun);
      await completeIdempotent(tx, { ...key, response: storedAnswer(decision) });
    } else if (key) {
      // The decision waited on a lock a twin under the same key held: answer what the twin answered.
      const seen = await peekIdempotent(tx, key);
      if (seen) return answerOfKey(seen, dryRun);
    }
    return { ...decision, replayed: false, dryRun };
  }
  if (dryRun) return { ...decision.answer, replayed: false, dryRun };
  if (key) {
    const begun = await beginIdempotent(tx, key);
    if (begun.outcome !== 'new') return answerOfKey(begun, dryRun);
  }
  await spec.apply(tx, decision.writes, ctx);
  if (key) await completeIdempotent(tx, { ...key, response: storedAnswer(decision.answer) });
  return { ...decision.answer, replayed: false, dryRun };
}

async function recordAudit<Input, Value>(
  spec: { name: string; audit(input: Input, answer: CommandResult<Value>): CommandAudit },
  ctx: CommandContext,
  input: Input,
  answer: CommandResult<Value>,
): Promise<void> {
  const about = spec.audit(input, answer);
  const entry: AuditEntry = {
    atMs: ctx.nowMs,
    actorKind: ctx.actor.kind,
    actorId: ctx.actor.id,
    action: spec.name,
    resource: about.resource,
    subjectBorrowerId: about.subjectBorrowerId,
    outcome: 0,
    detail: {
      ...about.detail,
      result: answer.ok ? 'ok' : answer.code,
      ...(answer.replayed ? { replayed: true } : {}),
    },
  };
  if (ctx.audit) await ctx.audit.record(entry);
  else await appendAudit(ctx.db, [entry]);
}

// ---- commands with an outside effect ---------------------------------------------------------------------

/** Stores a command's final answer under its key, in the transaction that records the outcome. */
export type Settle = (tx: Transaction, answer: Result<unknown>) => Promise<void>;

/** What `carryOut` may do with its key. */
export interface KeyHandle<Value> {
  settle: Settle;
  /** The answer a twin under the same key settled meanwhile (its decision found the work done). */
  settled(): Promise<Result<Value>>;
}

/** The settle of a key, for work that finishes a command outside its request (a reconciler). */
export function settleOf(scope: string, key: string): Settle {
  return (tx, answer) => completeIdempotent(tx, { scope, key, response: storedAnswer(answer) });
}

/**
 * A command whose answer is known only after an outside call (a debit through a payment provider). Like
 * a command it decides and writes in one transaction (e.g. a reservation), then `carryOut` makes the call
 * and settles the key with the final answer in the transaction that records it. Differences, because an
 * outside call cannot be rolled back: the key is registered on its own before deciding, so another input
 * under it is refused even while the first one's outcome is unknown; a refusal is a final answer (stored);
 * an answer left unsettled (the outside outcome is unknown) leaves the key open, and a retry under it
 * decides again — which must resume what was begun, not begin it twice. A dry run decides and writes
 * nothing, answering what would be carried out.
 */
export interface ExternalCommandSpec<Input, Value, Writes> {
  name: string;
  scope: string;
  identity?: (input: Input) => unknown;
  /**
   * Looks before the key is registered: an answer here (a refusal about who may act on what, or a replay
   * of the same request made another way) stores nothing, so it does not tie the key to this input.
   */
  admit?(
    ctx: CommandContext,
    input: Input,
    idempotencyKey: string,
  ): Promise<{ answer: Result<Value>; replayed: boolean } | undefined>;
  decide(tx: Transaction, input: Input, ctx: CommandContext, idempotencyKey: string): Promise<Decision<Value, Writes>>;
  apply(tx: Transaction, writes: Writes, ctx: CommandContext): Promise<void>;
  carryOut(ctx: CommandContext, writes: Writes, key: KeyHandle<Value>): Promise<Result<Value>>;
  /** A stored answer as answered again (default: as stored). */
  revive?(ctx: CommandContext, stored: Result<unknown>, idempotencyKey: string): Promise<Result<Value>>;
  audit(input: Input, answer: CommandResult<Value>): CommandAudit;
}

export function defineExternalCommand<Input, Value, Writes>(
  spec: ExternalCommandSpec<Input, Value, Writes>,
): Command<Input, Value> {
  const revive = async (
    ctx: CommandContext,
    stored: unknown,
    key: string,
    dryRun: boolean,
  ): Promise<CommandResult<Value>> => {
    const answer = spec.revive ? await spec.revive(ctx, stored as Result<unknown>, key) : (stored as Result<Value>);
    return { ...answer, replayed: true, dryRun };
  };
  const execute = async (ctx: CommandContext, request: CommandRequest<Input>): Promise<CommandResult<Value>> => {
    const dryRun = request.dryRun === true;
    if (request.idempotencyKey === undefined) {
      const refusal = refuse(
        IDEMPOTENCY_KEY_REQUIRED,
        'idempotencyKey: is required for this command',
        'idempotencyKey',
      );
      return { ...refusal, replayed: false, dryRun };
    }
    const admitted = await spec.admit?.(ctx, request.input, request.idempotencyKey);
    if (admitted) return { ...admitted.answer, replayed: admitted.replayed, dryRun };
    const key = {
      scope: spec.scope,
      key: request.idempotencyKey,
      requestHash: requestHash((spec.identity ?? ((input: Input): unknown => input))(request.input)),
    };
    const seen = dryRun ? await peekIdempotent(ctx.db, key) : await beginIdempotent(ctx.db, key);
    if (seen?.outcome === 'replayed') return revive(ctx, seen.response, key.key, dryRun);
    if (seen?.outcome === 'rejected') return answerOfKey(seen, dryRun);
    const settle = settleOf(key.scope, key.key);
    const decided = await ctx.db.transaction(async (tx) => {
      const decision = await spec.decide(tx, request.input, ctx, key.key);
      if (dryRun) return decision;
      if (!('answer' in decision)) await settle(tx, decision);
      else await spec.apply(tx, decision.writes, ctx);
      return decision;
    });
    if (!('answer' in decided)) return { ...decided, replayed: false, dryRun };
    if (dryRun) return { ...decided.answer, replayed: false, dryRun };
    const settled = async (): Promise<Result<Value>> => {
      const stored = await peekIdempotent(ctx.db, key);
      if (stored?.outcome !== 'replayed') throw new Error(`invariant violated: key ${key.scope}/${key.key} is settled`);
      return revive(ctx, stored.response, key.key, dryRun);
    };
    const answer = await spec.carryOut(ctx, decided.writes, { settle, settled });
    return { ...answer, replayed: false, dryRun };
  };
  return async (ctx, request) => {
    const answer = await execute(ctx, request);
    if (request.dryRun !== true) await recordAudit(spec, ctx, request.input, answer);
    return answer;
  };
}
