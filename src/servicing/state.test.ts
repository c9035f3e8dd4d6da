// The stored forms of a loan's terms keep every field the schedule engine reads, the interest rounding
// mode included, and terms stored before that field existed still decode (with the default half_up).
import { describe, expect, it } from 'vitest';
import { parseLoanTerms } from '../schedule/index.ts';
import { decodeCompactTerms, deserializeTerms, encodeCompactTerms, serializeTerms } from './state.ts';

const base = { principal: '1250.00', annualRate: '0.15', termCount: 4, startDate: '2026-01-01' };

describe('stored terms', () => {
  it.each(['half_up', 'half_even', 'up', 'down'])('keep rounding.interestMode %s in both forms', (interestMode) => {
    const terms = parseLoanTerms({ ...base, rounding: { mode: 'down', installmentMultiple: '1', interestMode } });
    expect(decodeCompactTerms(encodeCompactTerms(terms))).toEqual(terms);
    expect(deserializeTerms(JSON.parse(JSON.stringify(serializeTerms(terms))))).toEqual(terms);
  });

  it('write the compact form unchanged for the default interest mode, so older strings still decode', () => {
    const terms = parseLoanTerms(base);
    const compact = encodeCompactTerms(terms);
    expect(compact.split('|')[13]).toBe('half_up');
    expect(decodeCompactTerms(compact).rounding.interestMode).toBe('half_up');
    const json = serializeTerms(terms);
    expect('interestMode' in json.rounding).toBe(false);
    expect(
      encodeCompactTerms(parseLoanTerms({ ...base, rounding: { interestMode: 'half_even' } })).split('|')[13],
    ).toBe('half_up/half_even');
  });
});
