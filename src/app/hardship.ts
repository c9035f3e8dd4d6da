// Hardship commands against the store: recording an overdue reason (with its evidence files), requesting
// a plan (the offer, with the schedule before and after and who must approve it), approving or refusing
// it (an approval applies the plan's ledger step), and judging active plans for the daily close.
// Orchestration only: the decisions are src/hardship's and the ledger step src/servicing's.
//
// The four are commands of the application layer (src/app/command.ts): each is decided inside one
// database transaction and written there, idempotent by its key (the same request again returns the first
// answer and writes nothing; another request under the same key is refused as `idempotency_key_reused`),
// with dry run and audit. Invariants: an approval writes the loan row, its `plan` transaction, the
// journal entries and the outbox events (`loan_events`, `plan_activated`) together, under the loan's and
// the plan's locks; judging a date again changes nothing (a judged plan's next check is after it).
import { createHash } from 'node:crypto';
import { defineCommand, planned, refuse, succeed, type CommandContext, type Refusal } from './index.ts';
import { addDays, maxDate, type IsoDate } from '../calendar/index.ts';
import { InputError, invariant } from '../errors/index.ts';
import { buildSchedule } from '../schedule/index.ts';
import {
  capturedByText,
  checkApproval,
  defaultHardshipPolicy,
  evaluatePlanRequest,
  judgePlan,
  parseCapturedBy,
  parseHardshipPolicy,
  parseOverdueReason,
  parsePlanRequest,
  planInstallmentsFromJson,
  planInstallmentsToJson,
  planOfferToJson,
  shareText,
  type HardshipPolicy,
  type OverdueReasonCategory,
  type PlanOffer,
  type PlanPayment,
} from '../hardship/index.ts';
import {
  breakPlan,
  closeDay,
  completePlan,
  deserializeTransaction,
  planTermsFromJson,
  planTermsToJson,
  activatePlan,
  type LoanEvent,
  type LoanState,
  type LoanTransaction,
  type LoanTransactionJson,
  type PlanBreakMode,
  type PlanTerms,
  type PlanTermsJson,
} from '../servicing/index.ts';
import {
  listLoanTransactions,
  saveCloseBatch,
  type Database,
  type LoanRow,
  type NewOutboxEvent,
  type Transaction,
  type Queryable,
} from '../store/index.ts';
// Direct, until src/store/index.ts exports the hardship repository.
import {
  claimPlansToJudge,
  countPlansActivatedSince,
  findHardshipPolicy,
  getHardshipPlan,
  getOverdueReason,
  insertHardshipPlan,
  insertOverdueReason,
  insertPlanApproval,
  listLoanPlans,
  listOverdueReasons,
  updateHardshipPlan,
  upsertHardshipPolicy,
  PLAN_CLAIM_MAX,
  type HardshipPlanRow,
} from '../store/hardship.ts';
import { closeHardshipRequest } from './contacts.ts';
import { historyOf, journalRows, loanUpdateOf, outboxRow, readLoanState, transactionRow } from './document.ts';
import { loanRateCapPolicy } from './rate-caps.ts';

/** The policy id that applies when a product has none of its own. */
export const DEFAULT_POLICY_ID = 'default';
/** How far back judgePlans' plans-per-year rule looks. */
const planYearDays = 365;
/** Pages one judgePlans call runs at most (each of up to pageSize plans). */
const JUDGE_PAGES_MAX = 10_000;

/** An id a key names: derived, so a retried request names the same record. */
function idOf(prefix: string, idempotencyKey: string): string {
  return `${prefix}${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 20)}`;
}

/** The command's instant as stored (ISO-8601). */
function atOf(ctx: CommandContext): string {
  return new Date(ctx.nowMs).toISOString();
}

// ---- policies --------------------------------------------------------------------------------------------

