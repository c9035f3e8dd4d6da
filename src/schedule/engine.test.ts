// The schedule engine, one behaviour at a time: each method, interest basis and day count, principal
// grace, flat interest, fees, rounding modes and multiples, due dates (first due date, month ends,
// business days on China's calendar), the guards that keep the balance at or above zero, the APR and its
// exact rounding at a boundary, and the contract's JSON. Expected amounts were worked out by hand (or with
// exact fractions) from the contract's formulas, not read back from the engine.
import { describe, expect, it } from 'vitest';
import { aprUnits } from './apr.ts';
import { buildSchedule, dueDates, periodRate } from './engine.ts';
import { toScheduleJson, type ScheduleJson } from './json.ts';
import { parseLoanTerms } from './terms.ts';

const base = { principal: '10000.00', annualRate: '0.12', termCount: 12, startDate: '2026-01-15' };

function schedule(terms: Record<string, unknown>): ScheduleJson {
  return toScheduleJson(buildSchedule(parseLoanTerms({ ...base, ...terms })));
}

type Row = ScheduleJson['installments'][number];

/** [principal, interest, fee, total, balance] of each installment. */
function parts(result: ScheduleJson): string[][] {
  return result.installments.map((row: Row) => [row.principal, row.interest, row.fee, row.total, row.balance]);
}

function column(result: ScheduleJson, field: keyof Row): unknown[] {
  return result.installments.map((row) => row[field]);
}

describe('the contract example (CONTRACTS.md "Schedule")', () => {
  it('5,000.00 at 12% over 18 months, rounded to whole units: 305.00 with 255.00 principal and 488.22 interest', () => {
    const result = schedule({
      principal: '5000.00',
      currency: 'CNY',
      annualRate: '0.12',
      termCount: 18,
      startDate: '2022-11-01',
      rounding: { mode: 'half_up', installmentMultiple: '1' },
    });
    expect(result.installments[0]).toEqual({
      number: 1,
      dueDate: '2022-12-01',
      principal: '255.00',
      interest: '50.00',
      fee: '0.00',
      total: '305.00',
      balance: '4745.00',
    });
    expect(result.totals).toEqual({ principal: '5000.00', interest: '488.22', fee: '0.00', total: '5488.22' });
    // The APR is the IRR on the actual dates (CONTRACTS.md "Schedule"): the first period runs 30 days of
    // the average 30.42, so the flows come a little early and cost 12.02 % (a bisection in Python on the
    // same flows gives 0.120196). The former equal-period method printed 0.1200.
    expect(result.apr).toBe('0.1202');
  });
});

describe('equal_installment (等额本息)', () => {
  it('pays the annuity every period and lets the last take the remaining balance', () => {
    const result = schedule({ principal: '5000.00', termCount: 18 });
    expect(new Set(column(result, 'total').slice(0, -1))).toEqual(new Set(['304.91']));
    expect(parts(result)[17]).toEqual(['301.92', '3.02', '0.00', '304.94', '0.00']);
  });

  it('pays the whole principal in equal parts at a zero rate, with an APR of zero', () => {
    const result = schedule({ principal: '1000.00', annualRate: '0', termCount: 3 });
    expect(column(result, 'principal')).toEqual(['333.33', '333.33', '333.34']);
    expect(column(result, 'interest')).toEqual(['0.00', '0.00', '0.00']);
    expect(result.apr).toBe('0.0000');
  });
});

describe('equal_principal (等额本金)', () => {
  it('repays the same principal each period, interest on the falling balance, the last takes the remainder', () => {
    const result = schedule({ principal: '1000.00', termCount: 3, method: 'equal_principal' });
    expect(parts(result)).toEqual([
      ['333.33', '10.00', '0.00', '343.33', '666.67'],
      ['333.33', '6.67', '0.00', '340.00', '333.34'],
      ['333.34', '3.33', '0.00', '336.67', '0.00'],
    ]);
  });

  it('rounds principal and interest separately, so 1,000,000 over 360 months at 5.9% starts at 7,694.45', () => {
    // 2,777.78 + 4,916.67: calculators that round the unrounded sum show 7,694.44.
    const first = schedule({ principal: '1000000.00', annualRate: '0.059', termCount: 360, method: 'equal_principal' })
      .installments[0];
    expect([first?.principal, first?.interest, first?.total]).toEqual(['2777.78', '4916.67', '7694.45']);
  });

  it('rounds the principal part to the minor unit with the rounding mode, whatever the installment multiple', () => {
    // The multiple rounds equal installments only (docs/servicing.md); it used to give 333.00, 333.00, 334.00.
    const result = schedule({
      principal: '1000.00',
      termCount: 3,
      method: 'equal_principal',
      rounding: { mode: 'up', installmentMultiple: '1' },
    });
    expect(column(result, 'principal')).toEqual(['333.34', '333.34', '333.32']);
  });
});

