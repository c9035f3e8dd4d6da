// Properties of every schedule, checked on random loan terms (fast-check): the principal parts sum to the
// principal exactly, the balance never goes below zero and ends at zero, the totals are the column sums;
// a schedule that rounding makes degenerate is refused (and only then), so no accepted amortising schedule
// has an installment left at zero; flat interest totals principal × rate × term exactly; equal
// installments are equal but for the last; equal-principal totals never rise; a fee-free loan on equal
// day or week periods has an APR equal to its nominal rate (× 365 / daysInYear); an upfront fee raises
// the APR.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromEpochDay, toEpochDay } from '../calendar/index.ts';
import { InputError } from '../errors/index.ts';
import { divideRounded, type RoundingMode } from '../money/index.ts';
import { buildSchedule, periodRate } from './engine.ts';
import { parseLoanTerms } from './terms.ts';
import type { Schedule } from './types.ts';

const numRuns = 250;

/** A major-unit decimal string with two places from minor units. */
function major(minor: bigint): string {
  const text = minor.toString().padStart(3, '0');
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
}

/** A rate string with four decimals from basis points of a percent (1200 → "0.1200"). */
function rate(tenThousandths: number): string {
  return (tenThousandths / 10000).toFixed(4);
}

const startDay = toEpochDay('2000-01-01');
const startDate = fc.integer({ min: 0, max: 365 * 30 }).map((offset) => fromEpochDay(startDay + offset));
const frequency = fc.oneof(
  fc.record({ every: fc.integer({ min: 1, max: 3 }), unit: fc.constant('month') }),
  fc.record({ every: fc.integer({ min: 1, max: 2 }), unit: fc.constant('week') }),
  fc.record({ every: fc.integer({ min: 1, max: 30 }), unit: fc.constant('day') }),
);

interface TermsJson extends Record<string, unknown> {
  principal: string;
  annualRate: string;
  termCount: number;
  principalGraceTerms: number;
  frequency: { every: number; unit: string };
  daysInYear: number | string;
  method: string;
  interestBasis: string;
  rounding: { mode: string; installmentMultiple: string; interestMode: string };
  fees: object[];
}

const anyTerms: fc.Arbitrary<TermsJson> = fc
  .record({
    principalMinor: fc.bigInt({ min: 10_000n, max: 1_000_000_000n }),
    rateUnits: fc.integer({ min: 0, max: 3600 }),
    termCount: fc.integer({ min: 1, max: 60 }),
    graceShare: fc.double({ min: 0, max: 0.5, noNaN: true }),
    frequency,
    startDate,
    method: fc.constantFrom('equal_installment', 'equal_principal', 'interest_only', 'bullet'),
    interestType: fc.constantFrom('declining', 'flat'),
    interestBasis: fc.constantFrom('periodic', 'daily'),
    daysInYear: fc.constantFrom(360, 364, 365, 'actual'),
    mode: fc.constantFrom('half_up', 'half_even', 'up', 'down'),
    interestMode: fc.constantFrom('half_up', 'half_even', 'up', 'down'),
    installmentMultiple: fc.constantFrom('0.01', '0.10', '1', '100'),
    feeRateUnits: fc.integer({ min: 0, max: 100 }),
  })
  .map((t) => ({
    principal: major(t.principalMinor),
    annualRate: rate(t.rateUnits),
    termCount: t.termCount,
    principalGraceTerms: Math.floor(t.graceShare * (t.termCount - 1)),
    frequency: t.frequency,
    startDate: t.startDate,
    method: t.method,
    interestType: t.interestType,
    interestBasis: t.interestBasis,
    daysInYear: t.daysInYear,
    rounding: { mode: t.mode, installmentMultiple: t.installmentMultiple, interestMode: t.interestMode },
    fees: t.feeRateUnits === 0 ? [] : [{ kind: 'per_installment', rate: rate(t.feeRateUnits) }],
  }));

function build(terms: Record<string, unknown>): Schedule {
  return buildSchedule(parseLoanTerms(terms));
}

/** The schedule, or undefined when it is refused as degenerate (any other error is rethrown). */
function buildOrRefuse(terms: Record<string, unknown>): Schedule | undefined {
  try {
    return build(terms);
  } catch (error) {
    if (error instanceof InputError && refusalFields.has(error.field)) return undefined;
    throw error;
  }
}

const refusalFields = new Set(['rounding.installmentMultiple', 'rounding.mode', 'termCount']);

