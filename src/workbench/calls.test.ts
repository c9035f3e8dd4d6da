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
import {
  applyCallOutcome,
  checkCallback,
  checkCallNow,
  checkEscalation,
  defaultEscalationLadder,
  escalationOptions,
  letterLoanOf,
  parseEscalationLadder,
  parseNote,
  planLawyerLetter,
  renderLawyerLetter,
  type CallOutcomeInput,
  type EscalationFacts,
} from './calls.ts';

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

describe('the escalation ladder', () => {
  const facts = (overrides: Partial<EscalationFacts> = {}): EscalationFacts => ({
    currentStage: 'soft',
    dpd: 100,
    date: '2026-06-20',
    noticesSent: [
      { template: 'overdue_30', sentOn: '2026-04-14' },
      { template: 'final_notice', sentOn: '2026-06-10' },
    ],
    state: borrower(),
    nowMs: at('2026-06-20', '10:00'),
    ...overrides,
  });

  it('moves to a later stage once DPD and notices allow', () => {
    expect(checkEscalation(defaultEscalationLadder, facts(), 'legal')).toEqual({
      ok: true,
      stage: defaultEscalationLadder[2],
      reasons: ['DPD 100 ≥ 90', 'notice final_notice sent on 2026-06-10'],
    });
    expect(escalationOptions(defaultEscalationLadder, facts({ dpd: 40 }))).toEqual([
      { stage: 'hard', allowed: true, reason: 'DPD 40 ≥ 31; notice overdue_30 sent on 2026-04-14' },
      { stage: 'legal', allowed: false, reason: '"legal" needs DPD ≥ 90, the borrower is at 40' },
    ]);
  });

  it('refuses with a reason: not later, DPD too low, notices missing or too recent, paused, hardship, promise', () => {
    const ladder = defaultEscalationLadder;
    expect(checkEscalation(ladder, facts({ currentStage: 'legal' }), 'hard')).toMatchObject({
      ok: false,
      code: 'not_a_later_stage',
    });
    expect(checkEscalation(ladder, facts(), 'court')).toMatchObject({ ok: false, code: 'unknown_stage' });
    expect(checkEscalation(ladder, facts({ dpd: 89 }), 'legal')).toMatchObject({ ok: false, code: 'dpd_below_stage' });
    expect(checkEscalation(ladder, facts({ noticesSent: [] }), 'legal')).toEqual({
      ok: false,
      code: 'notices_missing',
      reason: '"legal" needs notice final_notice sent at least 7 days ago',
    });
    expect(
      checkEscalation(ladder, facts({ noticesSent: [{ template: 'final_notice', sentOn: '2026-06-14' }] }), 'legal'),
    ).toMatchObject({ ok: false, code: 'notices_missing' });
    const paused = borrower({ pauses: [{ fromMs: 0, untilMs: null, reason: 'complaint:K1' }] });
    expect(checkEscalation(ladder, facts({ state: paused }), 'legal')).toEqual({
      ok: false,
      code: 'contact_paused',
      reason: 'contact is paused (complaint:K1) until it is reviewed',
    });
    expect(checkEscalation(ladder, facts({ state: borrower({ hardshipSince: '2026-06-01' }) }), 'legal')).toMatchObject(
      {
        ok: false,
        code: 'hardship_open',
      },
    );
  });

  it('is data, validated once', () => {
    const ladder = parseEscalationLadder([
      { name: 'soft', dpdAtLeast: 1 },
      { name: 'legal', dpdAtLeast: 60, noticesRequired: ['overdue_60'], lawyerLetter: true },
    ]);
    expect(ladder[1]).toEqual({
      name: 'legal',
      dpdAtLeast: 60,
      noticesRequired: ['overdue_60'],
      noticesSentDaysBeforeMin: 0,
      lawyerLetter: true,
    });
    expect(() =>
      parseEscalationLadder([
        { name: 'a', dpdAtLeast: 30 },
        { name: 'b', dpdAtLeast: 10 },
      ]),
    ).toThrow('ladder[1].dpdAtLeast');
    expect(() =>
      parseEscalationLadder([
        { name: 'a', dpdAtLeast: 1 },
        { name: 'a', dpdAtLeast: 2 },
      ]),
    ).toThrow('ladder[1].name');
  });
});

describe('the lawyer’s letter', () => {
  const loan = overdueLoan();
  const nowMs = at('2026-04-21', '10:00');
  const letterLoan = letterLoanOf(loan, '2026-04-21');

  it('states each loan’s oldest unpaid due date, days overdue and the amount past due', () => {
    expect(letterLoan).toEqual({
      loanId: 'L1',
      oldestDueDate: '2026-03-15',
      daysOverdue: 37,
      amountDueMinor: 61_000n,
      currency: 'CNY',
    });
    expect(letterLoanOf(openBook().state, '2026-03-01')).toBeNull();
  });

  it('goes only to the borrower’s own postal address, never a blocked one', () => {
    const plan = (state: BorrowerContactState) =>
      planLawyerLetter({
        state,
        stage: 'legal',
        loans: [letterLoan!],
        loanViews: [loanContactView(loan)],
        policy: cn,
        nowMs,
      });
    const ok = plan(borrower());
    expect(ok.ok && ok.address).toBe('上海市浦东新区世纪大道100号');
    expect(ok.ok && ok.intent).toMatchObject({
      intentId: 'B1:2026-04-21:escalation_legal:letter',
      channel: 'letter',
      template: 'lawyer_letter',
      loanIds: ['L1'],
    });
    const noAddress = borrower();
    delete noAddress.addresses.letter;
    expect(plan(noAddress)).toMatchObject({ ok: false, code: 'no_borrower_address' });
    expect(plan(borrower({ blockedAddresses: ['上海市浦东新区世纪大道100号'] }))).toMatchObject({
      ok: false,
      code: 'address_blocked',
    });
    expect(plan(borrower({ optOuts: ['letter'] }))).toEqual({
      ok: false,
      code: 'gate_refused',
      reason: 'the compliance gate says suppress: opt_out letter',
    });
  });

  it('reads as the lawyer_letter template, addressed to the borrower by name', () => {
    const letter = renderLawyerLetter({
      borrowerName: '王芳',
      locale: 'zh-CN',
      timezone: zone,
      address: '上海市浦东新区世纪大道100号',
      loans: [letterLoan!],
      lender: { name: '宽信贷', address: '北京市朝阳区1号', portalUrl: 'https://kuan.example/portal' },
      verificationCode: 'K7Q2M9',
      nowMs,
    });
    expect(letter.recipientAddress).toBe('王芳\n上海市浦东新区世纪大道100号');
    expect(letter.subject).toBe('关于您逾期借款的正式通知');
    expect(letter.dateText).toBe('2026年4月21日');
    expect(letter.body).toContain('尊敬的王芳');
    expect(letter.body).toContain('2026年3月15日到期的款项截至本函日期已逾期37天，应还金额¥610.00');
    expect(letter.body).toContain('K7Q2M9');
    expect(letter.verificationCode).toBe('K7Q2M9');
  });
});
