// An in-process payment provider over account balances: what the simulator uses to replay
// `auto_debit_funds` events, and the behaviour the local test server exposes over HTTP. Idempotent by key
// (debits and refunds alike); a refund credits the debited account and never returns more than its debit.
import type { DebitOutcome, DebitRequest, PaymentProvider, RefundOutcome, RefundRequest } from './provider.ts';

export interface LedgerPaymentProvider extends PaymentProvider {
  refund(request: RefundRequest): Promise<RefundOutcome>;
  setBalance(accountRef: string, amountMinor: bigint): void;
  balanceOf(accountRef: string): bigint | undefined;
}

export function createLedgerPaymentProvider(): LedgerPaymentProvider {
  const balances = new Map<string, bigint>();
  const answered = new Map<string, DebitOutcome>();
  const debits = new Map<string, { accountRef: string; amountMinor: bigint; refundedMinor: bigint }>();
  const refunds = new Map<string, RefundOutcome>();
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
        debits.set(outcome.providerRef, {
          accountRef: request.accountRef,
          amountMinor: request.amountMinor,
          refundedMinor: 0n,
        });
      }
      answered.set(request.idempotencyKey, outcome);
      return outcome;
    },
    async refund(request: RefundRequest): Promise<RefundOutcome> {
      const earlier = refunds.get(request.idempotencyKey);
      if (earlier) return earlier;
      const debit = debits.get(request.debitRef);
      let outcome: RefundOutcome;
      if (!debit) outcome = { outcome: 'refused', code: 'debit_not_found' };
      else if (debit.refundedMinor + request.amountMinor > debit.amountMinor) {
        outcome = { outcome: 'refused', code: 'refund_exceeds_debit' };
      } else {
        debit.refundedMinor += request.amountMinor;
        balances.set(debit.accountRef, (balances.get(debit.accountRef) ?? 0n) + request.amountMinor);
        sequence += 1;
        outcome = { outcome: 'succeeded', refundRef: `rfd_${sequence}`, amountMinor: request.amountMinor };
      }
      refunds.set(request.idempotencyKey, outcome);
      return outcome;
    },
  };
}