/**
 * Whether a schedule built without refusal is degenerate, judged from its rows alone: an amortising
 * installment after the balance was repaid, a final total above twice the first amortising one, or an
 * equal installment that pays no principal in a period of the nominal length.
 */
function looksDegenerate(terms: TermsJson, schedule: Schedule): boolean {
  if (terms.method === 'bullet' || terms.method === 'interest_only') return false;
  const rows = schedule.installments;
  const repaidAt = rows.findIndex((row) => row.balanceMinor === 0n);
  if (repaidAt < rows.length - 1) return true;
  const grace = terms.principalGraceTerms;
  const first = rows[grace];
  const last = rows.at(-1);
  if (!first || !last || rows.length - grace < 2) return false;
  if (last.totalMinor > 2n * first.totalMinor) return true;
  return terms.method === 'equal_installment' && terms.interestBasis === 'periodic' && first.principalMinor === 0n;
}

describe('every schedule', () => {
  it('repays the principal exactly, never lets the balance go negative, ends at zero, and sums its totals', () => {
    fc.assert(
      fc.property(anyTerms, (terms) => {
        const schedule = buildOrRefuse(terms);
        if (schedule === undefined) return;
        const principal = BigInt(terms.principal.replace('.', ''));
        let balance = principal;
        const sums = { principalMinor: 0n, interestMinor: 0n, feeMinor: 0n, totalMinor: 0n };
        let previousDue = '';
        for (const row of schedule.installments) {
          balance -= row.principalMinor;
          expect(row.balanceMinor).toBe(balance);
          expect(balance >= 0n).toBe(true);
          expect(row.principalMinor >= 0n && row.interestMinor >= 0n).toBe(true);
          expect(row.totalMinor).toBe(row.principalMinor + row.interestMinor + row.feeMinor);
          expect(row.dueDate > previousDue).toBe(true);
          previousDue = row.dueDate;
          sums.principalMinor += row.principalMinor;
          sums.interestMinor += row.interestMinor;
          sums.feeMinor += row.feeMinor;
          sums.totalMinor += row.totalMinor;
        }
        expect(sums.principalMinor).toBe(principal);
        expect(balance).toBe(0n);
        expect(schedule.totals).toEqual(sums);
        expect(schedule.installments.length).toBe(terms.method === 'bullet' ? 1 : terms.termCount);
      }),
      { numRuns },
    );
  });

  it('is refused exactly when rounding leaves it degenerate, and an accepted one has no zero installment', () => {
    fc.assert(
      fc.property(anyTerms, (terms) => {
        const parsed = parseLoanTerms(terms);
        const allowed = buildSchedule(parsed, { degenerate: 'allow' });
        const accepted = buildOrRefuse(terms);
        if (accepted === undefined) {
          // A refusal must point at a real defect of the schedule it would have printed.
          expect(looksDegenerate(terms, allowed)).toBe(true);
          return;
        }
        expect(accepted).toEqual(allowed);
        const amortising = terms.method === 'equal_installment' || terms.method === 'equal_principal';
        if (!amortising) return;
        for (const row of accepted.installments.slice(terms.principalGraceTerms)) {
          expect(row.principalMinor + row.interestMinor > 0n).toBe(true);
        }
      }),
      { numRuns },
    );
  });
});

describe('flat interest', () => {
  it('totals round(principal × period rate × term) exactly, whatever the rounding of each period', () => {
    const flat = anyTerms.map((terms) => ({ ...terms, interestType: 'flat', interestBasis: 'periodic' }));
    fc.assert(
      fc.property(flat, (terms) => {
        const schedule = buildOrRefuse(terms);
        if (schedule === undefined) return;
        const parsed = parseLoanTerms(terms);
        const rate = periodRate(parsed);
        const expected = divideRounded(
          parsed.principalMinor * rate.numerator * BigInt(parsed.termCount),
          rate.denominator,
          terms.rounding.interestMode as RoundingMode,
        );
        expect(schedule.totals.interestMinor).toBe(expected);
      }),
      { numRuns },
    );
  });
});

