// The compliance gate, rule by rule, and as properties over random borrowers, time zones and contact
// sequences: whatever is asked of it, what it lets through keeps every rule of the pack.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localParts, msPerDay, zonedEpochMs } from '../../calendar/index.ts';
import type { BorrowerContactView, ContactChannel, ContactIntent, ContactRecord } from '../model.ts';
import { builtInPolicies, parsePolicy, type PolicyPack } from '../policy/pack.ts';
import { getTemplate } from '../templates/index.ts';
import { evaluateContact } from './gate.ts';

const shanghai = 'Asia/Shanghai';
const cn = builtInPolicies['cn-2026'] as PolicyPack;
const us = builtInPolicies['us-regf'] as PolicyPack;

function at(date: string, time: string, zone = shanghai): number {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  return zonedEpochMs(zone, date, hours * 60 + minutes);
}

function intentFor(options: Partial<ContactIntent> & { date?: string } = {}): ContactIntent {
  const date = options.date ?? '2026-03-14';
  const zone = shanghai;
  return {
    intentId: `B1:${date}:pre_due_3:${options.channel ?? 'sms'}`,
    borrowerId: 'B1',
    loanIds: ['L1'],
    subjects: [{ loanId: 'L1', installmentNumbers: [1], amountMinor: 30_500n, currency: 'CNY' }],
    channel: 'sms',
    template: 'due_soon',
    purpose: 'reminder',
    stage: 'pre_due',
    strategy: { name: 'default', version: 1, arm: 'champion', stepId: 'pre_due_3' },
    date,
    plannedAtMs: at(date, '09:00'),
    validUntilMs: zonedEpochMs(zone, date, 1440) - 1,
    reasons: ['strategy default step pre_due_3'],
    ...options,
  } as ContactIntent;
}

function viewOf(options: Partial<BorrowerContactView> = {}): BorrowerContactView {
  return {
    borrowerId: 'B1',
    timezone: shanghai,
    optOuts: [],
    holds: [],
    promises: [],
    pauses: [],
    history: [],
    loans: [{ loanId: 'L1', status: 'active', unsettledInstallments: [1, 2, 3] }],
    ...options,
  };
}

function record(channel: ContactChannel, atMs: number, extra: Partial<ContactRecord> = {}): ContactRecord {
  return { atMs, channel, localDate: localParts(shanghai, atMs).date, loanIds: ['L1'], ...extra };
}

