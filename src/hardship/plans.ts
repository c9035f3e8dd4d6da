// Hardship plans, the decisions around the ledger step (src/servicing/restructure.ts does the step):
// - `parsePlanRequest`: a request's plan as JSON (decimal strings at the edge) → PlanTerms, with the
//   product's fixed parts (deferral interest, re-age payments) filled in from its policy;
// - `evaluatePlanRequest`: eligibility (plan offered, DPD range, reason on file and not excluded, plans
//   per year, the policy's bounds), then the plan itself run on the loan (pure, nothing saved) for the
//   schedule before and after, the concession, and who must approve it; a plan that charges interest (a
//   deferral with interest `accrue`) on a loan priced above its policy's refusal line is refused
//   (`rate_above_cap`): that interest is charged at the contract's rate;
// - `checkApproval`: may this role approve this offer — else `approval_limit_exceeded` with the limits;
// - `judgePlan`: on a business date, is an active plan kept, completed or broken.
// Expected refusals are result codes with a message naming the limit; nothing here reads a clock.
//
// Concession = what the plan waives (amounts forgiven and interest or fees of periods to come given up),
// or for a settlement the balance less the lump sum; its share is concession ÷ balance, the balance being
// everything the schedule still asks for on the plan date.
import { addDays, toEpochDay, type IsoDate } from '../calendar/index.ts';
import { InputError, quote } from '../errors/index.ts';
import { divideRounded, formatMinor, formatRatio, parseMoney, ratio, type Ratio } from '../money/index.ts';
import {
  activatePlan,
  closeDay,
  evaluateRateCaps,
  isSettled,
  planTypes,
  totalOf,
  type ComponentAmounts,
  type LoanState,
  type PlanEffect,
  type PlanInstallment,
  type PlanTerms,
  type PlanType,
  type RateCapPolicy,
} from '../servicing/index.ts';
import { borrowerRole, type ApprovalLimit, type HardshipPolicy, type PlanRule } from './policy.ts';
import type { OverdueReasonCategory } from './reasons.ts';

export type HardshipRejection =
  | 'loan_closed'
  | 'loan_charged_off'
  | 'plan_already_open'
  | 'plan_type_not_offered'
  | 'dpd_below_minimum'
  | 'dpd_above_maximum'
  | 'reason_required'
  | 'reason_not_eligible'
  | 'plans_per_year_exceeded'
  | 'term_count_out_of_range'
  | 'deferral_too_long'
  | 'settlement_below_minimum'
  | 'settlement_deadline_too_far'
  | 'no_role_may_approve'
  | 'approval_limit_exceeded'
  | 'approver_role_unknown'
  | 'rate_above_cap'
  // Refusals of the ledger step itself (restructure.ts), passed through.
  | 'invalid_plan_terms'
  | 'plan_date_before_close'
  | 'nothing_to_restructure'
  | 'deferral_too_short'
  | 'plan_not_applicable'
  | 'plan_installment_too_small'
  | 'settlement_not_below_balance'
  | 'settlement_deadline_passed';

export interface Refusal {
  ok: false;
  code: HardshipRejection;
  message: string;
}

function refuse(code: HardshipRejection, message: string): Refusal {
  return { ok: false, code, message };
}

// ---- the request's plan --------------------------------------------------------------------------------

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function whole(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InputError(field, `must be a whole number from ${min} to ${max}, got ${quote(value)}`);
  }
  return value;
}

function isoDate(value: unknown, field: string): IsoDate {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(toEpochDay(value))) {
    throw new InputError(field, `must be a date YYYY-MM-DD, got ${quote(value)}`);
  }
  return value;
}

function onlyFields(value: Json, allowed: readonly string[], field: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new InputError(`${field}.${key}`, 'is not a field of this plan type');
  }
}

/**
 * A requested plan from JSON: `{type: "deferral", periods | days}`, `{type: "re_installment", termCount,
 * firstDueDate?}`, `{type: "settlement", amount: "4000.00", deadline}`, `{type: "due_date_change",
 * dayOfMonth}`, `{type: "re_age"}`. Deferral interest and re-age payments come from the product's policy.
 */
