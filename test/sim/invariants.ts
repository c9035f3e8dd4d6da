// Invariants of `kuan simulate` output, checked over generated scenarios (test/sim/generated.test.ts).
// Each is a pure function of the Scenario JSON and the parsed output lines that returns its violations as
// readable strings (empty when it holds). They restate the contact rules from the outside — the pack's
// contact window and caps, Reg F's quiet days after a conversation, blocked numbers, one message per
// channel and minute, per-borrower time order, codes, closed loans — without calling the engine, so a
// bug in the engine cannot hide itself. `allInvariants` is the list the test runs: add a module's list
// (invariants-pause.ts …) to it by one line.
import { Temporal } from 'temporal-polyfill';

export type Channel = 'sms' | 'email' | 'push' | 'letter' | 'voice';
export type PackName = 'cn-2026' | 'us-regf';

export interface ScenarioBorrower {
  id: string;
  timezone: string;
  locale?: string;
  contacts?: Partial<Record<Channel, string>>;
}

export interface ScenarioLoan {
  id: string;
  borrowerId: string;
  terms: {
    principal: string;
    currency?: string;
    annualRate: string;
    termCount: number;
    startDate: string;
    frequency?: { every: number; unit: 'day' | 'week' | 'month' };
  };
  servicing?: { graceDays?: number; penaltyAnnualRate?: string; autoDebit?: boolean };
}

/** One scenario event; only the fields of its type are set. */
export interface ScenarioEvent {
  at: string;
  type: string;
  loanId?: string;
  borrowerId?: string;
  amount?: string;
  date?: string;
  days?: number;
  reason?: string;
  channel?: Channel;
  text?: string;
  outcome?: string;
  number?: string;
  contacts?: Partial<Record<Channel, string | null>>;
  category?: string;
  account?: string;
  plan?: { type: string; amount?: string; deadline?: string };
  approverRole?: string;
}

/** The Scenario JSON `kuan simulate` reads (CONTRACTS.md "Scenario"), as the generator writes it. */
export interface Scenario {
  start: string;
  days: number;
  policy: PackName;
  strategy: string;
  borrowers: ScenarioBorrower[];
  loans: ScenarioLoan[];
  events: ScenarioEvent[];
}

export interface ContactOutputLine {
  kind: 'contact';
  at: string;
  borrowerId: string;
  loanIds: string[];
  channel: Channel;
  template: string;
  status: 'sent' | 'suppressed';
  code?: string;
  reasons: string[];
}

export interface PaymentOutputLine {
  kind: 'payment';
  at: string;
  loanId: string;
  amount: string;
  source: string;
  result: string;
}

export interface LoanDayOutputLine {
  kind: 'loan_day';
  date: string;
  loanId: string;
  dpd: number;
  status: string;
}

export interface PlanOutputLine {
  kind: 'plan';
  at: string;
  loanId: string;
  status: string;
}

export type OutputLine = ContactOutputLine | PaymentOutputLine | LoanDayOutputLine | PlanOutputLine;

/** Violations of one rule in one scenario's output. */
export type Invariant = (scenario: Scenario, lines: OutputLine[]) => string[];

// ---- facts about the packs, restated -----------------------------------------------------------------

const windows: Record<PackName, { startMinute: number; endMinute: number }> = {
  'cn-2026': { startMinute: 8 * 60, endMinute: 22 * 60 },
  'us-regf': { startMinute: 8 * 60, endMinute: 21 * 60 },
};
const dailyCaps: Record<PackName, Record<Channel, number>> = {
  'cn-2026': { sms: 2, email: 2, push: 3, letter: 1, voice: 9 },
  'us-regf': { sms: 2, email: 2, push: 2, letter: 1, voice: 7 },
};
const conversationOutcomes = new Set(['connected', 'promise', 'dispute', 'callback', 'refused']);
const blockingOutcomes = new Set(['wrong_number', 'third_party']);
const msPerDay = 86_400_000;
const msPerMinute = 60_000;

// ---- helpers ---------------------------------------------------------------------------------------

const epochMs = (at: string): number => Temporal.Instant.from(at).epochMilliseconds;

function local(at: string, timezone: string): { date: string; minute: number } {
  const zoned = Temporal.Instant.from(at).toZonedDateTimeISO(timezone);
  return { date: zoned.toPlainDate().toString(), minute: zoned.hour * 60 + zoned.minute };
}

function zoneOf(scenario: Scenario): (borrowerId: string) => string {
  const zones = new Map(scenario.borrowers.map((borrower) => [borrower.id, borrower.timezone]));
  return (borrowerId) => zones.get(borrowerId) ?? 'UTC';
}

