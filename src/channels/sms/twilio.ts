// SMS through Twilio's Messages API (POST /2010-04-01/Accounts/{AccountSid}/Messages.json, form-encoded,
// HTTP basic auth), its status callbacks turned into DeliveryReceipts, and the X-Twilio-Signature check
// a receipt endpoint must make before believing one. Twilio's error codes are mapped to Kuan's stable
// codes; anything Twilio does not say is permanent is retryable. Twilio's Messages API has no
// idempotency key: the `Idempotency-Key` header is sent for proxies and the test server that honour it,
// and the messageId rides in the status callback URL so a receipt finds its message.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { InputError, quote } from '../../errors/index.ts';
import {
  bodyWithVerificationCode,
  callProvider,
  defaultTimeoutMs,
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

export interface TwilioSmsOptions {
  /** Default https://api.twilio.com; tests point it at a local server. */
  baseUrl?: string;
  accountSid: string;
  /** The account's auth token, or an API key's secret when `apiKeySid` is set. */
  authToken: string;
  apiKeySid?: string;
  /** Sender number (E.164) or alphanumeric sender id; or use `messagingServiceSid`. */
  from?: string;
  messagingServiceSid?: string;
  /** Where Twilio posts status callbacks; `messageId=<Kuan messageId>` is added to its query. */
  statusCallbackUrl?: string;
  timeoutMs?: number;
}

/** Twilio error codes that are permanent for the message, by Kuan code (https://www.twilio.com/docs/api/errors). */
const permanentErrors: Record<string, string> = {
  '21211': sendCodes.invalidAddress, // invalid 'To' phone number
  '21614': sendCodes.invalidAddress, // 'To' is not a valid mobile number
  '21612': sendCodes.invalidAddress, // 'To' not reachable via SMS
  '21610': sendCodes.optedOut, // recipient replied STOP
  '21602': sendCodes.invalidContent, // body required
  '21617': sendCodes.invalidContent, // body too long
};

export function createTwilioSmsChannel(options: TwilioSmsOptions): ChannelAdapter {
  if (!options.from && !options.messagingServiceSid) {
    throw new InputError('from', 'a sender number or a messagingServiceSid is required');
  }
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const url = new URL(
    `/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`,
    options.baseUrl ?? 'https://api.twilio.com',
  ).toString();
  const user = options.apiKeySid ?? options.accountSid;
  const authorization = `Basic ${Buffer.from(`${user}:${options.authToken}`).toString('base64')}`;
  return {
    channel: 'sms',
    name: 'twilio-sms',
    async send(message: OutboundMessage): Promise<SendOutcome> {
      const form = new URLSearchParams({ To: message.to, Body: bodyWithVerificationCode(message) });
      if (options.messagingServiceSid) form.set('MessagingServiceSid', options.messagingServiceSid);
      else if (options.from) form.set('From', options.from);
      if (options.statusCallbackUrl) {
        const callback = new URL(options.statusCallbackUrl);
        callback.searchParams.set('messageId', message.messageId);
        form.set('StatusCallback', callback.toString());
      }
      const answer = await callProvider(
        url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            authorization,
            'idempotency-key': message.messageId,
          },
          body: form.toString(),
        },
        timeoutMs,
      );
      if ('outcome' in answer) return answer;
      const twilioCode = stringField(answer.body, 'code');
      const detail = `HTTP ${answer.status}${twilioCode ? ` twilio ${twilioCode}` : ''}: ${stringField(answer.body, 'message') ?? ''}`;
      const sid = stringField(answer.body, 'sid');
      if (answer.status >= 200 && answer.status < 300) {
        return sid ? { outcome: 'accepted', providerMessageId: sid } : retryable(sendCodes.badAnswer, detail);
      }
      const transient = transientStatus(answer, detail);
      if (transient) return transient;
      if (answer.status >= 400 && answer.status < 500) {
        return rejected((twilioCode && permanentErrors[twilioCode]) ?? sendCodes.providerRejected, detail);
      }
      return retryable(sendCodes.badAnswer, `unexpected HTTP ${answer.status}`);
    },
  };
}

type FormFields = URLSearchParams | Record<string, string>;

function field(form: FormFields, key: string): string | undefined {
  const value = form instanceof URLSearchParams ? form.get(key) : form[key];
  return value === null || value === undefined || value === '' ? undefined : value;
}

/** Twilio's final message statuses; the rest (queued, sending, sent, …) are progress, not receipts. */
const finalStatuses: Record<string, DeliveryStatus> = {
  delivered: 'delivered',
  undelivered: 'undelivered',
  failed: 'failed',
  read: 'read',
};

/**
 * A Twilio status callback (form fields MessageSid, MessageStatus, ErrorCode) as a receipt, or null for a
 * progress status. Twilio sends no timestamp: the caller passes when it arrived. `callbackUrl` (the URL
 * the callback was posted to) yields Kuan's messageId from its query. Throws InputError when malformed.
 */
export function parseTwilioStatusCallback(
  form: FormFields,
  options: { receivedAtMs: number; callbackUrl?: string },
): DeliveryReceipt | null {
  const sid = field(form, 'MessageSid') ?? field(form, 'SmsSid');
  if (!sid) throw new InputError('MessageSid', 'is required');
  const rawStatus = field(form, 'MessageStatus') ?? field(form, 'SmsStatus');
  if (!rawStatus) throw new InputError('MessageStatus', 'is required');
  if (!/^[a-z_]{1,32}$/.test(rawStatus)) throw new InputError('MessageStatus', `unknown status ${quote(rawStatus)}`);
  const status = finalStatuses[rawStatus];
  if (!status) return null;
  const messageId = options.callbackUrl ? new URL(options.callbackUrl).searchParams.get('messageId') : null;
  const code = field(form, 'ErrorCode');
  return {
    providerMessageId: sid,
    ...(messageId ? { messageId } : {}),
    status,
    atMs: options.receivedAtMs,
    ...(code ? { code } : {}),
  };
}

/**
 * An incoming message webhook (form fields MessageSid, From, Body) as a reply. Twilio sends no timestamp:
 * the caller passes when it arrived. Throws InputError naming the field when malformed.
 */
export function parseTwilioInboundMessage(form: FormFields, options: { receivedAtMs: number }): InboundReply {
  const sid = field(form, 'MessageSid') ?? field(form, 'SmsSid');
  if (!sid) throw new InputError('MessageSid', 'is required');
  const from = field(form, 'From');
  if (!from) throw new InputError('From', 'is required');
  const text = field(form, 'Body') ?? '';
  if (text.length > 2_000) throw new InputError('Body', 'must be at most 2000 characters');
  return { providerMessageId: sid, from, text, atMs: options.receivedAtMs };
}

/**
 * Whether `signature` (the X-Twilio-Signature header) is Twilio's HMAC-SHA1, keyed by the auth token, of
 * the full callback URL followed by every POST field name and value in field-name order.
 */
export function verifyTwilioSignature(input: {
  authToken: string;
  url: string;
  form: FormFields;
  signature: string;
}): boolean {
  const entries = input.form instanceof URLSearchParams ? [...input.form.entries()] : Object.entries(input.form);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const data = entries.reduce((text, [key, value]) => text + key + value, input.url);
  const expected = createHmac('sha1', input.authToken).update(data, 'utf8').digest();
  const given = Buffer.from(input.signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
