// What holds contact back in `kuan simulate`, end to end: an open promise to pay, a hardship request, a
// dispute's pause. Each test replays a small scenario and reads the `contact` lines: what was queued before
// the borrower acted is suppressed at dispatch by the gate, with the rule in its reasons.
import { describe, expect, it } from 'vitest';
import type { ContactLine } from './contacts.ts';
import { runScenario, type SimulationLine } from './run.ts';
import { parseScenario } from './scenario.ts';

const contacts = { sms: '+8613800000001', email: 'b1@example.com', push: 'device-b1', voice: '+8613800000001' };

/** One borrower in Shanghai, cn-2026, one 6-month loan disbursed 2026-02-17 (first due 2026-03-17, grace 3 days). */
function scenario(events: unknown[], days = 31): unknown {
  return {
    start: '2026-03-01',
    days,
    policy: 'cn-2026',
    strategy: 'default',
    borrowers: [{ id: 'B1', timezone: 'Asia/Shanghai', locale: 'zh-CN', contacts }],
    loans: [
      {
        id: 'L1',
        borrowerId: 'B1',
        terms: { principal: '5000.00', currency: 'CNY', annualRate: '0.12', termCount: 6, startDate: '2026-02-17' },
        servicing: { graceDays: 3, penaltyAnnualRate: '0.18' },
      },
    ],
    events,
  };
}

async function contactLines(input: unknown): Promise<ContactLine[]> {
  const lines: SimulationLine[] = await runScenario(parseScenario(input));
  return lines.filter((line): line is ContactLine => line.kind === 'contact');
}

const brief = (line: ContactLine) => `${line.at} ${line.channel} ${line.template} ${line.status}`;

describe('simulate: an open hardship request', () => {
  it('suppresses the due_soon SMS queued for 09:00 after a hardship request at 08:30; the plan offer goes', async () => {
    const lines = await contactLines(
      scenario([
        { at: '2026-03-14T08:30:00+08:00', type: 'hardship_request', borrowerId: 'B1', reason: 'income_loss' },
      ]),
    );
    const sms = lines.find((line) => line.at === '2026-03-14T09:00:00+08:00' && line.channel === 'sms');
    expect(sms).toMatchObject({ template: 'due_soon', status: 'suppressed' });
    expect(sms?.reasons).toEqual(['hardship_request pending (income_loss)']);
    const after = lines.filter((line) => line.at >= '2026-03-14T08:30:00+08:00' && line.status === 'sent');
    expect(after.map(brief)).toEqual(['2026-03-14T10:00:00+08:00 email plan_offer sent']);
  });

  it('ends when a plan is decided: ordinary contact resumes after it', async () => {
    const lines = await contactLines(
      scenario([
        { at: '2026-03-14T08:30:00+08:00', type: 'hardship_request', borrowerId: 'B1', reason: 'income_loss' },
        {
          at: '2026-03-16T11:00:00+08:00',
          type: 'plan',
          loanId: 'L1',
          plan: { type: 'settlement', amount: '4000.00', deadline: '2026-04-30' },
          approverRole: 'collector',
          reason: 'income_loss',
        },
      ]),
    );
    // The collector may not approve that much: the plan is refused, the request is decided, reminders resume.
    const resumed = lines.filter((line) => line.at > '2026-03-16T11:00:00+08:00' && line.status === 'sent');
    expect(resumed.length).toBeGreaterThan(0);
    expect(resumed[0]?.reasons.join(' ')).not.toContain('hardship');
  });
});

describe('simulate: an open promise to pay', () => {
  const promise = {
    at: '2026-03-19T15:00:00+08:00',
    type: 'promise_to_pay',
    loanId: 'L1',
    amount: '862.74',
    date: '2026-03-24',
  };

  it('sends nothing about the loan until the promised date has passed, then the broken-promise notice', async () => {
    const lines = await contactLines(scenario([promise]));
    const during = lines.filter(
      (line) => line.at > promise.at && line.at < '2026-03-25T00:00:00+08:00' && line.status === 'sent',
    );
    expect(during.map(brief)).toEqual([]);
    expect(lines.find((line) => line.template === 'promise_reminder')).toMatchObject({
      at: '2026-03-23T09:00:00+08:00',
      status: 'suppressed',
      reasons: ['promise L1 until 2026-03-24'],
    });
    expect(lines.filter((line) => line.status === 'sent' && line.at.startsWith('2026-03-25')).map(brief)).toContain(
      '2026-03-25T10:00:00+08:00 sms promise_broken sent',
    );
  });

  it('reminds the day before when the borrower asked for it (remindMe)', async () => {
    const lines = await contactLines(scenario([{ ...promise, remindMe: true }]));
    expect(lines.find((line) => line.template === 'promise_reminder')).toMatchObject({
      at: '2026-03-23T09:00:00+08:00',
      channel: 'push',
      status: 'sent',
    });
  });

  it('rejects a remindMe that is not true or false, naming the field', () => {
    expect(() => parseScenario(scenario([{ ...promise, remindMe: 'yes' }]))).toThrow(/events\[0\]\.remindMe/);
  });
});