describe('evaluateContact', () => {
  it('sends inside the window under the cap, naming the strategy step and the cap', () => {
    const intent = intentFor();
    const decision = evaluateContact({ intent, view: viewOf(), policy: cn, nowMs: intent.plannedAtMs });
    expect(decision).toEqual({
      verdict: 'send',
      loanIds: ['L1'],
      reasons: ['strategy default step pre_due_3', 'cap sms 1/2 today'],
    });
  });

  it('drops a contact planned at 23:10 local that cannot wait into a new day', () => {
    const intent = intentFor({ plannedAtMs: at('2026-03-14', '23:10') });
    const decision = evaluateContact({ intent, view: viewOf(), policy: cn, nowMs: intent.plannedAtMs });
    expect(decision).toEqual({ verdict: 'suppress', reasons: ['quiet_hours 22:00-08:00 Asia/Shanghai'] });
  });

  it('lets an early contact wait for the window to open the same day', () => {
    const intent = intentFor();
    const decision = evaluateContact({ intent, view: viewOf(), policy: cn, nowMs: at('2026-03-14', '06:30') });
    expect(decision.verdict).toBe('defer');
    expect(decision.notBeforeMs).toBe(at('2026-03-14', '08:00'));
  });

  it('uses the borrower’s own time zone: 08:00 in Shanghai is 20:00 the evening before in New York', () => {
    const intent = intentFor();
    const view = viewOf({ timezone: 'America/New_York' });
    expect(evaluateContact({ intent, view, policy: us, nowMs: at('2026-03-14', '08:00') }).verdict).toBe('send');
    // 10:30 in Shanghai is 22:30 in New York, outside us-regf's 08:00–21:00: it waits for 08:00 there.
    const late = evaluateContact({ intent, view, policy: us, nowMs: at('2026-03-14', '10:30') });
    expect(late).toEqual({
      verdict: 'defer',
      notBeforeMs: at('2026-03-14', '08:00', 'America/New_York'),
      reasons: ['quiet_hours 21:00-08:00 America/New_York'],
    });
  });

  it('keeps the per-channel daily cap per local day', () => {
    const intent = intentFor();
    const history = [record('sms', at('2026-03-14', '08:30')), record('sms', at('2026-03-14', '08:40'))];
    const decision = evaluateContact({ intent, view: viewOf({ history }), policy: cn, nowMs: intent.plannedAtMs });
    expect(decision).toEqual({ verdict: 'suppress', reasons: ['cap sms 2/2 today'] });
    const yesterday = [record('sms', at('2026-03-13', '20:30')), record('sms', at('2026-03-13', '21:40'))];
    expect(
      evaluateContact({ intent, view: viewOf({ history: yesterday }), policy: cn, nowMs: intent.plannedAtMs }).verdict,
    ).toBe('send');
  });

  it('respects opt-outs per channel', () => {
    const intent = intentFor();
    const view = viewOf({ optOuts: ['sms'] });
    expect(evaluateContact({ intent, view, policy: cn, nowMs: intent.plannedAtMs })).toEqual({
      verdict: 'suppress',
      reasons: ['opt_out sms'],
    });
    const email = intentFor({ channel: 'email' });
    expect(evaluateContact({ intent: email, view, policy: cn, nowMs: email.plannedAtMs }).verdict).toBe('send');
  });

  it('sends no reminder for an installment paid since planning, and drops a paid loan from a consolidated message', () => {
    const intent = intentFor({
      loanIds: ['L1', 'L2'],
      subjects: [
        { loanId: 'L1', installmentNumbers: [1], amountMinor: 30_500n, currency: 'CNY' },
        { loanId: 'L2', installmentNumbers: [4], amountMinor: 10_000n, currency: 'CNY' },
      ],
    });
    const paidOne = viewOf({
      loans: [
        { loanId: 'L1', status: 'active', unsettledInstallments: [2, 3] },
        { loanId: 'L2', status: 'active', unsettledInstallments: [4, 5] },
      ],
    });
    const decision = evaluateContact({ intent, view: paidOne, policy: cn, nowMs: intent.plannedAtMs });
    expect(decision.verdict).toBe('send');
    expect(decision.loanIds).toEqual(['L2']);
    expect(decision.reasons).toContain('paid L1');
    const closedBoth = viewOf({
      loans: [
        { loanId: 'L1', status: 'active', unsettledInstallments: [2] },
        { loanId: 'L2', status: 'closed', unsettledInstallments: [] },
      ],
    });
    expect(evaluateContact({ intent, view: closedBoth, policy: cn, nowMs: intent.plannedAtMs })).toEqual({
      verdict: 'suppress',
      reasons: ['paid L1', 'closed L2'],
    });
  });

  it('holds back reminders while a promise to pay is open, and resumes after the promised date', () => {
    const promises = [{ loanId: 'L1', date: '2026-03-16', amountMinor: 30_500n }];
    const intent = intentFor();
    expect(evaluateContact({ intent, view: viewOf({ promises }), policy: cn, nowMs: intent.plannedAtMs })).toEqual({
      verdict: 'suppress',
      reasons: ['promise L1 until 2026-03-16'],
    });
    const later = intentFor({ date: '2026-03-17' });
    expect(
      evaluateContact({ intent: later, view: viewOf({ promises }), policy: cn, nowMs: later.plannedAtMs }).verdict,
    ).toBe('send');
  });

  it('under a hold: no reminders, no calls, and at most one notice per 7 days', () => {
    const holds = [{ fromMs: at('2026-03-10', '09:00'), untilMs: at('2026-03-24', '09:00'), reason: 'illness' }];
    const reminder = intentFor();
    expect(
      evaluateContact({ intent: reminder, view: viewOf({ holds }), policy: cn, nowMs: reminder.plannedAtMs }),
    ).toEqual({
      verdict: 'suppress',
      reasons: ['hold no reminders (illness)'],
    });
    const call = intentFor({ channel: 'voice', purpose: 'notice' });
    expect(
      evaluateContact({ intent: call, view: viewOf({ holds }), policy: cn, nowMs: call.plannedAtMs }).reasons,
    ).toEqual(['hold no calls (illness)']);
    const notice = intentFor({ purpose: 'notice', template: 'hold_checkin' });
    const sentMonday = [record('sms', at('2026-03-10', '09:00'))];
    expect(
      evaluateContact({
        intent: notice,
        view: viewOf({ holds, history: sentMonday }),
        policy: cn,
        nowMs: notice.plannedAtMs,
      }),
    ).toEqual({ verdict: 'suppress', reasons: ['hold cadence 1/1 in 7 days'] });
    const nextWeek = intentFor({ purpose: 'notice', template: 'hold_checkin', date: '2026-03-17' });
    const decision = evaluateContact({
      intent: nextWeek,
      view: viewOf({ holds, history: sentMonday }),
      policy: cn,
      nowMs: nextWeek.plannedAtMs,
    });
    expect(decision.verdict).toBe('send');
    expect(decision.reasons).toContain('hold cadence 1/1 in 7 days');
  });

  it('pauses collection contact while a complaint is under review', () => {
    const pauses = [{ fromMs: at('2026-03-13', '12:00'), untilMs: null, reason: 'complaint' }];
    const intent = intentFor();
    expect(evaluateContact({ intent, view: viewOf({ pauses }), policy: cn, nowMs: intent.plannedAtMs })).toEqual({
      verdict: 'suppress',
      reasons: ['paused complaint'],
    });
  });

  it('cn-2026: at most 3 connected calls per borrower and 6 unanswered attempts per number a day', () => {
    const call = intentFor({ channel: 'voice', plannedAtMs: at('2026-03-14', '15:00') });
    const connected = [10, 11, 12].map((hour) =>
      record('voice', at('2026-03-14', `${hour}:00`), { call: { number: '+8613800000001', outcome: 'connected' } }),
    );
    expect(
      evaluateContact({ intent: call, view: viewOf({ history: connected }), policy: cn, nowMs: call.plannedAtMs }),
    ).toEqual({
      verdict: 'suppress',
      reasons: ['calls connected 3/3 today'],
    });
    const misses = [9, 10, 11, 12, 13, 14].map((hour) =>
      record('voice', at('2026-03-14', `${String(hour).padStart(2, '0')}:00`), {
        call: { number: '+8613800000001', outcome: 'no_answer' },
      }),
    );
    const view = viewOf({ history: misses });
    expect(
      evaluateContact({ intent: call, view, policy: cn, nowMs: call.plannedAtMs, address: '+8613800000001' }).verdict,
    ).toBe('suppress');
    expect(
      evaluateContact({ intent: call, view, policy: cn, nowMs: call.plannedAtMs, address: '+8613800000002' }).verdict,
    ).toBe('send');
  });

  it('us-regf: at most 7 call attempts per debt in 7 days, none within 7 days of a conversation', () => {
    const call = intentFor({ channel: 'voice', plannedAtMs: at('2026-03-14', '10:00') });
    const nyView = (history: ContactRecord[]): BorrowerContactView => viewOf({ history, timezone: shanghai });
    const attempts = [8, 9, 10, 11, 12, 13].map((day) =>
      record('voice', at(`2026-03-${String(day).padStart(2, '0')}`, '10:00'), {
        call: { number: 'n', outcome: 'no_answer' },
      }),
    );
    attempts.push(record('voice', at('2026-03-13', '15:00'), { call: { number: 'n', outcome: 'busy' } }));
    expect(evaluateContact({ intent: call, view: nyView(attempts), policy: us, nowMs: call.plannedAtMs })).toEqual({
      verdict: 'suppress',
      reasons: ['calls 7/7 in 7 days about L1'],
    });
    const talked = [record('voice', at('2026-03-09', '10:00'), { call: { number: 'n', outcome: 'connected' } })];
    expect(
      evaluateContact({ intent: call, view: nyView(talked), policy: us, nowMs: call.plannedAtMs }).reasons,
    ).toEqual(['conversation about L1 within 7 days']);
  });

  it('drops an expired contact and defers past a configured no-contact day', () => {
    const intent = intentFor({ validUntilMs: at('2026-03-16', '23:59') });
    expect(evaluateContact({ intent, view: viewOf(), policy: cn, nowMs: at('2026-03-17', '09:00') }).reasons).toEqual([
      'expired',
    ]);
    const holiday = parsePolicy({ extends: 'cn-2026', noContactDates: ['2026-03-14'] });
    const decision = evaluateContact({ intent, view: viewOf(), policy: holiday, nowMs: intent.plannedAtMs });
    expect(decision).toEqual({
      verdict: 'defer',
      notBeforeMs: at('2026-03-15', '08:00'),
      reasons: ['no_contact_day 2026-03-14'],
    });
  });
});

