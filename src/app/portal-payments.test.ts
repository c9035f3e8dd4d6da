// A borrower paying from the portal (src/app/portal-payments.ts): the bound account is debited through
// the payment provider and the payment is posted only when the debit succeeded; a decline posts nothing;
// a timeout leaves nothing final, and the retry under the same key neither debits nor posts twice; a key
// names one request forever; what the loan cannot take is refused before any money moves.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHttpPaymentProvider,
  createLedgerPaymentProvider,
  type DebitRequest,
  type PaymentProvider,
} from '../channels/payments/index.ts';
import { openLoans, postPayment, readLoanState } from './index.ts';
import {
  listUnappliedPortalPayments,
  payByBorrower,
  portalDebitKey,
  reconcilePortalPayments,
  type PortalPaymentResult,
} from './portal-payments.ts';
import type { CommandContext } from './index.ts';
import { parseLoanTerms } from '../schedule/index.ts';
import {
  applyPayment,
  interestOutstanding,
  parseServicingRules,
  principalOutstanding,
  type LoanState,
} from '../servicing/index.ts';
import {
  getPortalReservation,
  listLoanPayments,
  movePortalReservation,
  openTestDatabase,
  upsertBorrowers,
  type Database,
  type TestDatabase,
} from '../store/index.ts';

const ctxOf = (db: Database): CommandContext => ({ db, actor: { kind: 'borrower', id: 'test' }, nowMs: 0 });
import { startFakePaymentProvider, type FakePaymentProvider } from '../../test/support/payment-provider-server.ts';

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

