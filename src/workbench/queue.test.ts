import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { zonedEpochMs } from '../calendar/index.ts';
import { addPromise, newBorrowerContactState, recordContact, type BorrowerContactState } from '../contact/index.ts';
import {
  buildCase,
  defaultPriorityWeights,
  explainPriority,
  parsePriorityWeights,
  rankCases,
  type CaseLoan,
  type CollectionCase,
} from './queue.ts';

const zone = 'Asia/Shanghai';

function loan(partial: Partial<CaseLoan> & { loanId: string }): CaseLoan {
  return {
    status: 'overdue',
    dpd: 10,
    bucket: 'M1',
    delinquent: true,
    currency: 'CNY',
    balanceMinor: 100_000n,
    ...partial,
  };
}

function state(): BorrowerContactState {
  return newBorrowerContactState({ borrowerId: 'B1', timezone: zone, locale: 'zh-CN', addresses: {} });
}

function aCase(partial: Partial<CollectionCase> = {}): CollectionCase {
  return {
    borrowerId: 'B1',
    locale: 'zh-CN',
    timezone: zone,
    asOf: '2026-03-20',
    loanIds: ['L1'],
    dpd: 45,
    bucket: 'M2',
    chargedOff: false,
    balances: [{ currency: 'CNY', amountMinor: 1_200_000n }],
    openPromise: null,
    lastBrokenPromiseOn: '2026-03-10',
    lastContactAtMs: null,
    daysSinceLastContact: 3,
    score: 0.6,
    ...partial,
  };
}

describe('a borrower’s case', () => {
  it('exists only while a loan is past its grace days or charged off', () => {
    const base = { borrowerId: 'B1', locale: 'zh-CN', timezone: zone, date: '2026-03-20', contact: null };
    expect(
      buildCase({ ...base, loans: [loan({ loanId: 'L1', status: 'active', delinquent: false, dpd: 2 })] }),
    ).toBeNull();
    expect(
      buildCase({ ...base, loans: [loan({ loanId: 'L1', status: 'closed', delinquent: false, dpd: 0 })] }),
    ).toBeNull();
    const charged = buildCase({
      ...base,
      loans: [loan({ loanId: 'L1', status: 'charged_off', delinquent: true, dpd: 200 })],
    });
    expect(charged?.chargedOff).toBe(true);
  });

  it('takes the worst loan’s DPD and bucket, balances per currency, and only the loans in collection', () => {
    const c = buildCase({
      borrowerId: 'B1',
      locale: 'zh-CN',
      timezone: zone,
      date: '2026-03-20',
      contact: null,
      loans: [
        loan({ loanId: 'L3', dpd: 40, bucket: 'M2', balanceMinor: 50_000n }),
        loan({ loanId: 'L1', dpd: 12, bucket: 'M1', balanceMinor: 70_000n }),
        loan({ loanId: 'L2', dpd: 70, bucket: 'M3', currency: 'USD', balanceMinor: 9_000n }),
        loan({ loanId: 'L4', status: 'active', delinquent: false, dpd: 0, balanceMinor: 1n }),
      ],
    });
    expect(c).toMatchObject({
      loanIds: ['L1', 'L2', 'L3'],
      dpd: 70,
      bucket: 'M3',
      balances: [
        { currency: 'CNY', amountMinor: 120_000n },
        { currency: 'USD', amountMinor: 9_000n },
      ],
      score: null,
      daysSinceLastContact: null,
    });
  });

  it('reads open and broken promises of its loans and the last contact from the contact state', () => {
    let s = state();
    const promise = { loanId: 'L1', amountMinor: 30_000n, madeAtMs: 0, paidMinor: 0n, takenBy: 'A1' };
    s = addPromise(s, { ...promise, promiseId: 'P1', date: '2026-03-25', status: 'open' });
    s = addPromise(s, { ...promise, promiseId: 'P0', date: '2026-03-05', status: 'broken' });
    s = addPromise(s, { ...promise, promiseId: 'PX', loanId: 'L9', date: '2026-03-18', status: 'broken' });
    const called = zonedEpochMs(zone, '2026-03-17', 10 * 60);
    s = recordContact(s, { atMs: called, channel: 'sms', localDate: '2026-03-17', loanIds: ['L1'] });
    const c = buildCase({
      borrowerId: 'B1',
      locale: 'zh-CN',
      timezone: zone,
      date: '2026-03-20',
      contact: s,
      loans: [loan({ loanId: 'L1' })],
      lastCallAtMs: called - 86_400_000,
      score: 0.3,
    });
    expect(c?.openPromise).toEqual({ loanId: 'L1', date: '2026-03-25', amountMinor: 30_000n });
    expect(c?.lastBrokenPromiseOn).toBe('2026-03-05');
    expect(c?.lastContactAtMs).toBe(called);
    expect(c?.daysSinceLastContact).toBe(3);
  });
});

