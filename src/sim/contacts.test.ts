// The contact half of `kuan simulate`, scenario by scenario: what a borrower is sent, when, and why not.
// Each test replays a small scenario through the production engine and reads the `contact` lines.
import { describe, expect, it } from 'vitest';
import { runScenario, type SimulationLine } from './run.ts';
import { parseScenario } from './scenario.ts';
import type { ContactLine } from './contacts.ts';

const contacts = { sms: '+8613800000001', email: 'b1@example.com', push: 'device-b1', voice: '+8613800000001' };

/** One borrower in Shanghai with one 6-month loan disbursed 2026-02-17 (first due 2026-03-17). */
function scenario(overrides: Record<string, unknown> = {}, borrower: Record<string, unknown> = {}): unknown {
  return {
    start: '2026-03-01',
    days: 31,
    policy: 'cn-2026',
    strategy: 'default',
    borrowers: [{ id: 'B1', timezone: 'Asia/Shanghai', locale: 'zh-CN', contacts, ...borrower }],
    loans: [
      {
        id: 'L1',
        borrowerId: 'B1',
        terms: { principal: '5000.00', currency: 'CNY', annualRate: '0.12', termCount: 6, startDate: '2026-02-17' },
        servicing: { graceDays: 3, penaltyAnnualRate: '0.18' },
      },
    ],
    events: [],
    ...overrides,
  };
}

async function contactLines(input: unknown): Promise<ContactLine[]> {
  const lines: SimulationLine[] = await runScenario(parseScenario(input));
  return lines.filter((line): line is ContactLine => line.kind === 'contact');
}

const sent = (lines: ContactLine[]) => lines.filter((line) => line.status === 'sent');