describe('interest_only (先息后本) and bullet (到期一次还本付息)', () => {
  it('interest_only pays the interest every period and all principal with the last', () => {
    const result = schedule({ termCount: 3, method: 'interest_only' });
    expect(parts(result)).toEqual([
      ['0.00', '100.00', '0.00', '100.00', '10000.00'],
      ['0.00', '100.00', '0.00', '100.00', '10000.00'],
      ['10000.00', '100.00', '0.00', '10100.00', '0.00'],
    ]);
    // On the actual dates: 1 % a month paid over 31, 28 and 31 days (90, not 91.25) is 12.17 % a year
    // (Python bisection on the same flows: 0.121675). The equal-period method printed 0.1200.
    expect(result.apr).toBe('0.1217');
  });

  it('bullet is one installment at maturity: all principal and the simple interest of every period', () => {
    const result = schedule({ method: 'bullet' });
    expect(result.installments).toEqual([
      {
        number: 1,
        dueDate: '2027-01-15',
        principal: '10000.00',
        interest: '1200.00',
        fee: '0.00',
        total: '11200.00',
        balance: '0.00',
      },
    ]);
    expect(result.apr).toBe('0.1200');
  });

  it('bullet accrues daily interest over the whole term and charges the per-installment fee for each period', () => {
    const result = schedule({
      method: 'bullet',
      interestBasis: 'daily',
      fees: [{ kind: 'per_installment', rate: '0.006' }],
    });
    // 2026-01-15 → 2027-01-15 is 365 days: 10,000 × 0.12 × 365/365; fee 60.00 × 12 periods.
    expect(parts(result)).toEqual([['10000.00', '1200.00', '720.00', '11920.00', '0.00']]);
  });
});

describe('interest basis and day count', () => {
  it('periodic: every period carries the period rate whatever its length', () => {
    expect(column(schedule({ termCount: 3, method: 'interest_only' }), 'interest')).toEqual([
      '100.00',
      '100.00',
      '100.00',
    ]);
  });

  it('daily: balance × annual rate × actual days / 365, under the annuity of the period rate', () => {
    // Annuity at 1%: 3,400.22. Periods of 31, 28 and 31 days.
    expect(parts(schedule({ termCount: 3, interestBasis: 'daily' }))).toEqual([
      ['3298.30', '101.92', '0.00', '3400.22', '6701.70'],
      ['3338.53', '61.69', '0.00', '3400.22', '3363.17'],
      ['3363.17', '34.28', '0.00', '3397.45', '0.00'],
    ]);
  });

  it('daily on 360 days: 31 days of 10,000 at 12% is 103.33', () => {
    expect(schedule({ termCount: 1, interestBasis: 'daily', daysInYear: 360 }).installments[0]?.interest).toBe(
      '103.33',
    );
  });

  it('daily actual/actual splits a period at the new year: 17 days over 365 and 14 over 366', () => {
    const actual = schedule({ termCount: 1, startDate: '2023-12-15', interestBasis: 'daily', daysInYear: 'actual' });
    const fixed = schedule({ termCount: 1, startDate: '2023-12-15', interestBasis: 'daily', daysInYear: 365 });
    expect(actual.installments[0]?.interest).toBe('101.79');
    expect(fixed.installments[0]?.interest).toBe('101.92');
  });

  it('weekly and every-N-days period rates use 7 × every / daysInYear and every / daysInYear', () => {
    const weekly = schedule({
      annualRate: '0.0365',
      termCount: 4,
      frequency: { every: 1, unit: 'week' },
      method: 'interest_only',
    });
    expect(column(weekly, 'interest')).toEqual(['7.00', '7.00', '7.00', '7.00']);
    expect(column(weekly, 'dueDate')).toEqual(['2026-01-22', '2026-01-29', '2026-02-05', '2026-02-12']);
    expect(weekly.apr).toBe('0.0365');
    const weekly360 = schedule({
      annualRate: '0.036',
      termCount: 2,
      daysInYear: 360,
      frequency: { every: 1, unit: 'week' },
      method: 'interest_only',
    });
    expect(column(weekly360, 'interest')).toEqual(['7.00', '7.00']);
    const thirtyDays = schedule({
      annualRate: '0.0365',
      termCount: 2,
      frequency: { every: 30, unit: 'day' },
      method: 'interest_only',
    });
    expect(column(thirtyDays, 'interest')).toEqual(['30.00', '30.00']);
    expect(column(thirtyDays, 'dueDate')).toEqual(['2026-02-14', '2026-03-16']);
  });

  it('exposes the exact period rate', () => {
    expect(periodRate(parseLoanTerms({ ...base, frequency: { every: 3, unit: 'month' } }))).toEqual({
      numerator: 3n,
      denominator: 100n,
    });
    expect(
      periodRate(parseLoanTerms({ ...base, daysInYear: 'actual', frequency: { every: 2, unit: 'week' } })),
    ).toEqual({
      numerator: 42n,
      denominator: 9125n,
    });
  });
});