/** Validates and stores a policy for a product (or DEFAULT_POLICY_ID); returns the parsed policy. */
export async function setHardshipPolicy(
  db: Database,
  request: { policyId: string; policy: unknown; at: string },
): Promise<HardshipPolicy> {
  const policy = parseHardshipPolicy(request.policy);
  await upsertHardshipPolicy(db, { policyId: request.policyId, config: request.policy, updatedAt: request.at });
  return policy;
}

/** The policy of a loan's product, else the stored default, else the built-in one. */
export async function loanHardshipPolicy(queryable: Queryable, productId: string | null): Promise<HardshipPolicy> {
  const ids = productId === null ? [DEFAULT_POLICY_ID] : [productId, DEFAULT_POLICY_ID];
  const found = await findHardshipPolicy(queryable, ids);
  return found ? parseHardshipPolicy(found.config, `hardship_policies[${found.policyId}]`) : defaultHardshipPolicy;
}

// ---- overdue reasons -------------------------------------------------------------------------------------

export interface RecordOverdueReasonInput {
  borrowerId: string;
  loanId?: string | null;
  /** {category, text?, capturedBy, evidence?: [{fileName, mediaType, sizeBytes, sha256}]} */
  reason: unknown;
  /** The files' bytes, in the order of reason.evidence. */
  files?: readonly Uint8Array[];
}

/** What recording a reason answers. */
export interface RecordedReason {
  reasonId: string;
}

/**
 * Records why a borrower fell behind. Bad input (the reason's fields) throws InputError naming the field;
 * files that do not match their metadata are refused (`evidence_size_mismatch`, `evidence_checksum_mismatch`).
 * The files are bound to the key through their checksums, in the reason's evidence metadata.
 */
export const recordOverdueReason = defineCommand<
  RecordOverdueReasonInput,
  RecordedReason,
  Parameters<typeof insertOverdueReason>[1]
>({
  name: 'hardship.record_overdue_reason',
  scope: 'hardship.overdue_reason',
  keyRequired: true,
  identity: (input) => ({ borrowerId: input.borrowerId, loanId: input.loanId ?? null, reason: input.reason }),
  async decide(tx, request, ctx, idempotencyKey) {
    const input = parseOverdueReason(request.reason);
    const files = request.files ?? [];
    if (files.length !== input.evidence.length) {
      throw new InputError(
        'files',
        `must hold one file per evidence entry (${input.evidence.length}), got ${files.length}`,
      );
    }
    for (const [index, meta] of input.evidence.entries()) {
      const content = files[index] as Uint8Array;
      const field = `evidence[${index}]`;
      if (content.byteLength !== meta.sizeBytes) {
        return refuse(
          'evidence_size_mismatch',
          `evidence[${index}] ${meta.fileName} is ${content.byteLength} bytes, not ${meta.sizeBytes}`,
          field,
        );
      }
      const digest = createHash('sha256').update(content).digest('hex');
      if (digest !== meta.sha256) {
        return refuse(
          'evidence_checksum_mismatch',
          `evidence[${index}] ${meta.fileName} has SHA-256 ${digest}, not ${meta.sha256}`,
          field,
        );
      }
    }
    if (request.loanId) {
      const loan = await readLoanState(tx, request.loanId);
      if (!loan || loan.row.borrowerId !== request.borrowerId) {
        return refuse(
          'loan_not_found',
          `loanId: no loan ${request.loanId} of borrower ${request.borrowerId}`,
          'loanId',
        );
      }
    }
    const reasonId = idOf('R', idempotencyKey as string);
    return planned(succeed({ reasonId }), {
      borrowerId: request.borrowerId,
      reasonId,
      loanId: request.loanId ?? null,
      category: input.category,
      text: input.text,
      capturedBy: capturedByText(input.capturedBy),
      capturedAt: atOf(ctx),
      evidence: input.evidence.map((meta, index) => ({ ...meta, content: files[index] as Uint8Array })),
    });
  },
  async apply(tx, reason) {
    invariant(await insertOverdueReason(tx, reason), `overdue reason ${reason.reasonId} is new`);
  },
  audit: (input, answer) => ({
    resource: `borrower/${input.borrowerId}`,
    subjectBorrowerId: input.borrowerId,
    detail: { loanId: input.loanId ?? null, ...(answer.ok ? { reasonId: answer.value.reasonId } : {}) },
  }),
});

