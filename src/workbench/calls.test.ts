import { describe, expect, it } from 'vitest';
import { zonedEpochMs } from '../calendar/index.ts';
import {
  builtInPolicies,
  defaultPolicy,
  evaluateContact,
  loanContactView,
  newBorrowerContactState,
  contactView,
  type BorrowerContactState,
  type CallOutcome,
  type ContactIntent,
  type PolicyPack,
} from '../contact/index.ts';
import { closeEachDay, openBook } from '../servicing/testing.ts';
import { applyCallOutcome, checkCallback, checkCallNow, parseNote, type CallOutcomeInput } from './calls.ts';

const zone = 'Asia/Shanghai';
const phone = '+8613800000001';
const cn = builtInPolicies['cn-2026'] as PolicyPack;
const at = (date: string, time: string, tz = zone) =>
  zonedEpochMs(tz, date, Number(time.slice(0, 2)) * 60 + Number(time.slice(3)));

function borrower(overrides: Partial<BorrowerContactState> = {}): BorrowerContactState {
  return {
    ...newBorrowerContactState({
      borrowerId: 'B1',
      timezone: zone,
      locale: 'zh-CN',
      addresses: { voice: phone, sms: phone, letter: '上海市浦东新区世纪大道100号' },
    }),
    ...overrides,
  };
}

function call(outcome: CallOutcome, extra: Partial<CallOutcomeInput> = {}): CallOutcomeInput {
  return { outcome, atMs: at('2026-04-20', '10:00'), agentId: 'A1', number: phone, loanIds: ['L1'], ...extra };
}

function applied(state: BorrowerContactState, input: CallOutcomeInput, policy: PolicyPack = cn) {
  const result = applyCallOutcome(state, input, { policy });
  if (!result.ok) throw new Error(result.reason);
  return result;
}

const overdueLoan = () => closeEachDay(openBook(), '2026-04-20').state;

describe('call outcomes', () => {
  it('each one becomes the call record the gate counts: number and outcome, in the borrower’s history', () => {
    for (const outcome of ['connected', 'no_answer', 'busy', 'refused'] as const) {
      const result = applied(borrower(), call(outcome));
      expect(result.record).toEqual({
        atMs: at('2026-04-20', '10:00'),
        channel: 'voice',
        localDate: '2026-04-20',
        loanIds: ['L1'],
        call: { number: phone, outcome },
      });
      expect(result.state.history).toEqual([result.record]);
      expect(result.effects).toEqual([]);
      expect(result.completedPending).toBe(false);
    }
  });

  it('completes the pending call task of the day to that number instead of adding an attempt', () => {
    const pending = borrower({
      history: [
        {
          atMs: at('2026-04-20', '09:00'),
          channel: 'voice',
          localDate: '2026-04-20',
          loanIds: ['L1'],
          call: { number: phone, outcome: 'pending' },
        },
      ],
    });
    const result = applied(pending, call('no_answer'));
    expect(result.completedPending).toBe(true);
    expect(result.state.history).toHaveLength(1);
    expect(result.state.history[0]?.call).toEqual({ number: phone, outcome: 'no_answer' });
  });

  it('feeds the gate: after three connected calls today, cn-2026 allows no fourth', () => {
    let state = borrower();
    for (const time of ['09:00', '10:00', '11:00'])
      state = applied(state, call('connected', { atMs: at('2026-04-20', time) })).state;
    const loan = overdueLoan();
    const decision = checkCallNow({
      state,
      loans: [loanContactView(loan)],
      loanIds: ['L1'],
      number: phone,
      policy: cn,
      nowMs: at('2026-04-20', '15:00'),
    });
    expect(decision).toEqual({ verdict: 'suppress', reasons: ['calls connected 3/3 today'] });
    const fresh = checkCallNow({
      state: borrower(),
      loans: [loanContactView(loan)],
      loanIds: ['L1'],
      number: phone,
      policy: cn,
      nowMs: at('2026-04-20', '15:00'),
    });
    expect(fresh.verdict).toBe('send');
    const late = checkCallNow({
      state: borrower(),
      loans: [loanContactView(loan)],
      loanIds: ['L1'],
      number: phone,
      policy: cn,
      nowMs: at('2026-04-20', '22:30'),
    });
    expect(late.verdict).toBe('suppress');
    expect(late.reasons).toEqual(['quiet_hours 22:00-08:00 Asia/Shanghai']);
  });

  it('a promise records the promise to pay, taken by the agent', () => {
    const promise = { promiseId: 'P1', loanId: 'L1', amountMinor: 30_500n, date: '2026-04-25' };
    const result = applied(borrower(), call('promise', { promise }));
    expect(result.effects).toEqual([{ kind: 'promise', ...promise }]);
    expect(result.state.promises).toEqual([
      { ...promise, madeAtMs: at('2026-04-20', '10:00'), paidMinor: 0n, status: 'open', takenBy: 'A1' },
    ]);
    expect(() => applied(borrower(), call('promise'))).toThrow(
      'promise: a "promise" outcome needs the amount and the date',
    );
    expect(() => applied(borrower(), call('promise', { promise: { ...promise, date: '2026-04-19' } }))).toThrow(
      'promise.date: must be from 2026-04-20 to 2026-05-20, got "2026-04-19"',
    );
    expect(() => applied(borrower(), call('promise', { promise: { ...promise, loanId: 'L9' } }))).toThrow(
      'promise.loanId',
    );
  });

  it('a wrong number or a third party blocks the number, and never takes a promise or a callback', () => {
    for (const outcome of ['wrong_number', 'third_party'] as const) {
      const result = applied(borrower(), call(outcome));
      expect(result.effects).toEqual([{ kind: 'block_number', number: phone, reason: outcome }]);
      expect(result.state.blockedAddresses).toEqual([phone]);
      // Nothing more goes to that number: neither a call nor a text.
      const loan = overdueLoan();
      const check = checkCallNow({
        state: result.state,
        loans: [loanContactView(loan)],
        loanIds: ['L1'],
        number: phone,
        policy: cn,
        nowMs: at('2026-04-21', '10:00'),
      });
      expect(check).toEqual({ verdict: 'suppress', reasons: ['blocked_address voice'] });
      const sms: ContactIntent = {
        intentId: 'B1:2026-04-21:x:sms',
        borrowerId: 'B1',
        loanIds: ['L1'],
        subjects: [{ loanId: 'L1', installmentNumbers: [], amountMinor: 1n, currency: 'CNY' }],
        channel: 'sms',
        template: 'overdue_30',
        purpose: 'reminder',
        stage: 'delinquent',
        strategy: { name: 's', version: 1, arm: 'champion', stepId: 'x' },
        date: '2026-04-21',
        plannedAtMs: at('2026-04-21', '10:00'),
        validUntilMs: at('2026-04-21', '20:00'),
        reasons: [],
      };
      const view = contactView(result.state, [loanContactView(loan)]);
      expect(
        evaluateContact({ intent: sms, view, policy: cn, nowMs: at('2026-04-21', '10:00'), address: phone }).verdict,
      ).toBe('suppress');
      const promise = { promiseId: 'P1', loanId: 'L1', amountMinor: 1n, date: '2026-04-25' };
      expect(() => applied(borrower(), call(outcome, { promise }))).toThrow(
        'a promise to pay is taken from the borrower only',
      );
      expect(() => applied(borrower(), call(outcome, { callback: { date: '2026-04-21', time: '10:00' } }))).toThrow(
        'a callback is arranged with the borrower only',
      );
    }
  });

  it('a dispute pauses collection contact and opens a review, as the policy says', () => {
    const result = applied(borrower(), call('dispute'));
    expect(result.effects).toEqual([
      { kind: 'pause', reason: 'dispute' },
      { kind: 'review', category: 'dispute', pauseReason: 'dispute' },
    ]);
    expect(result.state.pauses).toEqual([{ fromMs: at('2026-04-20', '10:00'), untilMs: null, reason: 'dispute' }]);
    const lenient = { ...cn, pauseOnComplaint: false };
    const unpaused = applied(borrower(), call('dispute'), lenient);
    expect(unpaused.state.pauses).toEqual([]);
    expect(unpaused.effects).toEqual([{ kind: 'review', category: 'dispute', pauseReason: null }]);
  });

  it('a note is trimmed and bounded', () => {
    expect(applied(borrower(), call('connected', { note: '  said salary comes on the 25th ' })).effects).toEqual([
      { kind: 'note', text: 'said salary comes on the 25th' },
    ]);
    expect(() => parseNote('   ')).toThrow('note: must be some text');
    expect(() => parseNote('x'.repeat(2001))).toThrow('note: must be at most 2000 characters, got 2001');
  });
});

