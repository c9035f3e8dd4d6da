// A borrower paying their own loan through the API (POST /loans/:loanId/payments as a borrower): the
// server debits the bound account through the configured payment provider and posts the payment only
// when the debit succeeded — exactly as a staff payment of the same amount on the same day would post;
// another borrower's loan is 404 and nothing is debited; a replay gets the same answer without a second
// debit; a decline is 422 naming the code; an unknown outcome is 503 and the retry under the same key
// pays once; without a provider the borrower gets 503 payments_unavailable and staff still post.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLedgerPaymentProvider, type DebitRequest, type PaymentProvider } from '../channels/payments/index.ts';
import { today } from './routes/loans.ts';
import { readLoanState } from '../app/index.ts';
import { applyPayment } from '../servicing/index.ts';
import { listLoanPayments } from '../store/index.ts';
import { startApi, type ApiHarness } from './testing.ts';

let h: ApiHarness;
const ledger = createLedgerPaymentProvider();
const presented: DebitRequest[] = [];
/** While true the provider times out (answers unknown) without debiting. */
let providerDown = false;
const provider: PaymentProvider = {
  async debit(request) {
    presented.push(request);
    if (providerDown) return { outcome: 'unknown', detail: 'TimeoutError' };
    return ledger.debit(request);
  },
};

beforeAll(async () => {
  h = await startApi();
  h.api.context.paymentProvider = provider;
  ledger.setBalance('B1', 15_000n);
});
afterAll(async () => h.close());

const pay = (options: { key: string; loanId?: string; payload: Record<string, unknown>; token?: string }) =>
  h.call({
    method: 'POST',
    url: `/api/v1/loans/${options.loanId ?? 'L1'}/payments`,
    token: options.token ?? h.borrowerTokens.B1,
    headers: { 'idempotency-key': options.key },
    payload: options.payload,
  });

function problemOf(response: { statusCode: number; json(): unknown }) {
  return { status: response.statusCode, ...(response.json() as { detail: string; code?: string; field?: string }) };
}

