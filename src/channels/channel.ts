// The channel port: what the contact dispatcher hands to a channel (an OutboundMessage), what it gets back
// (a SendOutcome) and what a provider reports later (a DeliveryReceipt); plus the one HTTP call every
// HTTP adapter makes through. Invariants every adapter keeps: `send` never throws for a provider's
// failure (it returns `rejected` or `retryable`), every network call has a deadline, and a repeated
// `messageId` is sent as the same idempotency key so the provider can drop the duplicate.
import type { ContactChannel } from '../contact/model.ts';

export interface OutboundMessage {
  /** Idempotency key: the provider must not deliver twice for the same key (at-least-once from us). */
  messageId: string;
  borrowerId: string;
  channel: ContactChannel;
  /** Phone (E.164), e-mail address, device token, postal address text, or the phone to call. */
  to: string;
  /** 'zh-CN' | 'en' */
  locale: string;
  /** E-mail subject, letter title, push title. */
  subject?: string;
  /** Rendered text (templates are rendered before the channel). */
  body: string;
  /** Shown in the message, so the borrower can check it in the portal; also an e-mail header. */
  verificationCode: string;
  loanIds: string[];
}

export type SendOutcome =
  | { outcome: 'accepted'; providerMessageId: string; document?: Uint8Array /* letter PDF */ }
  /** Permanent for this message and address: sending it again will not help (bad address, opted out…). */
  | { outcome: 'rejected'; code: string; detail: string }
  /** Transient (timeout, 5xx, 429, refused connection, open circuit): retry later with the same messageId. */
  | { outcome: 'retryable'; code: string; detail: string; retryAfterMs?: number };

export type RetryableOutcome = Extract<SendOutcome, { outcome: 'retryable' }>;
export type RejectedOutcome = Extract<SendOutcome, { outcome: 'rejected' }>;

export interface ChannelAdapter {
  readonly channel: ContactChannel;
  /** Which adapter, e.g. "twilio-sms", for logs and the contact record. */
  readonly name: string;
  send(message: OutboundMessage): Promise<SendOutcome>;
  close?(): Promise<void>;
}

export type DeliveryStatus = 'delivered' | 'failed' | 'undelivered' | 'read';
export const deliveryStatuses: readonly DeliveryStatus[] = ['delivered', 'failed', 'undelivered', 'read'];

export interface DeliveryReceipt {
  providerMessageId: string;
  /** Kuan's messageId when the provider echoes it back. */
  messageId?: string;
  status: DeliveryStatus;
  atMs: number;
  /** The provider's error code for failed/undelivered. */
  code?: string;
}

/** A message a borrower sent back (a reply to an SMS), as a provider reports it. */
export interface InboundReply {
  providerMessageId: string;
  /** The sender's address (an E.164 number for SMS). */
  from: string;
  text: string;
  atMs: number;
}

/**
 * Stable outcome codes shared by the adapters, so the dispatcher can act on them without knowing the
 * provider (the provider's own code goes into `detail`).
 */
export const sendCodes = {
  invalidAddress: 'invalid_address',
  optedOut: 'opted_out',
  unregistered: 'unregistered',
  invalidContent: 'invalid_content',
  providerRejected: 'provider_rejected',
  timeout: 'timeout',
  connectionFailed: 'connection_failed',
  rateLimited: 'rate_limited',
  providerUnavailable: 'provider_unavailable',
  unauthorized: 'unauthorized',
  badAnswer: 'bad_answer',
  circuitOpen: 'circuit_open',
  adapterError: 'adapter_error',
} as const;

export const defaultTimeoutMs = 5_000;
/** A provider's Retry-After above this is not believed (and the dispatcher's own cap applies). */
const retryAfterMaxMs = 3_600_000;
/** Answers larger than this are not parsed: a provider's answer is a small JSON object. */
const answerBytesMax = 1_000_000;

export function retryable(code: string, detail: string, retryAfterMs?: number): RetryableOutcome {
  return retryAfterMs === undefined
    ? { outcome: 'retryable', code, detail }
    : { outcome: 'retryable', code, detail, retryAfterMs };
}

export function rejected(code: string, detail: string): RejectedOutcome {
  return { outcome: 'rejected', code, detail };
}

/** A provider's HTTP answer, its body parsed as JSON when it is JSON (else `undefined`). */
export interface ProviderAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

/**
 * One HTTP request to a provider with a deadline covering connect, answer and body. Never throws: a
 * timeout or a connection failure comes back as a retryable outcome.
 */
export async function callProvider(
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string },
  timeoutMs: number,
): Promise<ProviderAnswer | RetryableOutcome> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    let body: unknown;
    if (text.length > 0 && text.length <= answerBytesMax) {
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
    }
    return { status: response.status, headers: response.headers, body };
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') {
      return retryable(sendCodes.timeout, `no answer within ${timeoutMs} ms`);
    }
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    return retryable(sendCodes.connectionFailed, cause);
  }
}

/**
 * The answers that are transient whatever the provider: 408, 429, 5xx, and 401/403 (a credential
 * problem is the provider account's, not the message's; the circuit breaker stops the flood). `null`
 * for every other status.
 */
export function transientStatus(answer: ProviderAnswer, detail: string): RetryableOutcome | null {
  const { status } = answer;
  if (status === 429) return retryable(sendCodes.rateLimited, detail, retryAfterMs(answer.headers));
  if (status === 408) return retryable(sendCodes.timeout, detail);
  if (status >= 500) return retryable(sendCodes.providerUnavailable, detail, retryAfterMs(answer.headers));
  if (status === 401 || status === 403) return retryable(sendCodes.unauthorized, detail);
  return null;
}

/** Retry-After in seconds (the date form is not used by these providers), bounded. */
function retryAfterMs(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (value === null || !/^\d{1,7}$/.test(value.trim())) return undefined;
  return Math.min(Number(value.trim()) * 1000, retryAfterMaxMs);
}

/** A string field of an unknown JSON object, or undefined. */
export function stringField(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' ? field : typeof field === 'number' ? String(field) : undefined;
}

const verificationLabels: Record<string, string> = { 'zh-CN': '核验码：', en: 'Verification code: ' };

/** "核验码：K7Q2M9" / "Verification code: K7Q2M9", in the message's locale (English when unknown). */
export function verificationLine(locale: string, code: string): string {
  return `${verificationLabels[locale] ?? verificationLabels.en}${code}`;
}

/**
 * The body as sent: every written message carries its verification code, so a template that left it out
 * gets the line appended rather than a message the borrower cannot check.
 */
export function bodyWithVerificationCode(message: OutboundMessage): string {
  if (message.body.includes(message.verificationCode)) return message.body;
  return `${message.body}\n${verificationLine(message.locale, message.verificationCode)}`;
}