describe('callbacks', () => {
  const now = at('2026-04-20', '10:00');

  it('are scheduled at the borrower’s local time inside the contact window', () => {
    const result = applied(borrower(), call('callback', { callback: { date: '2026-04-21', time: '19:30' } }));
    expect(result.effects).toEqual([
      {
        kind: 'callback',
        dueAtMs: at('2026-04-21', '19:30'),
        localDate: '2026-04-21',
        localTime: '19:30',
        timezone: zone,
      },
    ]);
    // A borrower in New York: 09:00 there is 13:00 UTC (daylight saving time).
    const ny = checkCallback(
      { date: '2026-04-21', time: '09:00' },
      { timezone: 'America/New_York', policy: defaultPolicy, nowMs: now },
    );
    expect(ny.ok && new Date(ny.callback.dueAtMs).toISOString()).toBe('2026-04-21T13:00:00.000Z');
  });

  it('are refused outside the window, on a no-contact day, in the past or too far ahead', () => {
    const ctx = { timezone: zone, policy: cn, nowMs: now };
    expect(checkCallback({ date: '2026-04-21', time: '22:00' }, ctx)).toEqual({
      ok: false,
      code: 'callback_outside_window',
      reason:
        "2026-04-21 22:00 Asia/Shanghai is outside the contact window: quiet hours 22:00-08:00 in the borrower's zone",
    });
    expect(checkCallback({ date: '2026-04-21', time: '07:59' }, ctx)).toMatchObject({
      ok: false,
      code: 'callback_outside_window',
    });
    expect(checkCallback({ date: '2026-04-20', time: '09:00' }, ctx)).toMatchObject({
      ok: false,
      code: 'callback_in_past',
    });
    expect(checkCallback({ date: '2026-05-20', time: '09:00' }, ctx)).toMatchObject({
      ok: false,
      code: 'callback_too_far',
    });
    const sundays = { ...cn, noContactWeekdays: [7] };
    expect(checkCallback({ date: '2026-04-26', time: '10:00' }, { ...ctx, policy: sundays })).toMatchObject({
      ok: false,
      code: 'callback_no_contact_day',
    });
    expect(() => checkCallback({ date: '2026-04-21', time: '9:00' }, ctx)).toThrow('callback.time');
    const refused = applyCallOutcome(
      borrower(),
      call('callback', { callback: { date: '2026-04-21', time: '23:00' } }),
      { policy: cn },
    );
    expect(refused).toMatchObject({ ok: false, code: 'callback_outside_window' });
  });
});