export function parsePlanRequest(
  value: unknown,
  context: { currency: string; policy: HardshipPolicy },
  field = 'plan',
): PlanTerms {
  if (!isObject(value)) throw new InputError(field, `must be an object with a "type", got ${quote(value)}`);
  const type = value.type;
  if (typeof type !== 'string' || !(planTypes as readonly string[]).includes(type)) {
    throw new InputError(`${field}.type`, `must be one of ${planTypes.join(', ')}, got ${quote(type)}`);
  }
  const { plans } = context.policy;
  switch (type as PlanType) {
    case 'deferral': {
      onlyFields(value, ['type', 'periods', 'days'], field);
      if ((value.periods === undefined) === (value.days === undefined)) {
        throw new InputError(field, 'a deferral gives exactly one of periods or days');
      }
      const interest = plans.deferral?.interest ?? 'none';
      if (value.periods !== undefined) {
        return { type: 'deferral', unit: 'period', count: whole(value.periods, `${field}.periods`, 1, 1200), interest };
      }
      return { type: 'deferral', unit: 'day', count: whole(value.days, `${field}.days`, 1, 36500), interest };
    }
    case 're_installment':
      onlyFields(value, ['type', 'termCount', 'firstDueDate'], field);
      return {
        type: 're_installment',
        termCount: whole(value.termCount, `${field}.termCount`, 1, 1200),
        firstDueDate: value.firstDueDate === undefined ? null : isoDate(value.firstDueDate, `${field}.firstDueDate`),
      };
    case 'settlement':
      onlyFields(value, ['type', 'amount', 'deadline'], field);
      return {
        type: 'settlement',
        amountMinor: parseMoney(value.amount, context.currency, { field: `${field}.amount`, allowZero: false })
          .amountMinor,
        deadline: isoDate(value.deadline, `${field}.deadline`),
      };
    case 'due_date_change':
      onlyFields(value, ['type', 'dayOfMonth'], field);
      return { type: 'due_date_change', dayOfMonth: whole(value.dayOfMonth, `${field}.dayOfMonth`, 1, 31) };
    case 're_age':
      onlyFields(value, ['type'], field);
      return { type: 're_age', onTimePayments: plans.re_age?.onTimePayments ?? 3 };
  }
}

// ---- eligibility and the offer ------------------------------------------------------------------------

export interface PlanRequestContext {
  planId: string;
  /** The loan as stored (it is closed up to `on` here, as the plan step will). */
  state: LoanState;
  on: IsoDate;
  terms: PlanTerms;
  policy: HardshipPolicy;
  /** The overdue reason the request names, if any. */
  reason: { category: OverdueReasonCategory } | null;
  /** Plans activated on this loan in the 365 days before `on`. */
  plansInLastYear: number;
  /** Another plan of this loan is requested or active. */
  planOpen: boolean;
  /**
   * The contract's APR (the schedule's, fees included) and the pricing policy it answers to; absent: no
   * rate cap check (a caller that prices nothing, e.g. a simulation without policies).
   */
  rateCaps?: { apr: string; policy: RateCapPolicy };
}

export interface ApprovalNeed {
  /** False when the borrower may take it alone (self-service limits). */
  required: boolean;
  /** The least role that may approve it. */
  minimumRole: string;
}

export interface PlanOffer {
  planId: string;
  on: IsoDate;
  terms: PlanTerms;
  currency: string;
  dpd: number;
  /** Everything the schedule asks for on the plan date (the base of the concession's share). */
  balanceMinor: bigint;
  concessionMinor: bigint;
  /** A deferral's length in months (other plans: 0). */
  deferralMonths: number;
  effect: PlanEffect;
  /** The payments the plan is judged on (for a deferral, the first `judgedInstallments`). */
  planInstallments: PlanInstallment[];
  approval: ApprovalNeed;
}

export type PlanOfferResult = { ok: true; offer: PlanOffer } | Refusal;

function rangeRefusal(rule: PlanRule, type: PlanType, dpd: number): Refusal | null {
  if (dpd < rule.dpdAtLeast) {
    return refuse(
      'dpd_below_minimum',
      `a ${type} plan needs DPD of at least ${rule.dpdAtLeast}; the loan is at ${dpd}`,
    );
  }
  if (dpd > rule.dpdAtMost) {
    return refuse('dpd_above_maximum', `a ${type} plan allows DPD of at most ${rule.dpdAtMost}; the loan is at ${dpd}`);
  }
  return null;
}