describe('principal grace', () => {
  it('pays interest only for the grace terms, then amortises over the rest', () => {
    const result = schedule({ principal: '12000.00', principalGraceTerms: 2 });
    expect(parts(result).slice(0, 3)).toEqual([
      ['0.00', '120.00', '0.00', '120.00', '12000.00'],
      ['0.00', '120.00', '0.00', '120.00', '12000.00'],
      ['1146.98', '120.00', '0.00', '1266.98', '10853.02'],
    ]);
    // The annuity of 12,000 at 1% over the 10 remaining periods is 1,266.98.
    expect(new Set(column(result, 'total').slice(2, -1))).toEqual(new Set(['1266.98']));
    // 0.1200 by equal periods; 0.1205 on the actual dates from 2026-01-15 (Python bisection: 0.120457).
    expect(result.apr).toBe('0.1205');
  });
});

describe('flat interest', () => {
  it('charges the original principal × period rate every period; equal installments of (principal + interest) / n', () => {
    const result = schedule({ principal: '12000.00', interestType: 'flat' });
    expect(new Set(parts(result).map((row) => row.slice(0, 4).join(' ')))).toEqual(
      new Set(['1000.00 120.00 0.00 1120.00']),
    );
    // A 12% flat rate costs about 21.5% a year by the IRR method: 0.2146 by equal periods, 0.2155 on the
    // actual dates from 2026-01-15 (Python bisection on the same flows: 0.215488).
    expect(result.apr).toBe('0.2155');
  });

  it('keeps charging flat interest under equal principal', () => {
    const result = schedule({ principal: '12000.00', interestType: 'flat', method: 'equal_principal' });
    expect(new Set(column(result, 'interest'))).toEqual(new Set(['120.00']));
    expect(column(result, 'principal')[11]).toBe('1000.00');
  });
});

describe('fees', () => {
  it('adds a per-installment fee (rate × original principal, or a fixed amount) to every installment', () => {
    const result = schedule({
      principal: '5000.00',
      termCount: 18,
      fees: [
        { kind: 'per_installment', rate: '0.006', base: 'principal' },
        { kind: 'per_installment', amount: '1.50' },
      ],
    });
    expect(new Set(column(result, 'fee'))).toEqual(new Set(['31.50']));
    expect(result.installments[0]?.total).toBe('336.41');
    expect(result.totals.fee).toBe('567.00');
    expect(result.totals.total).toBe('6055.41');
  });

  it('deducts an upfront fee at disbursement: not in the installments, but in the APR', () => {
    const withFee = schedule({ principal: '5000.00', termCount: 18, fees: [{ kind: 'upfront', amount: '100.00' }] });
    const without = schedule({ principal: '5000.00', termCount: 18 });
    expect(withFee.installments).toEqual(without.installments);
    expect(withFee.netDisbursed).toBe('4900.00');
    // On the actual dates from 2026-01-15 (Python bisection: 0.120393 and 0.147118); by equal periods
    // these were 0.1200 and 0.1466.
    expect(without.apr).toBe('0.1204');
    expect(withFee.apr).toBe('0.1471');
  });

  it('prices the contract example’s fees: 30.00 a month and 100.00 upfront', () => {
    const result = schedule({
      principal: '5000.00',
      termCount: 18,
      startDate: '2022-11-01',
      fees: [
        { kind: 'per_installment', rate: '0.006', base: 'principal' },
        { kind: 'upfront', amount: '100.00' },
      ],
    });
    expect(result.installments[0]?.total).toBe('334.91');
    // 0.2735 by equal periods; on the actual dates from 2022-11-01 0.2740 (Python bisection: 0.273963).
    expect(result.apr).toBe('0.2740');
  });
});

