// The schedule engine's throughput: equal-installment loans of 12 and 360 monthly installments, with
// building (which includes the APR), the APR alone, the JSON conversion alone, and the whole CLI path
// (parse LoanTerms → build → JSON text) measured separately.
import {
  annualPercentageRate,
  buildSchedule,
  parseLoanTerms,
  periodsPerYear,
  toScheduleJson,
  type LoanTerms,
} from '../../src/schedule/index.ts';
import type { Benchmark } from '../registry.ts';
import { measure } from '../harness.ts';

function termsJson(termCount: number): Record<string, unknown> {
  return {
    principal: '50000.00',
    currency: 'CNY',
    annualRate: '0.1235',
    termCount,
    frequency: { every: 1, unit: 'month' },
    startDate: '2026-01-31', // a month-end anchor, so every due date goes through clamping
    method: 'equal_installment',
    fees: [{ kind: 'per_installment', rate: '0.002', base: 'principal' }],
  };
}

export const scheduleBench: Benchmark = {
  name: 'schedule',
  summary: 'schedules per second: 12 and 360 equal installments (build, APR, JSON, whole CLI path)',
  async run({ measureOptions, report }) {
    for (const installments of [12, 360]) {
      const json = termsJson(installments);
      const terms: LoanTerms = parseLoanTerms(json);
      const schedule = buildSchedule(terms);
      const aprInput = {
        netDisbursedMinor: schedule.netDisbursedMinor,
        totalsMinor: schedule.installments.map((row) => row.totalMinor),
        periodsPerYear: periodsPerYear(terms),
      };
      const cases: [string, () => unknown][] = [
        ['build', () => buildSchedule(terms)],
        ['apr', () => annualPercentageRate(aprInput)],
        ['json', () => toScheduleJson(schedule)],
        ['parse+build+json', () => JSON.stringify(toScheduleJson(buildSchedule(parseLoanTerms(json))))],
      ];
      for (const [name, fn] of cases) {
        report({
          bench: 'schedule',
          case: name,
          params: { installments },
          unit: 'schedules',
          measurement: measure(fn, measureOptions),
        });
      }
    }
  },
};
