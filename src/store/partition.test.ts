import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { borrowerHash, fmix32, fnv1a32, HASH_SPACE, partitionRange, workerOfHash, WORKERS_MAX } from './partition.ts';

/** borrowerHash('B1') as first computed: the stored hash may never change for an id. */
const PINNED_B1 = 258414235;

describe('borrowerHash', () => {
  it('is FNV-1a 32 (reference vectors), mixed by fmix32, with the top bit cleared', () => {
    // FNV-1a 32 reference values: "" → 0x811c9dc5, "a" → 0xe40c292c, "foobar" → 0xbf9cf968
    // (http://www.isthe.com/chongo/tech/comp/fnv/, test vectors of the FNV reference code).
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
    // fmix32 fixes 0 and is otherwise a bijection.
    expect(fmix32(0)).toBe(0);
    expect(borrowerHash('foobar')).toBe(fmix32(0xbf9cf968) & 0x7fffffff);
    // Pinned: stored in loans.borrower_hash, so it must never change.
    expect(borrowerHash('B1')).toBe(PINNED_B1);
  });

  it('hashes the UTF-8 bytes, so non-ASCII ids are stable across runtimes', () => {
    expect(borrowerHash('借款人-7')).toBe(borrowerHash('借款人-7'));
    expect(borrowerHash('é')).not.toBe(borrowerHash('e'));
  });

  it('always fits a non-negative PostgreSQL integer', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (id) => {
        const hash = borrowerHash(id);
        return Number.isInteger(hash) && hash >= 0 && hash < HASH_SPACE;
      }),
    );
  });

  it('spreads short sequential ids evenly over workers', () => {
    for (const ids of [
      Array.from({ length: 20_000 }, (_, index) => `B${index}`),
      Array.from({ length: 1_000 }, (_, index) => `B${String(index).padStart(3, '0')}`),
    ]) {
      const counts = [0, 0, 0, 0];
      for (const id of ids) counts[workerOfHash(borrowerHash(id), 4)]! += 1;
      // Binomial(n, 1/4): five standard deviations either side.
      const slack = 5 * Math.sqrt(ids.length * 0.25 * 0.75);
      for (const count of counts) expect(Math.abs(count - ids.length / 4)).toBeLessThan(slack);
    }
  });

  it('mixes every input bit (fmix32 is a bijection on a sample)', () => {
    const seen = new Set<number>();
    for (let value = 0; value < 50_000; value += 1) seen.add(fmix32(value));
    expect(seen.size).toBe(50_000);
  });
});

describe('partitionRange', () => {
  it('splits the hash space into disjoint ranges that cover it, for any number of workers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: WORKERS_MAX }), (workers) => {
        let next = 0;
        for (let worker = 0; worker < workers; worker += 1) {
          const { low, high } = partitionRange({ worker, workers });
          if (low !== next || high < low) return false;
          next = high + 1;
        }
        return next === HASH_SPACE;
      }),
    );
  });

  it('agrees with workerOfHash at every range boundary', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: WORKERS_MAX }), fc.nat(), (workers, seed) => {
        const worker = seed % workers;
        const { low, high } = partitionRange({ worker, workers });
        return workerOfHash(low, workers) === worker && workerOfHash(high, workers) === worker;
      }),
    );
  });

  it('refuses a worker outside 0 … workers − 1 and a worker count outside 1 … WORKERS_MAX', () => {
    expect(() => partitionRange({ worker: 2, workers: 2 })).toThrow(/worker must be/);
    expect(() => partitionRange({ worker: 0, workers: 0 })).toThrow(/workers must be/);
    expect(() => partitionRange({ worker: 0, workers: WORKERS_MAX + 1 })).toThrow(/workers must be/);
    expect(() => partitionRange({ worker: 0.5, workers: 2 })).toThrow(/worker must be/);
  });
});
