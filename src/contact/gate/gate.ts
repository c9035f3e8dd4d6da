// The compliance gate: one pure function that decides whether a planned contact may go now, must wait,
// or must not go at all, and says why. It runs twice for every contact — when the contact is planned
// (against the state then) and again at the moment of dispatch (against the borrower's live state) — so a
// payment, hold, promise or opt-out that arrives in between always wins. Rules, in the order they are
// checked (the first that stops a contact decides; every rule that shaped a `send` is in its reasons):
//  1. validity: past `validUntilMs` the contact is dropped;
//  2. opt-outs per channel, and addresses known to be wrong or a third party's;
//  3. what the message is about: closed loans, installments paid since planning, loans under an open
//     promise to pay drop out (no collection message about the loan until the promised date has passed;
//     a promise-stage reminder only when the borrower asked for one, `remindMe`); nothing left → dropped;
//  4. pauses (a complaint about contact or a dispute under review): no collection message and no call —
//     only acknowledgements of the borrower's own acts and service messages (the template's `kind`);
//  5. an open hardship request: only the strategy's hardship steps (the plan offer), acknowledgements and
//     service messages go until the request is decided;
//  6. holds (缓催): no reminders and no calls; notices at most `messagesPer7DaysMax` per 7 days;
//  7. no-contact days and quiet hours in the borrower's time zone: the contact waits for the next
//     allowed moment if it is still valid then, otherwise it is dropped;
//  8. per-channel daily caps per borrower per local calendar day (waits for the next day if still valid);
//     and one message per channel per minute: a second message in the minute of another on its channel
//     waits for the next minute (two strategy steps, a re-plan or a fallback may land on the same minute);
//  9. call limits: connected calls per borrower per day and unanswered attempts per number per day
//     (cn-2026); attempts per debt in 7 days and the quiet days after a conversation (us-regf).
// Invariants: a `send` is inside the window, under every cap and limit, on a channel the borrower has
// not opted out of, and mentions only loans with something unpaid and no open promise; no collection
// message or call is sent during a pause or an open hardship request (hardship steps excepted); a `defer`
// names an instant inside the contact's validity.
import { addDays, dayOfWeek, localParts, msPerDay, zonedEpochMs, type LocalParts } from '../../calendar/index.ts';
import type {
  BorrowerContactView,
  ContactIntent,
  ContactRecord,
  GateDecision,
  HoldView,
  LoanContactView,
  PauseView,
} from '../model.ts';
import { quietHoursText, type PolicyPack } from '../policy/pack.ts';
import { templateKindOf, type TemplateOverrides } from '../templates/index.ts';

export interface GateInput {
  intent: ContactIntent;
  view: BorrowerContactView;
  policy: PolicyPack;
  nowMs: number;
  /** The address the contact would use (phone, e-mail, device); checked against blocked addresses and per-number limits. */
  address?: string;
  /** Custom templates, consulted before the catalogue for a template's kind (collection, acknowledgement, service). */
  templates?: TemplateOverrides;
}

const msPer7Days = 7 * msPerDay;
const msPerMinute = 60_000;
const unanswered = new Set(['no_answer', 'busy']);
/** Outcomes in which the borrower was reached and spoke: each is a conversation for the call limits. */
const conversations = new Set(['connected', 'promise', 'dispute', 'callback', 'refused']);

function suppress(reasons: string[]): GateDecision {
  return { verdict: 'suppress', reasons };
}

function isActive(span: HoldView | PauseView, nowMs: number): boolean {
  return span.fromMs <= nowMs && (span.untilMs === null || nowMs < span.untilMs);
}

/**
 * Contact the lender starts about money owed: a reminder, or a message whose template is of kind
 * `collection` (whatever its step's purpose — a promise-stage or hold-stage step is a notice by default).
 */
function isCollection(input: GateInput): boolean {
  return input.intent.purpose === 'reminder' || templateKindOf(input.intent.template, input.templates) === 'collection';
}

