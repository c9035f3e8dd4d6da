import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GroupCommitQueue } from './group-commit.ts';

/** A write that records its batches, answers each item doubled, and fails any batch holding a negative item. */
function recorder(delayMs = 1) {
  const batches: number[][] = [];
  let writing = 0;
  let mostAtOnce = 0;
  const write = async (items: readonly number[]) => {
    writing += 1;
    mostAtOnce = Math.max(mostAtOnce, writing);
    batches.push([...items]);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    writing -= 1;
    if (items.some((item) => item < 0)) throw new Error(`batch holds ${items.find((item) => item < 0)}`);
    return items.map((item) => item * 2);
  };
  return { write, batches, mostAtOnce: () => mostAtOnce };
}

describe('GroupCommitQueue', () => {
  it('writes a lone request at once, and requests arriving while a batch is written as the next batch', async () => {
    const r = recorder(5);
    const queue = new GroupCommitQueue(r.write);
    const first = queue.submit(1);
    await new Promise((resolve) => setTimeout(resolve, 1));
    const rest = [2, 3, 4].map((item) => queue.submit(item));
    expect(await Promise.all([first, ...rest])).toEqual([2, 4, 6, 8]);
    expect(r.batches).toEqual([[1], [2, 3, 4]]);
  });

  it('caps a batch at groupMax and keeps arrival order with one writer', async () => {
    const r = recorder();
    const queue = new GroupCommitQueue(r.write, { groupMax: 2 });
    expect(await Promise.all([1, 2, 3, 4, 5].map((item) => queue.submit(item)))).toEqual([2, 4, 6, 8, 10]);
    expect(r.batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('retries each request of a failed batch alone, so only the bad one fails', async () => {
    const r = recorder();
    const queue = new GroupCommitQueue(r.write);
    const results = await Promise.allSettled([1, -1, 3].map((item) => queue.submit(item)));
    expect(results.map((result) => (result.status === 'fulfilled' ? result.value : 'failed'))).toEqual([
      2,
      'failed',
      6,
    ]);
    expect(r.batches).toEqual([[1, -1, 3], [1], [-1], [3]]);
  });

  it('rejects beyond queueMax instead of growing without bound', async () => {
    const queue = new GroupCommitQueue(recorder(5).write, { queueMax: 2 });
    const accepted = [queue.submit(1), queue.submit(2)];
    await expect(queue.submit(3)).rejects.toThrow(/full/);
    expect(await Promise.all(accepted)).toEqual([2, 4]);
  });

  it('never strands a request and never writes more than `concurrency` batches at once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 5 }),
        async (gaps, concurrency, groupMax) => {
          const r = recorder(1);
          const queue = new GroupCommitQueue(r.write, { concurrency, groupMax });
          const pending: Promise<number>[] = [];
          for (const [index, gap] of gaps.entries()) {
            // Submit from timers and microtasks alike: the moment a writer leaves is where a request could strand.
            if (gap > 0) await new Promise((resolve) => setTimeout(resolve, gap - 1));
            else await Promise.resolve();
            pending.push(queue.submit(index));
          }
          expect(await Promise.all(pending)).toEqual(gaps.map((_, index) => index * 2));
          await queue.flush();
          expect(r.mostAtOnce()).toBeLessThanOrEqual(concurrency);
          expect(r.batches.every((batch) => batch.length <= groupMax)).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });
});
