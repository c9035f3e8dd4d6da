// The dispatch decisions production's dispatcher and the simulator's desk share: the first attempt through
// the gate, the re-send rules, the fallback, and what a channel's answer means (retry, give up, the
// address's fate). Golden cases in Asia/Shanghai under cn-2026 (window 08:00–22:00, sms cap 2 a day).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { zonedEpochMs } from '../calendar/index.ts';
import { decideDelivery, decideDispatch, fallbackOf, type ChannelAnswer, type DispatchInput } from './dispatch.ts';
import type { BorrowerContactView, ContactIntent } from './model.ts';
import { builtInPolicies, type PolicyPack } from './policy/pack.ts';

const zone = 'Asia/Shanghai';
const cn = builtInPolicies['cn-2026'] as PolicyPack;
const date = '2026-03-14';
const at = (time: string): number => {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  return zonedEpochMs(zone, date, hours * 60 + minutes);
};

function intentFor(options: Partial<ContactIntent> = {}): ContactIntent {
  return {
    intentId: `B1:${date}:overdue_3:push`,
    borrowerId: 'B1',
    loanIds: ['L1'],
    subjects: [{ loanId: 'L1', installmentNumbers: [1], amountMinor: 30_500n, currency: 'CNY' }],
    channel: 'push',
    template: 'overdue_3',
    purpose: 'collection',
    stage: 'grace',
    strategy: { name: 'custom', version: 1, arm: 'champion', stepId: 'overdue_3' },
    date,
    plannedAtMs: at('09:00'),
    validUntilMs: zonedEpochMs(zone, date, 1440) - 1,
    fallback: { channel: 'sms', template: 'overdue_3', when: 'undelivered' },
    reasons: ['strategy custom step overdue_3'],
    ...options,
  } as ContactIntent;
}

function viewOf(options: Partial<BorrowerContactView> = {}): BorrowerContactView {
  return {
    borrowerId: 'B1',
    timezone: zone,
    optOuts: [],
    holds: [],
    promises: [],
    pauses: [],
    history: [],
    loans: [{ loanId: 'L1', status: 'overdue', unsettledInstallments: [1, 2, 3] }],
    ...options,
  };
}

function dispatch(options: Partial<DispatchInput> = {}): ReturnType<typeof decideDispatch> {
  return decideDispatch({
    intent: intentFor(),
    view: viewOf(),
    address: 'device-b1',
    policy: cn,
    nowMs: at('09:00'),
    ...options,
  });
}

describe('fallbackOf', () => {
  it('plans the fallback channel now, with the reason, without a fallback of its own', () => {
    const fallback = fallbackOf(intentFor(), 'undelivered', at('09:05'));
    expect(fallback).toMatchObject({
      intentId: `B1:${date}:overdue_3:push:fallback`,
      channel: 'sms',
      template: 'overdue_3',
      plannedAtMs: at('09:05'),
      reasons: ['strategy custom step overdue_3', 'fallback after undelivered push'],
    });
    expect(fallback).not.toHaveProperty('fallback');
  });

  it('none for another occasion, none without a fallback, none of a fallback', () => {
    expect(fallbackOf(intentFor(), 'unanswered', at('09:05'))).toBeNull();
    expect(fallbackOf(intentFor({ fallback: undefined }), 'undelivered', at('09:05'))).toBeNull();
    const fallback = fallbackOf(intentFor(), 'undelivered', at('09:05')) as ContactIntent;
    expect(fallbackOf({ ...fallback, fallback: intentFor().fallback }, 'undelivered', at('09:06'))).toBeNull();
  });
});

describe('decideDispatch: a first attempt', () => {
  it('sends inside the window, with the gate’s loans and reasons', () => {
    expect(dispatch()).toEqual({
      action: 'send',
      address: 'device-b1',
      loanIds: ['L1'],
      reasons: ['strategy custom step overdue_3', 'cap push 1/3 today'],
    });
  });

  it('holds a contact due in quiet hours until the window opens', () => {
    expect(dispatch({ nowMs: at('07:30') })).toEqual({
      action: 'hold',
      untilMs: at('08:00'),
      reasons: [`quiet_hours 22:00-08:00 ${zone}`],
    });
  });

  it('skips an opted-out channel without trying the fallback (the opt-out wins over a missing address)', () => {
    for (const address of ['device-b1', undefined]) {
      expect(dispatch({ address, view: viewOf({ optOuts: ['push'] }) })).toEqual({
        action: 'skip',
        status: 'suppressed',
        verdict: 'suppress',
        reasons: ['opt_out push'],
        fallback: null,
      });
    }
  });

  it('drops a contact it could send but has no address for (no_address) and falls back to the next channel', () => {
    const decision = dispatch({ address: undefined });
    expect(decision).toMatchObject({
      action: 'skip',
      status: 'suppressed',
      verdict: 'suppress',
      loanIds: ['L1'],
      reasons: ['strategy custom step overdue_3', 'no_address push'],
      fallback: { channel: 'sms', plannedAtMs: at('09:00') },
    });
  });

  it('a contact without an address in quiet hours waits like any other, and is dropped only when it could go', () => {
    expect(dispatch({ address: undefined, nowMs: at('07:30') })).toMatchObject({
      action: 'hold',
      untilMs: at('08:00'),
    });
  });
});