// ---- requesting a plan -----------------------------------------------------------------------------------

export interface RequestPlanInput {
  loanId: string;
  /** 'borrower' (self-service) or the agent's id. */
  requestedBy: string;
  /** The plan date (business date). */
  on: IsoDate;
  /** {type: "deferral", periods | days} · {type: "re_installment", termCount, firstDueDate?} · {type: "settlement", amount, deadline} · {type: "due_date_change", dayOfMonth} · {type: "re_age"} */
  plan: unknown;
  /** The overdue reason the request rests on; default: the borrower's latest for this loan (or for no loan). */
  reasonId?: string | null;
}

/** A plan offered: stored as `requested`, to be decided. */
export interface PlanRequested {
  planId: string;
  offer: Record<string, unknown>;
}

interface PlanContext {
  row: LoanRow;
  state: LoanState;
  lastSeq: number;
  policy: HardshipPolicy;
}

async function planContext(tx: Transaction, loanId: string): Promise<PlanContext | undefined> {
  const loan = await readLoanState(tx, loanId, { forUpdate: true });
  if (!loan) return undefined;
  return { ...loan, policy: await loanHardshipPolicy(tx, loan.row.productId) };
}

async function reasonFor(
  tx: Transaction,
  loan: { borrowerId: string; loanId: string },
  reasonId: string | null,
): Promise<{ reasonId: string; category: OverdueReasonCategory } | null | 'not_found'> {
  if (reasonId !== null) {
    const reason = await getOverdueReason(tx, { borrowerId: loan.borrowerId, reasonId });
    if (!reason || (reason.loanId !== null && reason.loanId !== loan.loanId)) return 'not_found';
    return { reasonId, category: reason.category as OverdueReasonCategory };
  }
  const latest = (await listOverdueReasons(tx, { borrowerId: loan.borrowerId, limit: 50 })).find(
    (reason) => reason.loanId === null || reason.loanId === loan.loanId,
  );
  return latest ? { reasonId: latest.reasonId, category: latest.category as OverdueReasonCategory } : null;
}

/** The offer for a plan on the loan as it stands, or the refusal (eligibility, limits, the ledger step). */
async function offerFor(
  tx: Transaction,
  context: PlanContext,
  input: {
    planId: string;
    on: IsoDate;
    terms: PlanTerms;
    reason: { category: OverdueReasonCategory } | null;
    excludePlanId?: string;
  },
) {
  const { row } = context;
  const plans = await listLoanPlans(tx, { borrowerId: row.borrowerId, loanId: row.loanId });
  const planOpen = plans.some(
    (plan) => plan.planId !== input.excludePlanId && (plan.status === 'requested' || plan.status === 'active'),
  );
  const plansInLastYear = await countPlansActivatedSince(tx, {
    borrowerId: row.borrowerId,
    loanId: row.loanId,
    since: addDays(input.on, -planYearDays),
  });
  const rateCapPolicy = await loanRateCapPolicy(tx, row);
  return evaluatePlanRequest({
    planId: input.planId,
    state: context.state,
    on: input.on,
    terms: input.terms,
    policy: context.policy,
    reason: input.reason,
    plansInLastYear,
    planOpen,
    rateCaps: { apr: buildSchedule(context.state.terms).apr, policy: rateCapPolicy },
  });
}

/**
 * A borrower or an agent asks for a plan: the offer (schedule before and after, concession, whether an
 * approval is needed and the least role that may give it) is stored with the plan as `requested`; a
 * request the policy does not allow is stored as `refused` and answered as a refusal with its result code
 * (`about`: the plan id). Nothing moves money.
 */
