// A SANDBOX payment provider for `kuan demo`: in process, every account always has the money, nothing
// real moves. It exists so the demo's borrower portal can show paying end to end; never configure it for
// a real book (`kuan serve` only ever uses the HTTP provider it is given). Idempotent by key, like a real
// provider: the same key answers the first answer.
import type { DebitOutcome, DebitRequest, PaymentProvider, RefundOutcome, RefundRequest } from './provider.ts';

export interface SandboxPaymentProvider extends PaymentProvider {
  readonly name: 'sandbox';
  /** Debits answered so far (each key once). */
  debits(): number;
}

export function createSandboxPaymentProvider(): SandboxPaymentProvider {
  const answered = new Map<string, DebitOutcome>();
  const refunded = new Map<string, RefundOutcome>();
  return {
    name: 'sandbox',
    debits: () => answered.size,
    async debit(request: DebitRequest): Promise<DebitOutcome> {
      const earlier = answered.get(request.idempotencyKey);
      if (earlier) return earlier;
      const outcome: DebitOutcome = {
        outcome: 'succeeded',
        providerRef: `sandbox_${answered.size + 1}`,
        amountMinor: request.amountMinor,
      };
      answered.set(request.idempotencyKey, outcome);
      return outcome;
    },
    async refund(request: RefundRequest): Promise<RefundOutcome> {
      const earlier = refunded.get(request.idempotencyKey);
      if (earlier) return earlier;
      const outcome: RefundOutcome = {
        outcome: 'succeeded',
        refundRef: `sandbox_refund_${refunded.size + 1}`,
        amountMinor: request.amountMinor,
      };
      refunded.set(request.idempotencyKey, outcome);
      return outcome;
    },
  };
}
