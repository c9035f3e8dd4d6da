// A borrower paying from the portal (src/jobs/portal-payments.ts): the bound account is debited through
// the payment provider and the payment is posted only when the debit succeeded; a decline posts nothing;
// a timeout leaves nothing final, and the retry under the same key neither debits nor posts twice; a key
// names one request forever; what the loan cannot take is refused before any money moves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHttpPaymentProvider,
  createLedgerPaymentProvider,
  type DebitRequest,
  type PaymentProvider,
} from '../../src/channels/payments/index.ts';
import { openLoans, readLoanState } from '../../src/jobs/index.ts';
import { payByBorrower, portalDebitKey } from '../../src/jobs/portal-payments.ts';
import { parseLoanTerms } from '../../src/schedule/index.ts';
import {
  interestOutstanding,
  parseServicingRules,
  principalOutstanding,
  type LoanState,
} from '../../src/servicing/index.ts';
import { listLoanPayments, openTestDatabase, upsertBorrowers, type TestDatabase } from '../../src/store/index.ts';
import { startFakePaymentProvider, type FakePaymentProvider } from '../support/payment-provider-server.ts';

const terms = parseLoanTerms({
  principal: '1200.00',
  currency: 'CNY',
  annualRate: '0.12',
  termCount: 6,
  startDate: '2026-01-10',
});
const rules = parseServicingRules({ graceDays: 3 });

function owed(state: LoanState): bigint {
  return state.installments.reduce((sum, row) => sum + principalOutstanding(row) + interestOutstanding(row), 0n);
}

