// The ledger half of the simulator against the contract's examples: grace, delinquency, penalty,
// allocation, time order, auto-debit and determinism, through parseScenario + runScenario.
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors/index.ts';
import {
  parseScenario,
  runScenario,
  simulate,
  type LoanDayLine,
  type PaymentLine,
  type SimulationLine,
} from './index.ts';

const cents = (text: string): bigint => BigInt(text.replace('.', ''));

/** One loan: 5000 CNY at 12 % over 18 months from 2026-02-15, so installment 1 (304.91) is due 2026-03-15. */
function scenario(options: { events?: unknown[]; servicing?: unknown; days?: number } = {}): Record<string, unknown> {
  return {
    start: '2026-03-01',
    days: options.days ?? 25,
    policy: 'cn-2026',
    strategy: { steps: [] },
    borrowers: [{ id: 'B1', timezone: 'Asia/Shanghai', locale: 'zh-CN', contacts: { sms: '+8613800000001' } }],
    loans: [
      {
        id: 'L1',
        borrowerId: 'B1',
        terms: { principal: '5000.00', currency: 'CNY', annualRate: '0.12', termCount: 18, startDate: '2026-02-15' },
        servicing: options.servicing ?? { graceDays: 3, penaltyAnnualRate: '0.18', autoDebit: false },
      },
    ],
    events: options.events ?? [],
  };
}

async function run(input: unknown): Promise<SimulationLine[]> {
  return runScenario(parseScenario(input));
}

const days = (lines: SimulationLine[]): Map<string, LoanDayLine> =>
  new Map(lines.filter((line): line is LoanDayLine => line.kind === 'loan_day').map((line) => [line.date, line]));
const payments = (lines: SimulationLine[]): PaymentLine[] =>
  lines.filter((line): line is PaymentLine => line.kind === 'payment');

describe('simulate: grace and delinquency', () => {
  it('a payment inside grace leaves the loan never delinquent, with no penalty', async () => {
    const lines = await run(
      scenario({ events: [{ at: '2026-03-18T10:00:00+08:00', type: 'payment', loanId: 'L1', amount: '305.00' }] }),
    );
    const byDate = days(lines);
    expect(byDate.size).toBe(25);
    for (const [date, dpd] of [
      ['2026-03-16', 1],
      ['2026-03-17', 2],
    ] as const) {
      expect(byDate.get(date)).toMatchObject({ dpd, inGrace: true, delinquent: false, status: 'active', bucket: 'M0' });
      expect(byDate.get(date)?.overdue).not.toBe('0.00');
    }
    expect(byDate.get('2026-03-18')).toMatchObject({ dpd: 0, inGrace: false, overdue: '0.00', penalty: '0.00' });
    for (const line of byDate.values()) {
      expect(line.delinquent).toBe(false);
      expect(line.penalty).toBe('0.00');
      expect(line.status).toBe('active');
    }
    expect(payments(lines)[0]).toMatchObject({ result: 'posted', amount: '305.00', source: 'manual' });
  });

  it('inGrace holds on DPD 1..graceDays; unpaid past grace the loan is delinquent, overdue, M1, with penalty', async () => {
    const byDate = days(await run(scenario()));
    for (const [date, dpd] of [
      ['2026-03-16', 1],
      ['2026-03-17', 2],
      ['2026-03-18', 3],
    ] as const) {
      expect(byDate.get(date)).toMatchObject({ dpd, inGrace: true, delinquent: false, status: 'active', bucket: 'M0' });
    }
    const past = byDate.get('2026-03-19');
    expect(past).toMatchObject({ dpd: 4, inGrace: false, delinquent: true, status: 'overdue', bucket: 'M1' });
    expect(cents(past?.penalty ?? '0')).toBeGreaterThan(0n);
    // The retroactive penalty from docs/servicing.md: 255.00 overdue principal at 18 % / 360 for 4 days.
    expect(past?.penalty).toBe('0.51');
    expect(byDate.get('2026-03-25')).toMatchObject({ dpd: 10, delinquent: true, status: 'overdue' });
  });
});

describe('simulate: servicing.penaltyRateMultiple', () => {
  it('charges the penalty as a multiple of the contract rate (1.5 × 12 % = 18 %)', async () => {
    const byDate = days(
      await run(scenario({ servicing: { graceDays: 3, penaltyRateMultiple: '1.5', autoDebit: false } })),
    );
    expect(byDate.get('2026-03-19')?.penalty).toBe('0.51');
  });
});