/** A deferral's length in months: periods of a monthly loan, else its days ÷ 30 rounded up. */
export function deferralMonthsOf(terms: PlanTerms, state: Pick<LoanState, 'terms'>): number {
  if (terms.type !== 'deferral') return 0;
  const { every, unit } = state.terms.frequency;
  if (terms.unit === 'period' && unit === 'month') return terms.count * every;
  const days = terms.unit === 'day' ? terms.count : terms.count * every * (unit === 'week' ? 7 : 1);
  return Math.ceil(days / 30);
}

/** Checks a request against the policy and runs the plan on the loan (nothing saved). */
export function evaluatePlanRequest(context: PlanRequestContext): PlanOfferResult {
  const { state, on, terms, policy } = context;
  const money = (minor: bigint): string => formatMinor(minor, state.currency);
  if (state.status === 'closed') return refuse('loan_closed', `loan ${state.loanId} is closed`);
  if (state.status === 'charged_off') return refuse('loan_charged_off', `loan ${state.loanId} is charged off`);
  if (on < state.closedThrough) {
    return refuse('plan_date_before_close', `plan date ${on} is before closedThrough ${state.closedThrough}`);
  }
  if (context.planOpen)
    return refuse('plan_already_open', `loan ${state.loanId} already has a plan requested or active`);
  const rule = policy.plans[terms.type];
  if (rule === undefined) return refuse('plan_type_not_offered', `this product does not offer a ${terms.type} plan`);
  const current = closeDay(state, on).state;
  if (current.status === 'charged_off')
    return refuse('loan_charged_off', `loan ${state.loanId} is charged off by ${on}`);
  const outOfRange = rangeRefusal(rule, terms.type, current.dpd);
  if (outOfRange !== null) return outOfRange;
  if (context.reason === null && rule.reasonRequired) {
    return refuse('reason_required', `a ${terms.type} plan needs an overdue reason on file`);
  }
  if (context.reason !== null && policy.reasonCategoriesExcluded.includes(context.reason.category)) {
    return refuse(
      'reason_not_eligible',
      `a reason of ${context.reason.category} is handled as a complaint, not with a plan`,
    );
  }
  if (context.plansInLastYear >= policy.plansPerYearMax) {
    return refuse(
      'plans_per_year_exceeded',
      `at most ${policy.plansPerYearMax} plans per loan in 365 days; this loan had ${context.plansInLastYear}`,
    );
  }
  const deferralMonths = deferralMonthsOf(terms, state);
  if (terms.type === 'deferral' && policy.plans.deferral) {
    const { periodsMax, daysMax } = policy.plans.deferral;
    const tooLong = terms.unit === 'period' ? terms.count > periodsMax : terms.count > daysMax;
    if (tooLong) {
      const limit = terms.unit === 'period' ? `${periodsMax} periods` : `${daysMax} days`;
      return refuse('deferral_too_long', `a deferral may be at most ${limit}; asked for ${terms.count} ${terms.unit}s`);
    }
  }
  if (terms.type === 're_installment' && policy.plans.re_installment) {
    const { termCountMin, termCountMax } = policy.plans.re_installment;
    if (terms.termCount < termCountMin || terms.termCount > termCountMax) {
      return refuse(
        'term_count_out_of_range',
        `a re-installment has ${termCountMin} to ${termCountMax} terms; asked for ${terms.termCount}`,
      );
    }
  }
  if (terms.type === 'settlement' && policy.plans.settlement) {
    const { deadlineDaysMax } = policy.plans.settlement;
    if (terms.deadline > addDays(on, deadlineDaysMax)) {
      return refuse(
        'settlement_deadline_too_far',
        `a settlement deadline is at most ${deadlineDaysMax} days after ${on} (${addDays(on, deadlineDaysMax)}); asked for ${terms.deadline}`,
      );
    }
  }
  const preview = activatePlan(state, { planId: context.planId, on, terms });
  if (!preview.ok) return refuse(preview.code, preview.message);
  const { effect } = preview;
  // A plan that only lowers what is owed never raises the price; one that charges interest charges it at
  // the contract's rate, which must not be above the refusal line.
  const chargedMinor = totalOf(effect.charged);
  if (context.rateCaps !== undefined && chargedMinor > 0n) {
    const priced = evaluateRateCaps(context.rateCaps.apr, context.rateCaps.policy);
    const line = priced.reasons.find((reason) => reason.level === 'refusal');
    if (line !== undefined) {
      return refuse(
        'rate_above_cap',
        `this ${terms.type} plan charges ${money(chargedMinor)} of interest at the contract's price: ${line.message}`,
      );
    }
  }
  const balanceMinor = totalOf(effect.balanceBefore);
  let concessionMinor = totalOf(effect.waived);
  if (terms.type === 'settlement') {
    concessionMinor = balanceMinor - terms.amountMinor;
    const minimum = ceilShare(balanceMinor, policy.plans.settlement?.amountShareMin ?? ratio(0n, 1n));
    if (terms.amountMinor < minimum) {
      return refuse(
        'settlement_below_minimum',
        `a settlement is at least ${percent(policy.plans.settlement?.amountShareMin ?? ratio(0n, 1n))} of the balance (${money(minimum)}); offered ${money(terms.amountMinor)}`,
      );
    }
  }
  const judged =
    terms.type === 'deferral'
      ? effect.planInstallments.slice(0, policy.plans.deferral?.judgedInstallments ?? 3)
      : effect.planInstallments;
  const base = {
    planId: context.planId,
    on,
    terms,
    currency: state.currency,
    dpd: current.dpd,
    balanceMinor,
    concessionMinor,
    deferralMonths,
    effect,
    planInstallments: judged,
  };
  const minimumRole = policy.approval.roles.find((role) => withinLimit(base, role));
  if (minimumRole === undefined) {
    const top = policy.approval.roles[policy.approval.roles.length - 1];
    return refuse(
      'no_role_may_approve',
      top === undefined ? 'no approval roles are configured' : limitMessage(top.name, top, base),
    );
  }
  const self = policy.approval.selfService;
  const selfService = self.planTypes.includes(terms.type) && withinLimit(base, self);
  return { ok: true, offer: { ...base, approval: { required: !selfService, minimumRole: minimumRole.name } } };
}