describe('payByBorrower', () => {
  let test: TestDatabase;
  let fake: FakePaymentProvider;
  const ledger = createLedgerPaymentProvider();
  const presented: DebitRequest[] = [];
  const counting: PaymentProvider = {
    debit(request) {
      presented.push(request);
      return ledger.debit(request);
    },
  };
  let firstDue = '';

  beforeAll(async () => {
    test = await openTestDatabase();
    fake = await startFakePaymentProvider();
    await upsertBorrowers(
      test.db,
      ['BP1', 'BP2', 'BP3'].map((id) => ({ borrowerId: id, name: id, timezone: 'UTC', locale: 'en', contacts: {} })),
    );
    await openLoans(test.db, [
      { loanId: 'LP1', borrowerId: 'BP1', terms, rules, disbursedOn: '2026-01-10' },
      { loanId: 'LP2', borrowerId: 'BP2', terms, rules, disbursedOn: '2026-01-10' },
      { loanId: 'LP3', borrowerId: 'BP3', terms, rules, disbursedOn: '2026-01-10' },
    ]);
    ledger.setBalance('BP1', 500_000n);
    ledger.setBalance('BP2', 1_000n);
    fake.setBalance('BP3', 500_000n);
    firstDue = (await readLoanState(test.db, 'LP1'))!.state.installments[0]!.dueDate;
  });

  afterAll(async () => {
    await fake.close();
    await test.dispose();
  });

  const pay = (
    provider: PaymentProvider,
    input: { key: string; borrowerId: string; loanId: string; amountMinor: bigint },
  ) =>
    payByBorrower(test.db, provider, {
      idempotencyKey: `api:${input.borrowerId}:${input.key}`,
      borrowerId: input.borrowerId,
      loanId: input.loanId,
      amountMinor: input.amountMinor,
      today: firstDue,
    });

  it('debits the bound account once and posts exactly the amount; a replay changes nothing', async () => {
    const before = owed((await readLoanState(test.db, 'LP1'))!.state);
    const result = await pay(counting, { key: 'k1', borrowerId: 'BP1', loanId: 'LP1', amountMinor: 10_000n });
    expect(result).toMatchObject({ outcome: 'posted', replayed: false });
    if (result.outcome !== 'posted') return;
    expect(result.payment).toMatchObject({ loanId: 'LP1', amountMinor: 10_000n, source: 'portal', status: 'posted' });
    expect(result.payment.receivedAt.slice(0, 10)).toBe(firstDue);
    expect(presented).toEqual([
      {
        idempotencyKey: portalDebitKey('api:BP1:k1'),
        accountRef: 'BP1',
        amountMinor: 10_000n,
        currency: 'CNY',
        reference: expect.stringContaining('LP1') as string,
      },
    ]);
    expect(ledger.balanceOf('BP1')).toBe(490_000n);
    expect(before - owed((await readLoanState(test.db, 'LP1'))!.state)).toBe(10_000n);

    const again = await pay(counting, { key: 'k1', borrowerId: 'BP1', loanId: 'LP1', amountMinor: 10_000n });
    expect(again).toMatchObject({
      outcome: 'posted',
      replayed: true,
      payment: { paymentId: result.payment.paymentId },
    });
    expect(presented).toHaveLength(1);
    expect(ledger.balanceOf('BP1')).toBe(490_000n);
    expect(await listLoanPayments(test.db, { borrowerId: 'BP1', loanId: 'LP1' })).toHaveLength(1);
  });

  it('refuses another body under a used key, without presenting anything', async () => {
    const other = await pay(counting, { key: 'k1', borrowerId: 'BP1', loanId: 'LP1', amountMinor: 20_000n });
    expect(other).toMatchObject({ outcome: 'rejected', code: 'idempotency_key_reused' });
    expect(presented).toHaveLength(1);
  });

  it('posts nothing when the provider declines, and replays the decline under the same key', async () => {
    presented.length = 0;
    const result = await pay(counting, { key: 'k2', borrowerId: 'BP2', loanId: 'LP2', amountMinor: 10_000n });
    expect(result).toMatchObject({ outcome: 'declined', code: 'insufficient_funds', replayed: false });
    expect(result.outcome === 'declined' && result.message).toContain('insufficient_funds');
    expect(await listLoanPayments(test.db, { borrowerId: 'BP2', loanId: 'LP2' })).toEqual([]);
    expect(ledger.balanceOf('BP2')).toBe(1_000n);
    const again = await pay(counting, { key: 'k2', borrowerId: 'BP2', loanId: 'LP2', amountMinor: 10_000n });
    expect(again).toMatchObject({ outcome: 'declined', code: 'insufficient_funds', replayed: true });
    expect(presented).toHaveLength(1);
  });

  it('refuses more than the loan owes before any money moves, naming the most it takes', async () => {
    presented.length = 0;
    const result = await pay(counting, { key: 'k3', borrowerId: 'BP1', loanId: 'LP1', amountMinor: 400_000n });
    expect(result).toMatchObject({ outcome: 'rejected', code: 'payment_exceeds_outstanding' });
    expect(result.outcome === 'rejected' && result.message).toMatch(/more than the \d+\.\d\d the loan still owes/);
    expect(presented).toEqual([]);
    expect(ledger.balanceOf('BP1')).toBe(490_000n);
  });

  it("refuses another borrower's loan as not found, without presenting anything", async () => {
    presented.length = 0;
    const result = await pay(counting, { key: 'k4', borrowerId: 'BP1', loanId: 'LP2', amountMinor: 1_000n });
    expect(result).toMatchObject({ outcome: 'rejected', code: 'loan_not_found' });
    expect(presented).toEqual([]);
  });

  it('after a timeout posts nothing; the retry with the same key debits once and posts once', async () => {
    const http = createHttpPaymentProvider({ baseUrl: fake.url, timeoutMs: 150 });
    fake.slowAccounts.set('BP3', 400);
    const first = await pay(http, { key: 'k5', borrowerId: 'BP3', loanId: 'LP3', amountMinor: 30_000n });
    expect(first).toMatchObject({ outcome: 'unknown' });
    expect(first.outcome === 'unknown' && first.message).toContain('same Idempotency-Key');
    expect(await listLoanPayments(test.db, { borrowerId: 'BP3', loanId: 'LP3' })).toEqual([]);
    // While the outcome is unknown the key is still taken: another amount under it is refused.
    const other = await pay(http, { key: 'k5', borrowerId: 'BP3', loanId: 'LP3', amountMinor: 1_000n });
    expect(other).toMatchObject({ outcome: 'rejected', code: 'idempotency_key_reused' });
    await new Promise((resolve) => setTimeout(resolve, 400)); // the slow answer lands: the money moved
    fake.slowAccounts.delete('BP3');
    const retry = await pay(http, { key: 'k5', borrowerId: 'BP3', loanId: 'LP3', amountMinor: 30_000n });
    expect(retry).toMatchObject({ outcome: 'posted', payment: { amountMinor: 30_000n, source: 'portal' } });
    const keys = fake.requests.filter((request) => request.account === 'BP3').map((request) => request.idempotencyKey);
    expect(keys).toEqual([portalDebitKey('api:BP3:k5'), portalDebitKey('api:BP3:k5')]);
    expect(await listLoanPayments(test.db, { borrowerId: 'BP3', loanId: 'LP3' })).toHaveLength(1);
    const again = await pay(http, { key: 'k5', borrowerId: 'BP3', loanId: 'LP3', amountMinor: 30_000n });
    expect(again).toMatchObject({ outcome: 'posted', replayed: true });
    expect(fake.requests.filter((request) => request.account === 'BP3')).toHaveLength(2);
  });
});