// ---- properties over random timelines ---------------------------------------------------------------

const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Asia/Kolkata', 'Pacific/Auckland'];
const channels: ContactChannel[] = ['sms', 'email', 'push', 'letter', 'voice'];
const startMs = Date.UTC(2026, 2, 1);

interface Ask {
  offsetMinutes: number;
  channel: ContactChannel;
  purpose: 'reminder' | 'notice';
  validDays: number;
  outcome: 'connected' | 'no_answer' | 'busy';
  installment: number;
}

const asks = fc.array(
  fc.record({
    offsetMinutes: fc.integer({ min: 0, max: 20 * 24 * 60 }),
    channel: fc.constantFrom(...channels),
    purpose: fc.constantFrom('reminder' as const, 'notice' as const),
    validDays: fc.integer({ min: 1, max: 3 }),
    outcome: fc.constantFrom('connected' as const, 'no_answer' as const, 'busy' as const),
    installment: fc.integer({ min: 1, max: 4 }),
  }),
  { maxLength: 120 },
);

interface World {
  zone: string;
  policy: PolicyPack;
  optOuts: ContactChannel[];
  hold: { fromMs: number; untilMs: number; reason: string } | null;
  promiseDate: string | null;
  paidThrough: number;
}

const worlds = fc.record({
  zone: fc.constantFrom(...zones),
  policy: fc.constantFrom(cn, us, builtInPolicies.default as PolicyPack),
  optOuts: fc.subarray(channels, { maxLength: 2 }),
  hold: fc.option(
    fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 1, max: 20 })).map(([from, days]) => ({
      fromMs: startMs + from * msPerDay,
      untilMs: startMs + (from + days) * msPerDay,
      reason: 'hold',
    })),
  ),
  promiseDate: fc.option(fc.integer({ min: 0, max: 20 }).map((day) => `2026-03-${String(day + 1).padStart(2, '0')}`)),
  paidThrough: fc.integer({ min: 0, max: 4 }),
});

