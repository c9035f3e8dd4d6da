// A product's hardship policy as data: which plans it offers and to whom (eligibility), how plan
// installments are judged (grace days, what a break does), and who may approve how much (approval
// limits per role). Parsed once at the edge (zod for the shape, then the checks across fields), every
// default filled in, frozen; `hardshipPolicyToJson` writes it back in the same shape.
//
// Invariants of a parsed policy: every DPD range has dpdAtLeast ≤ dpdAtMost; every min ≤ its max; shares
// are fractions between 0 and 1; approval roles have unique names and are listed from the least to the
// most authority, each allowed at least what the one before it is; every list has a bound.
import { z } from 'zod';
import { InputError, quote } from '../errors/index.ts';
import { compareRatio, formatRatio, parseRate, type Ratio } from '../money/index.ts';
import {
  deferralInterestModes,
  deferralDaysMax,
  deferralPeriodsMax,
  planBreakModes,
  planTermCountMax,
  planTypes,
  reAgePaymentsMax,
  type DeferralInterest,
  type PlanBreakMode,
  type PlanType,
} from '../servicing/index.ts';
import { overdueReasonCategories, type OverdueReasonCategory } from './reasons.ts';

export const approvalRolesMax = 10;
export const plansPerYearLimit = 12;
export const planGraceDaysMax = 30;
export const settlementDeadlineDaysLimit = 365;
/** The role name a borrower acts under in self-service (an approval within `selfService` limits). */
export const borrowerRole = 'borrower';

export interface PlanRule {
  /** The loan's DPD on the plan date must be within [dpdAtLeast, dpdAtMost]. */
  readonly dpdAtLeast: number;
  readonly dpdAtMost: number;
  /** An overdue reason must be on file for the request. */
  readonly reasonRequired: boolean;
}

export interface DeferralRule extends PlanRule {
  readonly periodsMax: number;
  readonly daysMax: number;
  /** Interest during the deferral: `none`, or `accrue` (added to the first installment after it). */
  readonly interest: DeferralInterest;
  /** How many installments after the deferral are watched: one paid late (past the plan grace days) breaks it. */
  readonly judgedInstallments: number;
}

export interface ReInstallmentRule extends PlanRule {
  readonly termCountMin: number;
  readonly termCountMax: number;
}

export interface SettlementRule extends PlanRule {
  /** The lump sum is at least this share of the balance. */
  readonly amountShareMin: Ratio;
  /** The deadline is at most this many days after the plan date. */
  readonly deadlineDaysMax: number;
}

export interface ReAgeRule extends PlanRule {
  /** On-time plan payments (each at least the installment due) before delinquency is reset. */
  readonly onTimePayments: number;
}

export interface PlanRules {
  readonly deferral?: DeferralRule;
  readonly re_installment?: ReInstallmentRule;
  readonly settlement?: SettlementRule;
  readonly due_date_change?: PlanRule;
  readonly re_age?: ReAgeRule;
}

export interface ApprovalLimit {
  /** The largest concession (amount waived ÷ balance) this role may approve. */
  readonly waiveShareMax: Ratio;
  /** The longest deferral this role may approve, in months (days ÷ 30, rounded up, for other loans). */
  readonly deferralMonthsMax: number;
}

export interface ApprovalRole extends ApprovalLimit {
  readonly name: string;
}

export interface HardshipPolicy {
  /** The plans this product offers; a type left out is not offered. */
  readonly plans: PlanRules;
  /** Plans activated on one loan within 365 days, at most. */
  readonly plansPerYearMax: number;
  /** Reasons that never lead to a plan (a dispute or a fraud claim goes to a complaint instead). */
  readonly reasonCategoriesExcluded: readonly OverdueReasonCategory[];
  /** Days after a plan installment's due date before an unpaid one breaks the plan. */
  readonly planGraceDays: number;
  /** What a break does to a restructured loan: `restore` the original schedule, or `keep` the plan's. */
  readonly onBreak: PlanBreakMode;
  readonly approval: {
    /** From the least to the most authority; a plan needs the first role whose limits cover it. */
    readonly roles: readonly ApprovalRole[];
    /** What a borrower may take without an agent's approval. */
    readonly selfService: ApprovalLimit & { readonly planTypes: readonly PlanType[] };
  };
}

const defaultPolicyJson = {
  plans: {
    deferral: {
      dpdAtLeast: 0,
      dpdAtMost: 30,
      reasonRequired: true,
      periodsMax: 3,
      daysMax: 90,
      interest: 'none',
      judgedInstallments: 3,
    },
    re_installment: { dpdAtLeast: 1, dpdAtMost: 180, reasonRequired: true, termCountMin: 3, termCountMax: 36 },
    settlement: { dpdAtLeast: 60, dpdAtMost: 3650, reasonRequired: true, amountShareMin: '0.5', deadlineDaysMax: 30 },
    due_date_change: { dpdAtLeast: 0, dpdAtMost: 0, reasonRequired: false },
    re_age: { dpdAtLeast: 1, dpdAtMost: 90, reasonRequired: true, onTimePayments: 3 },
  },
  plansPerYearMax: 2,
  reasonCategoriesExcluded: ['dispute', 'fraud_or_identity_theft'],
  planGraceDays: 3,
  onBreak: 'restore',
  approval: {
    roles: [
      { name: 'collector', waiveShareMax: '0.10', deferralMonthsMax: 3 },
      { name: 'supervisor', waiveShareMax: '0.30', deferralMonthsMax: 6 },
      { name: 'manager', waiveShareMax: '1', deferralMonthsMax: 24 },
    ],
    selfService: { planTypes: ['due_date_change', 'deferral'], waiveShareMax: '0', deferralMonthsMax: 1 },
  },
};

