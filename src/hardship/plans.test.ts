// Plan decisions on the contract's example loan (5,000.00 at 12 % over 18 months, 305.00 a month, grace
// 3, penalty 18 %), unpaid since its first installment: eligibility refusals with their codes, the offer's
// concession and the least role that may approve it, approval limits refused with both numbers, judging
// a running plan (kept, completed, broken), and the policy's parsing.
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors/index.ts';
import { ratio } from '../money/index.ts';
import { buildSchedule } from '../schedule/index.ts';
import {
  activatePlan,
  builtInRateCapPolicies,
  type LoanState,
  type PlanTerms,
  type RateCapPolicy,
} from '../servicing/index.ts';
import { closeEachDay, minor, openBook, pay } from '../servicing/testing.ts';
import {
  checkApproval,
  evaluatePlanRequest,
  judgePlan,
  parsePlanRequest,
  percent,
  planInstallmentsFromJson,
  planInstallmentsToJson,
  type PlanOffer,
  type PlanRequestContext,
} from './plans.ts';
import { defaultHardshipPolicy, hardshipPolicyToJson, parseHardshipPolicy } from './policy.ts';

const rules = { graceDays: 3, penaltyAnnualRate: '0.18' };

/** On 2026-05-20 installments 1–3 are unpaid: DPD 66, balance 5,501.80 (5,000.00 + 488.22 + 13.58 penalty). */
function overdue(): LoanState {
  return closeEachDay(openBook({}, rules), '2026-05-20').state;
}

function context(state: LoanState, terms: PlanTerms, extra: Partial<PlanRequestContext> = {}): PlanRequestContext {
  return {
    planId: 'H1',
    state,
    on: '2026-05-20',
    terms,
    policy: defaultHardshipPolicy,
    reason: { category: 'income_loss' },
    plansInLastYear: 0,
    planOpen: false,
    ...extra,
  };
}

function offerOf(state: LoanState, terms: PlanTerms): PlanOffer {
  const result = evaluatePlanRequest(context(state, terms));
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.offer;
}

const settlement = (amount: string): PlanTerms => ({
  type: 'settlement',
  amountMinor: minor(amount),
  deadline: '2026-06-15',
});

describe('eligibility', () => {
  const reinstall: PlanTerms = { type: 're_installment', termCount: 12, firstDueDate: null };

  it('refuses with a code and a reason naming the limit', () => {
    const state = overdue();
    const cases: [Partial<PlanRequestContext>, string, string][] = [
      [{ planOpen: true }, 'plan_already_open', 'loan L1 already has a plan requested or active'],
      [{ reason: null }, 'reason_required', 'a re_installment plan needs an overdue reason on file'],
      [
        { reason: { category: 'fraud_or_identity_theft' } },
        'reason_not_eligible',
        'a reason of fraud_or_identity_theft is handled as a complaint, not with a plan',
      ],
      [{ plansInLastYear: 2 }, 'plans_per_year_exceeded', 'at most 2 plans per loan in 365 days; this loan had 2'],
      [
        { terms: { type: 're_installment', termCount: 48, firstDueDate: null } },
        'term_count_out_of_range',
        'a re-installment has 3 to 36 terms; asked for 48',
      ],
      [
        { terms: { type: 'deferral', unit: 'period', count: 2, interest: 'none' } },
        'dpd_above_maximum',
        'a deferral plan allows DPD of at most 30; the loan is at 66',
      ],
      [
        { terms: settlement('2000.00') },
        'settlement_below_minimum',
        'a settlement is at least 50 % of the balance (2750.90); offered 2000.00',
      ],
      [
        { terms: { ...settlement('3000.00'), deadline: '2026-07-01' } as PlanTerms },
        'settlement_deadline_too_far',
        'a settlement deadline is at most 30 days after 2026-05-20 (2026-06-19); asked for 2026-07-01',
      ],
      [{ on: '2026-05-19' }, 'plan_date_before_close', 'plan date 2026-05-19 is before closedThrough 2026-05-20'],
    ];
    for (const [extra, code, message] of cases) {
      expect(evaluatePlanRequest(context(state, reinstall, extra))).toEqual({ ok: false, code, message });
    }
  });

  it('refuses plans the product does not offer and DPD below the minimum', () => {
    const policy = parseHardshipPolicy({
      ...hardshipPolicyToJson(defaultHardshipPolicy),
      plans: { settlement: { dpdAtLeast: 90, dpdAtMost: 3650, amountShareMin: '0.5', deadlineDaysMax: 30 } },
    });
    const state = overdue();
    expect(evaluatePlanRequest(context(state, reinstall, { policy }))).toMatchObject({
      ok: false,
      code: 'plan_type_not_offered',
    });
    expect(evaluatePlanRequest(context(state, settlement('3000.00'), { policy }))).toMatchObject({
      ok: false,
      code: 'dpd_below_minimum',
      message: 'a settlement plan needs DPD of at least 90; the loan is at 66',
    });
  });

  it('passes the ledger step’s own refusals through', () => {
    const state = overdue();
    expect(evaluatePlanRequest(context(state, settlement('6000.00')))).toMatchObject({
      ok: false,
      code: 'settlement_not_below_balance',
    });
  });
});

