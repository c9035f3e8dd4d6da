// Kuan's generic JSON webhook channel (docs/channels.md): one POST per message with the messageId as
// `Idempotency-Key`, for any HTTP provider (SMS or push) reached through a thin proxy; and the parser of
// the delivery receipts such a provider posts back. A repeated messageId is always the same request, so
// a provider that honours the key delivers once however often Kuan retries.
import type { ContactChannel } from '../../contact/model.ts';
import { InputError, quote } from '../../errors/index.ts';
import {
  bodyWithVerificationCode,
  callProvider,
  defaultTimeoutMs,
  deliveryStatuses,
  rejected,
  retryable,
  sendCodes,
  stringField,
  transientStatus,
  type ChannelAdapter,
  type DeliveryReceipt,
  type DeliveryStatus,
  type InboundReply,
  type OutboundMessage,
  type SendOutcome,
} from '../channel.ts';

export interface WebhookChannelOptions {
  channel: ContactChannel;
  /** The provider's endpoint, e.g. https://sms-proxy.example/v1/messages. */
  url: string;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Where the provider should post delivery receipts; sent in each request as `callbackUrl`. */
  callbackUrl?: string;
  timeoutMs?: number;
  name?: string;
}

/** Error codes a provider may answer that Kuan passes through as the rejection code. */
const knownRejectionCodes = new Set<string>([
  sendCodes.invalidAddress,
  sendCodes.optedOut,
  sendCodes.unregistered,
  sendCodes.invalidContent,
]);

export function createWebhookChannel(options: WebhookChannelOptions): ChannelAdapter {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  return {
    channel: options.channel,
    name: options.name ?? `webhook-${options.channel}`,
    async send(message: OutboundMessage): Promise<SendOutcome> {
      const answer = await callProvider(
        options.url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': message.messageId,
            ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
          },
          body: JSON.stringify({
            messageId: message.messageId,
            channel: message.channel,
            to: message.to,
            locale: message.locale,
            ...(message.subject === undefined ? {} : { subject: message.subject }),
            body: bodyWithVerificationCode(message),
            verificationCode: message.verificationCode,
            ...(options.callbackUrl ? { callbackUrl: options.callbackUrl } : {}),
          }),
        },
        timeoutMs,
      );
      if ('outcome' in answer) return answer;
      const error = (answer.body as { error?: unknown } | undefined)?.error;
      const errorCode = stringField(error, 'code');
      const detail = `HTTP ${answer.status}${errorCode ? ` ${errorCode}` : ''}: ${stringField(error, 'message') ?? ''}`;
      const id = stringField(answer.body, 'id');
      if (answer.status >= 200 && answer.status < 300) {
        if (id) return { outcome: 'accepted', providerMessageId: id };
        // It may have been taken; retrying with the same key is safe and gets us the id.
        return retryable(sendCodes.badAnswer, `HTTP ${answer.status} without an id`);
      }
      const transient = transientStatus(answer, detail);
      if (transient) return transient;
      if (answer.status >= 400 && answer.status < 500) {
        const code = errorCode && knownRejectionCodes.has(errorCode) ? errorCode : sendCodes.providerRejected;
        return rejected(code, detail);
      }
      return retryable(sendCodes.badAnswer, `unexpected HTTP ${answer.status}`);
    },
  };
}

const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A delivery receipt posted by a generic-webhook provider:
 * `{"id","messageId"?,"status":"delivered"|"failed"|"undelivered"|"read","at":ISO-8601,"code"?}`.
 * Throws InputError naming the field when the receipt is malformed.
 */
export function parseWebhookReceipt(json: unknown): DeliveryReceipt {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new InputError('receipt', `must be a JSON object, got ${quote(json)}`);
  }
  const fields = json as Record<string, unknown>;
  const id = fields.id;
  if (typeof id !== 'string' || id.length === 0)
    throw new InputError('id', `must be a non-empty string, got ${quote(id)}`);
  const status = fields.status;
  if (!deliveryStatuses.includes(status as DeliveryStatus)) {
    throw new InputError('status', `must be one of ${deliveryStatuses.join(', ')}, got ${quote(status)}`);
  }
  const at = fields.at;
  const atMs = typeof at === 'string' && isoInstant.test(at) ? Date.parse(at) : Number.NaN;
  if (!Number.isFinite(atMs))
    throw new InputError('at', `must be an ISO-8601 instant with an offset, got ${quote(at)}`);
  for (const key of ['messageId', 'code'] as const) {
    if (fields[key] !== undefined && typeof fields[key] !== 'string') {
      throw new InputError(key, `must be a string, got ${quote(fields[key])}`);
    }
  }
  return {
    providerMessageId: id,
    ...(typeof fields.messageId === 'string' ? { messageId: fields.messageId } : {}),
    status: status as DeliveryStatus,
    atMs,
    ...(typeof fields.code === 'string' ? { code: fields.code } : {}),
  };
}

/** Longest reply text kept: a borrower's SMS, several segments long at most. */
const replyTextMax = 2_000;

/**
 * A reply posted by a generic-webhook provider: `{"id","from","text","at":ISO-8601}` (docs/channels.md).
 * Throws InputError naming the field when the reply is malformed.
 */
export function parseWebhookReply(json: unknown): InboundReply {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new InputError('reply', `must be a JSON object, got ${quote(json)}`);
  }
  const fields = json as Record<string, unknown>;
  for (const key of ['id', 'from'] as const) {
    const value = fields[key];
    if (typeof value !== 'string' || value.length === 0 || value.length > 200) {
      throw new InputError(key, `must be a non-empty string, got ${quote(value)}`);
    }
  }
  const text = fields.text;
  if (typeof text !== 'string' || text.length > replyTextMax) {
    throw new InputError('text', `must be a string of at most ${replyTextMax} characters, got ${quote(text)}`);
  }
  const at = fields.at;
  const atMs = typeof at === 'string' && isoInstant.test(at) ? Date.parse(at) : Number.NaN;
  if (!Number.isFinite(atMs))
    throw new InputError('at', `must be an ISO-8601 instant with an offset, got ${quote(at)}`);
  return { providerMessageId: fields.id as string, from: fields.from as string, text, atMs };
}
