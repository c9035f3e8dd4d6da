// The portfolio reports over a book run through the real daily close: five loans opened on 2026-01-15
// (no interest, so each installment is principal only; no grace, no penalty) and closed every day through
// 2026-04-30, with payments posted as a borrower would. Each expected rate is worked out by hand below.
//
//   loan  principal  installment  pays                         31 Mar (DPD, bucket)   30 Apr
//   A     1,200.00   100.00       15 Feb, 15 Mar, 15 Apr        0   M0                 0   M0
//   B     1,200.00   100.00       nothing                       44  M2  (due 15 Feb)   74  M3
//   C     1,200.00   100.00       15 Feb                        16  M1  (due 15 Mar)   46  M2
//   D     1,200.00   100.00       15 Feb, 10 Apr, 15 Apr        16  M1                 0   M0 (cured 10 Apr)
//   E     3,000.00   250.00       15 Feb, 15 Mar                0   M0                 15  M1 (due 15 Apr)
//
// Outstanding principal on 31 Mar: A 1,000.00, B 1,200.00, C 1,100.00, D 1,100.00, E 2,500.00.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../calendar/index.ts';
import { openLoans, postPayment, runDailyClose } from '../app/index.ts';
import { parseLoanTerms } from '../schedule/index.ts';
import { parseServicingRules } from '../servicing/index.ts';
import { upsertBorrowers } from '../store/index.ts';
import { startApi, type ApiHarness } from './testing.ts';

const OPENED = '2026-01-15';
const LAST_DAY = '2026-04-30';

const payments: Record<string, [string, bigint][]> = {
  A: [
    ['2026-02-15', 10_000n],
    ['2026-03-15', 10_000n],
    ['2026-04-15', 10_000n],
  ],
  B: [],
  C: [['2026-02-15', 10_000n]],
  D: [
    ['2026-02-15', 10_000n],
    ['2026-04-10', 10_000n],
    ['2026-04-15', 10_000n],
  ],
  E: [
    ['2026-02-15', 25_000n],
    ['2026-03-15', 25_000n],
  ],
};

let h: ApiHarness;

async function get(url: string) {
  const response = await h.call({ method: 'GET', url: `/api/v1${url}`, token: h.staffTokens.supervisor });
  return { status: response.statusCode, body: response.json() as Record<string, unknown> };
}

type Rows = Record<string, unknown>[];