describe('a borrower pays from the portal', () => {
  it('pays their own loan: the account is debited once and the loan moves exactly as a staff payment would', async () => {
    const paid = await pay({ key: 'portal-1', payload: { amount: '100.00' } });
    expect(paid.statusCode, paid.body).toBe(201);
    const payment = paid.json() as {
      paymentId: string;
      amount: string;
      source: string;
      allocation: Record<string, string>;
    };
    expect(payment).toMatchObject({
      loanId: 'L1',
      borrowerId: 'B1',
      amount: '100.00',
      source: 'portal',
      status: 'posted',
    });
    const allocated = Object.values(payment.allocation).reduce((sum, part) => sum + Math.round(Number(part) * 100), 0);
    expect(allocated).toBe(10_000);
    expect(presented).toHaveLength(1);
    expect(presented[0]).toMatchObject({ accountRef: 'B1', amountMinor: 10_000n, currency: 'CNY' });
    expect(ledger.balanceOf('B1')).toBe(5_000n);

    // L3 (borrower B2) has L1's terms and start date: a staff payment of the same amount today leaves it
    // exactly where the borrower's payment left L1.
    const staff = await pay({
      key: 'staff-1',
      loanId: 'L3',
      payload: { amount: '100.00' },
      token: h.staffTokens.admin,
    });
    expect(staff.statusCode, staff.body).toBe(201);
    const detail = async (loanId: string) => {
      const body = (
        await h.call({ method: 'GET', url: `/api/v1/loans/${loanId}`, token: h.staffTokens.admin })
      ).json() as {
        outstanding: unknown;
        summary: unknown;
      };
      return { outstanding: body.outstanding, summary: body.summary };
    };
    expect(await detail('L1')).toEqual(await detail('L3'));
    expect((staff.json() as { allocation: unknown }).allocation).toEqual(payment.allocation);
  });

  it('gets the same answer for a replay, with no second debit', async () => {
    const again = await pay({ key: 'portal-1', payload: { amount: '100.00' } });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotency-replayed']).toBe('true');
    const first = (await listLoanPayments(h.db, { borrowerId: 'B1', loanId: 'L1' }))[0];
    expect((again.json() as { paymentId: string }).paymentId).toBe(first?.paymentId);
    expect(presented).toHaveLength(1);
    expect(ledger.balanceOf('B1')).toBe(5_000n);
    const other = await pay({ key: 'portal-1', payload: { amount: '20.00' } });
    expect(problemOf(other)).toMatchObject({ status: 409, code: 'idempotency_key_reused' });
    expect(presented).toHaveLength(1);
  });

  it("gets 404 for another borrower's loan, and nothing is debited", async () => {
    const theirs = await pay({ key: 'portal-2', loanId: 'L3', payload: { amount: '10.00' } });
    const missing = await pay({ key: 'portal-2', loanId: 'L404', payload: { amount: '10.00' } });
    expect(theirs.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(presented).toHaveLength(1);
  });

  it('is told why when the provider declines, and nothing is posted', async () => {
    const declined = await pay({ key: 'portal-3', payload: { amount: '200.00' } });
    expect(problemOf(declined)).toMatchObject({ status: 422, code: 'insufficient_funds' });
    expect(problemOf(declined).detail).toContain('declined');
    expect(await listLoanPayments(h.db, { borrowerId: 'B1', loanId: 'L1' })).toHaveLength(1);
    const again = await pay({ key: 'portal-3', payload: { amount: '200.00' } });
    expect(problemOf(again)).toMatchObject({ status: 422, code: 'insufficient_funds' });
    expect(again.headers['idempotency-replayed']).toBe('true');
  });

  it('gets 503 to retry with the same key when the outcome is unknown; the retry pays once', async () => {
    providerDown = true;
    const unknown = await pay({ key: 'portal-4', payload: { amount: '30.00' } });
    expect(problemOf(unknown)).toMatchObject({ status: 503, code: 'payment_outcome_unknown' });
    expect(problemOf(unknown).detail).toContain('same Idempotency-Key');
    expect(unknown.headers['retry-after']).toBe('5');
    expect(await listLoanPayments(h.db, { borrowerId: 'B1', loanId: 'L1' })).toHaveLength(1);
    providerDown = false;
    const retry = await pay({ key: 'portal-4', payload: { amount: '30.00' } });
    expect(retry.statusCode, retry.body).toBe(201);
    const keys = presented.slice(-2).map((request) => request.idempotencyKey);
    expect(keys[0]).toBe(keys[1]);
    expect(ledger.balanceOf('B1')).toBe(2_000n);
    expect(await listLoanPayments(h.db, { borrowerId: 'B1', loanId: 'L1' })).toHaveLength(2);
  });

  it('refuses a date or a source chosen by the borrower, and more than the loan owes, before any debit', async () => {
    const count = presented.length;
    const dated = await pay({ key: 'portal-5', payload: { amount: '10.00', on: '2026-03-01' } });
    expect(problemOf(dated)).toMatchObject({ status: 400, field: 'on' });
    const sourced = await pay({ key: 'portal-6', payload: { amount: '10.00', source: 'manual' } });
    expect(problemOf(sourced)).toMatchObject({ status: 400, field: 'source' });
    const tooMuch = await pay({ key: 'portal-7', payload: { amount: '99999.00' } });
    expect(problemOf(tooMuch)).toMatchObject({ status: 422, code: 'payment_exceeds_outstanding' });
    expect(presented).toHaveLength(count);
  });

  it('gets 503 payments_unavailable without a provider, while staff payments still post', async () => {
    delete h.api.context.paymentProvider;
    try {
      const response = await pay({ key: 'portal-8', payload: { amount: '10.00' } });
      expect(problemOf(response)).toMatchObject({ status: 503, code: 'payments_unavailable' });
      expect(problemOf(response).detail).toContain('no payment provider');
      const staff = await pay({ key: 'staff-2', payload: { amount: '10.00' }, token: h.staffTokens.admin });
      expect(staff.statusCode, staff.body).toBe(201);
      expect((staff.json() as { source: string }).source).toBe('manual');
    } finally {
      h.api.context.paymentProvider = provider;
    }
  });
});

describe('concurrent portal payments and the unapplied-payments report', () => {
  it('answers 30 concurrent payments (different keys) of 60 % of what L2 owes with one 201 and one debit', async () => {
    ledger.setBalance('B1', 10_000_000n);
    const on = today(h.api.context);
    const { state } = (await readLoanState(h.db, 'L2'))!;
    let low = 0n;
    let high = 100_000_000n;
    while (high - low > 1n) {
      const middle = (low + high) / 2n;
      if (applyPayment(state, { paymentId: 'probe', amountMinor: middle, on, source: 'portal' }).ok) low = middle;
      else high = middle;
    }
    const amountMinor = (low * 6n) / 10n;
    const amount = `${amountMinor / 100n}.${String(amountMinor % 100n).padStart(2, '0')}`;
    const count = presented.length;
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, index) => pay({ key: `many-${index}`, loanId: 'L2', payload: { amount } })),
    );
    expect(answers.filter((answer) => answer.statusCode === 201)).toHaveLength(1);
    const refused = answers.filter((answer) => answer.statusCode !== 201).map(problemOf);
    expect(refused).toHaveLength(29);
    for (const problem of refused) expect(problem).toMatchObject({ status: 422, code: 'payment_exceeds_outstanding' });
    expect(presented).toHaveLength(count + 1);
    expect(ledger.balanceOf('B1')).toBe(10_000_000n - amountMinor);
  });

  it('lists portal money debited and not applied to staff with payments:read, never to a borrower', async () => {
    // A staff payoff lands while the provider debits: the portal payment cannot post and is refunded.
    const on = today(h.api.context);
    const { state } = (await readLoanState(h.db, 'L2'))!;
    let payoff = 0n;
    let high = 100_000_000n;
    while (high - payoff > 1n) {
      const middle = (payoff + high) / 2n;
      if (applyPayment(state, { paymentId: 'probe', amountMinor: middle, on, source: 'manual' }).ok) payoff = middle;
      else high = middle;
    }
    const payoffAmount = `${payoff / 100n}.${String(payoff % 100n).padStart(2, '0')}`;
    h.api.context.paymentProvider = {
      async debit(request) {
        const staff = await pay({
          key: 'staff-payoff',
          loanId: 'L2',
          payload: { amount: payoffAmount },
          token: h.staffTokens.admin,
        });
        expect(staff.statusCode, staff.body).toBe(201);
        return provider.debit(request);
      },
      refund: (request) => ledger.refund(request),
    };
    const before = ledger.balanceOf('B1')!;
    try {
      const late = await pay({ key: 'late-1', loanId: 'L2', payload: { amount: '10.00' } });
      expect(problemOf(late)).toMatchObject({ status: 422, code: 'payment_not_applied' });
    } finally {
      h.api.context.paymentProvider = provider;
    }
    expect(ledger.balanceOf('B1')).toBe(before); // debited, then refunded
    const listed = await h.call({ method: 'GET', url: '/api/v1/payments/unapplied', token: h.staffTokens.viewer });
    expect(listed.statusCode, listed.body).toBe(200);
    expect((listed.json() as { items: unknown[] }).items).toEqual([
      expect.objectContaining({ loanId: 'L2', borrowerId: 'B1', amount: '10.00', status: 'refunded' }),
    ]);
    const due = await h.call({
      method: 'GET',
      url: '/api/v1/payments/unapplied?status=refund_due',
      token: h.staffTokens.viewer,
    });
    expect((due.json() as { items: unknown[] }).items).toEqual([]);
    const borrower = await h.call({ method: 'GET', url: '/api/v1/payments/unapplied', token: h.borrowerTokens.B1 });
    expect([403, 404]).toContain(borrower.statusCode);
    const reconcile = await h.call({
      method: 'POST',
      url: '/api/v1/payments/reconcile',
      token: h.staffTokens.admin,
      payload: { olderThanSeconds: 0 },
    });
    expect(reconcile.statusCode, reconcile.body).toBe(200);
    expect(reconcile.json()).toMatchObject({ examined: 0 });
  });
});
