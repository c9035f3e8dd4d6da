// Status notices with an ETA ("延迟"): when a disbursement, a refund or the posting of a payment is slower
// than usual, the borrower is told what is delayed and when it is expected, through the contact engine
// (template `status_delayed`, purpose `notice`, so holds and pauses do not stop it). Pure: builds the
// ContactIntent and the template variables (`what`, `eta`) the renderer fills in; the shell queues it.
// Also the date and time formats the workbench prints for borrowers (letters, notices, callbacks).
// Invariants: the ETA is after `nowMs` and at most `etaDaysMax` days away; the intent is valid until the
// ETA (a notice about a delay that is over is not worth sending); its id is deterministic per borrower,
// delay kind, reference and channel, so queueing the same notice twice queues it once.
import { localDate, localParts, msPerDay, formatClockTime, partsOf, type IsoDate } from '../calendar/index.ts';
import {
  contactChannels,
  resolveTemplateLocale,
  type ContactChannel,
  type ContactIntent,
  type ContactStage,
} from '../contact/index.ts';
import { InputError, quote } from '../errors/index.ts';
import { formatMoneyForLocale } from '../money/index.ts';

export const delayKinds = ['disbursement', 'refund', 'payment_posting'] as const;
export type DelayKind = (typeof delayKinds)[number];

/** An ETA further away than this is not a delay but a different process. */
export const etaDaysMax = 90;
export const statusNoticeTemplate = 'status_delayed';

const monthsEn = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "2026年3月14日" (zh-CN) or "March 14, 2026" (every other locale), as letters and notices print dates. */
export function formatLocalDate(date: IsoDate, locale: string): string {
  const { year, month, day } = partsOf(date);
  if (resolveTemplateLocale(locale) === 'zh-CN') return `${year}年${month}月${day}日`;
  return `${monthsEn[month - 1]} ${day}, ${year}`;
}

/** An instant as the borrower reads it in their zone: "2026年3月14日 18:00" / "March 14, 2026, 18:00". */
export function formatLocalDateTime(atMs: number, timezone: string, locale: string): string {
  const local = localParts(timezone, atMs);
  const time = formatClockTime(local.minuteOfDay);
  const date = formatLocalDate(local.date, locale);
  return resolveTemplateLocale(locale) === 'zh-CN' ? `${date} ${time}` : `${date}, ${time}`;
}

/** What is delayed, in the borrower's language: "refund of ¥50.00" / "¥50.00退款". */
export function delayedWhat(
  kind: DelayKind,
  amount: { amountMinor: bigint; currency: string },
  locale: string,
): string {
  const zh = resolveTemplateLocale(locale) === 'zh-CN';
  const money = formatMoneyForLocale(amount, zh ? 'zh-CN' : 'en-US');
  switch (kind) {
    case 'disbursement':
      return zh ? `${money}放款` : `disbursement of ${money}`;
    case 'refund':
      return zh ? `${money}退款` : `refund of ${money}`;
    case 'payment_posting':
      return zh ? `${money}还款入账` : `payment of ${money} (posting to your loan)`;
  }
}

export interface StatusNoticeInput {
  borrowerId: string;
  timezone: string;
  locale: string;
  loanId: string;
  kind: DelayKind;
  /** The amount that is delayed. */
  amountMinor: bigint;
  currency: string;
  /** When it is now expected to be done. */
  etaMs: number;
  /** What the delay is about (a payment id, a refund id): part of the intent id. */
  reference: string;
  channel: ContactChannel;
  nowMs: number;
  /** Where the loan stands (the gate does not read it for notices); default `pre_due`. */
  stage?: ContactStage;
}

export interface StatusNotice {
  intent: ContactIntent;
  /** The values `status_delayed` needs beyond the loan's own: what is delayed, and the ETA as the borrower reads it. */
  variables: { what: string; eta: string };
}

/** The contact intent for a status notice with its ETA. InputError names the field on bad input. */
export function statusNotice(input: StatusNoticeInput): StatusNotice {
  if (!(delayKinds as readonly string[]).includes(input.kind)) {
    throw new InputError('kind', `must be one of ${delayKinds.join(', ')}, got ${quote(input.kind)}`);
  }
  if (!(contactChannels as readonly string[]).includes(input.channel)) {
    throw new InputError('channel', `must be one of ${contactChannels.join(', ')}, got ${quote(input.channel)}`);
  }
  if (typeof input.reference !== 'string' || !/^[\w.-]{1,64}$/.test(input.reference)) {
    throw new InputError('reference', `must be 1–64 letters, digits or . _ -, got ${quote(input.reference)}`);
  }
  if (typeof input.amountMinor !== 'bigint' || input.amountMinor <= 0n) {
    throw new InputError('amount', `must be positive, got ${quote(String(input.amountMinor))}`);
  }
  if (!Number.isFinite(input.etaMs) || input.etaMs <= input.nowMs) {
    throw new InputError('eta', 'must be after now: a notice announces when a delay will end');
  }
  if (input.etaMs > input.nowMs + etaDaysMax * msPerDay) {
    throw new InputError('eta', `must be within ${etaDaysMax} days`);
  }
  const date = localDate(input.timezone, input.nowMs);
  const eta = formatLocalDateTime(input.etaMs, input.timezone, input.locale);
  const stepId = `status_${input.kind}_${input.reference}`;
  const intent: ContactIntent = {
    intentId: `${input.borrowerId}:${date}:${stepId}:${input.channel}`,
    borrowerId: input.borrowerId,
    loanIds: [input.loanId],
    subjects: [
      { loanId: input.loanId, installmentNumbers: [], amountMinor: input.amountMinor, currency: input.currency },
    ],
    channel: input.channel,
    template: statusNoticeTemplate,
    purpose: 'notice',
    stage: input.stage ?? 'pre_due',
    strategy: { name: 'status_notice', version: 1, arm: 'champion', stepId },
    date,
    plannedAtMs: input.nowMs,
    validUntilMs: input.etaMs,
    reasons: [`status notice: ${input.kind} ${input.reference} delayed, expected by ${eta}`],
  };
  return {
    intent,
    variables: {
      what: delayedWhat(input.kind, { amountMinor: input.amountMinor, currency: input.currency }, input.locale),
      eta,
    },
  };
}
