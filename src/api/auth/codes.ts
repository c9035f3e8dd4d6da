// Delivering a borrower's one-time sign-in code: a port the API calls, with three implementations here —
// in memory (tests and local development read the codes back), the transactional outbox (kind
// `sign_in_code`, kept for another system to deliver), and the lender's own SMS and e-mail channels
// (`kuan serve --channels FILE`), which send the code at once. Invariants: a sender is given
// the code once and must not log it; the API never tells the caller whether a code was sent (so the
// request does not reveal whether a borrower or phone number exists).
import { localDate, localParts } from '../../calendar/index.ts';
import type { ChannelAdapter } from '../../channels/index.ts';
import { enqueueOutbox, type Queryable } from '../../store/index.ts';

export interface SignInCodeMessage {
  borrowerId: string;
  /** Random id of this code (also the outbox event id's suffix). */
  codeId: string;
  channel: 'sms' | 'email';
  /** The phone number or e-mail address from the borrower's contacts. */
  address: string;
  /** Six digits. */
  code: string;
  /** ISO-8601 instant after which the code no longer works. */
  expiresAt: string;
  /** The borrower's locale, for the message's language. */
  locale: string;
}

export interface SignInCodeSender {
  send(message: SignInCodeMessage): Promise<void>;
}

/** The outbox kind the contact pipeline's dispatcher delivers sign-in codes from. */
export const SIGN_IN_CODE_OUTBOX_KIND = 'sign_in_code';

/** Keeps every message in memory; `latest(borrowerId)` is what a test or a developer reads. */
export class MemoryCodeSender implements SignInCodeSender {
  readonly sent: SignInCodeMessage[] = [];
  /** Bound: the oldest messages are dropped beyond this. */
  readonly keepMax: number;

  constructor(keepMax = 10_000) {
    this.keepMax = keepMax;
  }

  async send(message: SignInCodeMessage): Promise<void> {
    this.sent.push(message);
    if (this.sent.length > this.keepMax) this.sent.splice(0, this.sent.length - this.keepMax);
  }

  latest(borrowerId: string): SignInCodeMessage | undefined {
    for (let index = this.sent.length - 1; index >= 0; index -= 1) {
      const message = this.sent[index];
      if (message?.borrowerId === borrowerId) return message;
    }
    return undefined;
  }
}

/**
 * Writes each code as an outbox event (`sign_in_code`, id `sign_in_code:<codeId>`, payload: channel,
 * address, code, expiresAt, locale), available at once and dispatched by the contact pipeline.
 */
export function outboxCodeSender(queryable: Queryable, clock: () => number): SignInCodeSender {
  return {
    async send(message) {
      await enqueueOutbox(queryable, [
        {
          borrowerId: message.borrowerId,
          eventId: `${SIGN_IN_CODE_OUTBOX_KIND}:${message.codeId}`,
          kind: SIGN_IN_CODE_OUTBOX_KIND,
          loanId: null,
          businessDate: localDate('UTC', clock()),
          payload: {
            channel: message.channel,
            address: message.address,
            code: message.code,
            expiresAt: message.expiresAt,
            locale: message.locale,
          },
        },
      ]);
    },
  };
}

/** The text of a sign-in code message, in the borrower's language; it never carries a link. */
export function signInCodeText(message: SignInCodeMessage, timezone: string): string {
  const { minuteOfDay } = localParts(timezone, Date.parse(message.expiresAt));
  const until = `${String(Math.floor(minuteOfDay / 60)).padStart(2, '0')}:${String(minuteOfDay % 60).padStart(2, '0')}`;
  return message.locale.startsWith('zh')
    ? `您的登录验证码是 ${message.code}，${until} 前有效。请勿告诉任何人：我们不会以任何方式向您索要验证码。`
    : `Your sign-in code is ${message.code}, valid until ${until}. Never share it: we will never ask you for it.`;
}

/**
 * Sends each code at once through the borrower's channel (SMS or e-mail), as a message whose id is the
 * code's id (so a provider that deduplicates by it never sends one code twice). A code is requested by
 * the borrower and expires in minutes, so a refused or failed send is reported (without the code) and
 * not retried later; the API answers the same either way.
 */
export function channelCodeSender(options: {
  adapters: Partial<Record<'sms' | 'email', ChannelAdapter>>;
  /** The zone the expiry time is written in (the borrower's, when known; else the lender's). */
  timezoneOf: (message: SignInCodeMessage) => string | Promise<string>;
  onFailure: (failure: { borrowerId: string; channel: string; detail: string }) => void;
}): SignInCodeSender {
  return {
    async send(message) {
      const adapter = options.adapters[message.channel];
      if (adapter === undefined) {
        options.onFailure({
          borrowerId: message.borrowerId,
          channel: message.channel,
          detail: 'no channel configured',
        });
        return;
      }
      const outcome = await adapter.send({
        messageId: `${SIGN_IN_CODE_OUTBOX_KIND}:${message.codeId}`,
        borrowerId: message.borrowerId,
        channel: message.channel,
        to: message.address,
        locale: message.locale,
        subject: message.locale.startsWith('zh') ? '登录验证码' : 'Your sign-in code',
        body: signInCodeText(message, await options.timezoneOf(message)),
        // The code the borrower asked for is the message's own proof: nothing else is appended to it.
        verificationCode: message.code,
        loanIds: [],
      });
      if (outcome.outcome !== 'accepted') {
        options.onFailure({
          borrowerId: message.borrowerId,
          channel: message.channel,
          detail: `${outcome.code}: ${outcome.detail}`,
        });
      }
    },
  };
}