/** ⌈amount × share⌉: the least amount that is at least that share. */
function ceilShare(amountMinor: bigint, share: Ratio): bigint {
  return divideRounded(amountMinor * share.numerator, share.denominator, 'up');
}

type Measured = Pick<PlanOffer, 'balanceMinor' | 'concessionMinor' | 'deferralMonths' | 'currency'>;

function withinLimit(offer: Measured, limit: ApprovalLimit): boolean {
  // concession / balance ≤ share, exactly (no rounding): concession × d ≤ balance × n.
  const share = limit.waiveShareMax;
  const waiveOk = offer.concessionMinor * share.denominator <= offer.balanceMinor * share.numerator;
  return waiveOk && offer.deferralMonths <= limit.deferralMonthsMax;
}

/** A share as a percentage with at most one decimal: 0.1 → "10 %", 0.18399 → "18.4 %". */
export function percent(share: Ratio): string {
  const tenths = divideRounded(share.numerator * 1000n, share.denominator, 'half_up');
  const whole = tenths / 10n;
  const tenth = tenths % 10n;
  return tenth === 0n ? `${whole} %` : `${whole}.${tenth} %`;
}

function article(name: string): string {
  return /^[aeiou]/.test(name) ? 'an' : 'a';
}

function limitMessage(role: string, limit: ApprovalLimit, offer: Measured): string {
  const money = (minor: bigint): string => formatMinor(minor, offer.currency);
  const share = limit.waiveShareMax;
  const waiveOk = offer.concessionMinor * share.denominator <= offer.balanceMinor * share.numerator;
  const who = `${article(role)} ${role}`;
  if (!waiveOk) {
    const maxMinor = (offer.balanceMinor * share.numerator) / share.denominator;
    const planShare = offer.balanceMinor === 0n ? ratio(0n, 1n) : ratio(offer.concessionMinor, offer.balanceMinor);
    return `${who} may waive up to ${percent(share)} (${money(maxMinor)}), this plan waives ${percent(planShare)} (${money(offer.concessionMinor)})`;
  }
  return `${who} may defer up to ${limit.deferralMonthsMax} months, this plan defers ${offer.deferralMonths} months`;
}

export type ApprovalCheck = { ok: true; limit: ApprovalLimit & { role: string } } | Refusal;

