// An in-process payment provider over account balances: what the simulator uses to replay
// `auto_debit_funds` events, and the behaviour the local test server exposes over HTTP. Idempotent by key.
import type { DebitOutcome, DebitRequest, PaymentProvider } from './provider.ts';

export interface LedgerPaymentProvider extends PaymentProvider {
  setBalance(accountRef: string, amountMinor: bigint): void;
  balanceOf(accountRef: string): bigint | undefined;
}

export function createLedgerPaymentProvider(): LedgerPaymentProvider {
  const balances = new Map<string, bigint>();
  const answered = new Map<string, DebitOutcome>();
  let sequence = 0;
  return {
    setBalance(accountRef, amountMinor) {
      balances.set(accountRef, amountMinor);
    },
    balanceOf: (accountRef) => balances.get(accountRef),
    async debit(request: DebitRequest): Promise<DebitOutcome> {
      const earlier = answered.get(request.idempotencyKey);
      if (earlier) return earlier;
      const balance = balances.get(request.accountRef);
      let outcome: DebitOutcome;
      if (balance === undefined) outcome = { outcome: 'declined', code: 'account_not_found' };
      else if (balance < request.amountMinor) outcome = { outcome: 'declined', code: 'insufficient_funds' };
      else {
        balances.set(request.accountRef, balance - request.amountMinor);
        sequence += 1;
        outcome = { outcome: 'succeeded', providerRef: `dbt_${sequence}`, amountMinor: request.amountMinor };
      }
      answered.set(request.idempotencyKey, outcome);
      return outcome;
    },
  };
}