/** Drives the gate through a timeline: each ask is decided at its instant; a `send` becomes history. */
function drive(
  world: World,
  list: readonly Ask[],
): { sent: ContactRecord[]; intents: Map<ContactRecord, ContactIntent> } {
  const sorted = [...list].sort((a, b) => a.offsetMinutes - b.offsetMinutes);
  const history: ContactRecord[] = [];
  const intents = new Map<ContactRecord, ContactIntent>();
  const unsettled = [1, 2, 3, 4].filter((number) => number > world.paidThrough);
  sorted.forEach((ask, index) => {
    const nowMs = startMs + ask.offsetMinutes * 60_000;
    const local = localParts(world.zone, nowMs);
    const intent: ContactIntent = {
      ...intentFor({ channel: ask.channel, purpose: ask.purpose }),
      intentId: `i${index}`,
      subjects: [{ loanId: 'L1', installmentNumbers: [ask.installment], amountMinor: 100n, currency: 'CNY' }],
      plannedAtMs: nowMs,
      validUntilMs: zonedEpochMs(world.zone, local.date, 1440) + (ask.validDays - 1) * msPerDay - 1,
    };
    const view: BorrowerContactView = {
      ...viewOf({ timezone: world.zone, optOuts: world.optOuts, history }),
      holds: world.hold ? [world.hold] : [],
      promises: world.promiseDate ? [{ loanId: 'L1', date: world.promiseDate, amountMinor: 100n }] : [],
      loans: [{ loanId: 'L1', status: unsettled.length ? 'active' : 'closed', unsettledInstallments: unsettled }],
    };
    const decision = evaluateContact({ intent, view, policy: world.policy, nowMs, address: 'n' });
    if (decision.verdict === 'defer') {
      expect(decision.notBeforeMs).toBeGreaterThan(nowMs);
      expect(decision.notBeforeMs).toBeLessThanOrEqual(intent.validUntilMs);
    }
    if (decision.verdict !== 'send') return;
    const sent: ContactRecord = {
      atMs: nowMs,
      channel: ask.channel,
      localDate: local.date,
      loanIds: decision.loanIds ?? [],
      ...(ask.channel === 'voice' ? { call: { number: 'n', outcome: ask.outcome } } : {}),
    };
    history.push(sent);
    intents.set(sent, intent);
  });
  return { sent: history, intents };
}

