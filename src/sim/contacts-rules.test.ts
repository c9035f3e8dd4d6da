// Scenarios found by the generated-scenario property test (issue 18), one per rule, each small enough to
// read: Reg F's quiet days after a conversation count for the debt the outcome names; a number that is
// not the borrower's is used on no channel; one message per channel and send minute; per-borrower time
// order of the output lines.
import { describe, expect, it } from 'vitest';
import type { ContactLine } from './contacts.ts';
import { runScenario, type SimulationLine } from './run.ts';
import { parseScenario } from './scenario.ts';

const phone = '+8613800000001';
const contacts = { sms: phone, email: 'b1@example.com', push: 'device-b1', voice: phone };

function loan(id: string, startDate: string, servicing: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    borrowerId: 'B1',
    terms: { principal: '5000.00', currency: 'CNY', annualRate: '0.12', termCount: 6, startDate },
    servicing: { graceDays: 3, penaltyAnnualRate: '0.18', ...servicing },
  };
}

/** One borrower in Shanghai with one 6-month loan whose first installment falls due 2026-03-17. */
function scenario(overrides: Record<string, unknown> = {}, borrower: Record<string, unknown> = {}): unknown {
  return {
    start: '2026-03-01',
    days: 50,
    policy: 'cn-2026',
    strategy: 'default',
    borrowers: [{ id: 'B1', timezone: 'Asia/Shanghai', locale: 'zh-CN', contacts, ...borrower }],
    loans: [loan('L1', '2026-02-17')],
    events: [],
    ...overrides,
  };
}

async function run(input: unknown): Promise<SimulationLine[]> {
  return runScenario(parseScenario(input));
}

const contactLines = (lines: SimulationLine[]): ContactLine[] =>
  lines.filter((line): line is ContactLine => line.kind === 'contact');

describe('issue 18: Reg F quiet days after a conversation count for the debt it names', () => {
  // L1 falls due 2026-02-10 (its 15-day call on 02-25), L2 on 02-15 (its call on 03-02, five days later).
  const regf = (events: unknown[]) =>
    scenario(
      {
        start: '2026-02-01',
        days: 35,
        policy: 'us-regf',
        loans: [loan('L1', '2026-01-10'), loan('L2', '2026-01-15')],
        events,
      },
      { timezone: 'America/New_York', locale: 'en' },
    );
  const l2Calls = (lines: SimulationLine[]) =>
    contactLines(lines).filter((line) => line.channel === 'voice' && line.loanIds.includes('L2'));

  it('a conversation naming L2 while the call task about L1 is pending keeps L2 from being called 5 days later', async () => {
    const talk = {
      at: '2026-02-25T14:30:00-05:00',
      type: 'call_outcome',
      borrowerId: 'B1',
      loanId: 'L2',
      outcome: 'connected',
    };
    const lines = await run(regf([talk]));
    const l1Call = contactLines(lines).find((line) => line.channel === 'voice' && line.status === 'sent');
    expect(l1Call).toMatchObject({ at: '2026-02-25T14:00:00-05:00', loanIds: ['L1'] });
    const call = l2Calls(lines).find((line) => line.at.startsWith('2026-03-02'));
    expect(call).toMatchObject({ status: 'suppressed', reasons: ['conversation about L2 within 7 days'] });
  });

  it('the same outcome with no call pending suppresses that call too (the control case)', async () => {
    const talk = {
      at: '2026-02-24T14:30:00-05:00',
      type: 'call_outcome',
      borrowerId: 'B1',
      loanId: 'L2',
      outcome: 'connected',
    };
    const lines = await run(regf([talk]));
    const call = l2Calls(lines).find((line) => line.at.startsWith('2026-03-02'));
    expect(call).toMatchObject({ status: 'suppressed', reasons: ['conversation about L2 within 7 days'] });
  });

  it('an outcome that names no loan counts for the pending task’s loans only', async () => {
    const talk = { at: '2026-02-25T14:30:00-05:00', type: 'call_outcome', borrowerId: 'B1', outcome: 'connected' };
    const lines = await run(regf([talk]));
    const call = l2Calls(lines).find((line) => line.at.startsWith('2026-03-02'));
    expect(call).toMatchObject({ status: 'sent', loanIds: ['L2'] });
  });
});

