// The rules that hold contact back, as invariants over a scenario and the lines `kuan simulate` printed for
// it: no collection contact while a hardship request is open or a dispute pause holds, none about a loan
// under an open promise unless the borrower asked to be reminded, and nothing on a channel after a reply
// that plainly revokes consent. Each check reads the Scenario JSON as written and the parsed output lines,
// and returns one description per violation (empty: the rule held), for the generated-scenario property
// test. The checks are written from the rules (docs/contact-engine.md), not from the gate's code, so a
// gate that drifts from them is caught.
import { parsePolicy, resolveStrategy, templateKindOf } from '../../src/contact/index.ts';

/** What the checks read of a scenario event (CONTRACTS.md "Scenario"). */
export interface ScenarioEventJson {
  at: string;
  type: string;
  borrowerId?: string;
  loanId?: string;
  /** promise_to_pay: the promised date; remindMe: the borrower asked to be reminded. */
  date?: string;
  remindMe?: boolean;
  amount?: string;
  /** reply */
  channel?: string;
  text?: string;
  /** complaint, complaint_reviewed */
  category?: string;
  /** call_outcome */
  outcome?: string;
}

/** What the checks read of a Scenario document. */
export interface ScenarioJson {
  policy?: unknown;
  strategy?: unknown;
  borrowers: readonly { id: string }[];
  loans: readonly { id: string; borrowerId: string }[];
  events?: readonly ScenarioEventJson[];
}

/** What the checks read of an output line; only `contact` lines matter here. */
export interface OutputLine {
  kind: string;
  at?: string;
  borrowerId?: string;
  loanIds?: readonly string[];
  channel?: string;
  template?: string;
  status?: string;
}

export type Invariant = (scenario: ScenarioJson, lines: readonly OutputLine[]) => string[];

interface SentContact {
  atMs: number;
  at: string;
  borrowerId: string;
  loanIds: readonly string[];
  channel: string;
  template: string;
}

function sentContacts(lines: readonly OutputLine[]): SentContact[] {
  const sent: SentContact[] = [];
  for (const line of lines) {
    if (line.kind !== 'contact' || line.status !== 'sent' || line.at === undefined) continue;
    sent.push({
      atMs: Date.parse(line.at),
      at: line.at,
      borrowerId: line.borrowerId ?? '',
      loanIds: line.loanIds ?? [],
      channel: line.channel ?? '',
      template: line.template ?? '',
    });
  }
  return sent;
}

function borrowerOf(scenario: ScenarioJson, event: ScenarioEventJson): string | undefined {
  if (event.borrowerId !== undefined) return event.borrowerId;
  return scenario.loans.find((loan) => loan.id === event.loanId)?.borrowerId;
}

function eventsOf(scenario: ScenarioJson): (ScenarioEventJson & { atMs: number; borrower: string | undefined })[] {
  return (scenario.events ?? [])
    .map((event) => ({ ...event, atMs: Date.parse(event.at), borrower: borrowerOf(scenario, event) }))
    .sort((a, b) => a.atMs - b.atMs);
}

/** Templates of the strategy's hardship steps: the answer to a request for help, which may still go. */
function hardshipTemplates(scenario: ScenarioJson): Set<string> {
  const strategy = resolveStrategy(scenario.strategy, 'strategy');
  const steps = [...strategy.steps, ...(strategy.experiment?.challenger.steps ?? [])];
  return new Set(steps.filter((step) => step.stage === 'hardship').map((step) => step.template));
}

/** Contact the lender starts about the debt: a call, or a message whose template is of kind collection. */
function isCollection(contact: SentContact): boolean {
  return contact.channel === 'voice' || templateKindOf(contact.template) === 'collection';
}

const describe = (contact: SentContact): string =>
  `${contact.at} ${contact.borrowerId} ${contact.channel} ${contact.template} [${contact.loanIds.join(',')}]`;

/** Open spans per borrower: [fromMs, untilMs) with why. */
interface Span {
  borrower: string;
  fromMs: number;
  untilMs: number;
  why: string;
}

function inside(span: Span, contact: SentContact): boolean {
  return contact.borrowerId === span.borrower && contact.atMs >= span.fromMs && contact.atMs < span.untilMs;
}

/**
 * After a hardship request, until a plan for one of the borrower's loans is decided (a `plan` event), only
 * the strategy's hardship steps and non-collection messages (acknowledgements, service) are sent.
 */
export const noContactAfterHardshipRequest: Invariant = (scenario, lines) => {
  const events = eventsOf(scenario);
  const spans: Span[] = [];
  for (const event of events) {
    if (event.type !== 'hardship_request' || event.borrower === undefined) continue;
    const borrower = event.borrower;
    const decided = events.find(
      (later) => later.type === 'plan' && later.atMs >= event.atMs && later.borrower === borrower,
    );
    spans.push({
      borrower,
      fromMs: event.atMs,
      untilMs: decided?.atMs ?? Infinity,
      why: `hardship_request at ${event.at}`,
    });
  }
  const allowed = hardshipTemplates(scenario);
  const violations: string[] = [];
  for (const contact of sentContacts(lines)) {
    if (!isCollection(contact) || allowed.has(contact.template)) continue;
    const span = spans.find((candidate) => inside(candidate, contact));
    if (span) violations.push(`${describe(contact)} sent after ${span.why}`);
  }
  return violations;
};