export const requestPlan = defineCommand<RequestPlanInput, PlanRequested, Parameters<typeof insertHardshipPlan>[1]>({
  name: 'hardship.request_plan',
  scope: 'hardship.request_plan',
  keyRequired: true,
  async decide(tx, request, ctx, idempotencyKey) {
    const requestedBy = capturedByText(parseCapturedBy(request.requestedBy, 'requestedBy'));
    const planId = idOf('H', idempotencyKey as string);
    const context = await planContext(tx, request.loanId);
    if (!context) return refuse('loan_not_found', `loanId: no loan ${request.loanId}`, 'loanId');
    const { row } = context;
    const terms = parsePlanRequest(request.plan, { currency: row.currency, policy: context.policy });
    const reason = await reasonFor(tx, row, request.reasonId ?? null);
    if (reason === 'not_found') {
      return refuse(
        'reason_not_found',
        `reasonId: no overdue reason ${String(request.reasonId)} for this loan`,
        'reasonId',
      );
    }
    const result = await offerFor(tx, context, { planId, on: request.on, terms, reason });
    // A date the loan is already closed past is a bad request, not a decision about the plan.
    if (!result.ok && result.code === 'plan_date_before_close') return refuse(result.code, result.message, 'on');
    const offer = result.ok ? (planOfferToJson(result.offer) as Record<string, unknown>) : null;
    const answer = result.ok
      ? succeed({ planId, offer: offer as Record<string, unknown> })
      : { ...refuse(result.code, result.message), about: planId };
    return planned(answer, {
      borrowerId: row.borrowerId,
      planId,
      loanId: row.loanId,
      planType: terms.type,
      status: result.ok ? 'requested' : 'refused',
      terms: planTermsToJson(terms),
      requestedBy,
      requestedOn: request.on,
      reasonId: reason?.reasonId ?? null,
      offer,
      resultCode: result.ok ? null : result.code,
      resultMessage: result.ok ? null : result.message,
      createdAt: atOf(ctx),
    });
  },
  apply: (tx, plan) => insertHardshipPlan(tx, plan),
  audit: (input, answer) => ({
    resource: `loan/${input.loanId}`,
    subjectBorrowerId: null,
    detail: answer.ok
      ? { planId: answer.value.planId, outcome: answer.replayed ? 'replayed' : 'requested' }
      : {
          outcome: answer.about === undefined ? answer.code : 'refused',
          ...(answer.about ? { planId: answer.about } : {}),
        },
  }),
});

// ---- approving or refusing a plan ------------------------------------------------------------------------

export interface Approver {
  /** The agent's id, or 'borrower' accepting a self-service offer. */
  id: string;
  /** A role of the policy's approval ladder (collector, supervisor, manager, …), or 'borrower'. */
  role: string;
}

export interface ApprovePlanInput {
  planId: string;
  approver: Approver;
  /** The business date the plan takes effect (its ledger step's date). */
  on: IsoDate;
}

/** A plan applied to its loan. */
export interface PlanActivated {
  planId: string;
  loanId: string;
  status: 'active' | 'completed';
  /** The loan transaction of the plan step. */
  seq: number;
  offer: Record<string, unknown>;
}

function planEvent(
  plan: Pick<HardshipPlanRow, 'borrowerId' | 'loanId' | 'planId' | 'planType'>,
  kind: 'plan_activated' | 'plan_completed' | 'plan_broken',
  date: IsoDate,
  payload: Record<string, unknown>,
): NewOutboxEvent {
  return {
    borrowerId: plan.borrowerId,
    eventId: `${plan.loanId}:plan:${plan.planId}:${kind}`,
    kind,
    loanId: plan.loanId,
    businessDate: date,
    payload: { planId: plan.planId, loanId: plan.loanId, type: plan.planType, date, ...payload },
  };
}