describe('rounding of the installment', () => {
  const loan = { principal: '5000.00', termCount: 18 };
  it.each([
    ['half_up', '0.01', '304.91'],
    ['half_even', '0.01', '304.91'],
    ['up', '0.01', '304.92'],
    ['down', '0.01', '304.91'],
    ['half_up', '0.10', '304.90'],
    ['up', '1', '305.00'],
    ['down', '1', '304.00'],
    ['half_up', '10', '300.00'],
  ])('%s to a multiple of %s gives %s', (mode, installmentMultiple, installment) => {
    const result = schedule({ ...loan, rounding: { mode, installmentMultiple } });
    expect(result.installments[0]?.total).toBe(installment);
    expect(result.totals.principal).toBe('5000.00');
    expect(result.installments.at(-1)?.balance).toBe('0.00');
  });

  it('formats currencies without minor units and with three', () => {
    const yen = schedule({ principal: '120000', currency: 'JPY', termCount: 12, method: 'equal_principal' });
    expect(yen.installments[0]).toMatchObject({
      principal: '10000',
      interest: '1200',
      total: '11200',
      balance: '110000',
    });
    const dinar = schedule({ principal: '1000.000', currency: 'KWD', termCount: 3 });
    expect(dinar.installments[0]?.total).toBe('340.022');
  });
});

describe('guards that keep the balance at or above zero', () => {
  it('refuses a coarse round-up that repays the loan early; a servicing rebuild allowed it stops charging', () => {
    const terms = { ...base, principal: '1500.00', rounding: { mode: 'up', installmentMultiple: '1000' } };
    expect(() => buildSchedule(parseLoanTerms(terms))).toThrow(
      'rounding.installmentMultiple: repays the loan by installment 2 and leaves installments 3–12 at 0.00',
    );
    const result = toScheduleJson(buildSchedule(parseLoanTerms(terms), { degenerate: 'allow' }));
    expect(parts(result).slice(0, 3)).toEqual([
      ['985.00', '15.00', '0.00', '1000.00', '515.00'],
      ['515.00', '5.15', '0.00', '520.15', '0.00'],
      ['0.00', '0.00', '0.00', '0.00', '0.00'],
    ]);
    expect(result.totals.principal).toBe('1500.00');
  });

  it('takes no principal (rather than a negative part) when a long first period’s interest exceeds the installment', () => {
    // 300 days of 1,000 at 100%: 821.92 of interest against an installment of 135.00.
    const result = schedule({
      principal: '1000.00',
      annualRate: '1',
      startDate: '2026-01-01',
      firstDueDate: '2026-10-28',
      interestBasis: 'daily',
    });
    expect(parts(result)[0]).toEqual(['0.00', '821.92', '0.00', '821.92', '1000.00']);
    expect(result.installments[1]?.total).toBe('135.00');
    expect(result.installments.at(-1)?.balance).toBe('0.00');
  });
});

