// A deterministic generator of Scenario JSON for the generated-scenario property test: borrowers across
// eleven IANA zones (several with a DST change inside the window, Sao Paulo's 2018 midnight change among
// them), both packs (cn-2026, us-regf), both strategies (default, gentle), loans with varied terms and
// servicing (grace days, auto-debit, monthly and weekly), and every event type, with times biased toward
// the instants where rules meet (strategy send times, the window's edges, 23:59:59.500). The same
// (seed, index) always gives the same scenario, so a failure is reproduced from the two numbers alone.
import { Temporal } from 'temporal-polyfill';
import { callOutcomes } from '../../src/contact/index.ts';
import type { Channel, PackName, Scenario, ScenarioBorrower, ScenarioEvent, ScenarioLoan } from './invariants.ts';

/** mulberry32: a small, fast, well-mixed 32-bit generator; plenty for picking test cases. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export const zones = [
  'Asia/Shanghai',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Asia/Tokyo',
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'Europe/London',
  'Europe/Berlin',
  'Australia/Sydney',
  'Pacific/Auckland',
] as const;

/** Windows that hold DST changes: US and EU spring and autumn, Sydney and Auckland, Sao Paulo 2018. */
const starts = ['2026-03-01', '2026-03-20', '2026-09-20', '2026-10-15', '2018-10-20', '2026-06-01'];
const packs: readonly PackName[] = ['cn-2026', 'us-regf'];
const strategies = ['default', 'default', 'gentle'];
const channels: readonly Channel[] = ['sms', 'email', 'push', 'letter', 'voice'];
/** Local times where rules meet: strategy send times, window edges, the auto-debit's second. */
const times = [
  '07:59',
  '08:00',
  '09:00',
  '09:30',
  '10:00',
  '12:00',
  '14:00',
  '14:20',
  '14:30',
  '20:59',
  '21:30',
  '22:00',
  '23:59:59.500',
];
const eventTypes = [
  'payment',
  'hold',
  'promise_to_pay',
  'reply',
  'opt_out',
  'auto_debit_funds',
  'call_outcome',
  'call_outcome',
  'hardship_request',
  'contact_update',
  'complaint',
  'complaint_reviewed',
  'plan',
] as const;

function addDays(date: string, days: number): string {
  return Temporal.PlainDate.from(date).add({ days }).toString();
}

/** A local wall time in `zone` as an instant string with its offset (a time in a DST gap moves forward). */
function instant(zone: string, date: string, time: string): string {
  return Temporal.PlainDateTime.from(`${date}T${time}`)
    .toZonedDateTime(zone, { disambiguation: 'compatible' })
    .toString({ timeZoneName: 'never', smallestUnit: time.includes('.') ? 'millisecond' : 'second' });
}

/** The loan's due dates inside the scenario's window. */
function dueDates(loan: ScenarioLoan, start: string, days: number): string[] {
  const first = Temporal.PlainDate.from(loan.terms.startDate);
  const end = addDays(start, days - 1);
  const dates: string[] = [];
  for (let k = 1; k <= loan.terms.termCount; k += 1) {
    const due = (loan.terms.frequency?.unit === 'week' ? first.add({ weeks: k }) : first.add({ months: k })).toString();
    if (due > end) break;
    if (due >= start) dates.push(due);
  }
  return dates;
}