/** The loans still worth mentioning, with the reason for each one dropped. */
function liveLoans(input: GateInput, local: LocalParts): { loanIds: string[]; dropped: string[] } {
  const { intent, view } = input;
  // The answer to the borrower's own request for help is not held back by their promise.
  const promiseHolds = isCollection(input) && intent.stage !== 'hardship';
  const loans = new Map<string, LoanContactView>();
  for (const loan of view.loans) loans.set(loan.loanId, loan);
  const loanIds: string[] = [];
  const dropped: string[] = [];
  const reminder = intent.purpose === 'reminder';
  for (const loanId of intent.loanIds) {
    const loan = loans.get(loanId);
    if (!loan || loan.status === 'closed') {
      dropped.push(`closed ${loanId}`);
      continue;
    }
    if (reminder) {
      const subject = intent.subjects.find((candidate) => candidate.loanId === loanId);
      const numbers = subject?.installmentNumbers ?? [];
      if (numbers.length > 0 && !numbers.some((number) => loan.unsettledInstallments.includes(number))) {
        dropped.push(`paid ${loanId}`);
        continue;
      }
    }
    if (promiseHolds) {
      const promise = view.promises.find((candidate) => candidate.loanId === loanId && candidate.date >= local.date);
      // A promise-stage reminder goes only when the borrower asked to be reminded.
      const asked = promise?.remindMe === true && intent.stage === 'promise';
      if (promise && !asked) {
        dropped.push(`promise ${loanId} until ${promise.date}`);
        continue;
      }
    }
    loanIds.push(loanId);
  }
  return { loanIds, dropped };
}

/** The next allowed start of the window after `local` (today's if before it opens, else a later day's). */
function nextWindowStart(input: GateInput, local: LocalParts, dayOffset: number): number {
  const { policy, view } = input;
  const date = addDays(local.date, dayOffset);
  return zonedEpochMs(view.timezone, date, policy.windowStartMinute);
}

/** Defers to `notBeforeMs` if the contact is still valid then; drops it otherwise. */
function waitOrDrop(input: GateInput, notBeforeMs: number, reasons: string[]): GateDecision {
  if (notBeforeMs <= input.intent.validUntilMs) return { verdict: 'defer', notBeforeMs, reasons };
  return suppress(reasons);
}

function isNoContactDay(policy: PolicyPack, date: string): boolean {
  return policy.noContactDates.includes(date) || policy.noContactWeekdays.includes(dayOfWeek(date));
}

function countToday(history: readonly ContactRecord[], channel: string, date: string): number {
  let count = 0;
  for (const record of history) if (record.channel === channel && record.localDate === date) count += 1;
  return count;
}

/** Call limits; returns a suppression, or the loans calls may still be about. */
function checkCalls(
  input: GateInput,
  local: LocalParts,
  loanIds: string[],
): { decision: GateDecision } | { loanIds: string[] } {
  const { policy, view, nowMs, address } = input;
  const calls = view.history.filter((record) => record.channel === 'voice');
  const limits = policy.calls;
  if (limits.connectedPerBorrowerPerDayMax !== null) {
    const connected = calls.filter(
      (c) => c.localDate === local.date && conversations.has(c.call?.outcome ?? ''),
    ).length;
    if (connected >= limits.connectedPerBorrowerPerDayMax) {
      return { decision: suppress([`calls connected ${connected}/${limits.connectedPerBorrowerPerDayMax} today`]) };
    }
  }
  if (limits.unansweredPerNumberPerDayMax !== null && address !== undefined) {
    const misses = calls.filter(
      (c) => c.localDate === local.date && c.call?.number === address && unanswered.has(c.call.outcome),
    ).length;
    if (misses >= limits.unansweredPerNumberPerDayMax) {
      return {
        decision: suppress([`calls unanswered ${misses}/${limits.unansweredPerNumberPerDayMax} today to this number`]),
      };
    }
  }
  const kept: string[] = [];
  const dropped: string[] = [];
  for (const loanId of loanIds) {
    const about = calls.filter((c) => c.loanIds.includes(loanId) && c.atMs <= nowMs);
    if (limits.attemptsPerDebtPer7DaysMax !== null) {
      const attempts = about.filter((c) => c.atMs > nowMs - msPer7Days).length;
      if (attempts >= limits.attemptsPerDebtPer7DaysMax) {
        dropped.push(`calls ${attempts}/${limits.attemptsPerDebtPer7DaysMax} in 7 days about ${loanId}`);
        continue;
      }
    }
    if (limits.quietDaysAfterConversation !== null) {
      const quietMs = limits.quietDaysAfterConversation * msPerDay;
      // A conversation counts for the debts it was about (the outcome's named loans, else the call's).
      const talk = calls.find(
        (c) =>
          c.atMs <= nowMs &&
          c.atMs > nowMs - quietMs &&
          conversations.has(c.call?.outcome ?? '') &&
          (c.call?.about ?? c.loanIds).includes(loanId),
      );
      if (talk) {
        dropped.push(`conversation about ${loanId} within ${limits.quietDaysAfterConversation} days`);
        continue;
      }
    }
    kept.push(loanId);
  }
  if (kept.length === 0) return { decision: suppress(dropped) };
  return { loanIds: kept };
}