describe('the priority formula', () => {
  it('explains a case term by term (the worked example of docs/workbench.md)', () => {
    const explained = explainPriority(aCase());
    expect(explained.terms.map((t) => [t.name, t.value, t.weight, t.contribution])).toEqual([
      ['dpd', 0.25, 40, 10],
      ['balance', 0.24, 25, 6],
      ['promise_open', 0, -30, 0],
      ['promise_broken', 1, 20, 20],
      ['last_contact', 0.4286, 15, 6.43],
      ['score', 0.6, 10, 6],
    ]);
    expect(explained.score).toBe(48.43);
    expect(explained.scoreCenti).toBe(4843);
    expect(explained.terms[0]?.text).toBe('DPD 45 (full at 180): 0.2500 × 40 = +10.00');
    expect(explained.terms[1]?.text).toBe('balance CNY 12000.00 (full at 50000.00): 0.2400 × 25 = +6.00');
    expect(explained.terms[4]?.text).toBe('last contact 3 days ago (full at 7): 0.4286 × 15 = +6.43');
  });

  it('lowers a case with an open promise and raises one never contacted', () => {
    const open = explainPriority(aCase({ openPromise: { loanId: 'L1', date: '2026-03-25', amountMinor: 1n } }));
    expect(open.terms.find((t) => t.name === 'promise_open')?.contribution).toBe(-30);
    const never = explainPriority(aCase({ daysSinceLastContact: null }));
    expect(never.terms.find((t) => t.name === 'last_contact')).toMatchObject({ value: 1, contribution: 15 });
    const old = explainPriority(aCase({ lastBrokenPromiseOn: '2026-01-01' }));
    expect(old.terms.find((t) => t.name === 'promise_broken')?.contribution).toBe(0);
  });

  it('caps each term and takes the largest balance fraction across currencies', () => {
    const c = aCase({
      dpd: 400,
      balances: [
        { currency: 'CNY', amountMinor: 100n },
        { currency: 'JPY', amountMinor: 40_000n },
      ],
    });
    const explained = explainPriority(c);
    expect(explained.terms[0]?.value).toBe(1);
    // JPY has no minor digits: the cap is 50,000 yen, and 40,000 of it is 0.8.
    expect(explained.terms[1]).toMatchObject({ value: 0.8, contribution: 20 });
  });

  it('is exactly the sum of its rounded contributions, each within its weight (property)', () => {
    const arbitraryCase = fc.record({
      dpd: fc.integer({ min: 0, max: 1000 }),
      amount: fc.bigInt({ min: 0n, max: 10n ** 12n }),
      open: fc.boolean(),
      brokenDaysAgo: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
      since: fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }),
      score: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
    });
    fc.assert(
      fc.property(arbitraryCase, (input) => {
        const c = aCase({
          dpd: input.dpd,
          balances: [{ currency: 'CNY', amountMinor: input.amount }],
          openPromise: input.open ? { loanId: 'L1', date: '2026-03-25', amountMinor: 1n } : null,
          lastBrokenPromiseOn:
            input.brokenDaysAgo === null
              ? null
              : `2026-03-${String(20 - Math.min(input.brokenDaysAgo, 19)).padStart(2, '0')}`,
          daysSinceLastContact: input.since,
          score: input.score,
        });
        const explained = explainPriority(c);
        const centi = explained.terms.reduce((sum, t) => sum + Math.round(t.contribution * 100), 0);
        expect(centi).toBe(explained.scoreCenti);
        for (const t of explained.terms) {
          expect(t.value).toBeGreaterThanOrEqual(0);
          expect(t.value).toBeLessThanOrEqual(1);
          expect(Math.abs(t.contribution)).toBeLessThanOrEqual(Math.abs(t.weight));
        }
        // More days past due never lowers the priority.
        const worse = explainPriority({ ...c, dpd: c.dpd + 1 });
        expect(worse.scoreCenti).toBeGreaterThanOrEqual(explained.scoreCenti);
      }),
    );
  });

  it('orders by score, then by borrower id', () => {
    const ranked = rankCases([
      aCase({ borrowerId: 'B3', dpd: 10 }),
      aCase({ borrowerId: 'B2', dpd: 90 }),
      aCase({ borrowerId: 'B1', dpd: 10 }),
    ]);
    expect(ranked.map((r) => [r.rank, r.case.borrowerId])).toEqual([
      [1, 'B2'],
      [2, 'B1'],
      [3, 'B3'],
    ]);
  });

  it('takes weights as data and names a bad field', () => {
    const weights = parsePriorityWeights({ dpd: { weight: 50 }, balance: { capsMinor: { CNY: '1000000' } } });
    expect(weights.dpd).toEqual({ weight: 50, capDays: 180 });
    expect(weights.balance.capsMinor.CNY).toBe(1_000_000n);
    expect(explainPriority(aCase(), weights).terms[1]?.value).toBe(1);
    expect(parsePriorityWeights(undefined)).toBe(defaultPriorityWeights);
    expect(() => parsePriorityWeights({ dpd: { capDays: 0 } })).toThrow(
      'weights.dpd.capDays: must be a whole number 1–3650, got 0',
    );
    expect(() => parsePriorityWeights({ speed: {} })).toThrow('weights.speed: is not a known setting');
  });
});