describe('decideDispatch: a re-send of a send decided before', () => {
  const resend = (attempts: number, options: Partial<DispatchInput> = {}) =>
    dispatch({ resend: { attempts }, attemptsMax: 3, ...options });

  it('re-sends under the same key without asking the gate again (the cap was counted the first time)', () => {
    const full = viewOf({
      history: [0, 1, 2].map((minute) => ({
        atMs: at('08:00') + minute * 60_000,
        channel: 'push' as const,
        localDate: date,
        loanIds: ['L1'],
      })),
    });
    expect(dispatch({ view: full })).toMatchObject({ action: 'skip', reasons: ['cap push 3/3 today'] });
    expect(resend(2, { view: full })).toEqual({ action: 'resend', reasons: [] });
  });

  it('fails an expired contact, suppresses one opted out since, and gives up past the attempt limit with the fallback', () => {
    expect(resend(2, { nowMs: at('23:59') + 60_000 })).toMatchObject({
      action: 'skip',
      status: 'failed',
      verdict: 'expired',
      reasons: ['expired before a send was confirmed'],
      fallback: null,
    });
    expect(resend(2, { view: viewOf({ optOuts: ['push'] }) })).toMatchObject({
      action: 'skip',
      status: 'suppressed',
      reasons: ['opt_out push before a re-send'],
      fallback: null,
    });
    expect(resend(4)).toMatchObject({
      action: 'skip',
      status: 'failed',
      verdict: 'failed',
      reasons: ['attempts 3/3'],
      fallback: { channel: 'sms' },
    });
    expect(resend(3)).toMatchObject({ action: 'resend' });
  });
});

describe('decideDelivery: the channel’s answer', () => {
  const deliver = (answer: ChannelAnswer, attempts = 1, backoffMs = (n: number) => 60_000 * 2 ** (n - 1)) =>
    decideDelivery({ intent: intentFor(), answer, attempts, attemptsMax: 3, backoffMs, nowMs: at('09:00') });

  it('accepted → sent', () => {
    expect(deliver({ outcome: 'accepted' })).toEqual({ action: 'sent' });
  });

  it('retryable → tried again after the backoff (or the provider’s retry-after, if longer)', () => {
    const answer = { outcome: 'retryable', code: 'timeout', detail: 'no answer in 10 s' } as const;
    expect(deliver(answer, 2)).toEqual({
      action: 'retry',
      atMs: at('09:02'),
      reasons: ['retryable timeout: no answer in 10 s'],
      note: 'retry in 120 s',
    });
    expect(deliver({ ...answer, retryAfterMs: 300_000 }, 2)).toMatchObject({ atMs: at('09:05') });
  });

  it('retryable at the attempt limit → failed, with the fallback', () => {
    const answer = { outcome: 'retryable', code: 'timeout', detail: 'x' } as const;
    expect(deliver(answer, 3)).toMatchObject({
      action: 'give_up',
      verdict: 'failed',
      addressEffect: null,
      fallback: { channel: 'sms', plannedAtMs: at('09:00') },
    });
  });

  it('rejected → failed for good; the provider’s word about the address outlives the message', () => {
    const rejected = (code: string) => deliver({ outcome: 'rejected', code, detail: 'provider said so' });
    expect(rejected('opted_out')).toMatchObject({ action: 'give_up', verdict: 'rejected', addressEffect: 'opt_out' });
    expect(rejected('invalid_address')).toMatchObject({ addressEffect: 'block_address' });
    expect(rejected('unregistered')).toMatchObject({ addressEffect: 'block_address' });
    expect(rejected('invalid_content')).toMatchObject({ addressEffect: null, fallback: { channel: 'sms' } });
  });

  it('asks for the backoff only when it decides a retry, and never retries past the limit', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('accepted', 'rejected', 'retryable'),
        fc.integer({ min: 1, max: 5 }),
        (outcome, attempts) => {
          let asked = 0;
          const answer: ChannelAnswer = outcome === 'accepted' ? { outcome } : { outcome, code: 'c', detail: 'd' };
          const decision = deliver(answer, attempts, () => {
            asked += 1;
            return 1_000;
          });
          expect(asked).toBe(decision.action === 'retry' ? 1 : 0);
          if (decision.action === 'retry') expect(attempts).toBeLessThan(3);
        },
      ),
    );
  });
});