/** Decides one contact at `nowMs`. Pure: the same input always gives the same decision. */
export function evaluateContact(input: GateInput): GateDecision {
  const { intent, view, policy, nowMs, address } = input;
  const channel = intent.channel;
  const local = localParts(view.timezone, nowMs);
  if (nowMs > intent.validUntilMs) return suppress(['expired']);
  if (view.optOuts.includes(channel)) return suppress([`opt_out ${channel}`]);
  if (address !== undefined && view.blockedAddresses?.includes(address))
    return suppress([`blocked_address ${channel}`]);

  const live = liveLoans(input, local);
  if (live.loanIds.length === 0) return suppress(live.dropped);
  let loanIds = live.loanIds;
  const notes = live.dropped;

  const collection = isCollection(input) || channel === 'voice';
  const pause = view.pauses.find((candidate) => isActive(candidate, nowMs));
  if (pause && collection) return suppress([`paused ${pause.reason}`]);
  const hardship = view.hardshipRequest;
  if (hardship !== undefined && collection && intent.stage !== 'hardship') {
    return suppress([`hardship_request pending (${hardship.reason})`]);
  }

  const hold = view.holds.find((candidate) => isActive(candidate, nowMs));
  if (hold) {
    if (channel === 'voice' && !policy.hold.callsAllowed) return suppress([`hold no calls (${hold.reason})`]);
    if (intent.purpose === 'reminder') return suppress([`hold no reminders (${hold.reason})`]);
    const recent = view.history.filter(
      (record) => record.channel !== 'voice' && record.atMs >= hold.fromMs && record.atMs > nowMs - msPer7Days,
    ).length;
    const max = policy.hold.messagesPer7DaysMax;
    if (recent >= max) return suppress([`hold cadence ${recent}/${max} in 7 days`]);
    notes.push(`hold cadence ${recent + 1}/${max} in 7 days`);
  }

  if (intent.purpose === 'reminder' && isNoContactDay(policy, local.date)) {
    let offset = 1;
    while (offset < 14 && isNoContactDay(policy, addDays(local.date, offset))) offset += 1;
    return waitOrDrop(input, nextWindowStart(input, local, offset), [`no_contact_day ${local.date}`]);
  }
  if (local.minuteOfDay < policy.windowStartMinute || local.minuteOfDay >= policy.windowEndMinute) {
    const reason = `quiet_hours ${quietHoursText(policy)} ${view.timezone}`;
    const dayOffset = local.minuteOfDay < policy.windowStartMinute ? 0 : 1;
    return waitOrDrop(input, nextWindowStart(input, local, dayOffset), [reason]);
  }

  const cap = policy.channelDailyCaps[channel];
  const sentToday = countToday(view.history, channel, local.date);
  if (sentToday >= cap) {
    return waitOrDrop(input, nextWindowStart(input, local, 1), [`cap ${channel} ${sentToday}/${cap} today`]);
  }
  if (channel !== 'voice') {
    const minute = Math.floor(nowMs / msPerMinute);
    const same = view.history.some(
      (record) => record.channel === channel && Math.floor(record.atMs / msPerMinute) === minute,
    );
    if (same) return waitOrDrop(input, (minute + 1) * msPerMinute, [`spacing ${channel} 1 per minute`]);
  }
  const reasons = [...intent.reasons, `cap ${channel} ${sentToday + 1}/${cap} today`];

  if (channel === 'voice') {
    const checked = checkCalls(input, local, loanIds);
    if ('decision' in checked) return checked.decision;
    loanIds = checked.loanIds;
  }
  return { verdict: 'send', loanIds, reasons: [...reasons, ...notes] };
}

/**
 * The rule a reason names, without its particulars, for counting suppressions by rule: "paid L1" →
 * "paid", "cap sms 2/2 today" → "cap sms", "quiet_hours 22:00-08:00 Asia/Shanghai" → "quiet_hours".
 */
export function gateRuleOf(reason: string): string {
  const words = reason.split(' ');
  const head = words[0] ?? reason;
  if (
    head === 'cap' ||
    head === 'opt_out' ||
    head === 'no_address' ||
    head === 'blocked_address' ||
    head === 'spacing'
  ) {
    return words.slice(0, 2).join(' ');
  }
  if (head === 'hold') return words.slice(0, 2).join(' ');
  if (head === 'hardship_request') return 'hardship_request pending';
  if (head === 'calls')
    return words[1] === 'connected' || words[1] === 'unanswered' ? `calls ${words[1]}` : 'calls per debt';
  return head;
}
