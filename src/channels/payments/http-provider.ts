// Payment-provider adapter over HTTP (the API in docs/payment-provider.md): debits (`POST /v1/debits`)
// and refunds of debits (`POST /v1/refunds`). Maps every answer to one of three outcomes; anything it cannot be sure about (timeout, 5xx, garbage) is `unknown`, never
// `declined`, because a debit that may have happened must be retried with the same idempotency key, not
// presented again as new.
import { formatMinor, parseMoney } from '../../money/index.ts';
import {
  declineCodes,
  refundRefusalCodes,
  type DebitOutcome,
  type DebitRequest,
  type PaymentProvider,
  type RefundOutcome,
  type RefundRequest,
} from './provider.ts';

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
  const refundsUrl = new URL('/v1/refunds', baseUrl).toString();
  /** POSTs a JSON body under an idempotency key; the answer's status and body, or why it is unknown. */
  async function post(
    target: string,
    idempotencyKey: string,
    payload: Record<string, string>,
  ): Promise<{ status: number; ok: boolean; body: Record<string, unknown> } | { unknown: string }> {
    let response: Response;
    try {
      response = await fetch(target, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': idempotencyKey,
          ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
        },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      return { unknown: error instanceof Error ? error.name : 'request failed' };
    }
    let body: Record<string, unknown>;
    try {
      body = (await response.json()) as Record<string, unknown>;
    } catch {
      return { unknown: `unreadable answer, HTTP ${response.status}` };
    }
    if (response.status >= 500) return { unknown: `HTTP ${response.status}` };
    return { status: response.status, ok: response.ok, body };
  }
  return {
    async debit(request: DebitRequest): Promise<DebitOutcome> {
      const answer = await post(url, request.idempotencyKey, {
        account: request.accountRef,
        amount: formatMinor(request.amountMinor, request.currency),
        currency: request.currency,
        reference: request.reference,
      });
      if ('unknown' in answer) return { outcome: 'unknown', detail: answer.unknown };
      const { body } = answer;
      const response = answer;
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
    async refund(request: RefundRequest): Promise<RefundOutcome> {
      const answer = await post(refundsUrl, request.idempotencyKey, {
        debit: request.debitRef,
        amount: formatMinor(request.amountMinor, request.currency),
        currency: request.currency,
        reference: request.reference,
      });
      if ('unknown' in answer) return { outcome: 'unknown', detail: answer.unknown };
      const { body, status } = answer;
      if (answer.ok && body.status === 'succeeded' && typeof body.id === 'string') {
        const amount = parseMoney(body.amount, request.currency, { field: 'amount' });
        return { outcome: 'succeeded', refundRef: body.id, amountMinor: amount.amountMinor };
      }
      const code = refundRefusalCodes.find((known) => known === body.code);
      if (code && (status === 404 || status === 422)) return { outcome: 'refused', code };
      return { outcome: 'unknown', detail: `unexpected answer HTTP ${status}` };
    },
  };
}