/** The most one payment on `on` can be (what the servicing core takes), found by bisection. */
function payableMax(state: LoanState, on: string): bigint {
  let low = 0n;
  let high = 100_000_000n;
  while (high - low > 1n) {
    const middle = (low + high) / 2n;
    const check = applyPayment(state, { paymentId: 'probe', amountMinor: middle, on, source: 'portal' });
    if (check.ok) low = middle;
    else high = middle;
  }
  return low;
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
    payByBorrower(provider)(ctxOf(test.db), {
      idempotencyKey: `api:${input.borrowerId}:${input.key}`,
      input: { borrowerId: input.borrowerId, loanId: input.loanId, amountMinor: input.amountMinor, today: firstDue },
    });

  it('a dry run presents nothing and holds nothing: it answers what would be debited, and on which date', async () => {
    const dry = await payByBorrower(counting)(ctxOf(test.db), {
      idempotencyKey: 'api:BP1:dry',
      dryRun: true,
      input: { borrowerId: 'BP1', loanId: 'LP1', amountMinor: 10_000n, today: firstDue },
    });
    expect(dry).toEqual({
      ok: true,
      value: { outcome: 'to_debit', loanId: 'LP1', amountMinor: 10_000n, currency: 'CNY', on: firstDue },
      replayed: false,
      dryRun: true,
    });
    expect(presented).toEqual([]);
    expect(await getPortalReservation(test.db, 'api:BP1:dry')).toBeUndefined();
    const [keys] = await test.db.query<{ count: unknown }>(
      sql`SELECT count(*) AS count FROM idempotency_keys WHERE key = 'api:BP1:dry'`,
    );
    expect(Number(keys?.count)).toBe(0);
  });

  it('debits the bound account once and posts exactly the amount; a replay changes nothing', async () => {
    const before = owed((await readLoanState(test.db, 'LP1'))!.state);
    const result = await pay(counting, { key: 'k1', borrowerId: 'BP1', loanId: 'LP1', amountMinor: 10_000n });
    expect(result).toMatchObject({ ok: true, replayed: false, value: { outcome: 'posted' } });
    if (!result.ok || result.value.outcome !== 'posted') return;
    const { payment } = result.value;
    expect(payment).toMatchObject({ loanId: 'LP1', amountMinor: 10_000n, source: 'portal', status: 'posted' });
    expect(payment.receivedAt.slice(0, 10)).toBe(firstDue);
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
      ok: true,
      replayed: true,
      value: { outcome: 'posted', payment: { paymentId: payment.paymentId } },
    });
    expect(presented).toHaveLength(1);
    expect(ledger.balanceOf('BP1')).toBe(490_000n);
    expect(await listLoanPayments(test.db, { borrowerId: 'BP1', loanId: 'LP1' })).toHaveLength(1);
  });

  it('refuses another body under a used key, without presenting anything', async () => {
    const other = await pay(counting, { key: 'k1', borrowerId: 'BP1', loanId: 'LP1', amountMinor: 20_000n });
    expect(other).toMatchObject({ ok: false, code: 'idempotency_key_reused' });
    expect(presented).toHaveLength(1);
  });

  it('posts nothing when the provider declines, and replays the decline under the same key', async () => {
    presented.length = 0;
    const result = await pay(counting, { key: 'k2', borrowerId: 'BP2', loanId: 'LP2', amountMinor: 10_000n });
    expect(result).toMatchObject({
      ok: true,
      replayed: false,
      value: { outcome: 'declined', code: 'insufficient_funds' },
    });
    expect(result.ok && result.value.outcome === 'declined' && result.value.message).toContain('insufficient_funds');
    expect(await listLoanPayments(test.db, { borrowerId: 'BP2', loanId: 'LP2' })).toEqual([]);
    expect(ledger.balanceOf('BP2')).toBe(1_000n);
    const again = await pay(counting, { key: 'k2', borrowerId: 'BP2', loanId: 'LP2', amountMinor: 10_000n });
    expect(again).toMatchObject({
      ok: true,
      replayed: true,
      value: { outcome: 'declined', code: 'insufficient_funds' },
    });
    expect(presented).toHaveLength(1);
  });

  it('refuses more than the loan owes before any money moves, naming the most it takes', async () => {
    presented.length = 0;
    const result = await pay(counting, { key: 'k3', borrowerId: 'BP1', loanId: 'LP1', amountMinor: 400_000n });
    expect(result).toMatchObject({ ok: false, code: 'payment_exceeds_outstanding' });
    expect(!result.ok && result.message).toMatch(/more than the \d+\.\d\d the loan still owes/);
    expect(presented).toEqual([]);
    expect(ledger.balanceOf('BP1')).toBe(490_000n);
  });

  it("refuses another borrower's loan as not found, without presenting anything", async () => {
    presented.length = 0;
    const result = await pay(counting, { key: 'k4', borrowerId: 'BP1', loanId: 'LP2', amountMinor: 1_000n });
    expect(result).toMatchObject({ ok: false, code: 'loan_not_found' });
    expect(presented).toEqual([]);
  });

  it('after a timeout posts nothing; the retry with the same key debits once and posts once', async () => {
    const http = createHttpPaymentProvider({ baseUrl: fake.url, timeoutMs: 150 });
    fake.slowAccounts.set('BP3', 400);
    const first = await pay(http, { key: 'k5', borrowerId: 'BP3', loanId: 'LP3', amountMinor: 30_000n });
    expect(first).toMatchObject({ ok: true, value: { outcome: 'unknown' } });
    expect(first.ok && first.value.outcome === 'unknown' && first.value.message).toContain('same Idempotency-Key');
    expect(await listLoanPayments(test.db, { borrowerId: 'BP3', loanId: 'LP3' })).toEqual([]);
    // While the outcome is unknown the key is still taken: another amount under it is refused.
    const other = await pay(http, { key: 'k5', borrowerId: 'BP3', loanId: 'LP3', amountMinor: 1_000n });
    expect(other).toMatchObject({ ok: false, code: 'idempotency_key_reused' });
    await new Promise((resolve) => setTimeout(resolve, 400)); // the slow answer lands: the money moved
    fake.slowAccounts.delete('BP3');
    const retry = await pay(http, { key: 'k5', borrowerId: 'BP3', loanId: 'LP3', amountMinor: 30_000n });
    expect(retry).toMatchObject({
      ok: true,
      value: { outcome: 'posted', payment: { amountMinor: 30_000n, source: 'portal' } },
    });
    const keys = fake.requests.filter((request) => request.account === 'BP3').map((request) => request.idempotencyKey);
    expect(keys).toEqual([portalDebitKey('api:BP3:k5'), portalDebitKey('api:BP3:k5')]);
    expect(await listLoanPayments(test.db, { borrowerId: 'BP3', loanId: 'LP3' })).toHaveLength(1);
    const again = await pay(http, { key: 'k5', borrowerId: 'BP3', loanId: 'LP3', amountMinor: 30_000n });
    expect(again).toMatchObject({ ok: true, replayed: true, value: { outcome: 'posted' } });
    expect(fake.requests.filter((request) => request.account === 'BP3')).toHaveLength(2);
  });
});