// ---- shape -------------------------------------------------------------------------------------------------

const days = z.number().int().min(0).max(36500);
const rate = z.string();
const ruleBase = { dpdAtLeast: days, dpdAtMost: days, reasonRequired: z.boolean().optional() };

const policySchema = z
  .object({
    plans: z
      .object({
        deferral: z
          .object({
            ...ruleBase,
            periodsMax: z.number().int().min(1).max(deferralPeriodsMax),
            daysMax: z.number().int().min(1).max(deferralDaysMax),
            interest: z.enum(deferralInterestModes).optional(),
            judgedInstallments: z.number().int().min(1).max(planTermCountMax).optional(),
          })
          .strict()
          .optional(),
        re_installment: z
          .object({
            ...ruleBase,
            termCountMin: z.number().int().min(1).max(planTermCountMax),
            termCountMax: z.number().int().min(1).max(planTermCountMax),
          })
          .strict()
          .optional(),
        settlement: z
          .object({
            ...ruleBase,
            amountShareMin: rate,
            deadlineDaysMax: z.number().int().min(0).max(settlementDeadlineDaysLimit),
          })
          .strict()
          .optional(),
        due_date_change: z.object(ruleBase).strict().optional(),
        re_age: z
          .object({ ...ruleBase, onTimePayments: z.number().int().min(1).max(reAgePaymentsMax) })
          .strict()
          .optional(),
      })
      .strict(),
    plansPerYearMax: z.number().int().min(0).max(plansPerYearLimit),
    reasonCategoriesExcluded: z.array(z.enum(overdueReasonCategories)).max(overdueReasonCategories.length).optional(),
    planGraceDays: z.number().int().min(0).max(planGraceDaysMax),
    onBreak: z.enum(planBreakModes),
    approval: z
      .object({
        roles: z
          .array(
            z
              .object({
                name: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
                waiveShareMax: rate,
                deferralMonthsMax: z.number().int().min(0).max(deferralPeriodsMax),
              })
              .strict(),
          )
          .min(1)
          .max(approvalRolesMax),
        selfService: z
          .object({
            planTypes: z.array(z.enum(planTypes)).max(planTypes.length),
            waiveShareMax: rate,
            deferralMonthsMax: z.number().int().min(0).max(deferralPeriodsMax),
          })
          .strict(),
      })
      .strict(),
  })
  .strict();

function fieldPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const part of path)
    out += typeof part === 'number' ? `[${part}]` : out === '' ? String(part) : `.${String(part)}`;
  return out;
}

function issueToError(issue: z.core.$ZodIssue, prefix: string): InputError {
  const field = fieldPath(prefix, issue.path) || 'policy';
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'unrecognized_keys':
      return new InputError(fieldPath(field, [issue.keys[0] ?? '?']), 'is not a known field here');
    case 'invalid_type':
      return new InputError(
        field,
        input === undefined ? 'is required' : `must be ${issue.expected}, got ${quote(input)}`,
      );
    case 'invalid_value':
      return new InputError(field, `must be one of ${issue.values.map(String).join(', ')}, got ${quote(input)}`);
    case 'too_big':
      return new InputError(field, `must be at most ${String(issue.maximum)}, got ${quote(input)}`);
    case 'too_small':
      return new InputError(field, `must be at least ${String(issue.minimum)}, got ${quote(input)}`);
    default:
      return new InputError(field, `${issue.message}, got ${quote(input)}`);
  }
}

function share(text: string, field: string): Ratio {
  return parseRate(text, { field });
}

function checkRange(rule: { dpdAtLeast: number; dpdAtMost: number }, field: string): void {
  if (rule.dpdAtLeast > rule.dpdAtMost) {
    throw new InputError(`${field}.dpdAtMost`, `must be at least dpdAtLeast ${rule.dpdAtLeast}, got ${rule.dpdAtMost}`);
  }
}

