// Promise-kept rates count each promise once, overall, per agent and per segment, and rate only judged ones.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { promiseKeptRates, type PromiseOutcome } from './promises.ts';

describe('promiseKeptRates', () => {
  it('rates kept over judged promises, per agent and per segment', () => {
    const rates = promiseKeptRates([
      { takenBy: 'alice', segment: 'M1', status: 'kept' },
      { takenBy: 'alice', segment: 'M1', status: 'broken' },
      { takenBy: 'alice', segment: 'M2', status: 'kept' },
      { takenBy: 'bob', segment: 'M2', status: 'partly_kept' },
      { takenBy: 'bob', segment: 'M2', status: 'open' },
    ]);
    expect(rates).toMatchObject({ made: 5, kept: 2, partlyKept: 1, broken: 1, open: 1, keptRate: '0.5000' });
    expect(rates.byAgent).toEqual([
      { agent: 'alice', made: 3, kept: 2, partlyKept: 0, broken: 1, open: 0, keptRate: '0.6667' },
      { agent: 'bob', made: 2, kept: 0, partlyKept: 1, broken: 0, open: 1, keptRate: '0.0000' },
    ]);
    expect(rates.bySegment.map((row) => [row.segment, row.keptRate])).toEqual([
      ['M1', '0.5000'],
      ['M2', '0.5000'],
    ]);
    expect(promiseKeptRates([]).keptRate).toBeNull();
  });

  it('every promise is counted once in each breakdown', () => {
    const statuses: PromiseOutcome[] = ['open', 'kept', 'partly_kept', 'broken'];
    const record = fc.record({
      takenBy: fc.constantFrom('a', 'b', 'c'),
      segment: fc.constantFrom('M1', 'M2'),
      status: fc.constantFrom(...statuses),
    });
    fc.assert(
      fc.property(fc.array(record, { maxLength: 60 }), (records) => {
        const rates = promiseKeptRates(records);
        expect(rates.made).toBe(records.length);
        expect(rates.byAgent.reduce((sum, row) => sum + row.made, 0)).toBe(records.length);
        expect(rates.bySegment.reduce((sum, row) => sum + row.made, 0)).toBe(records.length);
        expect(rates.kept + rates.partlyKept + rates.broken + rates.open).toBe(records.length);
      }),
    );
  });
});