function borrowerOfLoan(scenario: Scenario): (loanId: string) => string {
  const owners = new Map(scenario.loans.map((loan) => [loan.id, loan.borrowerId]));
  return (loanId) => owners.get(loanId) ?? '?';
}

/** The borrower an event is about (its loan's borrower when it names only a loan). */
function eventBorrower(scenario: Scenario, event: ScenarioEvent): string {
  if (event.borrowerId !== undefined) return event.borrowerId;
  return event.loanId === undefined ? '?' : borrowerOfLoan(scenario)(event.loanId);
}

/** Events sorted as the simulator reads them: by instant, then document order. */
function eventsInOrder(scenario: Scenario): { event: ScenarioEvent; ms: number }[] {
  return scenario.events
    .map((event, index) => ({ event, ms: epochMs(event.at), index }))
    .sort((a, b) => a.ms - b.ms || a.index - b.index);
}

const sentContacts = (lines: OutputLine[]): ContactOutputLine[] =>
  lines.filter((line): line is ContactOutputLine => line.kind === 'contact' && line.status === 'sent');

const describe = (line: ContactOutputLine): string =>
  `${line.borrowerId} ${line.channel} ${line.template} at ${line.at}`;

// ---- the invariants ----------------------------------------------------------------------------------

/** Nothing is sent outside the pack's contact window in the borrower's own time zone. */
export const quietHoursRespected: Invariant = (scenario, lines) => {
  const zone = zoneOf(scenario);
  const window = windows[scenario.policy];
  const violations: string[] = [];
  for (const line of sentContacts(lines)) {
    const { minute } = local(line.at, zone(line.borrowerId));
    if (minute < window.startMinute || minute >= window.endMinute) {
      violations.push(`sent in quiet hours: ${describe(line)} (${zone(line.borrowerId)})`);
    }
  }
  return violations;
};

/** Per borrower, channel and local calendar day, no more sent than the pack's cap. */
export const dailyCapsKept: Invariant = (scenario, lines) => {
  const zone = zoneOf(scenario);
  const counts = new Map<string, number>();
  for (const line of sentContacts(lines)) {
    const key = `${line.borrowerId} ${line.channel} ${local(line.at, zone(line.borrowerId)).date}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const violations: string[] = [];
  for (const [key, count] of counts) {
    const channel = key.split(' ')[1] as Channel;
    const cap = dailyCaps[scenario.policy][channel];
    if (count > cap) violations.push(`cap exceeded: ${key} sent ${count} > ${cap}`);
  }
  return violations;
};

/**
 * Per borrower: contact, payment and plan lines by instant (at the same instant, events before contacts),
 * and a loan's `loan_day` after every line of that borrower's local day.
 */
export const perBorrowerTimeOrder: Invariant = (scenario, lines) => {
  const zone = zoneOf(scenario);
  const ownerOf = borrowerOfLoan(scenario);
  const last = new Map<string, { ms: number; contact: boolean; at: string }>();
  const closedThrough = new Map<string, string>();
  const violations: string[] = [];
  lines.forEach((line, index) => {
    const borrowerId = line.kind === 'contact' ? line.borrowerId : ownerOf(line.loanId);
    if (line.kind === 'loan_day') {
      const through = closedThrough.get(borrowerId);
      if (through === undefined || line.date > through) closedThrough.set(borrowerId, line.date);
      return;
    }
    const ms = epochMs(line.at);
    const contact = line.kind === 'contact';
    const previous = last.get(borrowerId);
    if (previous && (ms < previous.ms || (ms === previous.ms && previous.contact && !contact))) {
      violations.push(`line ${index} (${line.kind} at ${line.at}) after ${previous.at} for ${borrowerId}`);
    }
    last.set(borrowerId, { ms, contact, at: line.at });
    const day = local(line.at, zone(borrowerId)).date;
    const through = closedThrough.get(borrowerId);
    if (through !== undefined && day <= through) {
      violations.push(`line ${index} (${line.kind} at ${line.at}) after ${borrowerId}'s loan_day ${through}`);
    }
  });
  return violations;
};

/**
 * us-regf: no call about a debt within 7 days after a conversation about it. A conversation is a call
 * outcome of a conversation kind naming the loan; it happened at the call it completed (a voice contact
 * sent to the borrower earlier that local day), else at the outcome's instant.
 */
