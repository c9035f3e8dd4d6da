// The payment-provider port: what the daily close and the portal need from whoever moves money out of a
// borrower's bound account (a debit), and back into it (a refund of a debit that could not be applied).
// Declared here, by the code that uses it; adapters implement it.

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

export interface RefundRequest {
  /** Stable across retries of the same refund, so the provider never refunds twice. */
  idempotencyKey: string;
  /** The provider's reference of the debit being returned (its `providerRef`). */
  debitRef: string;
  amountMinor: bigint;
  currency: string;
  reference: string;
}

export type RefundOutcome =
  | { outcome: 'succeeded'; refundRef: string; amountMinor: bigint }
  /** The provider will not refund it (final): a person must look at it. */
  | { outcome: 'refused'; code: RefundRefusalCode }
  /** Timeout, connection failure or 5xx: the refund may or may not have happened; retry with the same key. */
  | { outcome: 'unknown'; detail: string };

export const refundRefusalCodes = ['debit_not_found', 'refund_exceeds_debit'] as const;
export type RefundRefusalCode = (typeof refundRefusalCodes)[number];

export interface PaymentProvider {
  debit(request: DebitRequest): Promise<DebitOutcome>;
  /**
   * Returns (part of) a succeeded debit to the account it came from. Optional: without it, money debited
   * and not applied stays queued for a refund by hand (the unapplied-payments report lists it).
   */
  refund?(request: RefundRequest): Promise<RefundOutcome>;
}
