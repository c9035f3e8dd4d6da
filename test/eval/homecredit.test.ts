// The Home Credit evaluation's comparison (scripts/eval-homecredit.ts) on a hand-made sample, so the suite
// never needs the data folder; when ../shared/data/homecredit exists, one more test replays it and holds
// the engine to exact agreement on every loan the data pays in full.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  comparePosCash,
  defaultDataDir,
  evaluateHomeCredit,
  readInstalmentRows,
  type InstalmentPaymentRow,
} from '../../scripts/eval-homecredit.ts';

function row(
  loanId: string,
  fields: { version?: number; number: number; dueDay: number; paidDay: number; due: string; paid: string },
): InstalmentPaymentRow {
  return {
    loanId,
    clientId: `C${loanId}`,
    version: fields.version ?? 1,
    number: fields.number,
    dueDay: fields.dueDay,
    paidDay: fields.paidDay,
    dueAmount: fields.due,
    paidAmount: fields.paid,
  };
}

const sample: InstalmentPaymentRow[] = [
  // A: early, late by 5, and a split payment completing 7 days late (three-decimal amounts, exact).
  row('A', { number: 1, dueDay: -60, paidDay: -65, due: '100.5', paid: '100.5' }),
  row('A', { number: 2, dueDay: -30, paidDay: -25, due: '100.5', paid: '100.5' }),
  row('A', { number: 3, dueDay: 0, paidDay: 2, due: '100.125', paid: '50' }),
  row('A', { number: 3, dueDay: 0, paidDay: 7, due: '100.125', paid: '50.125' }),
  // B: instalment 1 underpaid; oldest-first allocation spends instalment 2's payment on it.
  row('B', { number: 1, dueDay: -60, paidDay: -60, due: '100', paid: '60' }),
  row('B', { number: 2, dueDay: -30, paidDay: -30, due: '100', paid: '100' }),
  // C: two versions of one number; each row repeats the one payment of their sum.
  row('C', { version: 1, number: 1, dueDay: -10, paidDay: -8, due: '40', paid: '100' }),
  row('C', { version: 2, number: 1, dueDay: -10, paidDay: -8, due: '60', paid: '100' }),
  // D: credit-card instalments (version 0), two numbers on one due day.
  row('D', { version: 0, number: 1, dueDay: 5, paidDay: 5, due: '10', paid: '10' }),
  row('D', { version: 0, number: 2, dueDay: 5, paidDay: 4, due: '20', paid: '20' }),
];

describe('evaluateHomeCredit', () => {
  const evaluation = evaluateHomeCredit(sample);
  const lateness = (loanId: string, number: number) =>
    evaluation.comparisons.find((c) => c.loanId === loanId && c.number === number);

  it('reads lateness off the engine as the data has it when every instalment is paid in full', () => {
    expect(lateness('A', 1)).toMatchObject({ dataLatenessDays: -5, engineLatenessDays: 0, category: 'agree' });
    expect(lateness('A', 2)).toMatchObject({ dataLatenessDays: 5, engineLatenessDays: 5, category: 'agree' });
    expect(lateness('A', 3)).toMatchObject({ dataLatenessDays: 7, engineLatenessDays: 7, category: 'agree' });
    expect(lateness('C', 1)).toMatchObject({ dataLatenessDays: 2, engineLatenessDays: 2, category: 'agree' });
    expect(evaluation.mergedVersionRows).toBe(1);
  });

  it('names the disagreement oldest-first allocation makes after an underpayment', () => {
    expect(lateness('B', 1)).toMatchObject({
      dataLatenessDays: null,
      engineLatenessDays: 30,
      category: 'data_underpaid_engine_paid',
    });
    expect(lateness('B', 2)).toMatchObject({
      dataLatenessDays: 0,
      engineLatenessDays: null,
      category: 'engine_later_older_underpaid',
    });
  });

  it('counts per group, keeping credit-card loans apart', () => {
    const loans = evaluation.instalmentLoans;
    expect(loans).toMatchObject({
      loans: 3,
      instalments: 6,
      dataSettled: 5,
      exactAgreements: 4,
      earlyPayments: 1,
      latePayments: 3,
      fullyPaidLoans: 2,
      fullyPaidLoanInstalments: 4,
      fullyPaidLoanAgreements: 4,
    });
    expect(loans.categories).toEqual({
      agree: 4,
      both_unpaid: 0,
      engine_later_older_underpaid: 1,
      engine_later_other: 0,
      engine_earlier_prepaid: 0,
      data_underpaid_engine_paid: 1,
    });
    expect(evaluation.creditCardLoans).toMatchObject({ loans: 1, instalments: 2, exactAgreements: 2 });
    expect(evaluation.sharedDueDayInstalments).toBe(1);
  });

  it('reports the largest DPD the engine saw per loan next to the data’s own', () => {
    const byLoan = Object.fromEntries(evaluation.loans.map((l) => [l.loanId, [l.maxDpd, l.dataMaxLatenessDays]]));
    expect(byLoan).toEqual({ A: [7, 7], B: [30, 0], C: [2, 2], D: [0, 0] });
    const pos = comparePosCash(
      evaluation.loans,
      new Map([
        ['A', 7],
        ['B', 0],
        ['D', 3],
      ]),
    );
    expect(pos).toEqual({
      overlappingLoans: 3,
      bothZero: 0,
      bothPositive: 1,
      bothPositiveEqual: 1,
      engineOnlyPositive: 1,
      posOnlyPositive: 1,
    });
  });
});

const realData = existsSync(join(defaultDataDir, 'hc_subsetA_installments_payments.csv'));

describe.skipIf(!realData)('evaluateHomeCredit on ../shared/data/homecredit', () => {
  it('agrees exactly on every instalment of every loan the data pays in full', () => {
    const rows = readInstalmentRows(defaultDataDir);
    expect(rows).not.toBeNull();
    const evaluation = evaluateHomeCredit(rows ?? []);
    for (const group of [evaluation.instalmentLoans, evaluation.creditCardLoans]) {
      expect(group.fullyPaidLoanInstalments).toBeGreaterThan(0);
      expect(group.fullyPaidLoanAgreements).toBe(group.fullyPaidLoanInstalments);
      expect(group.categories.engine_later_other + group.categories.engine_earlier_prepaid).toBe(0);
    }
  });
});