/** Saves one plan step on a loan: loan row, its transaction, journal and outbox rows, in `tx`. */
async function saveStep(
  tx: Transaction,
  context: Pick<PlanContext, 'row' | 'lastSeq'>,
  step: {
    state: LoanState;
    events: LoanEvent[];
    journal: Parameters<typeof journalRows>[0];
    transaction: LoanTransaction;
  },
  on: IsoDate,
  extra: NewOutboxEvent[],
): Promise<number> {
  const { row } = context;
  const seq = context.lastSeq + 1;
  const events = outboxRow(step.events, { borrowerId: row.borrowerId, loanId: row.loanId, seq, businessDate: on });
  await saveCloseBatch(tx, {
    loans: [loanUpdateOf(row, step.state, seq)],
    transactions: [transactionRow(step.state, seq, step.transaction, on)],
    journal: journalRows(step.journal),
    outbox: [...(events ? [events] : []), ...extra],
  });
  return seq;
}

async function lockRequestedPlan(tx: Transaction, planId: string): Promise<HardshipPlanRow | Refusal> {
  const plan = await getHardshipPlan(tx, planId, { forUpdate: true });
  if (!plan) return refuse('plan_not_found', `planId: no plan ${planId}`, 'planId');
  if (plan.status !== 'requested') {
    return refuse('plan_not_requested', `plan ${planId} is ${plan.status}; only a requested plan can be decided`);
  }
  return plan;
}

/** An approver's decision on a plan, as recorded. */
type PlanDecision = Omit<Parameters<typeof insertPlanApproval>[1], 'decision' | 'limits' | 'code' | 'message'>;

/** What deciding a plan writes. */
type PlanDecisionWrites =
  /** Refused on eligibility: the attempt is recorded, the plan refused, the request for help answered. */
  | { kind: 'refused'; plan: HardshipPlanRow; decision: PlanDecision; code: string; message: string; on: IsoDate }
  /** Beyond the approver's limits: the attempt is recorded, the plan stays requested. */
  | { kind: 'exceeded'; decision: PlanDecision; code: string; message: string }
  | {
      kind: 'activated';
      plan: HardshipPlanRow;
      context: PlanContext;
      decision: PlanDecision;
      step: Parameters<typeof saveStep>[2];
      event: NewOutboxEvent;
      limits: Record<string, unknown>;
      offer: PlanOffer;
      offerJson: Record<string, unknown>;
      on: IsoDate;
    };

/**
 * Approves a requested plan and applies it. The offer is worked out again on the loan as it is now (a
 * payment since the request changes it); the approver's role must cover it (`approval_limit_exceeded`
 * names both limits, and the attempt is recorded; the plan stays requested). A plan the loan no longer
 * qualifies for is refused with the eligibility code. Refusals are final answers, replayed under the key.
 */
