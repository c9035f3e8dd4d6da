// Recoveries in the simulator: a payment on a charged-off loan prints a `payment` line in the contract's
// shape (result "posted", the four-part allocation) marked with the optional `"recovery": true`, and a
// loan whose written-off balance is fully recovered shows `closed` from that day on.
// The loan: 5,000.00 at 12 % over 18 months from 2026-02-15 (304.91 a month, 254.91 principal + 50.00
// interest first), never paid, charged off at 30 DPD on 2026-04-14. Written off, worked by hand:
// 5,000.00 principal + 50.00 interest (installment 1) + 3.82 penalty (254.91 × 0.18 / 360 × 30 days =
// 3.8237) = 5,053.82. After a 100.00 recovery (all principal), 4,953.82 is left.
import { describe, expect, it } from 'vitest';
import { parseScenario, runScenario, type LoanDayLine, type PaymentLine, type SimulationLine } from './index.ts';

function scenario(events: unknown[]): Record<string, unknown> {
  return {
    start: '2026-04-10',
    days: 20,
    policy: 'cn-2026',
    strategy: { steps: [] },
    borrowers: [{ id: 'B1', timezone: 'Asia/Shanghai', locale: 'zh-CN', contacts: { sms: '+8613800000001' } }],
    loans: [
      {
        id: 'L1',
        borrowerId: 'B1',
        terms: { principal: '5000.00', currency: 'CNY', annualRate: '0.12', termCount: 18, startDate: '2026-02-15' },
        servicing: { graceDays: 3, penaltyAnnualRate: '0.18', autoDebit: false, chargeOffDpd: 30 },
      },
    ],
    events,
  };
}

const payments = (lines: SimulationLine[]): PaymentLine[] =>
  lines.filter((line): line is PaymentLine => line.kind === 'payment');
const statusOn = (lines: SimulationLine[], date: string): string | undefined =>
  lines.find((line): line is LoanDayLine => line.kind === 'loan_day' && line.date === date)?.status;

describe('simulate: recoveries on a charged-off loan', () => {
  it('prints recoveries as posted payments marked recovery, and closes the loan when all is recovered', async () => {
    const lines = await runScenario(
      parseScenario(
        scenario([
          { at: '2026-04-20T10:00:00+08:00', type: 'payment', loanId: 'L1', amount: '100.00' },
          { at: '2026-04-21T10:00:00+08:00', type: 'payment', loanId: 'L1', amount: '4953.83' },
          { at: '2026-04-22T10:00:00+08:00', type: 'payment', loanId: 'L1', amount: '4953.82' },
          { at: '2026-04-23T10:00:00+08:00', type: 'payment', loanId: 'L1', amount: '1.00' },
        ]),
      ),
    );
    expect(statusOn(lines, '2026-04-13')).toBe('overdue');
    expect(statusOn(lines, '2026-04-14')).toBe('charged_off');
    const [first, tooMuch, rest, afterClose] = payments(lines);
    expect(first).toEqual({
      kind: 'payment',
      at: '2026-04-20T10:00:00+08:00',
      loanId: 'L1',
      amount: '100.00',
      source: 'manual',
      result: 'posted',
      allocation: { penalty: '0.00', fee: '0.00', interest: '0.00', principal: '100.00' },
      recovery: true,
    });
    // One cent more than is still written off is refused, like any payment beyond what is owed.
    expect(tooMuch).toMatchObject({ result: 'payment_exceeds_outstanding' });
    expect(tooMuch?.recovery).toBeUndefined();
    // 4,900.00 principal + 50.00 interest + 3.82 penalty.
    expect(rest).toMatchObject({
      result: 'posted',
      recovery: true,
      allocation: { penalty: '3.82', fee: '0.00', interest: '50.00', principal: '4900.00' },
    });
    expect(statusOn(lines, '2026-04-21')).toBe('charged_off');
    expect(statusOn(lines, '2026-04-22')).toBe('closed');
    expect(statusOn(lines, '2026-04-29')).toBe('closed');
    expect(afterClose).toMatchObject({ result: 'loan_closed' });
  });
});
