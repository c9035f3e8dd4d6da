// POST /loans/:loanId/refunds over HTTP: a collector refunds part of a credit balance; a repeat of the same
// request gets the same answer (Idempotency-Replayed), another body under the key 409; problems name the
// field (amount, on, Idempotency-Key); viewers get 403, borrowers cannot refund (403), a missing loan 404;
// a payment on a charged-off loan posts as a recovery through the payments route.
// Loan LR1 (borrower B1, 5,000.00 at 12 % over 12 months from 2026-03-01, overpayment kept as credit)
// gets 100.00 on 2026-03-05, before anything is due: all of it is credit. Today is 2026-03-10.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLoans, postPayment, readLoanState } from '../app/index.ts';
import { parseLoanTerms } from '../schedule/index.ts';
import { parseServicingRules } from '../servicing/index.ts';
import { loanTerms, startApi, type ApiHarness } from './testing.ts';

let h: ApiHarness;

beforeAll(async () => {
  h = await startApi();
  await openLoans(h.db, [
    {
      loanId: 'LR1',
      borrowerId: 'B1',
      terms: parseLoanTerms(loanTerms('2026-03-01')),
      rules: parseServicingRules({ overpayment: 'credit_balance' }),
      disbursedOn: '2026-03-01',
    },
  ]);
  const paid = await postPayment(h.db, {
    loanId: 'LR1',
    amountMinor: 10_000n,
    on: '2026-03-05',
    source: 'manual',
    idempotencyKey: 'seed-LR1',
  });
  expect(paid.outcome).toBe('posted');
});
afterAll(async () => h.close());

const refund = (key: string | undefined, payload: unknown, options: { loanId?: string; token?: string } = {}) =>
  h.call({
    method: 'POST',
    url: `/api/v1/loans/${options.loanId ?? 'LR1'}/refunds`,
    token: options.token ?? h.staffTokens.collector,
    payload: payload as Record<string, unknown>,
    headers: key === undefined ? {} : { 'idempotency-key': key },
  });

function expectProblem(
  response: { statusCode: number; body: string; headers: Record<string, unknown>; json(): unknown },
  status: number,
  extra: { field?: string; code?: string } = {},
) {
  expect(response.statusCode, response.body).toBe(status);
  expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
  const problem = response.json() as Record<string, unknown>;
  expect(problem).toMatchObject({ status, type: expect.stringMatching(/^urn:kuan:problem:/) });
  if (extra.field !== undefined) expect(problem.field).toBe(extra.field);
  if (extra.code !== undefined) expect(problem.code).toBe(extra.code);
}

async function creditOf(loanId: string): Promise<bigint | undefined> {
  return (await readLoanState(h.db, loanId))?.state.creditBalanceMinor;
}

describe('POST /loans/:loanId/refunds', () => {
  it('refunds part of the credit balance and answers a repeat with the same answer', async () => {
    const first = await refund('refund-1', { amount: '40.00' });
    expect(first.statusCode, first.body).toBe(201);
    const body = first.json() as Record<string, string>;
    expect(body).toMatchObject({
      loanId: 'LR1',
      borrowerId: 'B1',
      amount: '40.00',
      currency: 'CNY',
      on: '2026-03-10',
      creditBalance: '60.00',
    });
    expect(body.refundId).toMatch(/^F[0-9a-f]{20}$/);
    expect(await creditOf('LR1')).toBe(6_000n);
    const repeat = await refund('refund-1', { amount: '40.00' });
    expect(repeat.statusCode).toBe(201);
    expect(repeat.headers['idempotency-replayed']).toBe('true');
    expect(repeat.json()).toEqual(body);
    // A day later, without a date: still the first refund, not a second one.
    h.clock.nowMs += 24 * 3600 * 1000;
    try {
      expect((await refund('refund-1', { amount: '40.00' })).json()).toEqual(body);
    } finally {
      h.clock.nowMs -= 24 * 3600 * 1000;
    }
    expect(await creditOf('LR1')).toBe(6_000n);
    expectProblem(await refund('refund-1', { amount: '41.00' }), 409, {
      code: 'idempotency_key_reused',
      field: 'Idempotency-Key',
    });
  });

  it('refuses more than the credit balance, bad amounts and dates, naming the field; nothing changes', async () => {
    expectProblem(await refund('refund-2', { amount: '60.01' }), 422, {
      code: 'refund_exceeds_credit_balance',
      field: 'amount',
    });
    expectProblem(await refund('refund-3', { amount: '0.00' }), 400, { field: 'amount' });
    expectProblem(await refund('refund-4', { amount: '-5' }), 400, { field: 'amount' });
    expectProblem(await refund('refund-5', { amount: '1.001' }), 400, { field: 'amount' });
    expectProblem(await refund('refund-6', { amount: '1.00', on: '2026-03-01' }), 422, {
      code: 'refund_date_before_close',
      field: 'on',
    });
    expectProblem(await refund('refund-7', { amount: '1.00', on: '2031-01-01' }), 400, { field: 'on' });
    expectProblem(await refund(undefined, { amount: '1.00' }), 400);
    expectProblem(await refund('refund-8', { amount: '1.00', extra: true }), 400);
    expect(await creditOf('LR1')).toBe(6_000n);
    // The refused key is still free for a correct request.
    const fixed = await refund('refund-2', { amount: '60.00' });
    expect(fixed.statusCode).toBe(201);
    expect(fixed.json()).toMatchObject({ creditBalance: '0.00' });
  });

  it('is staff with payments:write only; another loan is 404', async () => {
    expectProblem(await refund('refund-9', { amount: '1.00' }, { token: h.staffTokens.viewer }), 403);
    expectProblem(await refund('refund-9', { amount: '1.00' }, { token: h.borrowerTokens.B1 }), 403);
    expectProblem(await refund('refund-9', { amount: '1.00' }, { token: h.borrowerTokens.B2 }), 403);
    expectProblem(await refund('refund-9', { amount: '1.00' }, { loanId: 'NOPE' }), 404);
    // A loan without credit: the refusal names the amount.
    expectProblem(await refund('refund-10', { amount: '1.00' }, { loanId: 'L1' }), 422, {
      code: 'refund_exceeds_credit_balance',
      field: 'amount',
    });
  });

  it('documents the route in OpenAPI with its Idempotency-Key header', async () => {
    const document = (await h.call({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, { post?: { parameters?: unknown[] } }>;
    };
    expect(document.paths['/api/v1/loans/{loanId}/refunds']?.post?.parameters).toContainEqual(
      expect.objectContaining({ name: 'idempotency-key', in: 'header', required: true }),
    );
  });
});

describe('recoveries through the payments route', () => {
  it('a payment on a loan past its charge-off is posted as a recovery', async () => {
    // L3 (B2, from 2026-01-05) is never paid; a payment dated 2026-08-20 finds it charged off (180 DPD
    // on 2026-08-04) and recovers principal first.
    const paid = await h.call({
      method: 'POST',
      url: '/api/v1/loans/L3/payments',
      token: h.staffTokens.collector,
      payload: { amount: '100.00', on: '2026-08-20' },
      headers: { 'idempotency-key': 'recovery-1' },
    });
    expect(paid.statusCode, paid.body).toBe(201);
    expect(paid.json()).toMatchObject({
      status: 'posted',
      allocation: { principal: '100.00', interest: '0.00', penalty: '0.00', fee: '0.00' },
    });
    const loan = await readLoanState(h.db, 'L3');
    expect(loan?.state).toMatchObject({ status: 'charged_off', chargedOffOn: '2026-08-04', recoveredMinor: 10_000n });
  });
});
