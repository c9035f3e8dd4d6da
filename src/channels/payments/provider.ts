// The payment-provider port: what the daily close needs from whoever moves money out of a borrower's
// bound account. Declared here, by the code that uses it; adapters implement it.

export interface DebitRequest {
  /** Stable across retries of the same presentment, so the provider never debits twice. */
  idempotencyKey: string;
  accountRef: string;
  amountMinor: bigint;
  currency: string;
  /** Free text the provider shows on the statement, e.g. the loan id and due date. */
  reference: string;
}

export type DebitOutcome =
  | { outcome: 'succeeded'; providerRef: string; amountMinor: bigint }
  | { outcome: 'declined'; code: DeclineCode; providerRef?: string }
  /** Timeout, connection failure or 5xx: the money may or may not have moved; retry with the same key. */
  | { outcome: 'unknown'; detail: string };

export const declineCodes = [
  'insufficient_funds',
  'account_closed',
  'account_not_found',
  'mandate_revoked',
  'limit_exceeded',
] as const;
export type DeclineCode = (typeof declineCodes)[number];

export interface PaymentProvider {
  debit(request: DebitRequest): Promise<DebitOutcome>;
}
