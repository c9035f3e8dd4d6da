// Group commit: requests that arrive while a batch is being written wait and go together in the next
// one, so N concurrent requests cost one transaction (one commit, one WAL flush) instead of N. A request
// arriving at an idle queue starts a batch at once, so a lone request waits for nothing.
// Invariants: a request's promise settles only after the batch holding it has committed (or failed);
// batches start in arrival order, and at most `concurrency` are written at once (default 1: then they
// also commit in arrival order); a batch holds at most `groupMax` requests; when a batch
// fails as a whole, each of its requests is retried alone, so one bad request cannot fail its
// neighbours; at most `queueMax` requests wait (beyond that submit rejects rather than growing memory).
import { invariant } from '../errors/index.ts';

interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  groupMax?: number;
  queueMax?: number;
  /** Batches written at once (each on its own connection); only for writes that may commit out of order. */
  concurrency?: number;
}

export class GroupCommitQueue<T, R> {
  private readonly write: (items: readonly T[]) => Promise<readonly R[]>;
  private readonly groupMax: number;
  private readonly queueMax: number;
  private readonly concurrency: number;
  private queue: Waiting<T, R>[] = [];
  /** Batches being written; counted synchronously, so a request never waits for a writer that is leaving. */
  private active = 0;
  private readonly drainers = new Set<Promise<void>>();

  /** `write` stores a batch in one transaction and answers each item, in order. */
  constructor(write: (items: readonly T[]) => Promise<readonly R[]>, options: GroupCommitOptions = {}) {
    this.write = write;
    this.groupMax = options.groupMax ?? 500;
    this.queueMax = options.queueMax ?? 50_000;
    this.concurrency = options.concurrency ?? 1;
    invariant(
      this.groupMax >= 1 && this.queueMax >= 1 && this.concurrency >= 1,
      'a group commit queue holds and writes at least one request',
    );
  }

  submit(item: T): Promise<R> {
    if (this.queue.length >= this.queueMax) return Promise.reject(new Error('group commit queue is full'));
    const done = new Promise<R>((resolve, reject) => this.queue.push({ item, resolve, reject }));
    if (this.active < this.concurrency) {
      this.active += 1;
      const drainer: Promise<void> = this.drain().finally(() => this.drainers.delete(drainer));
      this.drainers.add(drainer);
    }
    return done;
  }

  /** Resolves when everything submitted so far has settled. */
  async flush(): Promise<void> {
    while (this.drainers.size > 0) await Promise.all(this.drainers);
  }

  private async drain(): Promise<void> {
    try {
      // The first batch waits for the current microtasks, so requests arriving together go together.
      await Promise.resolve();
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, this.groupMax);
        try {
          this.settle(group, await this.write(group.map((waiting) => waiting.item)));
        } catch (error) {
          if (group.length === 1) group[0]!.reject(error);
          else for (const waiting of group) await this.writeAlone(waiting);
        }
      }
    } finally {
      this.active -= 1;
    }
  }

  private async writeAlone(waiting: Waiting<T, R>): Promise<void> {
    try {
      this.settle([waiting], await this.write([waiting.item]));
    } catch (error) {
      waiting.reject(error);
    }
  }

  private settle(group: readonly Waiting<T, R>[], results: readonly R[]): void {
    invariant(results.length === group.length, 'a batch answers each of its requests');
    group.forEach((waiting, index) => waiting.resolve(results[index] as R));
  }
}
