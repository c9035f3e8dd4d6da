// Payment-provider adapter over HTTP (the API in docs/payment-provider.md). Maps every answer to one of
// three outcomes; anything it cannot be sure about (timeout, 5xx, garbage) is `unknown`, never
// `declined`, because a debit that may have happened must be retried with the same idempotency key, not
// presented again as new.
import { formatMinor, parseMoney } from '../../money/index.ts';
import { declineCodes, type DebitOutcome, type DebitRequest, type PaymentProvider } from './provider.ts';

export interface HttpPaymentProviderOptions {
  baseUrl: string;
  apiKey?: string;
  /** Per request; a slower answer is treated as unknown. */
  timeoutMs?: number;
}

export function createHttpPaymentProvider({
  baseUrl,
  apiKey,
  timeoutMs = 5_000,
}: HttpPaymentProviderOptions): PaymentProvider {
  const url = new URL('/v1/debits', baseUrl).toString();
  return {
    async debit(request: DebitRequest): Promise<DebitOutcome> {
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': request.idempotencyKey,
            ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
          },
          body: JSON.stringify({
            account: request.accountRef,
            amount: formatMinor(request.amountMinor, request.currency),
            currency: request.currency,
            reference: request.reference,
          }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        return { outcome: 'unknown', detail: error instanceof Error ? error.name : 'request failed' };
      }
      let body: Record<string, unknown>;
      try {
        body = (await response.json()) as Record<string, unknown>;
      } catch {
        return { outcome: 'unknown', detail: `unreadable answer, HTTP ${response.status}` };
      }
      if (response.status >= 500) return { outcome: 'unknown', detail: `HTTP ${response.status}` };
      if (response.ok && body.status === 'succeeded' && typeof body.id === 'string') {
        const amount = parseMoney(body.amount, request.currency, { field: 'amount' });
        return { outcome: 'succeeded', providerRef: body.id, amountMinor: amount.amountMinor };
      }
      const code = declineCodes.find((known) => known === body.code);
      if (response.status === 402 || response.status === 422 || response.status === 404) {
        if (code)
          return { outcome: 'declined', code, ...(typeof body.id === 'string' ? { providerRef: body.id } : {}) };
      }
      return { outcome: 'unknown', detail: `unexpected answer HTTP ${response.status}` };
    },
  };
}