describe('equal installments', () => {
  // Rounding up can repay a small loan a period early (the rows after it are then zero), so the rows
  // compared are those from the end of grace up to, not including, the one that clears the balance.
  it('are equal from the end of the grace terms to the one that repays the loan, which may differ', () => {
    const periodic = anyTerms.map((terms) => ({
      ...terms,
      method: 'equal_installment',
      interestBasis: 'periodic',
      rounding: { ...terms.rounding, installmentMultiple: '0.01' },
    }));
    fc.assert(
      fc.property(periodic, (terms) => {
        const rows = buildOrRefuse(terms)?.installments;
        if (rows === undefined) return;
        const grace = terms.principalGraceTerms;
        const repaidAt = rows.findIndex((row) => row.balanceMinor === 0n);
        const amortising = rows.slice(grace, repaidAt).map((row) => row.totalMinor);
        expect(new Set(amortising).size <= 1).toBe(true);
        for (const row of rows.slice(0, grace)) expect(row.principalMinor).toBe(0n);
      }),
      { numRuns },
    );
  });
});

describe('equal principal', () => {
  it('has totals that never rise on the periodic declining basis (the last may round its remainder up)', () => {
    const declining = anyTerms.map((terms) => ({
      ...terms,
      method: 'equal_principal',
      interestType: 'declining',
      interestBasis: 'periodic',
      principalGraceTerms: 0,
    }));
    fc.assert(
      fc.property(declining, (terms) => {
        const rows = buildOrRefuse(terms)?.installments;
        if (rows === undefined) return;
        for (let k = 1; k < rows.length; k += 1) {
          const before = rows[k - 1];
          const now = rows[k];
          if (!before || !now) continue;
          expect(now.interestMinor <= before.interestMinor).toBe(true);
          if (k < rows.length - 1) expect(now.totalMinor <= before.totalMinor).toBe(true);
        }
      }),
      { numRuns },
    );
  });
});

describe('APR', () => {
  // Large principals keep the cent rounding of each period's interest far below 0.0001 a year.
  const feeFree = anyTerms.map((terms) => ({
    ...terms,
    principal: major(BigInt(terms.principal.replace('.', '')) * 100n + 10_000_000n),
    interestType: 'declining',
    interestBasis: 'periodic',
    fees: [],
  }));

  // Day and week periods are all the same length, so the IRR on the actual dates is the periodic rate; it
  // is annualised over 365 days whatever daysInYear the interest uses. (Months of 28–31 days move a
  // monthly loan's APR off its nominal rate: see the golden tests.)
  const equalPeriods = feeFree.filter((terms) => terms.frequency.unit !== 'month');

  it('of a fee-free declining loan on equal day or week periods is its rate × 365 / daysInYear within 0.0001', () => {
    fc.assert(
      fc.property(equalPeriods, (terms) => {
        const schedule = buildOrRefuse(terms);
        if (schedule === undefined) return;
        const daysInYear = terms.daysInYear === 'actual' ? 365 : Number(terms.daysInYear);
        const expected = (Number(terms.annualRate) * 365) / daysInYear;
        expect(Math.abs(Number(schedule.apr) - expected)).toBeLessThanOrEqual(0.0001 + 1e-9);
      }),
      { numRuns },
    );
  });

  it('is the effective rate expressed per period × periods per year', () => {
    fc.assert(
      fc.property(anyTerms, (terms) => {
        const schedule = buildOrRefuse(terms);
        if (schedule === undefined) return;
        const { every, unit } = terms.frequency;
        const perPeriod = unit === 'month' ? 12 / every : unit === 'week' ? 365 / (7 * every) : 365 / every;
        const perYear = terms.method === 'bullet' ? perPeriod / terms.termCount : perPeriod;
        // aprEffective is itself rounded to 0.0001: the nominal rate lies between those of its bounds.
        const nominal = (effective: number): number => perYear * ((1 + effective) ** (1 / perYear) - 1);
        const effective = Number(schedule.aprEffective);
        const apr = Number(schedule.apr);
        expect(apr).toBeGreaterThanOrEqual(nominal(effective - 0.00005) - 0.00005 - 1e-9);
        expect(apr).toBeLessThanOrEqual(nominal(effective + 0.00005) + 0.00005 + 1e-9);
      }),
      { numRuns },
    );
  });

  it('rises with an upfront fee', () => {
    fc.assert(
      fc.property(anyTerms, fc.integer({ min: 100, max: 2000 }), (terms, feeBasisPoints) => {
        const principalMinor = BigInt(terms.principal.replace('.', ''));
        const upfront = { kind: 'upfront', amount: major((principalMinor * BigInt(feeBasisPoints)) / 10_000n) };
        const without = buildOrRefuse(terms);
        if (without === undefined) return;
        const withFee = build({ ...terms, fees: [...terms.fees, upfront] });
        expect(Number(withFee.apr)).toBeGreaterThan(Number(without.apr));
      }),
      { numRuns },
    );
  });
});
