// Auto-debit in the daily close: funded borrowers are debited on the due date and the money is posted
// to the loan; unfunded ones are declined on each retry day; running a date again presents nothing new
// and the provider never debits a key twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/calendar/index.ts';
import { createLedgerPaymentProvider, type DebitRequest } from '../../src/channels/payments/index.ts';
import { openLoans, readLoanState, runDailyClose } from '../../src/jobs/index.ts';
import { parseLoanTerms } from '../../src/schedule/index.ts';
import { isSettled, parseServicingRules } from '../../src/servicing/index.ts';
import {
  getLoan,
  listLoanAutoDebitAttempts,
  listLoanPayments,
  openTestDatabase,
  upsertBorrowers,
  type TestDatabase,
} from '../../src/store/index.ts';

describe('auto-debit presentment', () => {
  let test: TestDatabase;
  const provider = createLedgerPaymentProvider();
  const requests: DebitRequest[] = [];
  const counting = {
    debit(request: DebitRequest) {
      requests.push(request);
      return provider.debit(request);
    },
  };
  const rules = parseServicingRules({ autoDebit: { enabled: true, retryDays: [0, 1, 3] } });
  const terms = parseLoanTerms({
    principal: '1200.00',
    currency: 'CNY',
    annualRate: '0.12',
    termCount: 6,
    startDate: '2026-01-10',
  });
  const loans = ['A1', 'A2', 'A3', 'A4'];
  let firstDue = '';

  beforeAll(async () => {
    test = await openTestDatabase();
    await upsertBorrowers(
      test.db,
      loans.map((id) => ({ borrowerId: `B${id}`, name: id, timezone: 'Asia/Shanghai', locale: 'zh-CN', contacts: {} })),
    );
    await openLoans(
      test.db,
      loans.map((id) => ({ loanId: `L${id}`, borrowerId: `B${id}`, terms, rules, disbursedOn: '2026-01-10' })),
    );
    provider.setBalance('BA1', 1_000_000n);
    provider.setBalance('BA2', 1_000_000n);
    provider.setBalance('BA3', 0n);
    firstDue = (await readLoanState(test.db, 'LA1'))!.state.installments[0]!.dueDate;
    for (let date = '2026-01-11'; date <= addDays(firstDue, 4); date = addDays(date, 1)) {
      await runDailyClose({ db: test.db, businessDate: date, provider: counting, workers: 2, worker: 0 });
      await runDailyClose({ db: test.db, businessDate: date, provider: counting, workers: 2, worker: 1 });
    }
  }, 30_000);

  afterAll(async () => {
    await test?.dispose();
  });

  it('debits funded borrowers on the due date and posts the payment', async () => {
    for (const loanId of ['LA1', 'LA2']) {
      const { row, state } = (await readLoanState(test.db, loanId))!;
      expect(isSettled(state.installments[0]!)).toBe(true);
      expect(state.dpd).toBe(0);
      const payments = await listLoanPayments(test.db, { borrowerId: row.borrowerId, loanId });
      expect(payments).toHaveLength(1);
      expect(payments[0]).toMatchObject({ source: 'auto_debit', idempotencyKey: `autodebit:${loanId}:${firstDue}:1` });
      const attempts = await listLoanAutoDebitAttempts(test.db, { borrowerId: row.borrowerId, loanId });
      expect(attempts.map((a) => [a.attempt, a.status])).toEqual([[1, 'succeeded']]);
    }
  });

  it('declines unfunded or unknown accounts on each retry day', async () => {
    for (const loanId of ['LA3', 'LA4']) {
      const row = await getLoan(test.db, loanId);
      const attempts = await listLoanAutoDebitAttempts(test.db, { borrowerId: row!.borrowerId, loanId });
      expect(attempts.map((a) => [a.attempt, a.businessDate, a.status])).toEqual([
        [1, firstDue, 'declined'],
        [2, addDays(firstDue, 1), 'declined'],
        [3, addDays(firstDue, 3), 'declined'],
      ]);
      expect((await readLoanState(test.db, loanId))!.state.dpd).toBe(4);
    }
  });

  it('presents each key once, and a rerun presents nothing', async () => {
    const keys = requests.map((r) => r.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(2 + 3 + 3);
    const before = requests.length;
    const again = await runDailyClose({ db: test.db, businessDate: firstDue, provider: counting });
    expect(again.alreadyCompleted).toBe(true);
    expect(requests.length).toBe(before);
  });
});