export const approvePlan = defineCommand<ApprovePlanInput, PlanActivated, PlanDecisionWrites>({
  name: 'hardship.approve_plan',
  scope: 'hardship.approve_plan',
  storeRefusals: true,
  async decide(tx, request, ctx) {
    const plan = await lockRequestedPlan(tx, request.planId);
    if ('ok' in plan) return plan;
    const context = await planContext(tx, plan.loanId);
    invariant(context !== undefined, `plan ${plan.planId}'s loan ${plan.loanId} exists`);
    const terms = planTermsFromJson(plan.terms as PlanTermsJson);
    const reason =
      plan.reasonId === null
        ? null
        : await reasonFor(tx, { borrowerId: plan.borrowerId, loanId: plan.loanId }, plan.reasonId);
    const decision: PlanDecision = {
      borrowerId: plan.borrowerId,
      planId: plan.planId,
      approverId: request.approver.id,
      role: request.approver.role,
      decidedOn: request.on,
      decidedAt: atOf(ctx),
    };
    const evaluated = await offerFor(tx, context, {
      planId: plan.planId,
      on: request.on,
      terms,
      reason: reason === 'not_found' ? null : reason,
      excludePlanId: plan.planId,
    });
    if (!evaluated.ok && evaluated.code === 'plan_date_before_close') {
      return refuse(evaluated.code, evaluated.message, 'on');
    }
    if (!evaluated.ok) {
      const { code, message } = evaluated;
      return planned(refuse(code, message), { kind: 'refused', plan, decision, code, message, on: request.on });
    }
    const offer: PlanOffer = evaluated.offer;
    const check = checkApproval(offer, request.approver.role, context.policy);
    if (!check.ok) {
      const { code, message } = check;
      return planned(refuse(code, message), { kind: 'exceeded', decision, code, message });
    }
    const step = activatePlan(context.state, { planId: plan.planId, on: request.on, terms });
    invariant(step.ok, `plan ${plan.planId} applies as its offer did`);
    const offerJson = planOfferToJson(offer) as Record<string, unknown>;
    // A due-date change is done once applied: nothing is left to judge.
    const done = offer.planInstallments.length === 0;
    const activated: PlanActivated = {
      planId: plan.planId,
      loanId: plan.loanId,
      status: done ? 'completed' : 'active',
      seq: context.lastSeq + 1,
      offer: offerJson,
    };
    return planned(succeed(activated), {
      kind: 'activated',
      plan,
      context,
      decision,
      step,
      event: planEvent(plan, 'plan_activated', request.on, {
        approvedBy: request.approver.id,
        role: request.approver.role,
        offer: offerJson,
      }),
      limits: { waiveShareMax: shareText(check.limit.waiveShareMax), deferralMonthsMax: check.limit.deferralMonthsMax },
      offer,
      offerJson,
      on: request.on,
    });
  },
  async apply(tx, writes, ctx) {
    const at = atOf(ctx);
    if (writes.kind === 'exceeded') {
      const { decision, code, message } = writes;
      await insertPlanApproval(tx, { ...decision, decision: 'exceeded', limits: null, code, message });
      return;
    }
    const { plan, decision, on } = writes;
    if (writes.kind === 'refused') {
      const { code, message } = writes;
      await insertPlanApproval(tx, { ...decision, decision: 'refused', limits: null, code, message });
      await updateHardshipPlan(tx, {
        borrowerId: plan.borrowerId,
        planId: plan.planId,
        expectedVersion: plan.version,
        status: 'refused',
        resultCode: code,
        resultMessage: message,
        nextCheckDate: null,
        endedOn: on,
        updatedAt: at,
      });
      // Decided: the borrower's request for help is answered, and ordinary contact resumes.
      await closeHardshipRequest(tx, { borrowerId: plan.borrowerId, nowMs: ctx.nowMs, reason: 'plan refused' });
      return;
    }
    const { context, offer } = writes;
    const seq = await saveStep(tx, context, writes.step, on, [writes.event]);
    invariant(seq === context.lastSeq + 1, `plan ${plan.planId} is the loan's next transaction`);
    await insertPlanApproval(tx, {
      ...decision,
      decision: 'approved',
      limits: writes.limits,
      code: null,
      message: null,
    });
    const done = offer.planInstallments.length === 0;
    await updateHardshipPlan(tx, {
      borrowerId: plan.borrowerId,
      planId: plan.planId,
      expectedVersion: plan.version,
      status: done ? 'completed' : 'active',
      resultCode: done ? 'completed' : null,
      resultMessage: done ? 'applied' : null,
      activatedOn: on,
      activationSeq: seq,
      judged: planInstallmentsToJson(offer.planInstallments),
      graceDays: context.policy.planGraceDays,
      onBreak: context.policy.onBreak,
      offer: writes.offerJson,
      nextCheckDate: done ? null : addDays(on, 1),
      endedOn: done ? on : null,
      updatedAt: at,
    });
    await closeHardshipRequest(tx, { borrowerId: plan.borrowerId, nowMs: ctx.nowMs, reason: 'plan active' });
  },
  audit: (input) => ({
    resource: `plan/${input.planId}`,
    subjectBorrowerId: null,
    detail: { planId: input.planId, approver: input.approver.id, role: input.approver.role },
  }),
});