describe('issue 18: a number that is not the borrower’s is used on no channel', () => {
  // L1's first call (15 days past due) is on 2026-04-01 at 14:00; SMS reminders go on 03-20, 03-21 …
  const calls = (lines: SimulationLine[]) =>
    contactLines(lines).filter((line) => line.channel === 'voice' && line.at >= '2026-03-25');

  it('a contact_update that removes the number from SMS stops calls to it as well', async () => {
    const update = {
      at: '2026-03-19T12:00:00+08:00',
      type: 'contact_update',
      borrowerId: 'B1',
      contacts: { sms: null },
    };
    const lines = await run(scenario({ events: [update] }));
    expect(calls(lines).length).toBeGreaterThan(0);
    for (const line of calls(lines))
      expect(line).toMatchObject({ status: 'suppressed', reasons: ['blocked_address voice'] });
  });

  it('a contact_update that replaces the SMS number stops calls to the old one, and texts go to the new one', async () => {
    const update = {
      at: '2026-03-19T12:00:00+08:00',
      type: 'contact_update',
      borrowerId: 'B1',
      contacts: { sms: '+8613900000002' },
    };
    const lines = await run(scenario({ events: [update] }));
    for (const line of calls(lines)) expect(line.status).toBe('suppressed');
    const texts = contactLines(lines).filter((line) => line.channel === 'sms' && line.at > '2026-03-19T12');
    expect(texts.some((line) => line.status === 'sent')).toBe(true);
  });

  it('a wrong_number outcome on the SMS number stops texts and calls to it', async () => {
    const wrong = {
      at: '2026-03-19T12:00:00+08:00',
      type: 'call_outcome',
      borrowerId: 'B1',
      outcome: 'wrong_number',
      number: phone,
    };
    const lines = await run(scenario({ events: [wrong] }));
    const after = contactLines(lines).filter(
      (line) => (line.channel === 'sms' || line.channel === 'voice') && line.at > '2026-03-19T12',
    );
    expect(after.length).toBeGreaterThan(0);
    for (const line of after) expect(line.status).toBe('suppressed');
  });

  it('a plain SMS opt-out still only stops SMS: the same number is called', async () => {
    const optOut = { at: '2026-03-19T12:00:00+08:00', type: 'opt_out', borrowerId: 'B1', channel: 'sms' };
    const lines = await run(scenario({ events: [optOut] }));
    expect(calls(lines).some((line) => line.status === 'sent')).toBe(true);
  });

  it('giving a blocked number back explicitly makes it usable again', async () => {
    const events = [
      { at: '2026-03-19T12:00:00+08:00', type: 'contact_update', borrowerId: 'B1', contacts: { sms: null } },
      { at: '2026-03-20T08:00:00+08:00', type: 'contact_update', borrowerId: 'B1', contacts: { sms: phone } },
    ];
    const lines = await run(scenario({ events }));
    expect(calls(lines).some((line) => line.status === 'sent')).toBe(true);
  });
});

describe('issue 18: one message per channel and send minute', () => {
  it('a promise made at 10:00 on its date does not send a second SMS in the minute of another', async () => {
    // On 2026-03-17 L2 (due 03-16) is one day into grace (SMS at 10:00); L1 falls due, and the borrower
    // promises to pay it that day at 10:00, which plans the promise's 09:00 SMS for now.
    const promise = {
      at: '2026-03-17T10:00:00+08:00',
      type: 'promise_to_pay',
      loanId: 'L1',
      amount: '862.74',
      date: '2026-03-17',
    };
    // The built-in strategies send nothing on a promised date (issue 13): a lender's own strategy that
    // acknowledges the promise that day is what lands on the minute of the grace reminder.
    const acknowledge = {
      addSteps: [
        {
          id: 'promise_ack',
          stage: 'promise',
          dayOffset: 0,
          channel: 'sms',
          template: 'promise_confirmed',
          sendAt: '09:00',
        },
      ],
    };
    const lines = await run(
      scenario({
        days: 20,
        strategy: acknowledge,
        loans: [loan('L1', '2026-02-17'), loan('L2', '2026-02-16')],
        events: [promise],
      }),
    );
    const texts = contactLines(lines).filter((line) => line.channel === 'sms' && line.status === 'sent');
    const minutes = texts.map((line) => line.at.slice(0, 16));
    expect(new Set(minutes).size).toBe(minutes.length);
    // Neither message is lost: the second waits for the next minute.
    const day = texts.filter((line) => line.at.startsWith('2026-03-17'));
    expect(day.map((line) => line.template).sort()).toEqual(['in_grace', 'promise_confirmed']);
  });
});

describe('issue 18: per-borrower time order of the output', () => {
  it('a payment at 23:59:59.500 prints after the auto-debit presented at 23:59:59', async () => {
    const late = { at: '2026-03-17T23:59:59.500+08:00', type: 'payment', loanId: 'L1', amount: '100.00' };
    const funds = { at: '2026-03-01T09:00:00+08:00', type: 'auto_debit_funds', loanId: 'L1', amount: '10000.00' };
    const lines = await run(
      scenario({ days: 18, loans: [loan('L1', '2026-02-17', { autoDebit: true })], events: [funds, late] }),
    );
    const payments = lines.filter((line) => line.kind === 'payment' && line.at.startsWith('2026-03-17'));
    expect(payments.map((line) => (line.kind === 'payment' ? line.source : ''))).toEqual(['auto_debit', 'manual']);
    let previous = Number.NEGATIVE_INFINITY;
    for (const line of lines) {
      if (line.kind === 'loan_day') continue;
      const ms = Date.parse(line.at);
      expect(ms).toBeGreaterThanOrEqual(previous);
      previous = ms;
    }
  });
});

describe('issue 18: a contact at an event’s instant keeps its milliseconds', () => {
  it('a fallback tried at 23:59:59.500 is stamped 23:59:59.500, after the payment of that instant', async () => {
    // L1 is 15 days past due on 2026-04-01 (a call at 14:00); the outcome comes in at 23:59:59.500.
    const events = [
      { at: '2026-04-01T23:59:59.500+08:00', type: 'payment', loanId: 'L1', amount: '10.00' },
      { at: '2026-04-01T23:59:59.500+08:00', type: 'call_outcome', borrowerId: 'B1', outcome: 'no_answer' },
    ];
    const lines = await run(scenario({ days: 32, events }));
    // The SMS fallback comes at the outcome's instant, in quiet hours: dropped, and stamped when it was.
    const fallback = contactLines(lines).find((line) => line.at.startsWith('2026-04-01T23'));
    expect(fallback).toMatchObject({ at: '2026-04-01T23:59:59.500+08:00', channel: 'sms', status: 'suppressed' });
    const payment = lines.findIndex((line) => line.kind === 'payment' && line.at.startsWith('2026-04-01T23'));
    expect(lines.indexOf(fallback as SimulationLine)).toBeGreaterThan(payment);
  });
});