/** May `role` approve the offer? `borrower` stands for self-service (the policy's selfService limits). */
export function checkApproval(offer: PlanOffer, role: string, policy: HardshipPolicy): ApprovalCheck {
  if (role === borrowerRole) {
    if (!offer.approval.required) return { ok: true, limit: { role, ...policy.approval.selfService } };
    return refuse(
      'approval_limit_exceeded',
      `a borrower may not take this plan alone; it needs ${article(offer.approval.minimumRole)} ${offer.approval.minimumRole}'s approval`,
    );
  }
  const limit = policy.approval.roles.find((candidate) => candidate.name === role);
  if (limit === undefined) {
    const names = policy.approval.roles.map((candidate) => candidate.name).join(', ');
    return refuse('approver_role_unknown', `role ${quote(role)} is not one of ${names}`);
  }
  if (!withinLimit(offer, limit)) return refuse('approval_limit_exceeded', limitMessage(role, limit, offer));
  return { ok: true, limit: { role, waiveShareMax: limit.waiveShareMax, deferralMonthsMax: limit.deferralMonthsMax } };
}

// ---- judging an active plan --------------------------------------------------------------------------

export interface ActivePlan {
  planId: string;
  terms: PlanTerms;
  activatedOn: IsoDate;
  planInstallments: readonly PlanInstallment[];
  graceDays: number;
}

/** A payment posted on the loan (not reversed). */
export interface PlanPayment {
  on: IsoDate;
  amountMinor: bigint;
}

export type PlanJudgement =
  { decision: 'keep'; nextCheckDate: IsoDate } | { decision: 'complete' | 'break'; reason: string };

/**
 * Judges an active plan on `date` (the close of `date` has run). Installments are judged by row (a
 * restructured installment must be settled within the plan's grace days) or, for a settlement and a
 * re-age, by amount (payments since activation must reach each installment's running total by its due
 * date plus grace). A closed loan completes its plan; a charged-off loan breaks it.
 */
export function judgePlan(
  plan: ActivePlan,
  state: LoanState,
  payments: readonly PlanPayment[],
  date: IsoDate,
): PlanJudgement {
  const money = (minor: bigint): string => formatMinor(minor, state.currency);
  if (state.status === 'closed') return { decision: 'complete', reason: `loan ${state.loanId} is paid off` };
  if (state.status === 'charged_off') return { decision: 'break', reason: `loan ${state.loanId} was charged off` };
  const day = toEpochDay(date);
  const tomorrow = addDays(date, 1);
  const byAmount = plan.terms.type === 'settlement' || plan.terms.type === 're_age';
  if (byAmount) {
    let required = 0n;
    for (const item of plan.planInstallments) {
      required += item.amountMinor;
      const lastDay = addDays(item.dueDate, plan.terms.type === 'settlement' ? 0 : plan.graceDays);
      const paid = paidBetween(payments, plan.activatedOn, lastDay);
      if (paid >= required) continue;
      if (day > toEpochDay(lastDay)) {
        return {
          decision: 'break',
          reason: `${money(paid)} paid by ${lastDay}, ${money(required)} was due (installment due ${item.dueDate})`,
        };
      }
      return { decision: 'keep', nextCheckDate: tomorrow };
    }
    return { decision: 'complete', reason: `${money(required)} paid as the plan asked` };
  }
  let nextCheck: number | null = null;
  for (const item of plan.planInstallments) {
    const row = state.installments.find((candidate) => candidate.number === item.number);
    // A plan installment prepaid away (re-amortised) has nothing left to judge.
    if (row === undefined) continue;
    const lastDay = toEpochDay(row.dueDate) + plan.graceDays;
    if (isSettled(row)) {
      if (row.paidOn !== null && toEpochDay(row.paidOn) > lastDay) {
        return {
          decision: 'break',
          reason: `installment ${row.number} was paid on ${row.paidOn}, after its grace days`,
        };
      }
      continue;
    }
    if (day > lastDay) {
      return {
        decision: 'break',
        reason: `installment ${row.number} due ${row.dueDate} is unpaid past its ${plan.graceDays} grace days`,
      };
    }
    nextCheck = nextCheck === null ? lastDay + 1 : Math.min(nextCheck, lastDay + 1);
  }
  if (nextCheck === null) return { decision: 'complete', reason: 'every plan installment was paid on time' };
  return { decision: 'keep', nextCheckDate: addDays(date, nextCheck - day) };
}

function paidBetween(payments: readonly PlanPayment[], from: IsoDate, to: IsoDate): bigint {
  let total = 0n;
  for (const payment of payments) if (payment.on >= from && payment.on <= to) total += payment.amountMinor;
  return total;
}