describe('simulate: a dispute pauses collection contact', () => {
  const promise = {
    at: '2026-03-19T15:00:00+08:00',
    type: 'promise_to_pay',
    loanId: 'L1',
    amount: '862.74',
    date: '2026-03-21',
  };
  const dispute = { at: '2026-03-20T12:00:00+08:00', type: 'complaint', borrowerId: 'B1', category: 'dispute' };

  it('holds the broken-promise notice and every reminder until the dispute is reviewed', async () => {
    const lines = await contactLines(
      scenario(
        [
          promise,
          dispute,
          { at: '2026-03-26T12:00:00+08:00', type: 'complaint_reviewed', borrowerId: 'B1', category: 'dispute' },
        ],
        40,
      ),
    );
    expect(lines.find((line) => line.template === 'promise_broken')).toMatchObject({
      at: '2026-03-22T10:00:00+08:00',
      status: 'suppressed',
      reasons: ['paused dispute'],
    });
    const paused = lines.filter((line) => line.at > dispute.at && line.at < '2026-03-26T12:00:00+08:00');
    expect(paused.filter((line) => line.status === 'sent').map(brief)).toEqual([]);
    expect(paused.length).toBeGreaterThan(0);
    const resumed = lines.filter((line) => line.at > '2026-03-26T12:00:00+08:00' && line.status === 'sent');
    expect(resumed.length).toBeGreaterThan(0);
  });
});

describe('simulate: revocation words', () => {
  it('cn-2026: "退订谢谢" opts out of SMS; repeating it sends nothing (no confirmation multiplies)', async () => {
    const reply = (at: string) => ({ at, type: 'reply', borrowerId: 'B1', channel: 'sms', text: '退订谢谢' });
    const once = await contactLines(scenario([reply('2026-03-13T20:00:00+08:00')]));
    const thrice = await contactLines(
      scenario([
        reply('2026-03-13T20:00:00+08:00'),
        reply('2026-03-13T20:01:00+08:00'),
        reply('2026-03-13T20:02:00+08:00'),
      ]),
    );
    expect(thrice).toEqual(once);
    const sms = once.filter((line) => line.channel === 'sms' && line.at > '2026-03-13T20:00:00+08:00');
    expect(sms.length).toBeGreaterThan(0);
    expect(sms.every((line) => line.status === 'suppressed' && line.reasons[0] === 'opt_out sms')).toBe(true);
  });

  it('us-regf: "STOP ALL" opts out of every channel; "I can\'t stop by the bank" opts out of nothing', async () => {
    const base = { ...(scenario([]) as Record<string, unknown>), policy: 'us-regf' };
    const all = await contactLines({
      ...base,
      events: [{ at: '2026-03-13T20:00:00+08:00', type: 'reply', borrowerId: 'B1', channel: 'sms', text: 'STOP ALL' }],
    });
    const after = all.filter((line) => line.at > '2026-03-13T20:00:00+08:00');
    expect(after.filter((line) => line.status === 'sent').map(brief)).toEqual([]);
    expect(new Set(after.map((line) => line.reasons[0]))).toEqual(
      new Set(after.map((line) => `opt_out ${line.channel}`)),
    );
    const chat = await contactLines({
      ...base,
      events: [
        {
          at: '2026-03-13T20:00:00+08:00',
          type: 'reply',
          borrowerId: 'B1',
          channel: 'sms',
          text: "I can't stop by the bank",
        },
      ],
    });
    expect(
      chat.filter((line) => line.status === 'sent' && line.at > '2026-03-13T20:00:00+08:00').length,
    ).toBeGreaterThan(0);
  });
});