export interface RefusePlanInput {
  planId: string;
  approver: Approver;
  on: IsoDate;
  /** Why (shown to the borrower). */
  reason: string;
}

/** An approver turns a requested plan down; refusals of the request are final answers, replayed under the key. */
export const refusePlan = defineCommand<
  RefusePlanInput,
  { planId: string },
  { plan: HardshipPlanRow; request: RefusePlanInput }
>({
  name: 'hardship.refuse_plan',
  scope: 'hardship.refuse_plan',
  storeRefusals: true,
  async decide(tx, request) {
    if (request.reason.trim() === '' || request.reason.length > 2000) {
      throw new InputError('reason', 'must say why, in at most 2000 characters');
    }
    const plan = await lockRequestedPlan(tx, request.planId);
    if ('ok' in plan) return plan;
    return planned(succeed({ planId: plan.planId }), { plan, request });
  },
  async apply(tx, { plan, request }, ctx) {
    await insertPlanApproval(tx, {
      borrowerId: plan.borrowerId,
      planId: plan.planId,
      approverId: request.approver.id,
      role: request.approver.role,
      decision: 'refused',
      limits: null,
      code: 'refused_by_approver',
      message: request.reason,
      decidedOn: request.on,
      decidedAt: atOf(ctx),
    });
    await updateHardshipPlan(tx, {
      borrowerId: plan.borrowerId,
      planId: plan.planId,
      expectedVersion: plan.version,
      status: 'refused',
      resultCode: 'refused_by_approver',
      resultMessage: request.reason,
      nextCheckDate: null,
      endedOn: request.on,
      updatedAt: atOf(ctx),
    });
    await closeHardshipRequest(tx, { borrowerId: plan.borrowerId, nowMs: ctx.nowMs, reason: 'plan refused' });
  },
  audit: (input) => ({
    resource: `plan/${input.planId}`,
    subjectBorrowerId: null,
    detail: { planId: input.planId, approver: input.approver.id, role: input.approver.role },
  }),
});

// ---- judging active plans --------------------------------------------------------------------------------

export interface JudgePlansOptions {
  businessDate: IsoDate;
  /** The run's instant (ISO-8601), written as the plans' updated_at. */
  at: string;
  /** Plans per page and transaction, 1 … PLAN_CLAIM_MAX (default 200). */
  pageSize?: number;
}

export interface JudgePlansStats {
  businessDate: IsoDate;
  judged: number;
  kept: number;
  completed: number;
  broken: number;
}

/** Payments counted for a plan: those after its activation, less any reversed since. */
function paymentsOf(transactions: readonly LoanTransaction[]): PlanPayment[] {
  const reversed = new Set<string>();
  for (const tx of transactions) if (tx.kind === 'reversal') reversed.add(tx.paymentId);
  const payments: PlanPayment[] = [];
  for (const tx of transactions) {
    if (tx.kind === 'payment' && !reversed.has(tx.paymentId)) payments.push({ on: tx.on, amountMinor: tx.amountMinor });
  }
  return payments;
}

/** A break restores the original schedule only for plans that restructured it. */
function breakModeOf(terms: PlanTerms, configured: PlanBreakMode): PlanBreakMode {
  return terms.type === 'deferral' || terms.type === 're_installment' ? configured : 'keep';
}

/**
 * The daily close's hook: every active plan whose next check has come is judged on `businessDate` — kept
 * (next check set), completed (a settlement waives the rest and closes the loan, a re-age resets
 * delinquency, a freeze is lifted) or broken (per the policy: the original schedule restored, or the
 * plan's kept with accrual resumed). One transaction per page; rerunning a date finds nothing to do.
 */