describe('simulate: contacts', () => {
  it('reminds three days before the due date at 09:00 local time, with a verification code and its reasons', async () => {
    const lines = await contactLines(scenario());
    const first = lines[0] as ContactLine;
    expect(first).toMatchObject({
      kind: 'contact',
      at: '2026-03-14T09:00:00+08:00',
      borrowerId: 'B1',
      loanIds: ['L1'],
      channel: 'sms',
      template: 'due_soon',
      status: 'sent',
    });
    expect(first.code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$/);
    expect(first.reasons).toContain('strategy default step pre_due_3');
    expect(first.reasons).toContain('cap sms 1/2 today');
    expect(Object.keys(first)).toEqual([
      'kind',
      'at',
      'borrowerId',
      'loanIds',
      'channel',
      'template',
      'status',
      'code',
      'reasons',
    ]);
  });

  it('never sends in quiet hours: a step at 23:10 is dropped with the rule that stopped it', async () => {
    const strategy = {
      addSteps: [{ id: 'late', stage: 'due', dayOffset: 0, channel: 'sms', template: 'due_today', sendAt: '23:10' }],
    };
    const lines = await contactLines(scenario({ strategy }));
    const late = lines.find((line) => line.template === 'due_today' && line.channel === 'sms');
    expect(late).toMatchObject({
      at: '2026-03-17T23:10:00+08:00',
      status: 'suppressed',
      reasons: ['quiet_hours 22:00-08:00 Asia/Shanghai'],
    });
  });

  it('sends nothing about an installment paid before the reminder goes out (checked at the moment of sending)', async () => {
    const payment = { at: '2026-03-14T08:30:00+08:00', type: 'payment', loanId: 'L1', amount: '862.74' };
    const lines = await contactLines(scenario({ events: [payment], days: 20 }));
    const march14 = lines.filter((line) => line.at.startsWith('2026-03-14'));
    expect(march14.length).toBeGreaterThan(0);
    for (const line of march14) expect(line).toMatchObject({ status: 'suppressed', reasons: ['paid L1'] });
    expect(sent(lines).filter((line) => line.at.startsWith('2026-03-1'))).toEqual([]);
  });

  it('under a hold: one confirmation, then no reminders and at most one message per 7 days, no calls', async () => {
    const hold = { at: '2026-03-18T09:00:00+08:00', type: 'hold', borrowerId: 'B1', days: 20, reason: 'illness' };
    const lines = await contactLines(scenario({ events: [hold], days: 40 }));
    const during = lines.filter((line) => line.at >= '2026-03-18T09' && line.at < '2026-04-07T09');
    const delivered = sent(during);
    expect(delivered.map((line) => line.template)).toEqual(['hold_confirmed', 'hold_checkin', 'hold_checkin']);
    for (let index = 1; index < delivered.length; index += 1) {
      const gapMs =
        Date.parse((delivered[index] as ContactLine).at) - Date.parse((delivered[index - 1] as ContactLine).at);
      expect(gapMs).toBeGreaterThanOrEqual(7 * 86_400_000);
    }
    expect(delivered.some((line) => line.channel === 'voice')).toBe(false);
    expect(
      during.filter((line) => line.status === 'suppressed').every((line) => line.reasons[0]?.startsWith('hold')),
    ).toBe(true);
  });

  it('a reply of 退订 opts the borrower out of SMS from then on; other channels continue', async () => {
    const reply = { at: '2026-03-15T12:00:00+08:00', type: 'reply', borrowerId: 'B1', channel: 'sms', text: ' 退订 ' };
    const lines = await contactLines(scenario({ events: [reply], days: 40 }));
    const after = lines.filter((line) => line.at > '2026-03-15T12');
    expect(after.filter((line) => line.channel === 'sms').every((line) => line.reasons.includes('opt_out sms'))).toBe(
      true,
    );
    expect(sent(after).some((line) => line.channel !== 'sms')).toBe(true);
  });

  it('holds back reminders while a promise to pay is open; a broken promise resumes the strategy', async () => {
    const promise = {
      at: '2026-03-19T15:00:00+08:00',
      type: 'promise_to_pay',
      loanId: 'L1',
      amount: '862.74',
      date: '2026-03-24',
    };
    const lines = await contactLines(scenario({ events: [promise], days: 40 }));
    const open = lines.filter((line) => line.at > '2026-03-19T15' && line.at < '2026-03-25');
    expect(sent(open).every((line) => line.template.startsWith('promise_'))).toBe(true);
    expect(sent(lines).some((line) => line.template === 'promise_broken' && line.at.startsWith('2026-03-25'))).toBe(
      true,
    );
    expect(sent(lines).some((line) => line.at > '2026-03-26' && !line.template.startsWith('promise_'))).toBe(true);
  });

  it('a kept promise: the payment before the promised date means no broken-promise notice', async () => {
    const events = [
      { at: '2026-03-19T15:00:00+08:00', type: 'promise_to_pay', loanId: 'L1', amount: '862.74', date: '2026-03-24' },
      { at: '2026-03-23T11:00:00+08:00', type: 'payment', loanId: 'L1', amount: '900.00' },
    ];
    const lines = await contactLines(scenario({ events, days: 30 }));
    expect(lines.some((line) => line.template === 'promise_broken')).toBe(false);
  });

  it('an unanswered call falls back to an SMS', async () => {
    const events = [{ at: '2026-04-01T14:30:00+08:00', type: 'call_outcome', borrowerId: 'B1', outcome: 'no_answer' }];
    const lines = await contactLines(scenario({ events, days: 40 }));
    const call = sent(lines).find((line) => line.channel === 'voice');
    expect(call).toBeDefined();
    const fallback = lines.find((line) => line.reasons.includes('fallback after unanswered voice'));
    expect(fallback).toMatchObject({ at: '2026-04-01T14:30:00+08:00', channel: 'sms', status: 'sent' });
  });

  it('consolidates one borrower’s loans into one message per channel and slot', async () => {
    const input = scenario() as { loans: Record<string, unknown>[] };
    input.loans.push({
      id: 'L2',
      borrowerId: 'B1',
      terms: { principal: '2000.00', currency: 'CNY', annualRate: '0.12', termCount: 6, startDate: '2026-02-17' },
    });
    const lines = await contactLines(input);
    const reminder = lines.find((line) => line.template === 'due_soon' && line.channel === 'sms');
    expect(reminder?.loanIds).toEqual(['L1', 'L2']);
    const bySlot = new Map<string, number>();
    for (const line of sent(lines))
      bySlot.set(`${line.channel}@${line.at}`, (bySlot.get(`${line.channel}@${line.at}`) ?? 0) + 1);
    expect([...bySlot.values()].every((count) => count === 1)).toBe(true);
  });

  it('a borrower without an address for a channel gets nothing on it (no_address) and the fallback is tried', async () => {
    const lines = await contactLines(scenario({}, { contacts: { email: 'b1@example.com' } }));
    const sms = lines.find((line) => line.channel === 'sms');
    expect(sms?.status).toBe('suppressed');
    expect(sms?.reasons.at(-1)).toBe('no_address sms');
  });

  it('a rule that stops the contact anyway is named before a missing address (production’s order: the gate first)', async () => {
    const events = [{ at: '2026-03-10T12:00:00+08:00', type: 'opt_out', borrowerId: 'B1', channel: 'email' }];
    const lines = await contactLines(scenario({ events }, { contacts: { sms: '+8613800000001' } }));
    const email = lines.filter((line) => line.channel === 'email');
    expect(email.length).toBeGreaterThan(0);
    expect(email.every((line) => line.status === 'suppressed' && line.reasons.at(-1) === 'opt_out email')).toBe(true);
  });

  it('us-regf: every line keeps the 08:00–21:00 window in the borrower’s zone', async () => {
    const lines = await contactLines(
      scenario({ policy: 'us-regf', days: 60 }, { timezone: 'America/New_York', locale: 'en' }),
    );
    expect(sent(lines).length).toBeGreaterThan(5);
    for (const line of sent(lines)) {
      const hour = Number(line.at.slice(11, 13));
      expect(hour).toBeGreaterThanOrEqual(8);
      expect(hour).toBeLessThan(21);
      expect(line.at.endsWith('-04:00') || line.at.endsWith('-05:00')).toBe(true);
    }
  });

  it('a complaint about contact pauses collection contact until it is reviewed', async () => {
    const events = [
      { at: '2026-03-18T12:00:00+08:00', type: 'complaint', borrowerId: 'B1', category: 'contact_conduct' },
      { at: '2026-03-27T12:00:00+08:00', type: 'complaint_reviewed', borrowerId: 'B1', category: 'contact_conduct' },
    ];
    const lines = await contactLines(scenario({ events, days: 40 }));
    const paused = lines.filter((line) => line.at > '2026-03-18T12' && line.at < '2026-03-27T12');
    expect(paused.length).toBeGreaterThan(0);
    expect(sent(paused)).toEqual([]);
    expect(paused.every((line) => line.reasons.includes('paused contact_conduct'))).toBe(true);
    expect(sent(lines).some((line) => line.at > '2026-03-27T12')).toBe(true);
  });

  it('names the field of a bad contact event or policy', async () => {
    expect(() => parseScenario(scenario({ policy: 'eu-gdpr' }))).toThrow(/^policy: /);
    expect(() =>
      parseScenario(
        scenario({ events: [{ at: '2026-03-02T10:00:00+08:00', type: 'hold', borrowerId: 'B1', days: 0 }] }),
      ),
    ).toThrow(/events\[0\]\.days/);
    expect(() =>
      parseScenario(
        scenario({ events: [{ at: '2026-03-02T10:00:00+08:00', type: 'opt_out', borrowerId: 'B1', channel: 'fax' }] }),
      ),
    ).toThrow(/events\[0\]\.channel/);
    expect(() => parseScenario(scenario({ strategy: { steps: [{ id: 'x' }] } }))).toThrow(/strategy\.steps\[0\]/);
  });
});
