// A local server that speaks the payment-provider HTTP API (docs/payment-provider.md), for tests and
// benchmarks: real sockets, real JSON, with switchable misbehaviour (slow answers, 5xx) per account.
// Debits (`POST /v1/debits`) and refunds of debits (`POST /v1/refunds`) over one in-process ledger.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLedgerPaymentProvider } from '../../src/channels/payments/index.ts';
import { formatMinor, parseMoney } from '../../src/money/index.ts';

export interface FakePaymentProvider {
  url: string;
  setBalance(account: string, amountMinor: bigint): void;
  /** Accounts whose requests are answered only after `delayMs` (to trip the client's timeout). */
  slowAccounts: Map<string, number>;
  /** Accounts whose requests get HTTP 503. */
  failingAccounts: Set<string>;
  /** Every debit request received, in order. */
  requests: { idempotencyKey: string; account: string; amount: string }[];
  /** Every refund request received, in order (`debit` is the debit's id). */
  refundRequests: { idempotencyKey: string; debit: string; amount: string }[];
  balanceOf(account: string): bigint | undefined;
  close(): Promise<void>;
}

export async function startFakePaymentProvider(): Promise<FakePaymentProvider> {
  const ledger = createLedgerPaymentProvider();
  const slowAccounts = new Map<string, number>();
  const failingAccounts = new Set<string>();
  const requests: FakePaymentProvider['requests'] = [];
  const refundRequests: FakePaymentProvider['refundRequests'] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      const reply = (status: number, body: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || (req.url !== '/v1/debits' && req.url !== '/v1/refunds')) {
        return reply(404, { error: 'not_found' });
      }
      const key = req.headers['idempotency-key'];
      let body: { account?: string; debit?: string; amount?: string; currency?: string; reference?: string };
      try {
        body = JSON.parse(raw) as typeof body;
      } catch {
        return reply(400, { error: 'invalid_json' });
      }
      if (req.url === '/v1/refunds') {
        if (typeof key !== 'string' || !body.debit || !body.amount || !body.currency) {
          return reply(400, { error: 'missing_field' });
        }
        const { debit, amount, currency } = body;
        refundRequests.push({ idempotencyKey: key, debit, amount });
        void ledger
          .refund({
            idempotencyKey: key,
            debitRef: debit,
            amountMinor: parseMoney(amount, currency).amountMinor,
            currency,
            reference: body.reference ?? '',
          })
          .then((outcome) => {
            if (outcome.outcome === 'succeeded') {
              reply(200, {
                id: outcome.refundRef,
                status: 'succeeded',
                amount: formatMinor(outcome.amountMinor, currency),
              });
            } else if (outcome.outcome === 'refused') {
              reply(outcome.code === 'debit_not_found' ? 404 : 422, { status: 'failed', code: outcome.code });
            }
          });
        return;
      }
      if (typeof key !== 'string' || !body.account || !body.amount || !body.currency) {
        return reply(400, { error: 'missing_field' });
      }
      const account = body.account;
      const currency = body.currency;
      requests.push({ idempotencyKey: key, account, amount: body.amount });
      if (failingAccounts.has(account)) return reply(503, { error: 'unavailable' });
      const answer = async (): Promise<void> => {
        const amountMinor = parseMoney(body.amount, currency).amountMinor;
        const outcome = await ledger.debit({
          idempotencyKey: key,
          accountRef: account,
          amountMinor,
          currency,
          reference: body.reference ?? '',
        });
        if (outcome.outcome === 'succeeded') {
          reply(200, {
            id: outcome.providerRef,
            status: 'succeeded',
            amount: formatMinor(outcome.amountMinor, currency),
          });
        } else if (outcome.outcome === 'declined') {
          reply(402, { status: 'failed', code: outcome.code });
        }
      };
      const delayMs = slowAccounts.get(account);
      if (delayMs !== undefined) setTimeout(() => void answer(), delayMs);
      else void answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setBalance: (account, amountMinor) => ledger.setBalance(account, amountMinor),
    slowAccounts,
    failingAccounts,
    requests,
    refundRequests,
    balanceOf: (account) => ledger.balanceOf(account),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
