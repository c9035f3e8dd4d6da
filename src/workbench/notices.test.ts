import { describe, expect, it } from 'vitest';
import { zonedEpochMs } from '../calendar/index.ts';
import { defaultPolicy, evaluateContact, renderTemplate, type LoanContactView } from '../contact/index.ts';
import { delayedWhat, formatLocalDate, formatLocalDateTime, statusNotice, type StatusNoticeInput } from './notices.ts';

const zone = 'Asia/Shanghai';
const now = zonedEpochMs(zone, '2026-03-14', 9 * 60);
const eta = zonedEpochMs(zone, '2026-03-16', 18 * 60);

const input = (overrides: Partial<StatusNoticeInput> = {}): StatusNoticeInput => ({
  borrowerId: 'B1',
  timezone: zone,
  locale: 'zh-CN',
  loanId: 'L1',
  kind: 'refund',
  amountMinor: 5_000n,
  currency: 'CNY',
  etaMs: eta,
  reference: 'R-77',
  channel: 'sms',
  nowMs: now,
  ...overrides,
});

describe('status notices with an ETA', () => {
  it('build the status_delayed notice intent with what is delayed and when it is expected', () => {
    const notice = statusNotice(input());
    expect(notice.intent).toMatchObject({
      intentId: 'B1:2026-03-14:status_refund_R-77:sms',
      borrowerId: 'B1',
      loanIds: ['L1'],
      subjects: [{ loanId: 'L1', installmentNumbers: [], amountMinor: 5_000n, currency: 'CNY' }],
      channel: 'sms',
      template: 'status_delayed',
      purpose: 'notice',
      date: '2026-03-14',
      plannedAtMs: now,
      validUntilMs: eta,
      reasons: ['status notice: refund R-77 delayed, expected by 2026年3月16日 18:00'],
    });
    expect(notice.variables).toEqual({ what: '¥50.00退款', eta: '2026年3月16日 18:00' });
    const en = statusNotice(input({ locale: 'en', kind: 'disbursement', amountMinor: 500_000n }));
    expect(en.variables).toEqual({ what: 'disbursement of CN¥5,000.00', eta: 'March 16, 2026, 18:00' });
  });

  it('render through the template with those variables, and pass the gate as a notice during a hold', () => {
    const notice = statusNotice(input({ kind: 'payment_posting', amountMinor: 30_500n }));
    const rendered = renderTemplate({
      templateId: 'status_delayed',
      channel: 'sms',
      locale: 'zh-CN',
      variables: {
        ...notice.variables,
        borrowerName: '王芳',
        lenderName: '宽信贷',
        portalUrl: 'kuan.example',
        verificationCode: 'K7Q2M9',
      },
    });
    expect(rendered.body).toContain('您的¥305.00还款入账处理时间较长，预计2026年3月16日 18:00前完成');
    const loans: LoanContactView[] = [{ loanId: 'L1', status: 'active', unsettledInstallments: [1] }];
    const decision = evaluateContact({
      intent: notice.intent,
      view: {
        borrowerId: 'B1',
        timezone: zone,
        optOuts: [],
        holds: [{ fromMs: now - 1000, untilMs: now + 7 * 86_400_000, reason: 'illness' }],
        promises: [],
        pauses: [{ fromMs: now - 1000, untilMs: null, reason: 'complaint:K1' }],
        history: [],
        loans,
      },
      policy: defaultPolicy,
      nowMs: now,
    });
    expect(decision.verdict).toBe('send');
  });

  it('refuse an ETA in the past or too far away, and bad references', () => {
    expect(() => statusNotice(input({ etaMs: now }))).toThrow('eta: must be after now');
    expect(() => statusNotice(input({ etaMs: now + 91 * 86_400_000 }))).toThrow('eta: must be within 90 days');
    expect(() => statusNotice(input({ reference: 'a:b' }))).toThrow('reference: must be 1–64 letters');
    expect(() => statusNotice(input({ amountMinor: 0n }))).toThrow('amount: must be positive');
    expect(() => statusNotice(input({ kind: 'payout' as never }))).toThrow(
      'kind: must be one of disbursement, refund, payment_posting',
    );
  });

  it('print dates the way the borrower reads them', () => {
    expect(formatLocalDate('2026-03-05', 'zh-CN')).toBe('2026年3月5日');
    expect(formatLocalDate('2026-03-05', 'en-GB')).toBe('March 5, 2026');
    expect(formatLocalDateTime(zonedEpochMs('America/New_York', '2026-11-01', 90), 'America/New_York', 'en')).toBe(
      'November 1, 2026, 01:30',
    );
    expect(delayedWhat('payment_posting', { amountMinor: 100n, currency: 'CNY' }, 'en')).toBe(
      'payment of CN¥1.00 (posting to your loan)',
    );
  });
});