describe('gate properties', () => {
  it('what it sends keeps the window, caps, call limits, hold cadence, opt-outs, promises and payments', () => {
    fc.assert(
      fc.property(worlds, asks, (world, list) => {
        const { sent, intents } = drive(world, list);
        const { policy } = world;
        for (const record of sent) {
          const intent = intents.get(record) as ContactIntent;
          const local = localParts(world.zone, record.atMs);
          expect(local.minuteOfDay).toBeGreaterThanOrEqual(policy.windowStartMinute);
          expect(local.minuteOfDay).toBeLessThan(policy.windowEndMinute);
          expect(world.optOuts).not.toContain(record.channel);
          const sameDay = sent.filter(
            (other) => other.channel === record.channel && other.localDate === record.localDate,
          );
          expect(sameDay.length).toBeLessThanOrEqual(policy.channelDailyCaps[record.channel]);
          if (intent.purpose === 'reminder') {
            expect(intent.subjects[0]?.installmentNumbers[0]).toBeGreaterThan(world.paidThrough);
            if (world.promiseDate) expect(local.date > world.promiseDate).toBe(true);
          }
          const hold = world.hold;
          if (hold && record.atMs >= hold.fromMs && record.atMs < hold.untilMs) {
            expect(record.channel).not.toBe('voice');
            expect(intent.purpose).toBe('notice');
            const window = sent.filter(
              (other) =>
                other.atMs >= hold.fromMs && other.atMs > record.atMs - 7 * msPerDay && other.atMs <= record.atMs,
            );
            expect(window.length).toBeLessThanOrEqual(policy.hold.messagesPer7DaysMax);
          }
          if (record.channel === 'voice') {
            const before = sent.filter((other) => other.channel === 'voice' && other.atMs < record.atMs);
            const limits = policy.calls;
            if (limits.connectedPerBorrowerPerDayMax !== null) {
              const connected = before.filter(
                (c) => c.localDate === record.localDate && c.call?.outcome === 'connected',
              );
              expect(connected.length).toBeLessThan(limits.connectedPerBorrowerPerDayMax);
            }
            if (limits.unansweredPerNumberPerDayMax !== null) {
              const misses = before.filter((c) => c.localDate === record.localDate && c.call?.outcome !== 'connected');
              expect(misses.length).toBeLessThan(limits.unansweredPerNumberPerDayMax);
            }
            if (limits.attemptsPerDebtPer7DaysMax !== null) {
              const week = before.filter((c) => c.atMs > record.atMs - 7 * msPerDay);
              expect(week.length).toBeLessThan(limits.attemptsPerDebtPer7DaysMax);
            }
            if (limits.quietDaysAfterConversation !== null) {
              const talk = before.find(
                (c) =>
                  c.call?.outcome === 'connected' &&
                  c.atMs > record.atMs - limits.quietDaysAfterConversation! * msPerDay,
              );
              expect(talk).toBeUndefined();
            }
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('lets contacts through in an ordinary world (the properties above are not vacuous)', () => {
    const world: World = {
      zone: 'Asia/Shanghai',
      policy: cn,
      optOuts: [],
      hold: null,
      promiseDate: null,
      paidThrough: 0,
    };
    const list: Ask[] = Array.from({ length: 60 }, (_, index) => ({
      offsetMinutes: index * 170,
      channel: channels[index % channels.length] as ContactChannel,
      purpose: 'reminder',
      validDays: 1,
      outcome: 'no_answer',
      installment: 1,
    }));
    const { sent } = drive(world, list);
    expect(sent.length).toBeGreaterThan(20);
    expect(new Set(sent.map((record) => record.channel)).size).toBe(5);
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(worlds, asks, (world, list) => {
        expect(drive(world, list).sent).toEqual(drive(world, list).sent);
      }),
      { numRuns: 50 },
    );
  });
});

describe('evaluateContact: promises, hardship requests and pauses hold collection back', () => {
  const notice = (template: string, stage: ContactIntent['stage']): ContactIntent =>
    intentFor({
      template,
      stage,
      purpose: 'notice',
      intentId: `B1:2026-03-14:${template}:sms`,
      subjects: [{ loanId: 'L1', installmentNumbers: [], amountMinor: 30_500n, currency: 'CNY' }],
    });
  const decide = (intent: ContactIntent, view: BorrowerContactView) =>
    evaluateContact({ intent, view, policy: cn, nowMs: intent.plannedAtMs });

  it('no promise reminder while the promise is open, unless the borrower asked for one (remindMe)', () => {
    const reminder = notice('promise_reminder', 'promise');
    const promises = [{ loanId: 'L1', date: '2026-03-15', amountMinor: 30_500n }];
    expect(decide(reminder, viewOf({ promises }))).toEqual({
      verdict: 'suppress',
      reasons: ['promise L1 until 2026-03-15'],
    });
    const asked = decide(reminder, viewOf({ promises: [{ ...promises[0]!, remindMe: true }] }));
    expect(asked.verdict).toBe('send');
    // A hold's check-in is collection too: it does not mention a loan under an open promise.
    expect(decide(notice('hold_checkin', 'hold'), viewOf({ promises })).verdict).toBe('suppress');
    // An acknowledgement of the promise itself still goes.
    expect(decide(notice('promise_confirmed', 'promise'), viewOf({ promises })).verdict).toBe('send');
  });

  it('after a hardship request only hardship steps and acknowledgements go, with a readable reason', () => {
    const view = viewOf({ hardshipRequest: { fromMs: at('2026-03-14', '08:30'), reason: 'income_loss' } });
    expect(decide(intentFor(), view)).toEqual({
      verdict: 'suppress',
      reasons: ['hardship_request pending (income_loss)'],
    });
    expect(decide(notice('plan_offer', 'hardship'), view).verdict).toBe('send');
    expect(decide(notice('payment_received', 'due'), view).verdict).toBe('send');
    expect(decide(intentFor({ channel: 'voice', template: 'overdue_15', stage: 'delinquent' }), view).reasons).toEqual([
      'hardship_request pending (income_loss)',
    ]);
    expect(decide(intentFor(), viewOf()).verdict).toBe('send');
  });

  it('a dispute pause holds promise_broken, hold and plan-offer messages; acknowledgements and service go', () => {
    const view = viewOf({ pauses: [{ fromMs: at('2026-03-13', '12:00'), untilMs: null, reason: 'dispute' }] });
    for (const [template, stage] of [
      ['promise_broken', 'promise'],
      ['hold_checkin', 'hold'],
      ['plan_offer', 'hardship'],
    ] as const) {
      expect(decide(notice(template, stage), view), template).toEqual({
        verdict: 'suppress',
        reasons: ['paused dispute'],
      });
    }
    for (const [template, stage] of [
      ['hold_confirmed', 'hold'],
      ['payment_received', 'due'],
      ['plan_confirmed', 'hardship'],
      ['status_delayed', 'due'],
    ] as const) {
      expect(decide(notice(template, stage), view).verdict, template).toBe('send');
    }
    // The pause ends when it is lifted (untilMs): the held message goes again.
    const lifted = viewOf({
      pauses: [{ fromMs: at('2026-03-13', '12:00'), untilMs: at('2026-03-14', '08:00'), reason: 'dispute' }],
    });
    expect(decide(notice('promise_broken', 'promise'), lifted).verdict).toBe('send');
  });

  it('a custom template is collection unless it says otherwise', () => {
    const view = viewOf({ pauses: [{ fromMs: at('2026-03-13', '12:00'), untilMs: null, reason: 'dispute' }] });
    const intent = notice('my_thanks', 'hold');
    expect(decide(intent, view).verdict).toBe('suppress');
    const base = getTemplate('payment_received')!;
    const templates = new Map([['my_thanks', { ...base, id: 'my_thanks', kind: 'acknowledgement' as const }]]);
    expect(evaluateContact({ intent, view, policy: cn, nowMs: intent.plannedAtMs, templates }).verdict).toBe('send');
  });
});
