// A borrower's reply, applied: a revocation word (STOP, 退订, "please stop texting me") opts them out
// before the next send is decided (delivery receipts go to contacts.ts receiveDeliveryReceipt). It names a
// phone number, not a borrower: every borrower whose SMS address it is gets the reply, so a number shared
// by a family stops texts to all of them. Idempotent by effect: opt-outs are a set, so a provider's
// retries are harmless.
import type { InboundReply } from '../channels/index.ts';
import { defaultPolicy, type PolicyPack } from '../contact/index.ts';
import { listBorrowerIdsBySmsNumber, type Database } from '../store/index.ts';
import { recordContactEvent } from './contacts.ts';

export interface ReplyResult {
  /** The borrowers whose SMS address sent the reply (none when the number is unknown). */
  borrowerIds: string[];
  /** Those of them the reply opted out (a repeated STOP opts out again, and changes nothing). */
  optedOut: string[];
}

/**
 * A reply by SMS. The policy decides what counts as a revocation; the default knows every pack's words,
 * so a lender's narrower pack never misses a STOP a borrower sent in another language.
 */
export async function receiveSmsReply(input: {
  db: Database;
  reply: InboundReply;
  nowMs: number;
  policy?: PolicyPack;
}): Promise<ReplyResult> {
  const borrowerIds = await listBorrowerIdsBySmsNumber(input.db, input.reply.from);
  const optedOut: string[] = [];
  for (const borrowerId of borrowerIds) {
    const result = await recordContactEvent({
      db: input.db,
      borrowerId,
      nowMs: input.nowMs,
      event: { type: 'reply', channel: 'sms', text: input.reply.text },
      policy: input.policy ?? defaultPolicy,
    });
    if (result.optedOut !== null) optedOut.push(borrowerId);
  }
  return { borrowerIds, optedOut };
}