export async function judgePlans(db: Database, options: JudgePlansOptions): Promise<JudgePlansStats> {
  const pageSize = options.pageSize ?? 200;
  invariant(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= PLAN_CLAIM_MAX, `page size 1…${PLAN_CLAIM_MAX}`);
  const stats: JudgePlansStats = { businessDate: options.businessDate, judged: 0, kept: 0, completed: 0, broken: 0 };
  for (let page = 0; page < JUDGE_PAGES_MAX; page += 1) {
    const count = await db.transaction(async (tx) => {
      const plans = await claimPlansToJudge(tx, { businessDate: options.businessDate, limit: pageSize });
      for (const plan of plans) await judgeOne(tx, plan, options, stats);
      return plans.length;
    });
    if (count < pageSize) return stats;
  }
  return stats;
}

async function judgeOne(tx: Transaction, plan: HardshipPlanRow, options: JudgePlansOptions, stats: JudgePlansStats) {
  stats.judged += 1;
  const context = await planContext(tx, plan.loanId);
  invariant(context !== undefined, `plan ${plan.planId}'s loan ${plan.loanId} exists`);
  invariant(plan.activatedOn !== null && plan.activationSeq !== null, `active plan ${plan.planId} was activated`);
  const terms = planTermsFromJson(plan.terms as PlanTermsJson);
  const { row, state } = context;
  const on = maxDate(options.businessDate, state.closedThrough);
  const loanKey = { borrowerId: row.borrowerId, loanId: row.loanId };
  const sinceActivation = (await listLoanTransactions(tx, { ...loanKey, afterSeq: plan.activationSeq })).map((item) =>
    deserializeTransaction(item.body as LoanTransactionJson),
  );
  // Judged on the loan as of the date: the close of the date may not have run for it yet.
  const current = closeDay(state, on).state;
  const judgement = judgePlan(
    {
      planId: plan.planId,
      terms,
      activatedOn: plan.activatedOn,
      planInstallments: planInstallmentsFromJson(plan.judged),
      graceDays: plan.graceDays ?? 0,
    },
    current,
    paymentsOf(sinceActivation),
    on,
  );
  const base = {
    borrowerId: plan.borrowerId,
    planId: plan.planId,
    expectedVersion: plan.version,
    updatedAt: options.at,
  };
  if (judgement.decision === 'keep') {
    stats.kept += 1;
    await updateHardshipPlan(tx, { ...base, status: 'active', nextCheckDate: judgement.nextCheckDate });
    return;
  }
  const input = { planId: plan.planId, on, terms };
  let step;
  let message = judgement.reason;
  if (judgement.decision === 'complete') {
    step = completePlan(state, input);
  } else {
    // A charged-off loan is written off as it stands: nothing to restore.
    const mode = current.status === 'charged_off' ? 'keep' : breakModeOf(terms, plan.onBreak ?? 'keep');
    // Only a restoring break needs the whole history (it replays the loan without the plan).
    const history =
      mode === 'restore' ? historyOf(await listLoanTransactions(tx, loanKey)) : { opening: state, transactions: [] };
    step = breakPlan(history.opening, history.transactions, state, { ...input, onBreak: mode });
    if (!step.ok && step.code === 'plan_break_breaks_later_transactions') {
      message = `${message}; the original schedule could not be restored (${step.message}), the plan's is kept`;
      step = breakPlan(history.opening, history.transactions, state, { ...input, onBreak: 'keep' });
    }
  }
  invariant(
    step.ok,
    `plan ${plan.planId} ${judgement.decision}s on loan ${plan.loanId}: ${step.ok ? '' : step.message}`,
  );
  const kind = judgement.decision === 'complete' ? 'plan_completed' : 'plan_broken';
  await saveStep(tx, context, step, on, [planEvent(plan, kind, on, { reason: message })]);
  if (judgement.decision === 'complete') stats.completed += 1;
  else stats.broken += 1;
  await updateHardshipPlan(tx, {
    ...base,
    status: judgement.decision === 'complete' ? 'completed' : 'broken',
    resultCode: judgement.decision === 'complete' ? 'completed' : 'broken',
    resultMessage: message,
    nextCheckDate: null,
    endedOn: on,
  });
}
