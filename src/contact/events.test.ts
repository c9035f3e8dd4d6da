// Contact events as pure transitions: what each event does to a borrower's contact state, what it
// reports back (opt-outs, the pending call an outcome completes), and until when the state alone gives
// the daily planning something to do.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { msPerDay } from '../calendar/index.ts';
import { InputError } from '../errors/index.ts';
import { contactView, newBorrowerContactState, recordContact, type BorrowerContactState } from './borrower.ts';
import {
  applyContactEvent,
  blockAddress,
  contactPlanThrough,
  openEndedDate,
  type ContactStateEvent,
} from './events.ts';
import { builtInPolicies, defaultPolicy } from './policy/index.ts';

const atMs = Date.parse('2026-03-10T02:00:00Z'); // 10:00 in Shanghai
const policy = defaultPolicy;

function fresh(): BorrowerContactState {
  return newBorrowerContactState({
    borrowerId: 'B1',
    timezone: 'Asia/Shanghai',
    locale: 'zh-CN',
    addresses: { sms: '+8613800000001', voice: '+8613800000001' },
  });
}

function apply(state: BorrowerContactState, event: ContactStateEvent, at = atMs) {
  return applyContactEvent(state, event, { atMs: at, policy });
}

describe('applyContactEvent', () => {
  it('adds a hold of whole days from the event’s instant, and refuses impossible lengths', () => {
    const { state } = apply(fresh(), { type: 'hold', days: 14, reason: 'illness' });
    expect(state.holds).toEqual([{ fromMs: atMs, untilMs: atMs + 14 * msPerDay, reason: 'illness' }]);
    for (const days of [0, -1, 1.5, 400]) {
      expect(() => apply(fresh(), { type: 'hold', days, reason: 'x' })).toThrow(InputError);
    }
  });

  it('opts out on an opt-out keyword reply and on an opt-out, and says which channel', () => {
    expect(apply(fresh(), { type: 'reply', channel: 'sms', text: ' td ' })).toMatchObject({ optedOut: 'sms' });
    const kept = apply(fresh(), { type: 'reply', channel: 'sms', text: '明天还' });
    expect(kept.optedOut).toBeNull();
    expect(kept.state.optOuts).toEqual([]);
    const out = apply(fresh(), { type: 'opt_out', channel: 'email' });
    expect(out.state.optOuts).toEqual(['email']);
  });

  it('records a promise, and credits payments on its loan to it', () => {
    const promised = apply(fresh(), {
      type: 'promise_to_pay',
      promiseId: 'p1',
      loanId: 'L1',
      amountMinor: 30_500n,
      date: '2026-03-12',
    }).state;
    expect(promised.promises[0]).toMatchObject({ status: 'open', takenBy: 'borrower', paidMinor: 0n });
    const paid = apply(promised, { type: 'payment', loanId: 'L1', amountMinor: 10_000n }).state;
    expect(paid.promises[0]?.paidMinor).toBe(10_000n);
    expect(apply(paid, { type: 'payment', loanId: 'L2', amountMinor: 1n }).state).toBe(paid);
    expect(() => apply(fresh(), { type: 'payment', loanId: 'L1', amountMinor: 0n })).toThrow(InputError);
  });

  it('completes the pending call an outcome belongs to, blocks wrong numbers and pauses on a dispute', () => {
    const called = recordContact(fresh(), {
      atMs: atMs - 3_600_000,
      channel: 'voice',
      localDate: '2026-03-10',
      loanIds: ['L1'],
      call: { number: '+8613800000001', outcome: 'pending' },
    });
    const missed = apply(called, { type: 'call_outcome', outcome: 'no_answer', loanIds: ['L1'] });
    expect(missed.call).toMatchObject({ unanswered: true, completed: { call: { outcome: 'no_answer' } } });
    expect(missed.state.history).toHaveLength(1);
    const wrong = apply(fresh(), { type: 'call_outcome', outcome: 'wrong_number', loanIds: ['L1'] });
    expect(wrong.call).toEqual({ completed: null, unanswered: false });
    expect(wrong.state.blockedAddresses).toEqual(['+8613800000001']);
    const dispute = apply(fresh(), { type: 'call_outcome', outcome: 'dispute', loanIds: ['L1'], number: '+1555' });
    expect(dispute.state.pauses).toEqual([{ fromMs: atMs, untilMs: null, reason: 'dispute' }]);
  });

  it('pauses on a complaint when the pack says so, until the pause is lifted', () => {
    const paused = apply(fresh(), { type: 'complaint', reason: 'complaint' }).state;
    expect(paused.pauses).toHaveLength(1);
    const lifted = apply(paused, { type: 'pause_lifted', reason: 'complaint' }, atMs + 1000).state;
    expect(lifted.pauses[0]?.untilMs).toBe(atMs + 1000);
    const noPause = applyContactEvent(
      fresh(),
      { type: 'complaint', reason: 'x' },
      {
        atMs,
        policy: { ...builtInPolicies.default!, pauseOnComplaint: false },
      },
    );
    expect(noPause.state.pauses).toEqual([]);
  });

  it('changes and removes addresses, and marks a hardship request from its local date', () => {
    const updated = apply(fresh(), {
      type: 'contact_update',
      contacts: { email: 'b1@example.com', voice: null },
    }).state;
    expect(updated.addresses).toEqual({ sms: '+8613800000001', email: 'b1@example.com' });
    expect(
      apply(fresh(), { type: 'hardship_request', reason: 'job loss' }, Date.parse('2026-03-10T17:00:00Z')).state
        .hardshipSince,
    ).toBe('2026-03-11');
  });

  it('keeps a hardship request open (its first reason) until it is closed, and shows it to the gate', () => {
    const atMs = Date.parse('2026-03-14T00:30:00Z');
    const asked = apply(fresh(), { type: 'hardship_request', reason: 'income_loss' }, atMs).state;
    const again = apply(asked, { type: 'hardship_request', reason: 'medical' }, atMs + 1000).state;
    expect(again.hardshipRequest).toEqual({ atMs, reason: 'income_loss' });
    expect(contactView(again, []).hardshipRequest).toEqual({ fromMs: atMs, reason: 'income_loss' });
    const closed = apply(again, { type: 'hardship_closed', reason: 'plan active' }, atMs + 2000).state;
    expect(closed.hardshipRequest).toBeNull();
    expect(closed.hardshipSince).toBeNull();
    expect(contactView(closed, []).hardshipRequest).toBeUndefined();
  });

  it("carries the borrower's wish to be reminded of a promise (remindMe) to the gate, and only then", () => {
    const promise = {
      type: 'promise_to_pay' as const,
      promiseId: 'p',
      loanId: 'L1',
      amountMinor: 1n,
      date: '2026-03-20',
    };
    expect(contactView(apply(fresh(), promise).state, []).promises).toEqual([
      { loanId: 'L1', date: '2026-03-20', amountMinor: 1n },
    ]);
    expect(contactView(apply(fresh(), { ...promise, remindMe: true }).state, []).promises).toEqual([
      { loanId: 'L1', date: '2026-03-20', amountMinor: 1n, remindMe: true },
    ]);
  });

  it('never changes the state it was given', () => {
    const events = fc.constantFrom<ContactStateEvent>(
      { type: 'hold', days: 3, reason: 'r' },
      { type: 'opt_out', channel: 'sms' },
      { type: 'reply', channel: 'email', text: 'STOP' },
      { type: 'call_outcome', outcome: 'busy', loanIds: ['L1'] },
      { type: 'hardship_request', reason: 'r' },
      { type: 'hardship_closed', reason: 'r' },
      { type: 'complaint', reason: 'c' },
      { type: 'contact_update', contacts: { push: 'device' } },
      { type: 'promise_to_pay', promiseId: 'p', loanId: 'L1', amountMinor: 1n, date: '2026-03-11' },
    );
    fc.assert(
      fc.property(fc.array(events, { maxLength: 8 }), (list) => {
        let state = fresh();
        for (const event of list) {
          const before = JSON.stringify(state, (_key, value: unknown) =>
            typeof value === 'bigint' ? `${value}n` : value,
          );
          const next = apply(state, event).state;
          expect(
            JSON.stringify(state, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value)),
          ).toBe(before);
          state = next;
        }
      }),
    );
  });
});

describe('contactPlanThrough', () => {
  it('is the last day a hold, an unkept promise (plus one day) or a hardship request needs planning', () => {
    expect(contactPlanThrough(fresh())).toBeNull();
    const held = apply(fresh(), { type: 'hold', days: 2, reason: 'r' }).state; // until 2026-03-12 10:00 local
    expect(contactPlanThrough(held)).toBe('2026-03-12');
    const promised = apply(held, {
      type: 'promise_to_pay',
      promiseId: 'p',
      loanId: 'L1',
      amountMinor: 5n,
      date: '2026-03-20',
    }).state;
    expect(contactPlanThrough(promised)).toBe('2026-03-21');
    const kept = { ...promised, promises: promised.promises.map((p) => ({ ...p, status: 'kept' as const })) };
    expect(contactPlanThrough(kept)).toBe('2026-03-12');
    expect(contactPlanThrough(apply(kept, { type: 'hardship_request', reason: 'r' }).state)).toBe(openEndedDate);
  });

  it('blocks an address once', () => {
    const state = blockAddress(blockAddress(fresh(), '+1'), '+1');
    expect(state.blockedAddresses).toEqual(['+1']);
  });
});