describe('offers and approval limits', () => {
  it('a re-installment gives up 345.90 of future interest: 6.3 % of 5,501.80, a collector’s to approve', () => {
    const offer = offerOf(overdue(), { type: 're_installment', termCount: 12, firstDueDate: null });
    expect(offer).toMatchObject({
      dpd: 66,
      balanceMinor: minor('5501.80'),
      concessionMinor: minor('345.90'),
      approval: { required: true, minimumRole: 'collector' },
    });
    expect(offer.planInstallments).toHaveLength(12);
    expect(checkApproval(offer, 'collector', defaultHardshipPolicy)).toMatchObject({ ok: true });
  });

  it('a settlement of 4,500.00 waives 1,001.80 = 18.2 %: beyond a collector, within a supervisor', () => {
    const offer = offerOf(overdue(), settlement('4500.00'));
    expect(offer.approval).toEqual({ required: true, minimumRole: 'supervisor' });
    expect(checkApproval(offer, 'collector', defaultHardshipPolicy)).toEqual({
      ok: false,
      code: 'approval_limit_exceeded',
      message: 'a collector may waive up to 10 % (550.18), this plan waives 18.2 % (1001.80)',
    });
    expect(checkApproval(offer, 'supervisor', defaultHardshipPolicy)).toMatchObject({
      ok: true,
      limit: { role: 'supervisor' },
    });
    expect(checkApproval(offer, 'borrower', defaultHardshipPolicy)).toMatchObject({
      ok: false,
      code: 'approval_limit_exceeded',
      message: "a borrower may not take this plan alone; it needs a supervisor's approval",
    });
    expect(checkApproval(offer, 'auditor', defaultHardshipPolicy)).toEqual({
      ok: false,
      code: 'approver_role_unknown',
      message: 'role "auditor" is not one of collector, supervisor, manager',
    });
  });

  it('above 30 % needs a manager; deferral months are capped per role', () => {
    const offer = offerOf(overdue(), settlement('3000.00'));
    expect(offer.approval.minimumRole).toBe('manager');
    expect(checkApproval(offer, 'supervisor', defaultHardshipPolicy)).toMatchObject({
      message: 'a supervisor may waive up to 30 % (1650.54), this plan waives 45.5 % (2501.80)',
    });
    const policy = parseHardshipPolicy({
      ...hardshipPolicyToJson(defaultHardshipPolicy),
      plans: { deferral: { dpdAtLeast: 0, dpdAtMost: 90, periodsMax: 12, daysMax: 365 } },
    });
    const state = closeEachDay(openBook({}, rules), '2026-03-20').state;
    const result = evaluatePlanRequest(
      context(state, { type: 'deferral', unit: 'period', count: 4, interest: 'none' }, { on: '2026-03-20', policy }),
    );
    if (!result.ok) throw new Error(result.message);
    expect(result.offer).toMatchObject({ deferralMonths: 4, approval: { minimumRole: 'supervisor', required: true } });
    expect(checkApproval(result.offer, 'collector', policy)).toMatchObject({
      code: 'approval_limit_exceeded',
      message: 'a collector may defer up to 3 months, this plan defers 4 months',
    });
  });

  it('a one-month deferral with no concession is the borrower’s to take alone', () => {
    const state = closeEachDay(openBook({}, rules), '2026-03-20').state;
    const result = evaluatePlanRequest(
      context(state, { type: 'deferral', unit: 'period', count: 1, interest: 'none' }, { on: '2026-03-20' }),
    );
    if (!result.ok) throw new Error(result.message);
    expect(result.offer.approval).toEqual({ required: false, minimumRole: 'collector' });
    // Judged on the first three installments after the deferral.
    expect(result.offer.planInstallments.map((item) => item.dueDate)).toEqual([
      '2026-04-15',
      '2026-05-15',
      '2026-06-15',
    ]);
    expect(checkApproval(result.offer, 'borrower', defaultHardshipPolicy)).toMatchObject({ ok: true });
  });

  it('refuses a plan that charges interest on a loan priced above the refusal line; one that charges nothing passes', () => {
    const cn = builtInRateCapPolicies['cn-2026'] as RateCapPolicy;
    const dear = closeEachDay(openBook({ annualRate: '0.40' }, rules), '2026-03-20').state;
    const accrue: PlanTerms = { type: 'deferral', unit: 'period', count: 1, interest: 'accrue' };
    const apr = buildSchedule(dear.terms).apr;
    const refused = evaluatePlanRequest(context(dear, accrue, { on: '2026-03-20', rateCaps: { apr, policy: cn } }));
    expect(refused).toMatchObject({ ok: false, code: 'rate_above_cap' });
    expect(!refused.ok && refused.message).toMatch(
      /^this deferral plan charges \d+\.\d\d of interest at the contract's price: APR 40\.25 % is above the refusal line 36 % \(cn-2026 pricing\)$/,
    );
    const free: PlanTerms = { ...accrue, interest: 'none' };
    expect(evaluatePlanRequest(context(dear, free, { on: '2026-03-20', rateCaps: { apr, policy: cn } }))).toMatchObject(
      {
        ok: true,
      },
    );
    // Within the caps, interest may accrue.
    const fair = closeEachDay(openBook({}, rules), '2026-03-20').state;
    const fairApr = buildSchedule(fair.terms).apr;
    const fairOffer = evaluatePlanRequest(
      context(fair, accrue, { on: '2026-03-20', rateCaps: { apr: fairApr, policy: cn } }),
    );
    if (!fairOffer.ok) throw new Error(fairOffer.message);
    expect(fairOffer.offer.effect.charged.interestMinor).toBeGreaterThan(0n);
  });

  it('formats shares with at most one decimal', () => {
    expect(percent(ratio(1n, 10n))).toBe('10 %');
    expect(percent(ratio(100180n, 550180n))).toBe('18.2 %');
    expect(percent(ratio(1n, 3n))).toBe('33.3 %');
  });
});