/**
 * While a complaint or a dispute (a `complaint` event, or a call outcome `dispute`) pauses collection
 * contact — until a `complaint_reviewed` of the same category — no collection message and no call is sent.
 */
export const noCollectionMessageDuringPause: Invariant = (scenario, lines) => {
  if (!parsePolicy(scenario.policy, 'policy').pauseOnComplaint) return [];
  const events = eventsOf(scenario);
  const spans: Span[] = [];
  for (const event of events) {
    if (event.borrower === undefined) continue;
    const category =
      event.type === 'complaint'
        ? (event.category ?? 'contact_conduct')
        : event.type === 'call_outcome' && event.outcome === 'dispute'
          ? 'dispute'
          : null;
    if (category === null) continue;
    const reviewed = events.find(
      (later) =>
        later.type === 'complaint_reviewed' &&
        later.atMs >= event.atMs &&
        later.borrower === event.borrower &&
        (later.category ?? 'contact_conduct') === category,
    );
    spans.push({
      borrower: event.borrower,
      fromMs: event.atMs,
      untilMs: reviewed?.atMs ?? Infinity,
      why: `paused ${category} at ${event.at}`,
    });
  }
  const violations: string[] = [];
  for (const contact of sentContacts(lines)) {
    if (!isCollection(contact)) continue;
    const span = spans.find((candidate) => inside(candidate, contact));
    if (span) violations.push(`${describe(contact)} sent while ${span.why}`);
  }
  return violations;
};

/** A reply that is plainly a revocation: one of the pack's words alone, any case, full-width or with punctuation. */
function plainRevocation(words: readonly string[], text: string): { all: boolean } | null {
  const normal = text
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .trim()
    .replace(/\s+/g, ' ');
  const known = words.map((word) => word.normalize('NFKC').toUpperCase());
  if (known.includes(normal)) return { all: false };
  for (const word of known) if (normal === `${word} ALL` || normal === `全部${word}`) return { all: true };
  return null;
}

/**
 * After a reply that plainly says a revocation word of the pack (e.g. "STOP", "stop.", "ＳＴＯＰ", "退订"),
 * nothing more is sent on that channel; after "STOP ALL" / "全部退订", nothing on any channel but letters.
 * No confirmation is sent either, so repeating the word cannot multiply one.
 */
export const revocationWordsOptOut: Invariant = (scenario, lines) => {
  const words = parsePolicy(scenario.policy, 'policy').optOutKeywords;
  const violations: string[] = [];
  const sent = sentContacts(lines);
  for (const event of eventsOf(scenario)) {
    if (event.type !== 'reply' || event.borrower === undefined || event.text === undefined) continue;
    const revocation = plainRevocation(words, event.text);
    if (revocation === null) continue;
    for (const contact of sent) {
      if (contact.borrowerId !== event.borrower || contact.atMs < event.atMs) continue;
      const covered = revocation.all ? contact.channel !== 'letter' : contact.channel === event.channel;
      if (covered)
        violations.push(`${describe(contact)} sent after the reply ${JSON.stringify(event.text)} at ${event.at}`);
    }
  }
  return violations;
};

/**
 * While a promise to pay is open — from when it is made through its promised date, in the borrower's local
 * time — no collection message mentions its loan, unless the borrower asked to be reminded (`remindMe`).
 * Hardship steps (the answer to a request for help) are exempt.
 */
export const noPromiseReminderUnlessAsked: Invariant = (scenario, lines) => {
  const allowed = hardshipTemplates(scenario);
  const violations: string[] = [];
  const sent = sentContacts(lines);
  for (const event of eventsOf(scenario)) {
    if (event.type !== 'promise_to_pay' || event.remindMe === true || event.loanId === undefined) continue;
    const promised = event.date ?? '';
    for (const contact of sent) {
      // A contact line's `at` is written in the borrower's zone, so its first ten characters are the local date.
      if (contact.atMs < event.atMs || contact.at.slice(0, 10) > promised) continue;
      if (!contact.loanIds.includes(event.loanId) || !isCollection(contact) || allowed.has(contact.template)) continue;
      violations.push(`${describe(contact)} sent while the promise of ${event.at} runs to ${promised}`);
    }
  }
  return violations;
};

/** Every check of this file, by name. */
export const pauseInvariants: Readonly<Record<string, Invariant>> = {
  noContactAfterHardshipRequest,
  noCollectionMessageDuringPause,
  revocationWordsOptOut,
  noPromiseReminderUnlessAsked,
};