/** Parses a hardship policy (a JSON document, e.g. from the store); `field` prefixes error names. */
export function parseHardshipPolicy(json: unknown, field = 'policy'): HardshipPolicy {
  const result = policySchema.safeParse(json, { reportInput: true });
  if (!result.success) throw issueToError(result.error.issues[0] as z.core.$ZodIssue, field);
  const p = result.data;
  const at = (name: string): string => `${field}.${name}`;
  const plans: { -readonly [K in keyof PlanRules]: PlanRules[K] } = {};
  const base = (
    rule: { dpdAtLeast: number; dpdAtMost: number; reasonRequired?: boolean | undefined },
    name: string,
  ): PlanRule => {
    checkRange(rule, at(`plans.${name}`));
    return { dpdAtLeast: rule.dpdAtLeast, dpdAtMost: rule.dpdAtMost, reasonRequired: rule.reasonRequired ?? true };
  };
  if (p.plans.deferral) {
    const rule = p.plans.deferral;
    plans.deferral = {
      ...base(rule, 'deferral'),
      periodsMax: rule.periodsMax,
      daysMax: rule.daysMax,
      interest: rule.interest ?? 'none',
      judgedInstallments: rule.judgedInstallments ?? 3,
    };
  }
  if (p.plans.re_installment) {
    const rule = p.plans.re_installment;
    if (rule.termCountMin > rule.termCountMax) {
      throw new InputError(
        at('plans.re_installment.termCountMax'),
        `must be at least termCountMin ${rule.termCountMin}, got ${rule.termCountMax}`,
      );
    }
    plans.re_installment = {
      ...base(rule, 're_installment'),
      termCountMin: rule.termCountMin,
      termCountMax: rule.termCountMax,
    };
  }
  if (p.plans.settlement) {
    const rule = p.plans.settlement;
    plans.settlement = {
      ...base(rule, 'settlement'),
      amountShareMin: share(rule.amountShareMin, at('plans.settlement.amountShareMin')),
      deadlineDaysMax: rule.deadlineDaysMax,
    };
  }
  if (p.plans.due_date_change) plans.due_date_change = base(p.plans.due_date_change, 'due_date_change');
  if (p.plans.re_age)
    plans.re_age = { ...base(p.plans.re_age, 're_age'), onTimePayments: p.plans.re_age.onTimePayments };

  const names = new Set<string>();
  const roles = p.approval.roles.map((role, index): ApprovalRole => {
    const roleField = at(`approval.roles[${index}]`);
    if (role.name === borrowerRole || names.has(role.name)) {
      throw new InputError(
        `${roleField}.name`,
        `must be unique and not ${quote(borrowerRole)}, got ${quote(role.name)}`,
      );
    }
    names.add(role.name);
    return {
      name: role.name,
      waiveShareMax: share(role.waiveShareMax, `${roleField}.waiveShareMax`),
      deferralMonthsMax: role.deferralMonthsMax,
    };
  });
  roles.forEach((role, index) => {
    const previous = roles[index - 1];
    if (previous === undefined) return;
    if (
      compareRatio(role.waiveShareMax, previous.waiveShareMax) < 0 ||
      role.deferralMonthsMax < previous.deferralMonthsMax
    ) {
      throw new InputError(
        at(`approval.roles[${index}]`),
        `must allow at least what ${previous.name} may (roles go from the least to the most authority)`,
      );
    }
  });
  const self = p.approval.selfService;
  return deepFreeze({
    plans,
    plansPerYearMax: p.plansPerYearMax,
    reasonCategoriesExcluded: p.reasonCategoriesExcluded ?? [],
    planGraceDays: p.planGraceDays,
    onBreak: p.onBreak,
    approval: {
      roles,
      selfService: {
        planTypes: [...new Set(self.planTypes)],
        waiveShareMax: share(self.waiveShareMax, at('approval.selfService.waiveShareMax')),
        deferralMonthsMax: self.deferralMonthsMax,
      },
    },
  });
}

/** The built-in policy, used when a product has none of its own (docs/hardship.md lists it). */
export const defaultHardshipPolicy: HardshipPolicy = parseHardshipPolicy(defaultPolicyJson, 'defaultHardshipPolicy');

/** A share as the shortest exact decimal string ("0.1", "0.3", "1"), as policies write it. */
export function shareText(value: Ratio): string {
  for (let decimals = 0; decimals <= 10; decimals += 1) {
    if ((value.numerator * 10n ** BigInt(decimals)) % value.denominator === 0n) return formatRatio(value, decimals);
  }
  return formatRatio(value, 10);
}

/** The policy as JSON that `parseHardshipPolicy` reads back into the same value. */
export function hardshipPolicyToJson(policy: HardshipPolicy): Record<string, unknown> {
  const plans: Record<string, unknown> = {};
  for (const [type, rule] of Object.entries(policy.plans)) {
    if (rule === undefined) continue;
    const copy: Record<string, unknown> = { ...rule };
    if ('amountShareMin' in rule) copy.amountShareMin = shareText(rule.amountShareMin);
    plans[type] = copy;
  }
  const limit = (l: ApprovalLimit) => ({
    waiveShareMax: shareText(l.waiveShareMax),
    deferralMonthsMax: l.deferralMonthsMax,
  });
  return {
    plans,
    plansPerYearMax: policy.plansPerYearMax,
    reasonCategoriesExcluded: [...policy.reasonCategoriesExcluded],
    planGraceDays: policy.planGraceDays,
    onBreak: policy.onBreak,
    approval: {
      roles: policy.approval.roles.map((role) => ({ name: role.name, ...limit(role) })),
      selfService: { planTypes: [...policy.approval.selfService.planTypes], ...limit(policy.approval.selfService) },
    },
  };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value as Record<string, unknown>)) deepFreeze(item);
  }
  return value;
}