// The issue this guards: concurrent portal payments (different keys) each passed the "not more than
// owed" check before any of them posted, so all were debited and only the first could post — 30 requests
// debited 25 times and posted 3. Now each reserves its amount under the loan's row lock before the debit.
describe('portal payments never debit more than the loan owes', () => {
  let test: TestDatabase;
  let fake: FakePaymentProvider;
  let http: PaymentProvider;
  let today = '';
  const loanIds = ['LC1', 'LC2', 'LC3', 'LC4', 'LC5', 'LC6'];

  beforeAll(async () => {
    // A pool of 10 on PostgreSQL: the concurrent requests really run in parallel transactions.
    test = await openTestDatabase({ poolSize: 10 });
    fake = await startFakePaymentProvider();
    http = createHttpPaymentProvider({ baseUrl: fake.url, timeoutMs: 60_000 });
    const borrowerOf = (loanId: string) => loanId.replace('LC', 'BC');
    await upsertBorrowers(
      test.db,
      loanIds.map((id) => ({ borrowerId: borrowerOf(id), name: id, timezone: 'UTC', locale: 'en', contacts: {} })),
    );
    await openLoans(
      test.db,
      loanIds.map((loanId) => ({ loanId, borrowerId: borrowerOf(loanId), terms, rules, disbursedOn: '2026-01-10' })),
    );
    for (const loanId of loanIds) fake.setBalance(borrowerOf(loanId), 10_000_000n);
    today = (await readLoanState(test.db, 'LC1'))!.state.installments[0]!.dueDate;
  });

  afterAll(async () => {
    await fake.close();
    await test.dispose();
  });

  const pay = (provider: PaymentProvider, loanId: string, key: string, amountMinor: bigint) => {
    const borrowerId = loanId.replace('LC', 'BC');
    return payByBorrower(provider)(ctxOf(test.db), {
      idempotencyKey: `api:${borrowerId}:${key}`,
      input: { borrowerId, loanId, amountMinor, today },
    });
  };
  const payable = async (loanId: string) => payableMax((await readLoanState(test.db, loanId))!.state, today);
  const debitedFrom = (borrowerId: string) => 10_000_000n - fake.balanceOf(borrowerId)!;
  const postedOn = async (loanId: string) =>
    (await listLoanPayments(test.db, { borrowerId: loanId.replace('LC', 'BC'), loanId })).reduce(
      (sum, payment) => sum + payment.amountMinor,
      0n,
    );
  const count = (results: PortalPaymentResult[], predicate: (result: PortalPaymentResult) => boolean) =>
    results.filter(predicate).length;

  it('30 concurrent payments of 60 % of what is owed: one debit, one posting, 29 refused before any debit', async () => {
    const maxMinor = await payable('LC1');
    const amountMinor = (maxMinor * 6n) / 10n;
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, index) => pay(http, 'LC1', `c${index}`, amountMinor)),
    );
    expect(count(results, (result) => result.ok && result.value.outcome === 'posted')).toBe(1);
    expect(count(results, (result) => !result.ok && result.code === 'payment_exceeds_outstanding')).toBe(29);
    expect(fake.requests.filter((request) => request.account === 'BC1')).toHaveLength(1);
    expect(debitedFrom('BC1')).toBe(amountMinor);
    expect(await postedOn('LC1')).toBe(amountMinor);
  });

  it('30 concurrent payments of 150.00: total debited ≤ owed, debited − refunded = posted', async () => {
    const maxMinor = await payable('LC2');
    const amountMinor = 15_000n;
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, index) => pay(http, 'LC2', `d${index}`, amountMinor)),
    );
    const fits = Number(maxMinor / amountMinor);
    expect(count(results, (result) => result.ok && result.value.outcome === 'posted')).toBe(fits);
    expect(count(results, (result) => !result.ok)).toBe(30 - fits);
    const refundedMinor = 0n; // nothing else paid LC2, so nothing was debited that could not post
    expect(debitedFrom('BC2')).toBeLessThanOrEqual(maxMinor);
    expect(debitedFrom('BC2') - refundedMinor).toBe(await postedOn('LC2'));
    expect(await postedOn('LC2')).toBe(amountMinor * BigInt(fits));
  });

  it('refunds through the provider a debit the loan could no longer take, and lists it as unapplied', async () => {
    const maxMinor = await payable('LC3');
    // A staff payment of everything lands while the provider is debiting: the portal payment cannot post.
    const staffFirst: PaymentProvider = {
      async debit(request) {
        await postPayment(test.db, {
          loanId: 'LC3',
          amountMinor: maxMinor,
          on: today,
          source: 'manual',
          idempotencyKey: 'staff:LC3',
        });
        return http.debit(request);
      },
      refund: (request) => http.refund!(request),
    };
    const result = await pay(staffFirst, 'LC3', 'r1', 10_000n);
    expect(result).toMatchObject({ ok: true, value: { outcome: 'not_applied' } }); // the loan is closed by the staff payoff
    expect(debitedFrom('BC3')).toBe(0n); // debited, then refunded
    expect(fake.refundRequests).toHaveLength(1);
    expect(await postedOn('LC3')).toBe(maxMinor);
    const listed = await listUnappliedPortalPayments(test.db, { limit: 10 });
    expect(listed).toEqual([
      expect.objectContaining({
        loanId: 'LC3',
        amountMinor: 10_000n,
        status: 'refunded',
        refundRef: expect.any(String),
      }),
    ]);
    // A replay answers the same without a second debit or refund.
    const again = await pay(staffFirst, 'LC3', 'r1', 10_000n);
    expect(again).toMatchObject({ ok: true, replayed: true, value: { outcome: 'not_applied' } });
    expect(fake.refundRequests).toHaveLength(1);
  });

  it('queues the refund when the provider cannot refund; reconcile returns it once, later', async () => {
    const maxMinor = await payable('LC4');
    const debitOnly: PaymentProvider = {
      async debit(request) {
        await postPayment(test.db, {
          loanId: 'LC4',
          amountMinor: maxMinor,
          on: today,
          source: 'manual',
          idempotencyKey: 'staff:LC4',
        });
        return http.debit(request);
      },
    };
    const result = await pay(debitOnly, 'LC4', 'q1', 20_000n);
    expect(result).toMatchObject({ ok: true, value: { outcome: 'not_applied' } });
    expect(debitedFrom('BC4')).toBe(20_000n);
    expect(await listUnappliedPortalPayments(test.db, { status: 'refund_due', limit: 10 })).toEqual([
      expect.objectContaining({ loanId: 'LC4', amountMinor: 20_000n, refundRef: null }),
    ]);
    expect(await reconcilePortalPayments(test.db, http, { olderThanSeconds: 0 })).toMatchObject({ refunded: 1 });
    expect(debitedFrom('BC4')).toBe(0n);
    expect(await listUnappliedPortalPayments(test.db, { status: 'refund_due', limit: 10 })).toEqual([]);
    expect(await reconcilePortalPayments(test.db, http, { olderThanSeconds: 0 })).toMatchObject({ examined: 0 });
    expect(debitedFrom('BC4')).toBe(0n);
  });

  it('holds the amount of a payment whose debit answer was lost; reconcile posts it exactly once', async () => {
    const maxMinor = await payable('LC5');
    // The provider debits, then the process loses the answer (a crash or a dropped connection).
    const lostAnswer: PaymentProvider = {
      async debit(request) {
        await http.debit(request);
        throw new Error('connection reset');
      },
    };
    const first = await pay(lostAnswer, 'LC5', 'x1', 30_000n);
    expect(first).toMatchObject({ ok: true, value: { outcome: 'unknown' } });
    expect((await getPortalReservation(test.db, 'api:BC5:x1'))?.status).toBe('reserved');
    // The held amount counts: a payment of the rest plus one cent is refused before any debit.
    const over = await pay(http, 'LC5', 'x2', maxMinor - 30_000n + 1n);
    expect(over).toMatchObject({ ok: false, code: 'payment_exceeds_outstanding' });
    expect(fake.requests.filter((request) => request.account === 'BC5')).toHaveLength(1);
    // Requests in flight are left alone by default.
    expect(await reconcilePortalPayments(test.db, http)).toMatchObject({ examined: 0 });
    expect(await reconcilePortalPayments(test.db, http, { olderThanSeconds: 0 })).toMatchObject({ posted: 1 });
    expect(debitedFrom('BC5')).toBe(30_000n);
    expect(await postedOn('LC5')).toBe(30_000n);
    expect((await getPortalReservation(test.db, 'api:BC5:x1'))?.status).toBe('posted');
    const replay = await pay(http, 'LC5', 'x1', 30_000n);
    expect(replay).toMatchObject({ ok: true, replayed: true, value: { outcome: 'posted' } });
    expect(await reconcilePortalPayments(test.db, http, { olderThanSeconds: 0 })).toMatchObject({ examined: 0 });
    expect(debitedFrom('BC5')).toBe(30_000n);
  });

  it('posts by reconcile a payment that crashed after its debit was recorded', async () => {
    const lostAnswer: PaymentProvider = {
      async debit(request) {
        await http.debit(request);
        throw new Error('crash');
      },
    };
    await pay(lostAnswer, 'LC6', 'y1', 5_000n);
    // What a crash right after recording the debit leaves: the reservation debited, with the reference.
    const answer = await http.debit({
      idempotencyKey: portalDebitKey('api:BC6:y1'),
      accountRef: 'BC6',
      amountMinor: 5_000n,
      currency: 'CNY',
      reference: '',
    });
    if (answer.outcome !== 'succeeded') throw new Error('the fake provider should answer the first debit again');
    await movePortalReservation(test.db, 'api:BC6:y1', {
      from: ['reserved'],
      status: 'debited',
      providerRef: answer.providerRef,
    });
    expect(await reconcilePortalPayments(test.db, http, { olderThanSeconds: 0 })).toMatchObject({ posted: 1 });
    expect(debitedFrom('BC6')).toBe(5_000n);
    expect(await postedOn('LC6')).toBe(5_000n);
  });
});
