// Servicing rules parsing: defaults, the scenario's short form, every field, and refusals that name the
// field (prefixed with where the rules sit in the document).
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors/index.ts';
import { bucketFor, defaultServicingRules, parseServicingRules, servicingRulesToJson } from './rules.ts';

function refusal(input: unknown): string {
  try {
    parseServicingRules(input, { field: 'loans[0].servicing' });
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
  return 'accepted';
}

describe('parseServicingRules', () => {
  it('fills every default', () => {
    expect(parseServicingRules({})).toEqual(defaultServicingRules);
    expect(defaultServicingRules).toMatchObject({
      graceDays: 0,
      penaltyBase: 'overdue_principal',
      penaltyStart: 'retroactive',
      penaltyDaysInYear: 360,
      allocation: { order: ['penalty', 'fee', 'interest', 'principal'], ordering: 'installment_first' },
      chargeOffDpd: 180,
      overpayment: 'prepay_next',
      prepayment: 'shorten_term',
      dueSoonDays: 3,
      autoDebit: { enabled: false, retryDays: [0, 1, 3, 7] },
    });
    expect(defaultServicingRules.buckets.map((b) => `${b.name}≥${b.dpdAtLeast}`).join(' ')).toBe(
      'M0≥0 M1≥1 M2≥31 M3≥61 M4≥91 M5≥121 M6≥151 M7+≥181',
    );
  });

  it("reads the scenario's short form", () => {
    const rules = parseServicingRules({ graceDays: 3, penaltyAnnualRate: '0.18', autoDebit: false });
    expect(rules.graceDays).toBe(3);
    expect(rules.penaltyAnnualRate).toEqual({ numerator: 9n, denominator: 50n });
    expect(rules.autoDebit).toEqual({ enabled: false, retryDays: [0, 1, 3, 7] });
    expect(parseServicingRules({ autoDebit: true }).autoDebit.enabled).toBe(true);
    expect(parseServicingRules({ allocation: ['principal', 'interest', 'fee', 'penalty'] }).allocation).toEqual({
      order: ['principal', 'interest', 'fee', 'penalty'],
      ordering: 'installment_first',
    });
  });

  it('round-trips through its JSON form', () => {
    const rules = parseServicingRules({
      graceDays: 5,
      penaltyAnnualRate: '0.0005',
      penaltyStart: 'grace_end',
      allocation: { order: ['interest', 'principal', 'penalty', 'fee'], ordering: 'component_first' },
      buckets: [
        { name: 'current', dpdAtLeast: 0 },
        { name: 'late', dpdAtLeast: 6 },
      ],
      autoDebit: { enabled: true, retryDays: [0, 2] },
    });
    expect(parseServicingRules(JSON.parse(JSON.stringify(servicingRulesToJson(rules))))).toEqual(rules);
  });

  it('refuses bad input naming the field', () => {
    expect(refusal({ graceDays: -1 })).toBe('loans[0].servicing.graceDays: must be between 0 and 90, got -1');
    expect(refusal({ graceDays: 2.5 })).toBe('loans[0].servicing.graceDays: must be a whole number, got 2.5');
    expect(refusal({ penaltyAnnualRate: 0.18 })).toMatch(
      /^loans\[0\]\.servicing\.penaltyAnnualRate: must be a decimal string/,
    );
    expect(refusal({ penaltyStart: 'later' })).toBe(
      'loans[0].servicing.penaltyStart: must be one of due_date, retroactive, grace_end, got "later"',
    );
    expect(refusal({ penaltyDaysInYear: 366 })).toBe(
      'loans[0].servicing.penaltyDaysInYear: must be 360 or 365, got 366',
    );
    expect(refusal({ allocation: ['penalty', 'fee'] })).toMatch(
      /^loans\[0\]\.servicing\.allocation\.order: must name each/,
    );
    expect(refusal({ allocation: { ordering: 'random' } })).toMatch(/^loans\[0\]\.servicing\.allocation\.ordering:/);
    expect(refusal({ buckets: [{ name: 'A', dpdAtLeast: 1 }] })).toBe(
      'loans[0].servicing.buckets[0].dpdAtLeast: must be 0 for the first bucket, got 1',
    );
    expect(
      refusal({
        buckets: [
          { name: 'A', dpdAtLeast: 0 },
          { name: 'B', dpdAtLeast: 0 },
        ],
      }),
    ).toMatch(/buckets\[1\]\.dpdAtLeast: must be above/);
    expect(refusal({ graceDays: 10, chargeOffDpd: 10 })).toBe(
      'loans[0].servicing.chargeOffDpd: must be above graceDays 10, got 10',
    );
    expect(refusal({ autoDebit: { retryDays: [0, 3, 1] } })).toMatch(/autoDebit\.retryDays\[2\]: must be above/);
    expect(refusal({ holdDays: 3 })).toBe('loans[0].servicing.holdDays: is not a servicing rules field');
    expect(refusal('3')).toBe('loans[0].servicing: must be a JSON object, got "3"');
  });
});

describe('penaltyRateMultiple', () => {
  it('reads a multiple of the contract rate and writes it back without an absolute rate', () => {
    const rules = parseServicingRules({ penaltyRateMultiple: '1.5' });
    expect(rules.penaltyRateMultiple).toEqual({ numerator: 3n, denominator: 2n });
    const json = servicingRulesToJson(rules);
    expect(json.penaltyRateMultiple).toBe('1.5');
    expect(json).not.toHaveProperty('penaltyAnnualRate');
    expect(parseServicingRules(JSON.parse(JSON.stringify(json)))).toEqual(rules);
    expect(servicingRulesToJson(parseServicingRules({}))).not.toHaveProperty('penaltyRateMultiple');
  });

  it('refuses it beside penaltyAnnualRate, and a bad value, naming the field', () => {
    expect(refusal({ penaltyAnnualRate: '0.18', penaltyRateMultiple: '1.5' })).toMatch(
      /^loans\[0\]\.servicing\.penaltyRateMultiple: cannot be set together with penaltyAnnualRate/,
    );
    expect(refusal({ penaltyRateMultiple: '150' })).toBe(
      'loans[0].servicing.penaltyRateMultiple: must be at most 10.0000, got "150"',
    );
    expect(refusal({ penaltyRateMultiple: 1.5 })).toMatch(
      /^loans\[0\]\.servicing\.penaltyRateMultiple: must be a decimal/,
    );
  });
});

describe('autoDebit.retryDays', () => {
  it('refuses a list without the due date (day 0), which would silently skip the first presentment', () => {
    expect(refusal({ autoDebit: { retryDays: [1, 3] } })).toBe(
      'loans[0].servicing.autoDebit.retryDays: must start with 0 (the due date), got [1,3]',
    );
    expect(parseServicingRules({ autoDebit: { retryDays: [0, 3] } }).autoDebit.retryDays).toEqual([0, 3]);
  });

  it('still reads rules the store accepted before the check, keeping their list', () => {
    const stored = parseServicingRules({ autoDebit: { enabled: true, retryDays: [1, 3] } }, { stored: true });
    expect(stored.autoDebit).toEqual({ enabled: true, retryDays: [1, 3] });
  });
});

describe('bucketFor', () => {
  it('is the clear bucket while not delinquent (inside grace too), else the last floor reached', () => {
    const rules = parseServicingRules({ graceDays: 3 });
    expect(bucketFor(rules, 3, false)).toBe('M0');
    expect(bucketFor(rules, 4, true)).toBe('M1');
    expect(bucketFor(rules, 30, true)).toBe('M1');
    expect(bucketFor(rules, 31, true)).toBe('M2');
    expect(bucketFor(rules, 180, true)).toBe('M6');
    expect(bucketFor(rules, 181, true)).toBe('M7+');
  });
});