describe('judging a plan', () => {
  it('a re-installment: kept while each installment is paid within its grace days, broken by the first that is not', () => {
    const book = closeEachDay(openBook({}, rules), '2026-05-20');
    const terms: PlanTerms = { type: 're_installment', termCount: 3, firstDueDate: null };
    const step = activatePlan(book.state, { planId: 'H1', on: '2026-05-20', terms });
    if (!step.ok) throw new Error(step.message);
    book.state = step.state;
    const plan = {
      planId: 'H1',
      terms,
      activatedOn: '2026-05-20',
      planInstallments: step.effect.planInstallments,
      graceDays: 3,
    };
    expect(judgePlan(plan, book.state, [], '2026-05-21')).toEqual({ decision: 'keep', nextCheckDate: '2026-06-24' });
    closeEachDay(book, '2026-06-22');
    const first = step.effect.planInstallments[0];
    pay(book, { amountMinor: first?.amountMinor ?? 0n, on: '2026-06-22' });
    expect(judgePlan(plan, book.state, [], '2026-06-24')).toEqual({ decision: 'keep', nextCheckDate: '2026-07-24' });
    closeEachDay(book, '2026-07-24');
    expect(judgePlan(plan, book.state, [], '2026-07-24')).toEqual({
      decision: 'break',
      reason: 'installment 20 due 2026-07-20 is unpaid past its 3 grace days',
    });
  });

  it('a settlement: completed once payments since activation reach the lump sum, broken after the deadline', () => {
    const state = overdue();
    const terms = settlement('3000.00');
    const plan = {
      planId: 'S1',
      terms,
      activatedOn: '2026-05-20',
      planInstallments: [{ number: null, dueDate: '2026-06-15', amountMinor: minor('3000.00') }],
      graceDays: 3,
    };
    const before = { on: '2026-05-19', amountMinor: minor('500.00') };
    expect(judgePlan(plan, state, [before, { on: '2026-05-25', amountMinor: minor('2900.00') }], '2026-06-01')).toEqual(
      {
        decision: 'keep',
        nextCheckDate: '2026-06-02',
      },
    );
    expect(
      judgePlan(
        plan,
        state,
        [
          { on: '2026-05-25', amountMinor: minor('2900.00') },
          { on: '2026-06-15', amountMinor: minor('100.00') },
        ],
        '2026-06-15',
      ),
    ).toEqual({ decision: 'complete', reason: '3000.00 paid as the plan asked' });
    expect(judgePlan(plan, state, [{ on: '2026-05-25', amountMinor: minor('2900.00') }], '2026-06-16')).toEqual({
      decision: 'break',
      reason: '2900.00 paid by 2026-06-15, 3000.00 was due (installment due 2026-06-15)',
    });
  });

  it('a closed loan completes its plan; a charged-off loan breaks it', () => {
    const state = overdue();
    const plan = {
      planId: 'X',
      terms: settlement('3000.00'),
      activatedOn: '2026-05-20',
      planInstallments: [],
      graceDays: 0,
    };
    expect(judgePlan(plan, { ...state, status: 'closed' }, [], '2026-05-21')).toMatchObject({ decision: 'complete' });
    expect(judgePlan(plan, { ...state, status: 'charged_off' }, [], '2026-05-21')).toMatchObject({ decision: 'break' });
  });

  it('stores judged installments as JSON and reads them back', () => {
    const items = [
      { number: 19, dueDate: '2026-06-20', amountMinor: 43000n },
      { number: null, dueDate: '2026-06-15', amountMinor: 1n },
    ];
    expect(planInstallmentsFromJson(JSON.parse(JSON.stringify(planInstallmentsToJson(items))))).toEqual(items);
  });
});