beforeAll(async () => {
  h = await startApi({ seed: false });
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe('reports on an empty book', () => {
  it('answer empty rows', async () => {
    const roll = await get('/reports/roll-rates?from=2026-01-31&to=2026-02-28');
    expect(roll.status).toBe(200);
    expect(roll.body.rows).toEqual([]);
    expect((await get('/reports/cure-rates')).body.rows).toEqual([]);
    expect((await get('/reports/collections-curve')).body.rows).toEqual([]);
  });
});

describe('reports on a book closed day by day', () => {
  beforeAll(async () => {
    await upsertBorrowers(
      h.db,
      Object.keys(payments).map((name) => ({
        borrowerId: `RB-${name}`,
        name: `Borrower ${name}`,
        timezone: 'Asia/Shanghai',
        locale: 'zh-CN',
        contacts: {},
      })),
    );
    const rules = parseServicingRules({ graceDays: 0 });
    await openLoans(
      h.db,
      Object.keys(payments).map((name) => ({
        loanId: `R-${name}`,
        borrowerId: `RB-${name}`,
        terms: parseLoanTerms({
          principal: name === 'E' ? '3000.00' : '1200.00',
          currency: 'CNY',
          annualRate: '0',
          termCount: 12,
          startDate: OPENED,
        }),
        rules,
        disbursedOn: OPENED,
      })),
    );
    for (let date = addDays(OPENED, 1); date <= LAST_DAY; date = addDays(date, 1)) {
      await runDailyClose({ db: h.db, businessDate: date });
      for (const [name, list] of Object.entries(payments)) {
        for (const [on, amountMinor] of list) {
          if (on !== date) continue;
          const posted = await postPayment(h.db, {
            loanId: `R-${name}`,
            amountMinor,
            on,
            source: 'manual',
            idempotencyKey: `report-test:${name}:${on}`,
          });
          expect(posted.outcome).toBe('posted');
        }
      }
    }
  }, 240_000);

  it('the close left the book where the table above says', async () => {
    const book = await get('/reports/book');
    const byBucket = Object.fromEntries(
      (book.body.rows as Rows).map((row) => [`${String(row.bucket)}/${String(row.status)}`, row.loans]),
    );
    expect(byBucket).toEqual({ 'M0/active': 2, 'M1/overdue': 1, 'M2/overdue': 1, 'M3/overdue': 1 });
  });

  it('roll rates between two dates, by loans and by outstanding principal', async () => {
    const roll = await get('/reports/roll-rates?from=2026-03-31&to=2026-04-30');
    expect(roll.status).toBe(200);
    expect(roll.body.snapshots).toEqual(['2026-03-31', '2026-04-30']);
    const rows = roll.body.rows as Rows;
    // M0 on 31 Mar: A and E; E is M1 on 30 Apr → 1/2. By balance: E's 2,500.00 of 3,500.00 = 0.714285… → 0.7143.
    expect(rows[0]).toEqual({
      from: 'M0',
      to: 'M1',
      rate: '0.5000',
      loans: 2,
      rolled: 1,
      balances: [{ currency: 'CNY', balance: '3500.00', movedBalance: '2500.00', rate: '0.7143' }],
    });
    // M1 on 31 Mar: C and D; C is M2 on 30 Apr, D cured → 1/2, and 1,100.00 of 2,200.00.
    expect(rows[1]).toMatchObject({ from: 'M1', to: 'M2', rate: '0.5000', loans: 2, rolled: 1 });
    expect((rows[1]?.balances as Rows)[0]).toMatchObject({ balance: '2200.00', rate: '0.5000' });
    // M2 on 31 Mar: B alone, M3 on 30 Apr → 1.
    expect(rows[2]).toMatchObject({ from: 'M2', to: 'M3', rate: '1.0000', loans: 1, rolled: 1 });
    // Nobody was in M3 … M6: the rows are there, without a rate.
    expect(rows.slice(3).map((row) => [row.from, row.to, row.rate, row.loans])).toEqual([
      ['M3', 'M4', null, 0],
      ['M4', 'M5', null, 0],
      ['M5', 'M6', null, 0],
      ['M6', 'M7+', null, 0],
    ]);
  });

  it('roll rates over the last month ends pool the months', async () => {
    // asOf defaults to the last completed close (30 Apr); months=6 → month ends 31 Oct 2025 … 30 Apr 2026.
    // The loans exist from 15 Jan, so three periods count:
    //   31 Jan → 28 Feb: all five M0 on 31 Jan; B (due 15 Feb, unpaid) is M1 → M0→M1 1 of 5.
    //   28 Feb → 31 Mar: M0 A, C, D, E; C and D roll → 2 of 4. M1: B → M2, 1 of 1.
    //   31 Mar → 30 Apr: as above, M0→M1 1 of 2, M1→M2 1 of 2, M2→M3 1 of 1.
    // Pooled: M0→M1 (1 + 2 + 1) / (5 + 4 + 2) = 4/11 = 0.3636…; M1→M2 (1 + 1) / (1 + 2) = 0.6667; M2→M3 1.
    const roll = await get('/reports/roll-rates');
    expect(roll.body.asOf).toBe('2026-04-30');
    expect(roll.body.snapshots).toEqual([
      '2025-10-31',
      '2025-11-30',
      '2025-12-31',
      '2026-01-31',
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
    ]);
    const rows = roll.body.rows as Rows;
    expect(rows.slice(0, 3).map((row) => [row.from, row.rate, row.rolled, row.loans])).toEqual([
      ['M0', '0.3636', 4, 11],
      ['M1', '0.6667', 2, 3],
      ['M2', '1.0000', 1, 1],
    ]);
    const periods = roll.body.periods as { startDate: string; endDate: string; rows: Rows }[];
    expect(periods).toHaveLength(6);
    expect(periods[3]).toMatchObject({ startDate: '2026-01-31', endDate: '2026-02-28' });
    expect(periods[3]?.rows[0]).toMatchObject({ from: 'M0', rate: '0.2000', loans: 5, rolled: 1 });
    // The same single month asked as months=1.
    const last = await get('/reports/roll-rates?months=1&asOf=2026-04-30');
    expect(last.body.rows).toEqual((await get('/reports/roll-rates?from=2026-03-31&to=2026-04-30')).body.rows);
  });

  it('cure rates: of the loans in each delinquent bucket, the share current again', async () => {
    const cure = await get('/reports/cure-rates?from=2026-03-31&to=2026-04-30');
    expect(cure.status).toBe(200);
    const rows = cure.body.rows as Rows;
    // M1: C and D, D paid its overdue on 10 Apr and the April installment on time → 1/2. M2: B, no → 0.
    expect(rows.map((row) => [row.bucket, row.rate, row.cured, row.loans])).toEqual([
      ['M1', '0.5000', 1, 2],
      ['M2', '0.0000', 0, 1],
      ['M3', null, 0, 0],
      ['M4', null, 0, 0],
      ['M5', null, 0, 0],
      ['M6', null, 0, 0],
      ['M7+', null, 0, 0],
    ]);
    expect((rows[0]?.balances as Rows)[0]).toEqual({
      currency: 'CNY',
      balance: '2200.00',
      movedBalance: '1100.00',
      rate: '0.5000',
    });
  });

  it('the collections curve follows each cohort of delinquencies', async () => {
    // Delinquent (no grace: the day after an unpaid due date): B 16 Feb (100.00 overdue), C and D 16 Mar
    // (100.00 each), E 16 Apr (250.00). As of 30 Apr the March cohort is 45 days old, so days 0 … 45 show:
    // D paid 100.00 on 10 Apr (day 25) and 100.00 on 15 Apr (day 30): 0 → 0.5 → 1 of 200.00.
    const curve = await get('/reports/collections-curve?maxDays=60&step=5');
    expect(curve.status).toBe(200);
    expect(curve.body.days).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60]);
    const rows = curve.body.rows as Rows;
    const march = rows.filter((row) => row.cohort === '2026-03');
    expect(march.map((row) => [row.day, row.recovered, row.recoveredRate])).toEqual([
      [0, '0.00', '0.0000'],
      [5, '0.00', '0.0000'],
      [10, '0.00', '0.0000'],
      [15, '0.00', '0.0000'],
      [20, '0.00', '0.0000'],
      [25, '100.00', '0.5000'],
      [30, '200.00', '1.0000'],
      [35, '200.00', '1.0000'],
      [40, '200.00', '1.0000'],
      [45, '200.00', '1.0000'],
    ]);
    expect(march[0]).toMatchObject({ loans: 2, overdue: '200.00', currency: 'CNY' });
    // February: B alone, 73 days old, nothing recovered through day 60.
    const february = rows.filter((row) => row.cohort === '2026-02');
    expect(february).toHaveLength(13);
    expect(new Set(february.map((row) => row.recoveredRate))).toEqual(new Set(['0.0000']));
    expect(february[0]).toMatchObject({ overdue: '100.00', loans: 1 });
    // April: E, 14 days old → days 0, 5, 10 of 250.00.
    const april = rows.filter((row) => row.cohort === '2026-04');
    expect(april.map((row) => [row.day, row.overdue, row.recoveredRate])).toEqual([
      [0, '250.00', '0.0000'],
      [5, '250.00', '0.0000'],
      [10, '250.00', '0.0000'],
    ]);
  });

  it('refuses bad queries naming the field', async () => {
    const cases: [string, string][] = [
      ['/reports/roll-rates?from=2026-02-30&to=2026-04-30', 'from'],
      ['/reports/roll-rates?from=2026-03-31', 'to'],
      ['/reports/cure-rates?to=2026-03-31', 'from'],
      ['/reports/cure-rates?from=2026-04-30&to=2026-03-31', 'to'],
      ['/reports/roll-rates?months=0', 'months'],
      ['/reports/roll-rates?asOf=yesterday', 'asOf'],
      ['/reports/collections-curve?step=0', 'step'],
      ['/reports/collections-curve?maxDays=721', 'maxDays'],
      ['/reports/collections-curve?maxDays=720&step=1', 'step'],
    ];
    for (const [url, field] of cases) {
      const answer = await get(url);
      expect([url, answer.status, answer.body.field]).toEqual([url, 400, field]);
    }
  });

  it('is for staff with reports:read only', async () => {
    const anonymous = await h.call({ method: 'GET', url: '/api/v1/reports/roll-rates' });
    expect(anonymous.statusCode).toBe(401);
    for (const role of ['admin', 'supervisor', 'collector', 'compliance'] as const) {
      const answer = await h.call({ method: 'GET', url: '/api/v1/reports/cure-rates', token: h.staffTokens[role] });
      expect([role, answer.statusCode]).toEqual([role, 200]);
    }
  });
});
