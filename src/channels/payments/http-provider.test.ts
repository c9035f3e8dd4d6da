import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePaymentProvider, type FakePaymentProvider } from '../../../test/support/payment-provider-server.ts';
import { createHttpPaymentProvider } from './http-provider.ts';

describe('HTTP payment provider adapter against a local provider server', () => {
  let server: FakePaymentProvider;
  beforeAll(async () => {
    server = await startFakePaymentProvider();
  });
  afterAll(async () => server.close());

  const request = (account: string, key: string, amountMinor = 30500n) => ({
    idempotencyKey: key,
    accountRef: account,
    amountMinor,
    currency: 'CNY',
    reference: 'L1 2026-03-15',
  });

  it('debits a funded account and answers the same for a retried key without debiting twice', async () => {
    server.setBalance('acct-1', 50000n);
    const provider = createHttpPaymentProvider({ baseUrl: server.url });
    const first = await provider.debit(request('acct-1', 'k1'));
    const retry = await provider.debit(request('acct-1', 'k1'));
    expect(first).toMatchObject({ outcome: 'succeeded', amountMinor: 30500n });
    expect(retry).toEqual(first);
    const second = await provider.debit(request('acct-1', 'k2'));
    expect(second).toEqual({ outcome: 'declined', code: 'insufficient_funds' });
  });

  it('reports a slow answer as unknown, never as declined', async () => {
    server.setBalance('acct-slow', 100000n);
    server.slowAccounts.set('acct-slow', 300);
    const provider = createHttpPaymentProvider({ baseUrl: server.url, timeoutMs: 50 });
    const outcome = await provider.debit(request('acct-slow', 'k3'));
    expect(outcome.outcome).toBe('unknown');
  });

  it('reports a 5xx as unknown and an unknown account as declined', async () => {
    server.failingAccounts.add('acct-down');
    const provider = createHttpPaymentProvider({ baseUrl: server.url });
    expect((await provider.debit(request('acct-down', 'k4'))).outcome).toBe('unknown');
    expect(await provider.debit(request('acct-missing', 'k5'))).toEqual({
      outcome: 'declined',
      code: 'account_not_found',
    });
  });

  it('reports a refused connection as unknown', async () => {
    const provider = createHttpPaymentProvider({ baseUrl: 'http://127.0.0.1:1', timeoutMs: 500 });
    expect((await provider.debit(request('acct-1', 'k6'))).outcome).toBe('unknown');
  });
});