describe('plan requests and policies from JSON', () => {
  const currency = 'CNY';
  const policy = defaultHardshipPolicy;

  it('parses each plan type, with the product fixing deferral interest and re-age payments', () => {
    expect(parsePlanRequest({ type: 'deferral', periods: 2 }, { currency, policy })).toEqual({
      type: 'deferral',
      unit: 'period',
      count: 2,
      interest: 'none',
    });
    expect(
      parsePlanRequest({ type: 'settlement', amount: '4500.00', deadline: '2026-06-15' }, { currency, policy }),
    ).toEqual({
      type: 'settlement',
      amountMinor: 450000n,
      deadline: '2026-06-15',
    });
    expect(parsePlanRequest({ type: 're_age' }, { currency, policy })).toEqual({ type: 're_age', onTimePayments: 3 });
  });

  it('names the field of bad input', () => {
    const bad: [unknown, RegExp][] = [
      [{ type: 'holiday' }, /^plan\.type: must be one of deferral/],
      [{ type: 'deferral', periods: 2, days: 10 }, /^plan: a deferral gives exactly one of periods or days/],
      [{ type: 'settlement', amount: '-5', deadline: '2026-06-15' }, /^plan\.amount: must not be negative/],
      [{ type: 're_installment', termCount: 1.5 }, /^plan\.termCount: must be a whole number/],
      [{ type: 'due_date_change', dayOfMonth: 5, extra: 1 }, /^plan\.extra: is not a field/],
    ];
    for (const [json, message] of bad) {
      expect(() => parsePlanRequest(json, { currency, policy })).toThrow(message);
    }
  });

  it('reads its own JSON back; refuses roles out of order and unknown fields', () => {
    const json = hardshipPolicyToJson(defaultHardshipPolicy);
    expect(parseHardshipPolicy(json)).toEqual(defaultHardshipPolicy);
    const shuffled = structuredClone(json) as { approval: { roles: unknown[] } };
    shuffled.approval.roles.reverse();
    expect(() => parseHardshipPolicy(shuffled)).toThrow(
      'policy.approval.roles[1]: must allow at least what manager may (roles go from the least to the most authority)',
    );
    expect(() => parseHardshipPolicy({ ...json, planGraceDays: 99 })).toThrow(InputError);
    expect(() => parseHardshipPolicy({ ...json, extra: true })).toThrow('policy.extra: is not a known field here');
    expect(() =>
      parseHardshipPolicy({ ...json, plans: { re_age: { dpdAtLeast: 10, dpdAtMost: 5, onTimePayments: 3 } } }),
    ).toThrow('policy.plans.re_age.dpdAtMost: must be at least dpdAtLeast 10, got 5');
  });
});
