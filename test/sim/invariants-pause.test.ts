// The pause invariants on a hand-built scenario and hand-written lines (each rule caught when broken, quiet
// when kept), and on a real simulation of the same scenario, which keeps them all.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/sim/run.ts';
import { parseScenario } from '../../src/sim/scenario.ts';
import {
  noCollectionMessageDuringPause,
  noContactAfterHardshipRequest,
  noPromiseReminderUnlessAsked,
  pauseInvariants,
  revocationWordsOptOut,
  type OutputLine,
  type ScenarioJson,
} from './invariants-pause.ts';

const contacts = { sms: '+8613800000001', email: 'b1@example.com', push: 'device-b1', voice: '+8613800000001' };

function scenario(events: ScenarioJson['events']): ScenarioJson {
  const document = {
    start: '2026-03-01',
    days: 40,
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
  return document;
}

const sent = (at: string, channel: string, template: string): OutputLine => ({
  kind: 'contact',
  at,
  borrowerId: 'B1',
  loanIds: ['L1'],
  channel,
  template,
  status: 'sent',
});

describe('pause invariants', () => {
  it('catch a collection message after a hardship request, and let the plan offer and a decided request be', () => {
    const s = scenario([
      { at: '2026-03-14T08:30:00+08:00', type: 'hardship_request', borrowerId: 'B1' },
      { at: '2026-03-20T10:00:00+08:00', type: 'plan', loanId: 'L1' },
    ]);
    expect(
      noContactAfterHardshipRequest(s, [
        sent('2026-03-14T09:00:00+08:00', 'sms', 'due_soon'),
        sent('2026-03-14T10:00:00+08:00', 'email', 'plan_offer'),
        sent('2026-03-21T10:00:00+08:00', 'sms', 'overdue_1'),
      ]),
    ).toEqual([
      '2026-03-14T09:00:00+08:00 B1 sms due_soon [L1] sent after hardship_request at 2026-03-14T08:30:00+08:00',
    ]);
  });

  it('catch promise_broken during a dispute pause, but not a payment acknowledgement or contact after review', () => {
    const s = scenario([
      { at: '2026-03-20T12:00:00+08:00', type: 'complaint', borrowerId: 'B1', category: 'dispute' },
      { at: '2026-03-26T12:00:00+08:00', type: 'complaint_reviewed', borrowerId: 'B1', category: 'dispute' },
    ]);
    expect(
      noCollectionMessageDuringPause(s, [
        sent('2026-03-22T10:00:00+08:00', 'sms', 'promise_broken'),
        sent('2026-03-23T10:00:00+08:00', 'sms', 'payment_received'),
        sent('2026-03-27T10:00:00+08:00', 'sms', 'overdue_7'),
      ]),
    ).toEqual([
      '2026-03-22T10:00:00+08:00 B1 sms promise_broken [L1] sent while paused dispute at 2026-03-20T12:00:00+08:00',
    ]);
  });

  it('catch a message on a channel after "STOP." and on every channel after "stop all"', () => {
    const reply = (text: string) =>
      scenario([{ at: '2026-03-13T20:00:00+08:00', type: 'reply', borrowerId: 'B1', channel: 'sms', text }]);
    const lines = [
      sent('2026-03-14T09:00:00+08:00', 'sms', 'due_soon'),
      sent('2026-03-14T09:00:00+08:00', 'email', 'due_soon'),
    ];
    expect(revocationWordsOptOut(reply('STOP.'), lines)).toHaveLength(1);
    expect(revocationWordsOptOut(reply('stop all'), lines)).toHaveLength(2);
    expect(revocationWordsOptOut(reply('when is it due?'), lines)).toEqual([]);
  });

  it('catch a promise reminder nobody asked for, not one the borrower asked for', () => {
    const promise = { at: '2026-03-19T15:00:00+08:00', type: 'promise_to_pay', loanId: 'L1', date: '2026-03-24' };
    const lines = [
      sent('2026-03-23T09:00:00+08:00', 'push', 'promise_reminder'),
      sent('2026-03-25T10:00:00+08:00', 'sms', 'promise_broken'),
    ];
    expect(noPromiseReminderUnlessAsked(scenario([promise]), lines)).toEqual([
      '2026-03-23T09:00:00+08:00 B1 push promise_reminder [L1] sent while the promise of 2026-03-19T15:00:00+08:00 runs to 2026-03-24',
    ]);
    expect(noPromiseReminderUnlessAsked(scenario([{ ...promise, remindMe: true }]), lines)).toEqual([]);
  });

  it('all hold on a simulation with a promise, a dispute, a reply and a hardship request', async () => {
    const s = scenario([
      { at: '2026-03-05T20:00:00+08:00', type: 'reply', borrowerId: 'B1', channel: 'email', text: 'ＳＴＯＰ' },
      { at: '2026-03-19T15:00:00+08:00', type: 'promise_to_pay', loanId: 'L1', amount: '862.74', date: '2026-03-21' },
      { at: '2026-03-22T08:00:00+08:00', type: 'complaint', borrowerId: 'B1', category: 'dispute' },
      { at: '2026-03-26T12:00:00+08:00', type: 'complaint_reviewed', borrowerId: 'B1', category: 'dispute' },
      { at: '2026-03-30T08:30:00+08:00', type: 'hardship_request', borrowerId: 'B1' },
    ]);
    const lines = JSON.parse(
      JSON.stringify(await runScenario(parseScenario(s)), (_key, value: unknown) =>
        typeof value === 'bigint' ? value.toString() : value,
      ),
    ) as OutputLine[];
    expect(lines.some((line) => line.kind === 'contact' && line.status === 'sent')).toBe(true);
    for (const [name, check] of Object.entries(pauseInvariants)) expect(check(s, lines), name).toEqual([]);
  });
});