describe('due dates', () => {
  const datesOf = (terms: Record<string, unknown>): string[] => dueDates(parseLoanTerms({ ...base, ...terms }));

  it('steps months from the start date, clamping to the month end without drifting', () => {
    expect(datesOf({ startDate: '2026-01-31', termCount: 5 })).toEqual([
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
      '2026-05-31',
      '2026-06-30',
    ]);
    expect(datesOf({ startDate: '2024-01-31', termCount: 2 })).toEqual(['2024-02-29', '2024-03-31']);
    expect(datesOf({ startDate: '2026-01-15', termCount: 3, frequency: { every: 3, unit: 'month' } })).toEqual([
      '2026-04-15',
      '2026-07-15',
      '2026-10-15',
    ]);
  });

  it('lets firstDueDate override the first date, the rest stepping from it with its day of month', () => {
    expect(datesOf({ startDate: '2026-01-10', firstDueDate: '2026-02-28', termCount: 4 })).toEqual([
      '2026-02-28',
      '2026-03-28',
      '2026-04-28',
      '2026-05-28',
    ]);
    expect(
      datesOf({
        startDate: '2026-01-10',
        firstDueDate: '2026-01-20',
        termCount: 3,
        frequency: { every: 2, unit: 'week' },
      }),
    ).toEqual(['2026-01-20', '2026-02-03', '2026-02-17']);
  });

  it('moves a due date off China’s National Day holidays with "following", without shifting later dates', () => {
    // 2026-10-01 … 10-07 are holidays (10-08 is the first working day); 2026-11-01 is a Sunday.
    const terms = { startDate: '2026-09-01', termCount: 3, businessDay: { convention: 'following', calendar: 'CN' } };
    expect(datesOf(terms)).toEqual(['2026-10-08', '2026-11-02', '2026-12-01']);
    expect(datesOf({ ...terms, businessDay: { convention: 'preceding', calendar: 'CN' } })).toEqual([
      '2026-09-30',
      '2026-10-30',
      '2026-12-01',
    ]);
  });

  it('keeps "modified_following" inside the month at a month end', () => {
    // 2026-01-31 is a Saturday: the next business day is in February, so it moves back to Friday the 30th.
    expect(
      datesOf({
        startDate: '2025-12-31',
        termCount: 1,
        businessDay: { convention: 'modified_following', calendar: 'CN' },
      }),
    ).toEqual(['2026-01-30']);
  });

  it('refuses a China-calendar schedule reaching past the holiday data, naming businessDay.calendar', () => {
    // chinese-days covers 2004–2026: in 2027 it knows weekends only, so New Year's Day would stay a due date.
    expect(() => datesOf({ startDate: '2026-02-01', termCount: 12, businessDay: { calendar: 'CN' } })).toThrow(
      /^businessDay\.calendar: CN covers 2004–2026; 2027-01-01 \(installment 11\) is outside it/,
    );
    // Acknowledged: the 2027 dates are adjusted for weekends only (2027-01-01 is a Friday, kept).
    const acknowledged = datesOf({
      startDate: '2026-02-01',
      termCount: 12,
      businessDay: { calendar: 'CN', beyondCalendar: 'weekends_only' },
    });
    expect(acknowledged.slice(-2)).toEqual(['2027-01-01', '2027-02-01']);
    expect(() =>
      datesOf({ startDate: '2026-02-01', termCount: 1, businessDay: { calendar: 'CN', beyondCalendar: 'maybe' } }),
    ).toThrow(/^businessDay\.beyondCalendar: must be one of refuse, weekends_only/);
    // Calendars built from rules (date-holidays) cover every year.
    expect(datesOf({ startDate: '2030-02-01', termCount: 1, businessDay: { calendar: 'US' } })).toEqual(['2030-03-01']);
  });

  it('accrues daily interest over the adjusted dates', () => {
    const result = schedule({
      startDate: '2026-09-01',
      termCount: 3,
      method: 'interest_only',
      interestBasis: 'daily',
      businessDay: { convention: 'following', calendar: 'CN' },
    });
    // 37, 25 and 29 days of 10,000 at 12% / 365.
    expect(column(result, 'interest')).toEqual(['121.64', '82.19', '95.34']);
  });
});

describe('APR by the IRR method', () => {
  const monthly = { numerator: 12n, denominator: 1n };

  it('settles a rate exactly on a rounding boundary half-up, and one a hair away on its own side', () => {
    // One month, 1.02875% a month = 12.345% a year, exactly on the boundary between 0.1234 and 0.1235.
    expect(aprUnits({ netDisbursedMinor: 10_000_000n, totalsMinor: [10_102_875n], periodsPerYear: monthly })).toBe(
      1235,
    );
    const net = 1_000_000_000_000n;
    expect(aprUnits({ netDisbursedMinor: net, totalsMinor: [1_010_287_499_999n], periodsPerYear: monthly })).toBe(1234);
    expect(aprUnits({ netDisbursedMinor: net, totalsMinor: [1_010_287_500_001n], periodsPerYear: monthly })).toBe(1235);
  });

  it('is negative when less comes back than went out', () => {
    expect(aprUnits({ netDisbursedMinor: 10000n, totalsMinor: [9900n], periodsPerYear: monthly })).toBe(-1200);
  });

  it('annualises a weekly loan over 365/7 weeks', () => {
    const result = schedule({ annualRate: '0.18', termCount: 26, frequency: { every: 1, unit: 'week' } });
    expect(result.apr).toBe('0.1800');
  });
});

describe('Schedule JSON', () => {
  it('keeps the contract’s key order (aprEffective after apr) and adds currency and netDisbursed after it', () => {
    const result = schedule({ termCount: 1 });
    expect(Object.keys(result)).toEqual(['installments', 'totals', 'apr', 'aprEffective', 'currency', 'netDisbursed']);
    expect(Object.keys(result.installments[0] ?? {})).toEqual([
      'number',
      'dueDate',
      'principal',
      'interest',
      'fee',
      'total',
      'balance',
    ]);
    expect(Object.keys(result.totals)).toEqual(['principal', 'interest', 'fee', 'total']);
    expect(result.currency).toBe('CNY');
  });
});
