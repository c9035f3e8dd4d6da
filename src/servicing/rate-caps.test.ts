// Rate caps: the evaluation at and around its lines, the LPR line, and the policy parsed at the edge.
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors/index.ts';
import { buildSchedule, parseLoanTerms } from '../schedule/index.ts';
import {
  builtInRateCapPolicies,
  defaultRateCapPolicy,
  evaluateRateCaps,
  parseRateCapPolicy,
  rateCapPolicyToJson,
  rateCapToJson,
  type RateCapPolicy,
} from './rate-caps.ts';

const cn = builtInRateCapPolicies['cn-2026'] as RateCapPolicy;

describe('evaluateRateCaps against cn-2026 (warn above 24 %, refuse above 36 %)', () => {
  it('is ok at exactly 24.00 % and a warning one basis point above', () => {
    expect(evaluateRateCaps('0.2400', cn)).toMatchObject({ level: 'ok', line: null, reasons: [] });
    const above = evaluateRateCaps('0.2401', cn);
    expect(above.level).toBe('warning');
    expect(above.reasons.map((reason) => reason.code)).toEqual(['apr_above_warning_line']);
    expect(rateCapToJson(above).line).toBe('0.24');
  });

  it('is a warning at exactly 36.00 % and refused one basis point above, naming the refusal line', () => {
    expect(evaluateRateCaps('0.3600', cn).level).toBe('warning');
    const refused = evaluateRateCaps('0.3601', cn);
    expect(refused.level).toBe('refused');
    expect(refused.reasons.map((reason) => reason.code)).toEqual(['apr_above_warning_line', 'apr_above_refusal_line']);
    expect(rateCapToJson(refused)).toMatchObject({ level: 'refused', line: '0.36', apr: '0.3601', policy: 'cn-2026' });
    expect(refused.reasons[1]?.message).toBe('APR 36.01 % is above the refusal line 36 % (cn-2026 pricing)');
  });

  it('never flags a negative or zero APR', () => {
    expect(evaluateRateCaps('-0.0100', cn).level).toBe('ok');
    expect(evaluateRateCaps('0.0000', cn).level).toBe('ok');
  });

  it('uses a real schedule APR with fees included: a 20 % rate with a 0.6 %/month fee is above 24 %', () => {
    const terms = parseLoanTerms({
      principal: '10000.00',
      annualRate: '0.20',
      termCount: 12,
      startDate: '2026-01-01',
      fees: [{ kind: 'per_installment', rate: '0.006', base: 'principal' }],
    });
    const { apr } = buildSchedule(terms);
    expect(Number(apr)).toBeGreaterThan(0.24);
    expect(evaluateRateCaps(apr, cn).level).toBe('warning');
    expect(evaluateRateCaps(apr, builtInRateCapPolicies.none as RateCapPolicy).level).toBe('ok');
  });
});

describe('the LPR line', () => {
  it('draws 4 × the default one-year LPR of 3.0 % at 12 %, strictly above', () => {
    const policy = parseRateCapPolicy({ name: 'court', lprLine: { level: 'refusal' } });
    expect(evaluateRateCaps('0.1200', policy).level).toBe('ok');
    const above = evaluateRateCaps('0.1201', policy);
    expect(above).toMatchObject({ level: 'refused' });
    expect(above.reasons[0]).toMatchObject({ code: 'apr_above_lpr_line' });
    expect(above.reasons[0]?.message).toBe('APR 12.01 % is above the 4 × LPR (3 %) refusal line 12 % (court pricing)');
  });

  it('takes the LPR as data and reports the binding (lowest) line crossed at the result level', () => {
    const policy = parseRateCapPolicy({
      warnAprAbove: '0.24',
      refuseAprAbove: '0.36',
      lprLine: { lpr: '0.0345', multiple: 4, level: 'warning' },
    });
    const result = evaluateRateCaps('0.2500', policy);
    expect(result.level).toBe('warning');
    expect(rateCapToJson(result).line).toBe('0.138');
    expect(result.reasons.map((reason) => reason.code)).toEqual(['apr_above_lpr_line', 'apr_above_warning_line']);
  });
});

describe('parseRateCapPolicy', () => {
  it('reads built-in names and round-trips objects', () => {
    expect(parseRateCapPolicy('cn-2026')).toBe(cn);
    expect(rateCapPolicyToJson(parseRateCapPolicy('none'))).toBe('none');
    const custom = parseRateCapPolicy({ name: 'p', warnAprAbove: '0.20', refuseAprAbove: '0.30' });
    expect(parseRateCapPolicy(rateCapPolicyToJson(custom))).toEqual(custom);
  });

  it('rejects bad input naming the field', () => {
    const fieldOf = (value: unknown): string => {
      try {
        parseRateCapPolicy(value, 'rateCaps');
      } catch (error) {
        if (error instanceof InputError) return `${error.field}: ${error.reason}`;
        throw error;
      }
      return 'accepted';
    };
    expect(fieldOf('us-usury')).toMatch(/^rateCaps: must be "cn-2026" or "none"/);
    expect(fieldOf({ refuseAprAbove: '36%' })).toMatch(/^rateCaps\.refuseAprAbove: /);
    expect(fieldOf({ warnAprAbove: '0.40', refuseAprAbove: '0.36' })).toMatch(
      /^rateCaps\.warnAprAbove: must not be above/,
    );
    expect(fieldOf({ cap: '0.36' })).toBe('rateCaps.cap: is not a rate caps field');
    expect(fieldOf({ lprLine: { multiple: 0 } })).toMatch(/^rateCaps\.lprLine\.multiple: /);
  });

  it('defaults by currency: CNY → cn-2026, others uncapped', () => {
    expect(defaultRateCapPolicy('CNY').name).toBe('cn-2026');
    expect(defaultRateCapPolicy('USD').name).toBe('none');
  });
});
