// Reversals over HTTP. Today is 2026-03-10. Loan LV1 (borrower B1, 5,000.00 at 12 % over 12 months from
// 2026-01-15, first due 2026-02-15) paid its first installment early, on 2026-02-10: current. A
// supervisor reverses that payment (it bounced) today: the first installment is 23 days past due again,
// with penalty, and the loan's page, payments and journal say so; the same request again is the same
// answer, another body 409, a second reversal 422 by name. Collectors, viewers and borrowers cannot
// reverse (403); an unknown payment is 404; a dry run writes nothing. Above the server's threshold the
// reversal waits for another member's approval and is carried out when approved. A refund comes back
// through its reversal route; a payment on a charged-off loan is listed as a recovery.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLoans, postPayment } from '../app/index.ts';
import { parseLoanTerms } from '../schedule/index.ts';
import { parseServicingRules } from '../servicing/index.ts';
import { loanTerms, startApi, type ApiHarness } from './testing.ts';

let h: ApiHarness;
const paymentIds: Record<string, string> = {};

beforeAll(async () => {
  h = await startApi();
  const loan = (loanId: string, startDate: string, rules: Record<string, unknown> = {}) => ({
    loanId,
    borrowerId: 'B1',
    terms: parseLoanTerms(loanTerms(startDate)),
    rules: parseServicingRules({ penaltyAnnualRate: '0.18', ...rules }),
    disbursedOn: startDate,
  });
  await openLoans(h.db, [
    loan('LV1', '2026-01-15'),
    loan('LV2', '2026-01-15'),
    loan('LV3', '2026-03-01', { overpayment: 'credit_balance' }),
    loan('LV4', '2025-06-01'),
  ]);
  const pay = async (loanId: string, amountMinor: bigint, on: string) => {
    const paid = await postPayment(h.db, {
      loanId,
      amountMinor,
      on,
      source: 'manual',
      idempotencyKey: `seed-${loanId}`,
    });
    if (paid.outcome !== 'posted') throw new Error(`${loanId}: ${JSON.stringify(paid)}`);
    paymentIds[loanId] = paid.paymentId;
  };
  await pay('LV1', 44_424n, '2026-02-10');
  await pay('LV2', 44_424n, '2026-02-10');
  await pay('LV3', 10_000n, '2026-03-05');
  await pay('LV4', 20_000n, '2026-03-05');
});
afterAll(async () => h.close());

const reverse = (paymentId: string, key: string, payload: Record<string, unknown>, token = h.staffTokens.supervisor) =>
  h.call({
    method: 'POST',
    url: `/api/v1/payments/${paymentId}/reversals`,
    token,
    payload,
    headers: { 'idempotency-key': key },
  });

const get = async (url: string, token = h.staffTokens.supervisor) => {
  const response = await h.call({ method: 'GET', url: `/api/v1${url}`, token });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as Record<string, unknown> & { items: Record<string, unknown>[] };
};

function expectProblem(response: { statusCode: number; body: string; json(): unknown }, status: number, code?: string) {
  expect(response.statusCode, response.body).toBe(status);
  if (code !== undefined) expect((response.json() as { code?: string }).code).toBe(code);
}

