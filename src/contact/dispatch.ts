// The dispatch of one planned contact, decided: whether it goes now, waits, is dropped, falls back to
// another channel, or is tried again after the channel's answer. Production's dispatcher and the
// simulator's desk both call these functions and only carry out what they return.
// Rules:
// - a first attempt passes the compliance gate at the dispatch instant; a contact the gate lets through
//   without an address on its channel is dropped (no_address) and its undelivered fallback is tried;
// - a re-send (a send decided before whose answer was never recorded) is not gated again — it was
//   already counted against the caps — only its validity, an opt-out since, and the attempt limit;
// - after the channel answers: accepted → sent; rejected → failed for good (+ fallback); retryable → tried
//   again after the backoff, until `attemptsMax` attempts, then failed (+ fallback);
// - a fallback is tried once, at once, on the intent's fallback channel, and never has a fallback itself.
// Invariants: a `send` names an address and at least one loan; a `hold` names an instant inside the
// contact's validity; every decision carries the reasons a person reads in the console.
import { evaluateContact } from './gate/index.ts';
import type { BorrowerContactView, ContactIntent } from './model.ts';
import type { PolicyPack } from './policy/index.ts';
import type { FallbackWhen } from './strategy/index.ts';
import type { TemplateOverrides } from './templates/index.ts';

/** The suffix of a fallback contact's id; a fallback never has a fallback of its own. */
export const FALLBACK_SUFFIX = ':fallback';

/** Provider attempts of one contact before it is given up as failed, and the backoff between them. */
export const DISPATCH_ATTEMPTS_MAX_DEFAULT = 6;
export const DISPATCH_RETRY_BASE_MS_DEFAULT = 60_000;
export const DISPATCH_RETRY_MAX_MS_DEFAULT = 60 * 60_000;

/**
 * The contact that tries the intent's fallback channel at `atMs`, or null when the intent has no fallback
 * for `when` (or is a fallback already).
 */
export function fallbackOf(intent: ContactIntent, when: FallbackWhen, atMs: number): ContactIntent | null {
  const fallback = intent.fallback;
  if (!fallback || fallback.when !== when || intent.intentId.endsWith(FALLBACK_SUFFIX)) return null;
  const { fallback: _dropped, ...rest } = intent;
  return {
    ...rest,
    intentId: `${intent.intentId}${FALLBACK_SUFFIX}`,
    channel: fallback.channel,
    template: fallback.template,
    plannedAtMs: atMs,
    reasons: [...intent.reasons, fallbackReason(intent, when)],
  };
}

/** The reason a fallback contact was planned, e.g. "fallback after undelivered sms". */
export function fallbackReason(intent: Pick<ContactIntent, 'channel'>, when: FallbackWhen): string {
  return `fallback after ${when} ${intent.channel}`;
}

export interface DispatchInput {
  intent: ContactIntent;
  /** What the gate reads now: the borrower's contact state and live loans (and, in production, contacts in flight). */
  view: BorrowerContactView;
  /** The borrower's address on the intent's channel now, if any. */
  address: string | undefined;
  policy: PolicyPack;
  nowMs: number;
  templates?: TemplateOverrides;
  /** A send was decided before and its answer never recorded: `attempts` so far. Absent: a first attempt. */
  resend?: { attempts: number };
  attemptsMax?: number;
}

/** How a dropped contact ends: 'suppressed' by a rule, or 'failed' (expired in flight, attempts used up). */
export type SkipStatus = 'suppressed' | 'failed';

export type DispatchDecision =
  /** Send now to `address`, about `loanIds`. */
  | { action: 'send'; address: string; loanIds: string[]; reasons: string[] }
  /** Send again what was decided before, under the same message id (the provider deduplicates). */
  | { action: 'resend'; reasons: string[] }
  /** Wait: dispatch again at `untilMs`. */
  | { action: 'hold'; untilMs: number; reasons: string[] }
  /** Drop it; `fallback`, when not null, is the contact to try instead, now. */
  | {
      action: 'skip';
      status: SkipStatus;
      verdict: 'suppress' | 'expired' | 'failed';
      reasons: string[];
      /** The loans the contact was about when the gate narrowed them. */
      loanIds?: string[];
      fallback: ContactIntent | null;
    };