export const regfConversationPerDebt: Invariant = (scenario, lines) => {
  if (scenario.policy !== 'us-regf') return [];
  const zone = zoneOf(scenario);
  const calls = sentContacts(lines).filter((line) => line.channel === 'voice');
  const violations: string[] = [];
  for (const { event, ms } of eventsInOrder(scenario)) {
    if (event.type !== 'call_outcome' || event.loanId === undefined) continue;
    if (!conversationOutcomes.has(event.outcome ?? '')) continue;
    const borrowerId = eventBorrower(scenario, event);
    const day = local(event.at, zone(borrowerId)).date;
    const task = calls
      .filter((call) => call.borrowerId === borrowerId && epochMs(call.at) <= ms)
      .filter((call) => local(call.at, zone(borrowerId)).date === day)
      .at(-1);
    const fromMs = task === undefined ? ms : epochMs(task.at);
    for (const call of calls) {
      const callMs = epochMs(call.at);
      if (call.borrowerId !== borrowerId || !call.loanIds.includes(event.loanId)) continue;
      if (callMs >= ms && callMs < fromMs + 7 * msPerDay) {
        violations.push(`call about ${event.loanId} at ${call.at}, within 7 days of a conversation at ${event.at}`);
      }
    }
  }
  return violations;
};

/**
 * A number found not to be the borrower's (a wrong_number or third_party outcome, or a contact_update
 * that takes it off a channel) is used on no channel until an update gives it back.
 */
export const blockedAddressUnused: Invariant = (scenario, lines) => {
  const events = eventsInOrder(scenario);
  const violations: string[] = [];
  for (const borrower of scenario.borrowers) {
    const addresses: Partial<Record<Channel, string>> = { ...borrower.contacts };
    const blocked = new Set<string>();
    const mine = events.filter(({ event }) => eventBorrower(scenario, event) === borrower.id);
    let next = 0;
    const advance = (untilMs: number): void => {
      for (; next < mine.length && (mine[next] as { ms: number }).ms <= untilMs; next += 1) {
        const { event } = mine[next] as { event: ScenarioEvent };
        if (event.type === 'call_outcome' && blockingOutcomes.has(event.outcome ?? '')) {
          const number = event.number ?? addresses.voice;
          if (number !== undefined) blocked.add(number);
        }
        if (event.type === 'contact_update' && event.contacts) {
          const given = new Set<string>();
          for (const [channel, address] of Object.entries(event.contacts) as [Channel, string | null][]) {
            const old = addresses[channel];
            if (old !== undefined && old !== address) blocked.add(old);
            if (address === null) delete addresses[channel];
            else {
              addresses[channel] = address;
              given.add(address);
            }
          }
          for (const address of given) blocked.delete(address);
        }
      }
    };
    for (const line of sentContacts(lines)) {
      if (line.borrowerId !== borrower.id) continue;
      advance(epochMs(line.at));
      const address = addresses[line.channel];
      if (address !== undefined && blocked.has(address)) {
        violations.push(`blocked address ${address} used: ${describe(line)}`);
      }
    }
  }
  return violations;
};

/** At most one message per borrower, channel and minute (calls aside). */
export const oneMessagePerChannelPerMinute: Invariant = (_scenario, lines) => {
  const seen = new Set<string>();
  const violations: string[] = [];
  for (const line of sentContacts(lines)) {
    if (line.channel === 'voice') continue;
    const key = `${line.borrowerId} ${line.channel} ${Math.floor(epochMs(line.at) / msPerMinute)}`;
    if (seen.has(key)) violations.push(`second ${line.channel} in one minute: ${describe(line)}`);
    seen.add(key);
  }
  return violations;
};

/** Every sent contact carries its verification code. */
export const sentContactHasCode: Invariant = (_scenario, lines) =>
  sentContacts(lines)
    .filter((line) => line.code === undefined || !/^[A-Z0-9]{6}$/.test(line.code))
    .map((line) => `sent without a code: ${describe(line)}`);

/** Nothing is sent about a loan after a day it ended closed (paid off). */
export const noContactForClosedLoan: Invariant = (scenario, lines) => {
  const zone = zoneOf(scenario);
  const closedOn = new Map<string, string>();
  const violations: string[] = [];
  for (const line of lines) {
    if (line.kind === 'loan_day') {
      if (line.status === 'closed' && !closedOn.has(line.loanId)) closedOn.set(line.loanId, line.date);
      continue;
    }
    if (line.kind !== 'contact' || line.status !== 'sent') continue;
    const day = local(line.at, zone(line.borrowerId)).date;
    for (const loanId of line.loanIds) {
      const closed = closedOn.get(loanId);
      if (closed !== undefined && day > closed) {
        violations.push(`contact about ${loanId}, closed on ${closed}: ${describe(line)}`);
      }
    }
  }
  return violations;
};

/** Every invariant the generated-scenario test checks (each reported by its function's name). */
export const allInvariants: readonly Invariant[] = [
  quietHoursRespected,
  dailyCapsKept,
  perBorrowerTimeOrder,
  regfConversationPerDebt,
  blockedAddressUnused,
  oneMessagePerChannelPerMinute,
  sentContactHasCode,
  noContactForClosedLoan,
];
