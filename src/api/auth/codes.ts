// Delivering a borrower's one-time sign-in code: a port the API calls, with two implementations here —
// in memory (tests and local development read the codes back) and the transactional outbox (kind
// `sign_in_code`, for the contact pipeline's channel adapters to deliver). Invariants: a sender is given
// the code once and must not log it; the API never tells the caller whether a code was sent (so the
// request does not reveal whether a borrower or phone number exists).
import { localDate } from '../../calendar/index.ts';
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