/** The concession of an effect as a share of its balance (0 when the balance is 0). */
export function concessionShare(offer: Pick<PlanOffer, 'balanceMinor' | 'concessionMinor'>): Ratio {
  return offer.balanceMinor === 0n ? ratio(0n, 1n) : ratio(offer.concessionMinor, offer.balanceMinor);
}

/** Per component, the balance before + charged = after + waived + paid (the plan neither creates nor loses money). */
export function conserves(effect: PlanEffect): boolean {
  const names: (keyof ComponentAmounts)[] = ['principalMinor', 'interestMinor', 'feeMinor', 'penaltyMinor'];
  return names.every(
    (name) =>
      effect.balanceBefore[name] + effect.charged[name] ===
      effect.balanceAfter[name] + effect.waived[name] + effect.paid[name],
  );
}

// ---- JSON for the borrower and the console (amounts as decimal strings in major units) ------------------

function componentsJson(amounts: ComponentAmounts, currency: string): Record<string, string> {
  return {
    principal: formatMinor(amounts.principalMinor, currency),
    interest: formatMinor(amounts.interestMinor, currency),
    fee: formatMinor(amounts.feeMinor, currency),
    penalty: formatMinor(amounts.penaltyMinor, currency),
    total: formatMinor(totalOf(amounts), currency),
  };
}

function scheduleJson(rows: PlanEffect['scheduleAfter'], currency: string): Record<string, unknown>[] {
  return rows.map((row) => ({ number: row.number, dueDate: row.dueDate, ...componentsJson(row, currency) }));
}

/** The plan's parameters as the contract writes them (amounts in major units). */
export function planTermsJson(terms: PlanTerms, currency: string): Record<string, unknown> {
  if (terms.type === 'settlement') {
    return { type: terms.type, amount: formatMinor(terms.amountMinor, currency), deadline: terms.deadline };
  }
  return { ...terms };
}

/** An offer as JSON: what the borrower is shown (schedule before and after) and what the approver needs. */
export function planOfferToJson(offer: PlanOffer): Record<string, unknown> {
  const { currency, effect } = offer;
  return {
    planId: offer.planId,
    on: offer.on,
    plan: planTermsJson(offer.terms, currency),
    currency,
    dpd: offer.dpd,
    balance: formatMinor(offer.balanceMinor, currency),
    concession: formatMinor(offer.concessionMinor, currency),
    /** A decimal fraction, as every rate in the contracts ("0.0629" = 6.29 %). */
    concessionShare: formatRatio(concessionShare(offer), 4),
    deferralMonths: offer.deferralMonths,
    approval: offer.approval,
    balanceBefore: componentsJson(effect.balanceBefore, currency),
    balanceAfter: componentsJson(effect.balanceAfter, currency),
    waived: componentsJson(effect.waived, currency),
    charged: componentsJson(effect.charged, currency),
    scheduleBefore: scheduleJson(effect.scheduleBefore, currency),
    scheduleAfter: scheduleJson(effect.scheduleAfter, currency),
    planInstallments: offer.planInstallments.map((item) => ({
      number: item.number,
      dueDate: item.dueDate,
      amount: formatMinor(item.amountMinor, currency),
    })),
  };
}

/** The judged installments as stored JSON (amounts as minor-unit strings) and back. */
export function planInstallmentsToJson(items: readonly PlanInstallment[]): Record<string, unknown>[] {
  return items.map((item) => ({
    number: item.number,
    dueDate: item.dueDate,
    amountMinor: item.amountMinor.toString(),
  }));
}

export function planInstallmentsFromJson(json: unknown, field = 'judged'): PlanInstallment[] {
  if (!Array.isArray(json)) throw new InputError(field, `must be a list, got ${quote(json)}`);
  return json.map((item: unknown, index) => {
    const at = `${field}[${index}]`;
    if (!isObject(item)) throw new InputError(at, `must be an object, got ${quote(item)}`);
    const number = item.number === null ? null : whole(item.number, `${at}.number`, 1, Number.MAX_SAFE_INTEGER);
    if (typeof item.amountMinor !== 'string' || !/^\d+$/.test(item.amountMinor)) {
      throw new InputError(`${at}.amountMinor`, `must be minor units as a string, got ${quote(item.amountMinor)}`);
    }
    return { number, dueDate: isoDate(item.dueDate, `${at}.dueDate`), amountMinor: BigInt(item.amountMinor) };
  });
}
