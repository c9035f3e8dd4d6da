// Auto-debit in the daily close: funded borrowers are debited on the due date and the money is posted
// to the loan; unfunded ones are declined on each retry day; running a date again presents nothing new
// and the provider never debits a key twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../calendar/index.ts';
import { createLedgerPaymentProvider, type DebitRequest } from '../channels/payments/index.ts';
import { openLoans, postPayment, readLoanState, runDailyClose } from './index.ts';
import { parseLoanTerms } from '../schedule/index.ts';
import { isSettled, parseServicingRules } from '../servicing/index.ts';
import {
  getLoan,
  insertAutoDebitAttempts,
  insertPortalReservation,
  listLoanAutoDebitAttempts,
  moneyInFlightMinor,
  listLoanPayments,
  markAutoDebitPresented,
  openTestDatabase,
  upsertBorrowers,
  type TestDatabase,
} from '../store/index.ts';

const rules = parseServicingRules({ autoDebit: { enabled: true, retryDays: [0, 1, 3] } });
const terms = parseLoanTerms({
  principal: '1200.00',
  currency: 'CNY',
  annualRate: '0.12',
  termCount: 6,
  startDate: '2026-01-10',
});

/** The in-memory ledger provider, with every debit request it was asked for. */
function countingProvider() {
  const provider = createLedgerPaymentProvider();
  const requests: DebitRequest[] = [];
  const counting = {
    debit(request: DebitRequest) {
      requests.push(request);
      return provider.debit(request);
    },
  };
  return { provider, requests, counting };
}

/** Borrower B<id> with loan L<id> on the terms and rules above, for each id. */
async function openAutoDebitLoans(db: TestDatabase['db'], ids: readonly string[]): Promise<void> {
  await upsertBorrowers(
    db,
    ids.map((id) => ({ borrowerId: `B${id}`, name: id, timezone: 'Asia/Shanghai', locale: 'zh-CN', contacts: {} })),
  );
  await openLoans(
    db,
    ids.map((id) => ({ loanId: `L${id}`, borrowerId: `B${id}`, terms, rules, disbursedOn: '2026-01-10' })),
  );
}

describe('auto-debit presentment', () => {
  let test: TestDatabase;
  const { provider, requests, counting } = countingProvider();
  const loans = ['A1', 'A2', 'A3', 'A4'];
  let firstDue = '';

  beforeAll(async () => {
    test = await openTestDatabase();
    await openAutoDebitLoans(test.db, loans);
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

// The close announces an attempt with what was collectible when it ran; a borrower who pays before it is
// presented (at the counter, or in the portal with the debit still in flight) must not be debited again.
describe('auto-debit presentment after the borrower paid', () => {
  let test: TestDatabase;
  const { provider, requests, counting } = countingProvider();
  // PAID paid in full at the counter, HELD has a portal debit in flight for all of it, HALF paid half at
  // the counter, NONE did nothing.
  const loans = ['PAID', 'HELD', 'HALF', 'NONE'];
  let firstDue = '';
  const announced = new Map<string, bigint>();

  const attemptsOf = async (id: string) =>
    listLoanAutoDebitAttempts(test.db, { borrowerId: `B${id}`, loanId: `L${id}` });

  beforeAll(async () => {
    test = await openTestDatabase();
    await openAutoDebitLoans(test.db, loans);
    for (const id of loans) provider.setBalance(`B${id}`, 1_000_000n);
    firstDue = (await readLoanState(test.db, 'LPAID'))!.state.installments[0]!.dueDate;
    for (let date = '2026-01-11'; date < firstDue; date = addDays(date, 1)) {
      await runDailyClose({ db: test.db, businessDate: date, provider: counting });
    }
    // The due date's close announces the attempts; the presentment waits (no provider this run).
    await runDailyClose({ db: test.db, businessDate: firstDue });
    for (const id of loans) announced.set(id, (await attemptsOf(id))[0]!.amountMinor);
    const due = announced.get('PAID')!;
    await postPayment(test.db, {
      loanId: 'LPAID',
      amountMinor: due,
      on: firstDue,
      source: 'manual',
      idempotencyKey: 'counter-paid',
    });
    await postPayment(test.db, {
      loanId: 'LHALF',
      amountMinor: due / 2n,
      on: firstDue,
      source: 'manual',
      idempotencyKey: 'counter-half',
    });
    await insertPortalReservation(test.db, {
      paymentKey: 'portal-held',
      loanId: 'LHELD',
      borrowerId: 'BHELD',
      amountMinor: announced.get('HELD')!,
      currency: 'CNY',
      onDate: firstDue,
    });
    await runDailyClose({ db: test.db, businessDate: addDays(firstDue, 1), provider: counting });
  }, 30_000);

  afterAll(async () => {
    await test?.dispose();
  });

  const debitedOf = (id: string) =>
    requests.filter((request) => request.accountRef === `B${id}`).map((request) => request.amountMinor);

  it('skips the attempt of a borrower who paid in full, without calling the provider', async () => {
    expect(debitedOf('PAID')).toEqual([]);
    const attempts = await attemptsOf('PAID');
    expect(attempts.map((a) => [a.attempt, a.status, a.result])).toEqual([[1, 'skipped', { code: 'nothing_due' }]]);
  });

  it('leaves room for a portal payment in flight', async () => {
    expect(debitedOf('HELD')).toEqual([]);
    const attempts = await attemptsOf('HELD');
    expect(attempts[0]).toMatchObject({ status: 'skipped', result: { code: 'covered_in_flight' } });
  });

  it('presents only what is left of a part-paid installment', async () => {
    const due = announced.get('HALF')!;
    expect(debitedOf('HALF')).toEqual([due - due / 2n]);
    const { state } = (await readLoanState(test.db, 'LHALF'))!;
    expect(isSettled(state.installments[0]!)).toBe(true);
  });

  it('debits an unpaid borrower once, and the retry announced meanwhile takes nothing more', async () => {
    expect(debitedOf('NONE')).toEqual([announced.get('NONE')!]);
    const attempts = await attemptsOf('NONE');
    expect(attempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, 'succeeded'],
      [2, 'skipped'],
    ]);
    expect(attempts[0]!.presentedAt).not.toBeNull();
  });

  it('counts a presented, unanswered attempt as money on its way to the loan', async () => {
    const key = { borrowerId: 'BNONE', loanId: 'LNONE', dueDate: addDays(firstDue, 30), attempt: 1 };
    const idempotencyKey = `autodebit:LNONE:${key.dueDate}:1`;
    await insertAutoDebitAttempts(test.db, [
      { ...key, businessDate: key.dueDate, idempotencyKey, amountMinor: 5_000n, currency: 'CNY' },
    ]);
    expect(await moneyInFlightMinor(test.db, { loanId: 'LNONE', excludingKey: '' })).toBe(0n);
    expect(await markAutoDebitPresented(test.db, { ...key, amountMinor: 4_000n })).toBe(true);
    expect(await markAutoDebitPresented(test.db, { ...key, amountMinor: 4_000n })).toBe(false);
    expect(await moneyInFlightMinor(test.db, { loanId: 'LNONE', excludingKey: '' })).toBe(4_000n);
    expect(await moneyInFlightMinor(test.db, { loanId: 'LNONE', excludingKey: idempotencyKey })).toBe(0n);
  });
});