/** Decides a due contact at `nowMs`. Pure: the same input always gives the same decision. */
export function decideDispatch(input: DispatchInput): DispatchDecision {
  const { intent, view, nowMs, address } = input;
  const channel = intent.channel;
  if (input.resend !== undefined) {
    const attemptsMax = input.attemptsMax ?? DISPATCH_ATTEMPTS_MAX_DEFAULT;
    if (nowMs > intent.validUntilMs) {
      return skip('failed', 'expired', ['expired before a send was confirmed'], null);
    }
    if (view.optOuts.includes(channel)) {
      return skip('suppressed', 'suppress', [`opt_out ${channel} before a re-send`], null);
    }
    if (input.resend.attempts > attemptsMax) {
      const reasons = [`attempts ${input.resend.attempts - 1}/${attemptsMax}`];
      return skip('failed', 'failed', reasons, fallbackOf(intent, 'undelivered', nowMs));
    }
    return { action: 'resend', reasons: [] };
  }
  const decision = evaluateContact({
    intent,
    view,
    policy: input.policy,
    nowMs,
    address,
    ...(input.templates ? { templates: input.templates } : {}),
  });
  if (decision.verdict === 'suppress') return skip('suppressed', 'suppress', decision.reasons, null);
  if (decision.verdict === 'defer') {
    return { action: 'hold', untilMs: decision.notBeforeMs as number, reasons: decision.reasons };
  }
  const loanIds = decision.loanIds ?? intent.loanIds;
  if (address === undefined) {
    // The gate's "cap 1/2 today" would claim a slot that was never used: the reasons are the intent's.
    const reasons = [...intent.reasons, `no_address ${channel}`];
    return skip('suppressed', 'suppress', reasons, fallbackOf(intent, 'undelivered', nowMs), loanIds);
  }
  return { action: 'send', address, loanIds, reasons: decision.reasons };
}

function skip(
  status: SkipStatus,
  verdict: 'suppress' | 'expired' | 'failed',
  reasons: string[],
  fallback: ContactIntent | null,
  loanIds?: string[],
): DispatchDecision {
  return { action: 'skip', status, verdict, reasons, fallback, ...(loanIds ? { loanIds } : {}) };
}

/** A channel's answer to a send, as the decision needs it (the channels' SendOutcome fits it). */
export type ChannelAnswer =
  { outcome: 'accepted' } | { outcome: 'rejected' | 'retryable'; code: string; detail: string; retryAfterMs?: number };

/** What the provider's word means for the borrower's address beyond this message. */
export type AddressEffect = 'opt_out' | 'block_address' | null;

export type DeliveryDecision =
  | { action: 'sent' }
  /** Try again at `atMs`; `note` says when, for the decision record. */
  | { action: 'retry'; atMs: number; reasons: string[]; note: string }
  | {
      action: 'give_up';
      verdict: 'rejected' | 'failed';
      reasons: string[];
      fallback: ContactIntent | null;
      addressEffect: AddressEffect;
    };

/** Provider rejection codes that are about the address, not the message. */
const optOutCodes = new Set(['opted_out']);
const badAddressCodes = new Set(['invalid_address', 'unregistered']);

/**
 * Decides what the channel's answer to attempt number `attempts` means. `backoffMs(attempts)` is the wait
 * before the next attempt (the caller's curve and jitter), asked only when a retry is decided; a
 * provider's retryAfterMs can lengthen it.
 */
export function decideDelivery(input: {
  intent: ContactIntent;
  answer: ChannelAnswer;
  attempts: number;
  attemptsMax?: number;
  backoffMs: (attempts: number) => number;
  nowMs: number;
}): DeliveryDecision {
  const { answer, intent, nowMs } = input;
  if (answer.outcome === 'accepted') return { action: 'sent' };
  const reasons = [`${answer.outcome} ${answer.code}: ${answer.detail}`.slice(0, 500)];
  const giveUp = (verdict: 'rejected' | 'failed', addressEffect: AddressEffect): DeliveryDecision => ({
    action: 'give_up',
    verdict,
    reasons,
    fallback: fallbackOf(intent, 'undelivered', nowMs),
    addressEffect,
  });
  if (answer.outcome === 'rejected') {
    if (optOutCodes.has(answer.code)) return giveUp('rejected', 'opt_out');
    return giveUp('rejected', badAddressCodes.has(answer.code) ? 'block_address' : null);
  }
  if (input.attempts >= (input.attemptsMax ?? DISPATCH_ATTEMPTS_MAX_DEFAULT)) return giveUp('failed', null);
  const delayMs = Math.max(input.backoffMs(input.attempts), answer.retryAfterMs ?? 0);
  return { action: 'retry', atMs: nowMs + delayMs, reasons, note: `retry in ${Math.round(delayMs / 1000)} s` };
}
