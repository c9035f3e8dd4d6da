// Hardship plans through `kuan simulate`: a settlement paid in full closes the loan; a plan beyond the
// approver's limit is refused with its reason; a missed plan payment breaks the plan.
import { describe, expect, it } from 'vitest';
import type { LoanDayLine, SimulationLine } from './run.ts';
import { runScenario } from './run.ts';
import { parseScenario } from './scenario.ts';
import type { PlanLine } from './plans.ts';

function scenario(events: unknown[], days = 120): unknown {
  return {
    start: '2026-01-01',
    days,
    borrowers: [{ id: 'B1', timezone: 'Asia/Shanghai', locale: 'zh-CN', contacts: { sms: '+8613800000001' } }],
    loans: [
      {
        id: 'L1',
        borrowerId: 'B1',
        terms: { principal: '5000.00', currency: 'CNY', annualRate: '0.12', termCount: 6, startDate: '2026-01-01' },
        servicing: { graceDays: 3, penaltyAnnualRate: '0.18' },
      },
    ],
    events,
  };
}

async function run(events: unknown[], days?: number): Promise<SimulationLine[]> {
  return runScenario(parseScenario(scenario(events, days)));
}

const planLines = (lines: SimulationLine[]) => lines.filter((line): line is PlanLine => line.kind === 'plan');
const lastDay = (lines: SimulationLine[]) =>
  lines.filter((line): line is LoanDayLine => line.kind === 'loan_day').at(-1) as LoanDayLine;

describe('simulate: hardship plans', () => {
  it('a settlement paid in full by its deadline closes the loan, the rest waived', async () => {
    const events = [
      {
        at: '2026-04-05T10:00:00+08:00',
        type: 'plan',
        loanId: 'L1',
        plan: { type: 'settlement', amount: '4600.00', deadline: '2026-04-30' },
        approverRole: 'manager',
        reason: 'income_loss',
      },
      { at: '2026-04-20T10:00:00+08:00', type: 'payment', loanId: 'L1', amount: '4600.00' },
    ];
    const lines = await run(events);
    const plans = planLines(lines);
    expect(plans.map((line) => line.status)).toEqual(['active', 'completed']);
    expect(plans[0]?.planType).toBe('settlement');
    expect(Number(plans[0]?.concession)).toBeGreaterThan(0);
    expect(lastDay(lines)).toMatchObject({ status: 'closed', overdue: '0.00', penalty: '0.00' });
  });

  it('refuses a plan beyond the approver’s limit, naming the limit, and leaves the loan as it was', async () => {
    const events = [
      {
        at: '2026-04-05T10:00:00+08:00',
        type: 'plan',
        loanId: 'L1',
        plan: { type: 'settlement', amount: '4000.00', deadline: '2026-04-30' },
        approverRole: 'collector',
        reason: 'income_loss',
      },
    ];
    const [withPlan, without] = await Promise.all([run(events), run([])]);
    const [refusal] = planLines(withPlan);
    expect(refusal).toMatchObject({ status: 'refused', code: 'approval_limit_exceeded' });
    expect(refusal?.reason).toMatch(/collector may waive up to 10 %/);
    expect(withPlan.filter((line) => line.kind === 'loan_day')).toEqual(
      without.filter((line) => line.kind === 'loan_day'),
    );
  });

  it('a settlement not paid by its deadline is broken', async () => {
    const events = [
      {
        at: '2026-04-05T10:00:00+08:00',
        type: 'plan',
        loanId: 'L1',
        plan: { type: 'settlement', amount: '4600.00', deadline: '2026-04-30' },
        reason: 'illness_or_accident',
      },
      { at: '2026-04-20T10:00:00+08:00', type: 'payment', loanId: 'L1', amount: '1000.00' },
    ];
    const plans = planLines(await run(events, 150));
    expect(plans.map((line) => line.status)).toEqual(['active', 'broken']);
    expect(plans[1]?.at.startsWith('2026-05-01')).toBe(true);
  });

  it('a re-installment brings the loan current and spreads the arrears over new terms', async () => {
    const events = [
      {
        at: '2026-03-20T10:00:00+08:00',
        type: 'plan',
        loanId: 'L1',
        plan: { type: 're_installment', termCount: 12 },
        reason: 'income_loss',
      },
    ];
    const lines = await run(events, 90);
    expect(planLines(lines)[0]?.status).toBe('active');
    const day = lines.find((line): line is LoanDayLine => line.kind === 'loan_day' && line.date === '2026-03-20');
    expect(day).toMatchObject({ dpd: 0, bucket: 'M0', delinquent: false });
  });

  it('names the field of a bad plan event', () => {
    const bad = (plan: unknown, extra: Record<string, unknown> = {}) =>
      parseScenario(scenario([{ at: '2026-03-20T10:00:00+08:00', type: 'plan', loanId: 'L1', plan, ...extra }]));
    expect(() => bad({ type: 'gift' })).toThrow(/^events\[0\]\.plan\.type/);
    expect(() => bad({ type: 'settlement', amount: '-1', deadline: '2026-04-30' })).toThrow(
      /events\[0\]\.plan\.amount/,
    );
    expect(() => bad({ type: 're_age' }, { approverRole: 'intern' })).toThrow(/events\[0\]\.approverRole/);
  });
});