describe('simulate: payment lines', () => {
  it("a payment line's allocation sums to its amount and the contract's fields come in order", async () => {
    const lines = await run(
      scenario({
        events: [
          { at: '2026-03-21T10:00:00+08:00', type: 'payment', loanId: 'L1', amount: '700.00' },
          { at: '2026-03-10T10:00:00+08:00', type: 'payment', loanId: 'L1', amount: '0.00' },
        ],
      }),
    );
    const [rejected, posted] = payments(lines);
    expect(rejected).toEqual({
      kind: 'payment',
      at: '2026-03-10T10:00:00+08:00',
      loanId: 'L1',
      amount: '0.00',
      source: 'manual',
      result: 'amount_not_positive',
      allocation: { penalty: '0.00', fee: '0.00', interest: '0.00', principal: '0.00' },
    });
    expect(Object.keys(posted ?? {})).toEqual(['kind', 'at', 'loanId', 'amount', 'source', 'result', 'allocation']);
    const allocation = posted?.allocation ?? { penalty: '', fee: '', interest: '', principal: '' };
    expect(cents(allocation.penalty)).toBeGreaterThan(0n);
    const sum = [
      allocation.penalty,
      allocation.fee,
      allocation.interest,
      allocation.principal,
      allocation.credit ?? '0',
    ]
      .map(cents)
      .reduce((a, b) => a + b, 0n);
    expect(sum).toBe(cents('700.00'));
    const after = days(lines).get('2026-03-21');
    expect(after).toMatchObject({ dpd: 0, delinquent: false, status: 'active', overdue: '0.00', penalty: '0.00' });
  });

  it('orders lines by time: payments at their instant, then the loan_day lines of that day', async () => {
    const lines = await run(
      scenario({
        events: [
          // Local date 2026-03-05 in Shanghai although the UTC date is 2026-03-04.
          { at: '2026-03-04T20:00:00Z', type: 'payment', loanId: 'L1', amount: '10.00' },
          { at: '2026-03-05T09:00:00+08:00', type: 'reply', borrowerId: 'B1', channel: 'sms', text: '退订' },
        ],
      }),
    );
    const index = lines.findIndex((line) => line.kind === 'payment');
    expect(lines[index - 1]).toMatchObject({ kind: 'loan_day', date: '2026-03-04' });
    expect(lines[index + 1]).toMatchObject({ kind: 'loan_day', date: '2026-03-05' });
    const dates = lines.map((line) => (line.kind === 'loan_day' ? line.date : '2026-03-05'));
    expect([...dates].sort()).toEqual(dates);
  });

  it('auto-debits min(balance, due) on the due date when servicing.autoDebit is on', async () => {
    const lines = await run(
      scenario({
        servicing: { graceDays: 3, penaltyAnnualRate: '0.18', autoDebit: true },
        events: [{ at: '2026-03-10T08:00:00+08:00', type: 'auto_debit_funds', borrowerId: 'B1', amount: '100.00' }],
      }),
    );
    const [first, ...rest] = payments(lines);
    expect(first).toMatchObject({
      at: '2026-03-15T23:59:59+08:00',
      amount: '100.00',
      source: 'auto_debit',
      result: 'posted',
    });
    // The next retry (day 1) finds the account empty and is declined for what is still due.
    expect(rest[0]).toMatchObject({ at: '2026-03-16T23:59:59+08:00', result: 'insufficient_funds', amount: '204.91' });
    expect(days(lines).get('2026-03-16')?.overdue).toBe('204.91');
  });
});

describe('simulate: determinism and validation', () => {
  it('gives byte-identical output for the same scenario', async () => {
    const input = scenario({
      events: [{ at: '2026-03-16T10:00:00+08:00', type: 'payment', loanId: 'L1', amount: '500.00' }],
    });
    const first = await simulate(input);
    expect(await simulate(structuredClone(input))).toBe(first);
    for (const line of first.trimEnd().split('\n')) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });

  it('names the field of a bad scenario by its path', () => {
    const bad = (patch: (json: Record<string, unknown>) => void): string => {
      const json = scenario({
        events: [{ at: '2026-03-16T10:00:00+08:00', type: 'payment', loanId: 'L1', amount: '1.00' }],
      });
      patch(json);
      try {
        parseScenario(json);
      } catch (error) {
        if (error instanceof InputError) return error.field;
        throw error;
      }
      return 'accepted';
    };
    const loan = (json: Record<string, unknown>): Record<string, Record<string, unknown>> =>
      (json.loans as Record<string, Record<string, unknown>>[])[0] as Record<string, Record<string, unknown>>;
    const event = (json: Record<string, unknown>): Record<string, unknown> =>
      (json.events as Record<string, unknown>[])[0] as Record<string, unknown>;
    expect(bad((json) => ((loan(json).terms as Record<string, unknown>).principal = '-5'))).toBe(
      'loans[0].terms.principal',
    );
    expect(bad((json) => ((loan(json).servicing as Record<string, unknown>).graceDays = -1))).toBe(
      'loans[0].servicing.graceDays',
    );
    expect(bad((json) => (event(json).type = 'teleport'))).toBe('events[0].type');
    expect(bad((json) => (event(json).loanId = 'L9'))).toBe('events[0].loanId');
    expect(bad((json) => (event(json).at = '2026-03-16 10:00'))).toBe('events[0].at');
    expect(bad((json) => (event(json).amount = 5))).toBe('events[0].amount');
    expect(bad((json) => (json.days = 0))).toBe('days');
    expect(bad((json) => (json.policy = 7))).toBe('policy');
    expect(bad((json) => ((json.borrowers as Record<string, unknown>[])[0]!.timezone = 'Mars/Base'))).toBe(
      'borrowers[0].timezone',
    );
    expect(bad(() => undefined)).toBe('accepted');
  });
});