/** Scenario `index` of the run seeded `seed`. */
export function generateScenario(seed: number, index: number): Scenario {
  const next = random(Math.imul(seed ^ 0x9e3779b9, 31) + index * 0x85ebca6b);
  const int = (low: number, high: number): number => low + Math.floor(next() * (high - low + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const chance = (p: number): boolean => next() < p;

  const start = pick(starts);
  const days = int(20, 45);
  const borrowers: ScenarioBorrower[] = [];
  const loans: ScenarioLoan[] = [];
  const events: ScenarioEvent[] = [];
  const borrowerCount = int(1, 3);
  for (let b = 1; b <= borrowerCount; b += 1) {
    const id = `B${b}`;
    // Sao Paulo's clocks changed in 2018 only; elsewhere any zone.
    const timezone = start === '2018-10-20' && chance(0.6) ? 'America/Sao_Paulo' : pick(zones);
    const phone = `+1555000${index % 1000}${b}`;
    const contacts: Partial<Record<Channel, string>> = {};
    if (chance(0.9)) contacts.sms = phone;
    if (chance(0.85)) contacts.voice = chance(0.8) ? phone : `${phone}9`;
    if (chance(0.7)) contacts.email = `b${b}@example.com`;
    if (chance(0.7)) contacts.push = `device-${b}`;
    if (chance(0.4)) contacts.letter = `${b} Main Street`;
    borrowers.push({ id, timezone, locale: chance(0.5) ? 'en' : 'zh-CN', contacts });

    const loanIds: string[] = [];
    // Often a borrower's loans start days apart, so their reminders and calls fall in the same week.
    const firstStart = addDays(start, -int(10, 70));
    const near = chance(0.5);
    for (let l = 1; l <= int(1, 3); l += 1) {
      const loanId = `${id}-L${l}`;
      loanIds.push(loanId);
      const weekly = !near && chance(0.25);
      loans.push({
        id: loanId,
        borrowerId: id,
        terms: {
          principal: `${int(10, 100) * 100}.00`,
          currency: 'CNY',
          annualRate: pick(['0.00', '0.12', '0.24']),
          termCount: int(2, 12),
          startDate: near ? addDays(firstStart, int(0, 6)) : addDays(start, -int(weekly ? 1 : 10, weekly ? 20 : 70)),
          ...(weekly ? { frequency: { every: 1, unit: 'week' as const } } : {}),
        },
        servicing: { graceDays: int(0, 5), penaltyAnnualRate: '0.18', autoDebit: chance(0.3) },
      });
    }

    // Days where rules meet: a due date, the day after it, the first day past grace, the first call (15
    // days past due) — half the events fall on one of them.
    const keyDays: string[] = [];
    for (const loan of loans.filter((candidate) => candidate.borrowerId === id)) {
      for (const due of dueDates(loan, start, days)) {
        for (const offset of [0, 1, (loan.servicing?.graceDays ?? 0) + 1, 15]) keyDays.push(addDays(due, offset));
      }
    }
    for (let e = 0; e < int(0, 14); e += 1) {
      const type = pick(eventTypes);
      const date = keyDays.length > 0 && chance(0.5) ? pick(keyDays) : addDays(start, int(0, days - 1));
      const at = instant(timezone, date, pick(times));
      const loanId = pick(loanIds);
      switch (type) {
        case 'payment':
          events.push({ at, type, loanId, amount: `${int(1, 40) * 50}.00` });
          break;
        case 'hold':
          events.push({ at, type, borrowerId: id, days: int(1, 21), reason: 'illness' });
          break;
        case 'promise_to_pay':
          events.push({
            // A promise made at a strategy send time on its own date re-plans that day's messages.
            at: chance(0.5) ? instant(timezone, date, pick(['09:00', '10:00'])) : at,
            type,
            loanId,
            amount: `${int(1, 20) * 50}.00`,
            date: addDays(date, int(-1, 5) < 1 ? 0 : int(1, 5)),
          });
          break;
        case 'reply':
          events.push({
            at,
            type,
            borrowerId: id,
            channel: pick(['sms', 'email']),
            text: pick(['STOP', '退订', 'ok', 'TD']),
          });
          break;
        case 'opt_out':
          events.push({ at, type, borrowerId: id, channel: pick(channels) });
          break;
        case 'auto_debit_funds':
          events.push({ at, type, loanId, amount: `${int(0, 60) * 100}.00` });
          break;
        case 'call_outcome':
          events.push({
            // Mostly just after the strategy's 14:00 call, completing its task.
            at: chance(0.6) ? instant(timezone, date, pick(['14:20', '14:30', '15:00'])) : at,
            type,
            borrowerId: id,
            outcome: pick(callOutcomes),
            ...(chance(0.5) ? { loanId } : {}),
            ...(chance(0.3) ? { number: chance(0.5) ? phone : `${phone}9` } : {}),
          });
          break;
        case 'hardship_request':
          events.push({ at, type, borrowerId: id, ...(chance(0.5) ? { loanId } : {}), reason: 'income_loss' });
          break;
        case 'contact_update': {
          const channel = pick(channels);
          const address = chance(0.4) ? null : chance(0.5) ? phone : `+1555999${int(100, 999)}`;
          events.push({ at, type, borrowerId: id, contacts: { [channel]: address } });
          break;
        }
        case 'complaint':
        case 'complaint_reviewed':
          events.push({ at, type, borrowerId: id, category: pick(['contact_conduct', 'dispute']) });
          break;
        case 'plan':
          events.push({
            at,
            type,
            loanId,
            plan: { type: 'settlement', amount: `${int(5, 40) * 100}.00`, deadline: addDays(date, int(5, 30)) },
            approverRole: 'manager',
            reason: 'income_loss',
          });
          break;
      }
    }
    // Two episodes where rules meet on loans days apart: a conversation, during the call about the first
    // loan, about another (Reg F counts quiet days per debt); a promise on one loan made at 10:00 on its
    // date, the minute another loan's SMS goes (one message per channel and minute).
    const mine = loans
      .filter((candidate) => candidate.borrowerId === id)
      .map((loan) => ({ loan, due: dueDates(loan, start, days)[0] }))
      .filter((entry): entry is { loan: ScenarioLoan; due: string } => entry.due !== undefined)
      .sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
    const [first, ...later] = mine;
    if (first !== undefined && later.length > 0 && chance(0.6)) {
      events.push({
        at: instant(timezone, addDays(first.due, 15), '14:30'),
        type: 'call_outcome',
        borrowerId: id,
        loanId: pick(later).loan.id,
        outcome: pick(['connected', 'promise', 'callback', 'refused']),
      });
    }
    if (first !== undefined && later.length > 0 && chance(0.6)) {
      const day = addDays(first.due, 1);
      events.push({
        at: instant(timezone, day, '10:00'),
        type: 'promise_to_pay',
        loanId: pick(later).loan.id,
        amount: `${int(1, 10) * 50}.00`,
        date: day,
      });
    }
  }
  return { start, days, policy: pick(packs), strategy: pick(strategies), borrowers, loans, events };
}