describe('POST /payments/:paymentId/reversals', () => {
  it('is for supervisors and admins only; an unknown payment is 404; a dry run writes nothing', async () => {
    const paymentId = paymentIds.LV1 as string;
    for (const token of [
      h.staffTokens.collector,
      h.staffTokens.viewer,
      h.staffTokens.compliance,
      h.borrowerTokens.B1,
    ]) {
      expectProblem(await reverse(paymentId, 'rev-denied', { reason: 'returned_nsf' }, token), 403);
    }
    expectProblem(await reverse('P00000000000000000000', 'rev-none', { reason: 'returned_nsf' }), 404);
    expectProblem(await reverse(paymentId, 'rev-bad', { reason: 'because' }), 400);
    const dry = await reverse(paymentId, 'rev-dry', { reason: 'returned_nsf', dryRun: true });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, status: 'reversed', after: { dpd: 23 } });
    expect(await get('/loans/LV1')).toMatchObject({ summary: { dpd: 0 } });
    expect((await get('/loans/LV1/payments')).items[0]).toMatchObject({ status: 'posted' });
  });

  it('re-opens delinquency, shows it on the loan, its payments and journal, and replays by key', async () => {
    const paymentId = paymentIds.LV1 as string;
    const first = await reverse(paymentId, 'rev-1', { reason: 'returned_nsf' });
    expect(first.statusCode, first.body).toBe(201);
    const body = first.json() as Record<string, Record<string, unknown>>;
    expect(body).toMatchObject({
      status: 'reversed',
      paymentId,
      loanId: 'LV1',
      amount: '444.24',
      reason: 'returned_nsf',
      on: '2026-03-10',
      recovery: false,
      approvalId: null,
      before: { dpd: 0, penalty: '0.00' },
      after: { dpd: 23, status: 'overdue' },
    });
    expect(body.after?.penalty).not.toBe('0.00');
    expect(body.after?.bucket).not.toBe(body.before?.bucket);
    expect(await get('/loans/LV1')).toMatchObject({
      status: 'overdue',
      summary: { dpd: 23, bucket: body.after?.bucket },
    });
    expect((await get('/loans/LV1/payments')).items[0]).toMatchObject({
      paymentId,
      status: 'reversed',
      reversal: { reversalId: body.reversalId, reason: 'returned_nsf', on: '2026-03-10' },
    });
    const journal = await get('/loans/LV1/journal');
    expect(journal.items.filter((entry) => entry.kind === 'payment_reversal')).toHaveLength(1);

    const again = await reverse(paymentId, 'rev-1', { reason: 'returned_nsf' });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotency-replayed']).toBe('true');
    expect(again.json()).toEqual(body);
    expectProblem(await reverse(paymentId, 'rev-1', { reason: 'duplicate' }), 409, 'idempotency_key_reused');
    expectProblem(await reverse(paymentId, 'rev-2', { reason: 'returned_nsf' }), 422, 'payment_already_reversed');
    expect(await get('/loans/LV1')).toMatchObject({ summary: { dpd: 23 } });
  });

  it('waits for approval above the threshold and is carried out when another member approves', async () => {
    const paymentId = paymentIds.LV2 as string;
    h.api.context.reversalApprovalAboveMinor = 10_000n;
    try {
      const asked = await reverse(paymentId, 'rev-3', { reason: 'fraud_chargeback' });
      expect(asked.statusCode, asked.body).toBe(202);
      const { approvalId } = asked.json() as { approvalId: string };
      expect(asked.json()).toMatchObject({ status: 'pending_approval', approvalId: expect.any(String) });
      expect(await get('/loans/LV2')).toMatchObject({ summary: { dpd: 0 } });
      expect(await get(`/approvals/${approvalId}`)).toMatchObject({
        kind: 'payment_reversal',
        status: 'pending',
        requestedBy: 'supervisor',
        detail: { reversal: { paymentId, loanId: 'LV2', amount: '444.24', reason: 'fraud_chargeback' } },
      });
      const own = await h.call({
        method: 'POST',
        url: `/api/v1/approvals/${approvalId}/approve`,
        token: h.staffTokens.supervisor,
        payload: {},
      });
      expectProblem(own, 403, 'own_request');
      const approved = await h.call({
        method: 'POST',
        url: `/api/v1/approvals/${approvalId}/approve`,
        token: h.staffTokens.admin,
        payload: { comment: 'chargeback confirmed by the bank' },
      });
      expect(approved.statusCode, approved.body).toBe(200);
      expect(approved.json()).toMatchObject({
        status: 'approved',
        decidedBy: 'admin',
        reversal: { status: 'reversed', approvalId, after: { dpd: 23 } },
      });
      expect(await get('/loans/LV2')).toMatchObject({ summary: { dpd: 23 } });
      expect((await get('/loans/LV2/payments')).items[0]).toMatchObject({ status: 'reversed' });
    } finally {
      delete h.api.context.reversalApprovalAboveMinor;
    }
  });

  it('lists a payment on a charged-off loan as a recovery', async () => {
    const [payment] = (await get('/loans/LV4/payments')).items;
    expect(payment).toMatchObject({ paymentId: paymentIds.LV4, recovery: true, status: 'posted' });
    expect((await get('/loans/LV1/payments')).items[0]?.recovery).toBeUndefined();
  });
});

describe('POST /loans/:loanId/refunds/:refundId/reversals', () => {
  it('takes a refund back: the credit balance returns; unknown refunds are 404; collectors 403', async () => {
    const refunded = await h.call({
      method: 'POST',
      url: '/api/v1/loans/LV3/refunds',
      token: h.staffTokens.collector,
      payload: { amount: '60.00' },
      headers: { 'idempotency-key': 'refund-LV3' },
    });
    expect(refunded.statusCode, refunded.body).toBe(201);
    const { refundId } = refunded.json() as { refundId: string };
    const url = `/api/v1/loans/LV3/refunds/${refundId}/reversals`;
    const call = (token: string, key: string, payload: Record<string, unknown>, target = url) =>
      h.call({ method: 'POST', url: target, token, payload, headers: { 'idempotency-key': key } });
    expectProblem(await call(h.staffTokens.collector, 'rr-1', { reason: 'returned_nsf' }), 403);
    expectProblem(
      await call(
        h.staffTokens.supervisor,
        'rr-1',
        { reason: 'returned_nsf' },
        '/api/v1/loans/LV3/refunds/F0/reversals',
      ),
      404,
    );
    const dry = await call(h.staffTokens.supervisor, 'rr-1', { reason: 'returned_nsf', dryRun: true });
    expect(dry.json()).toMatchObject({ dryRun: true, creditBalance: '100.00' });
    const reversed = await call(h.staffTokens.supervisor, 'rr-1', { reason: 'returned_nsf' });
    expect(reversed.statusCode, reversed.body).toBe(201);
    expect(reversed.json()).toMatchObject({ refundId, loanId: 'LV3', creditBalance: '100.00' });
    // A day later, without a date: still the first reversal, replayed.
    h.clock.nowMs += 24 * 3600 * 1000;
    try {
      const again = await call(h.staffTokens.supervisor, 'rr-1', { reason: 'returned_nsf' });
      expect(again.headers['idempotency-replayed']).toBe('true');
      expect(again.json()).toEqual(reversed.json());
    } finally {
      h.clock.nowMs -= 24 * 3600 * 1000;
    }
    expectProblem(
      await call(h.staffTokens.supervisor, 'rr-2', { reason: 'returned_nsf' }),
      422,
      'refund_already_reversed',
    );
  });
});
