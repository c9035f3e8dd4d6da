// The borrower's view of a charged-off loan over HTTP (docs/decisions/0003): no next due date, what is
// still owed counts only what the charge-off wrote off (interest of later periods was never charged),
// penalty has stopped, and a payment is applied principal first while the rest stays owed and shown.
// Also the loan detail's penalty rate when it is a multiple of the contract rate.
// Loan LC1 (borrower B1, 5,000.00 at 12 % over 12 months from 2026-01-05, penalty 1.5 × the contract
// rate, charge-off at 30 DPD) is never paid: installment 1 (due 2026-02-05) reaches 30 DPD on 2026-03-07.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLoans, runDailyClose } from '../app/index.ts';
import { parseLoanTerms } from '../schedule/index.ts';
import { parseServicingRules } from '../servicing/index.ts';
import { loanTerms, startApi, type ApiHarness } from './testing.ts';

let h: ApiHarness;

beforeAll(async () => {
  h = await startApi();
  await openLoans(h.db, [
    {
      loanId: 'LC1',
      borrowerId: 'B1',
      terms: parseLoanTerms(loanTerms('2026-01-05')),
      rules: parseServicingRules({ graceDays: 3, penaltyRateMultiple: '1.5', chargeOffDpd: 30 }),
      disbursedOn: '2026-01-05',
    },
  ]);
  await runDailyClose({ db: h.db, businessDate: '2026-03-10' });
});
afterAll(async () => h.close());

interface LoanView {
  status: string;
  nextDue: unknown;
  penaltyAnnualRate: string;
  penaltyRateMultiple?: string;
  outstanding: Record<'principal' | 'interest' | 'fee' | 'penalty' | 'total', string>;
  summary: { penalty: string };
  chargedOff?: {
    on: string;
    owed: Record<'principal' | 'interest' | 'fee' | 'penalty' | 'total', string>;
    recovered: string;
    paymentOrder: string[];
  };
}

async function view(loanId: string): Promise<LoanView> {
  const response = await h.call({ method: 'GET', url: `/api/v1/loans/${loanId}`, token: h.borrowerTokens.B1 });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as LoanView;
}

async function interestDueBy(loanId: string, date: string): Promise<string> {
  const response = await h.call({ method: 'GET', url: `/api/v1/loans/${loanId}/schedule`, token: h.borrowerTokens.B1 });
  const rows = (response.json() as { installments: { dueDate: string; interest: string }[] }).installments;
  const cents = rows
    .filter((row) => row.dueDate <= date)
    .reduce((sum, row) => sum + Math.round(Number(row.interest) * 100), 0);
  return (cents / 100).toFixed(2);
}

describe('a charged-off loan as the borrower sees it', () => {
  it('has no next due date, owes what was written off, and says penalty stopped on the charge-off date', async () => {
    const loan = await view('LC1');
    expect(loan.status).toBe('charged_off');
    expect(loan.nextDue).toBeNull();
    expect(loan.chargedOff).toMatchObject({
      on: '2026-03-07',
      recovered: '0.00',
      paymentOrder: ['principal', 'interest', 'fee', 'penalty'],
    });
    // Only installments 1 and 2 (due by 2026-03-07) had their interest charged; later periods' is not owed.
    expect(loan.outstanding.interest).toBe(await interestDueBy('LC1', '2026-03-07'));
    expect(loan.outstanding).toEqual(loan.chargedOff?.owed);
    expect(loan.outstanding.principal).toBe('5000.00');
    expect(Number(loan.outstanding.penalty)).toBeGreaterThan(0);
    // Nothing accrues after the charge-off.
    await runDailyClose({ db: h.db, businessDate: '2026-04-10' });
    expect((await view('LC1')).chargedOff?.owed).toEqual(loan.chargedOff?.owed);
  });

  it('applies a payment principal first and still shows the interest and penalty owed', async () => {
    const before = await view('LC1');
    const paid = await h.call({
      method: 'POST',
      url: '/api/v1/loans/LC1/payments',
      token: h.staffTokens.collector,
      payload: { amount: '100.00', on: '2026-04-10' },
      headers: { 'idempotency-key': 'charged-off-1' },
    });
    expect(paid.statusCode, paid.body).toBe(201);
    expect(paid.json()).toMatchObject({ allocation: { principal: '100.00', interest: '0.00', penalty: '0.00' } });
    const after = await view('LC1');
    expect(after.nextDue).toBeNull();
    expect(after.chargedOff).toMatchObject({
      recovered: '100.00',
      owed: {
        principal: '4900.00',
        interest: before.chargedOff?.owed.interest,
        penalty: before.chargedOff?.owed.penalty,
        total: (Number(before.chargedOff?.owed.total) - 100).toFixed(2),
      },
    });
  });

  it('a loan that is not charged off has no chargedOff part', async () => {
    const loan = await view('L1');
    expect(loan.status).not.toBe('charged_off');
    expect(loan.chargedOff).toBeUndefined();
  });
});

describe('the penalty rate in the loan detail', () => {
  it('shows the rate in force for a multiple of the contract rate (1.5 × 12 % = 18 %), and the multiple', async () => {
    const loan = await view('LC1');
    expect(loan.penaltyAnnualRate).toBe('0.18');
    expect(loan.penaltyRateMultiple).toBe('1.50');
    const absolute = await view('L1');
    expect(absolute.penaltyAnnualRate).toBe('0.18');
    expect(absolute.penaltyRateMultiple).toBeUndefined();
  });
});

describe('schedules past the holiday calendar', () => {
  it('POST /schedules refuses China-calendar terms reaching past the data, naming businessDay.calendar', async () => {
    const response = await h.call({
      method: 'POST',
      url: '/api/v1/schedules',
      token: h.borrowerTokens.B1,
      payload: { ...loanTerms('2026-02-01'), businessDay: { convention: 'following', calendar: 'CN' } },
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toMatchObject({ field: 'businessDay.calendar' });
    expect((response.json() as { detail: string }).detail).toMatch(/CN covers 2004–2026; 2027-01-01/);
  });
});
