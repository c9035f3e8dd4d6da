import { describe, expect, it } from 'vitest';
import { zonedEpochMs } from '../calendar/index.ts';
import {
  builtInPolicies,
  loanContactView,
  newBorrowerContactState,
  type BorrowerContactState,
  type PolicyPack,
} from '../contact/index.ts';
import { closeEachDay, openBook } from '../servicing/testing.ts';
import {
  checkEscalation,
  decideEscalation,
  defaultEscalationLadder,
  escalationOptions,
  letterLoanOf,
  parseEscalationLadder,
  planLawyerLetter,
  renderLawyerLetter,
  type EscalationFacts,
  type EscalationInput,
} from './escalation.ts';

const zone = 'Asia/Shanghai';
const cn = builtInPolicies['cn-2026'] as PolicyPack;
const at = (date: string, time: string, tz = zone) =>
  zonedEpochMs(tz, date, Number(time.slice(0, 2)) * 60 + Number(time.slice(3)));

function borrower(overrides: Partial<BorrowerContactState> = {}): BorrowerContactState {
  return {
    ...newBorrowerContactState({
      borrowerId: 'B1',
      timezone: zone,
      locale: 'zh-CN',
      addresses: { voice: '+8613800000001', letter: '上海市浦东新区世纪大道100号' },
    }),
    ...overrides,
  };
}

const overdueLoan = () => closeEachDay(openBook(), '2026-04-20').state;

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

describe('the escalation decision', () => {
  const loan = overdueLoan();
  const input = (overrides: Partial<EscalationInput> = {}): EscalationInput => ({
    ladder: defaultEscalationLadder,
    policy: cn,
    currentStage: 'soft',
    caseLoanIds: ['L1'],
    toStage: 'hard',
    borrowerName: '王芳',
    state: borrower(),
    loans: [loan],
    messagesSent: [{ template: 'overdue_30', sentAtMs: at('2026-04-16', '09:00') }],
    lender: { name: '宽信贷', address: '北京市朝阳区1号', portalUrl: 'https://kuan.example/portal' },
    nowMs: at('2026-04-21', '10:00'),
    ...overrides,
  });

  it('refuses with a stable code and the field at fault: DPD and notices gate each stage', () => {
    expect(decideEscalation(input({ messagesSent: [] }))).toEqual({
      ok: false,
      code: 'notices_missing',
      message: 'toStage: "hard" needs notice overdue_30 sent',
      field: 'toStage',
    });
    expect(decideEscalation(input({ toStage: 'legal' }))).toMatchObject({
      ok: false,
      code: 'dpd_below_stage',
      field: 'toStage',
    });
  });

  it('moves a stage without a letter with the conditions met as reasons', () => {
    expect(decideEscalation(input())).toEqual({
      ok: true,
      value: {
        fromStage: 'soft',
        toStage: 'hard',
        reasons: ['DPD 37 ≥ 31', 'notice overdue_30 sent on 2026-04-16'],
        letter: null,
        date: '2026-04-21',
      },
    });
  });

  it('a stage with a letter returns the letter to send: its contact, address and draft (the code comes later)', () => {
    const ladder = [
      defaultEscalationLadder[0]!,
      { name: 'legal', dpdAtLeast: 31, noticesRequired: [], noticesSentDaysBeforeMin: 0, lawyerLetter: true },
    ];
    const decided = decideEscalation(input({ ladder, toStage: 'legal' }));
    if (!decided.ok) throw new Error(decided.message);
    const letter = decided.value.letter!;
    expect(letter.intent.intentId).toBe('B1:2026-04-21:escalation_legal:letter');
    expect(letter.address).toBe('上海市浦东新区世纪大道100号');
    expect(letter.gate.verdict).toBe('send');
    expect(renderLawyerLetter({ ...letter.draft, verificationCode: 'K7Q2M9' }).recipientAddress).toBe(
      '王芳\n上海市浦东新区世纪大道100号',
    );
    expect(decideEscalation(input({ ladder, toStage: 'legal', state: borrower({ optOuts: ['letter'] }) }))).toEqual({
      ok: false,
      code: 'gate_refused',
      message: 'letter: the compliance gate says suppress: opt_out letter',
      field: 'letter',
    });
    expect(() => decideEscalation(input({ ladder, toStage: 'legal', lender: undefined }))).toThrow('config.lender');
  });
});
