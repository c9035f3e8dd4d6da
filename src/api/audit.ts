// The API's audit trail writer: entries from concurrent requests are appended to the hash chain in
// groups (one transaction per group, while the previous one commits), so auditing every action does not
// serialise requests one database round trip at a time. Invariants: append() resolves only after its
// entry is committed, and rejects if that commit failed; entries commit in the order append() was
// called; a group holds at most `groupMax` entries, and at most `queueMax` wait (beyond that append
// rejects rather than growing memory without bound).
import { appendAudit, type AuditEntry } from '../store/audit.ts';
import type { Database } from '../store/index.ts';

interface Pending {
  entry: AuditEntry;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class AuditWriter {
  private readonly db: Database;
  private readonly groupMax: number;
  private readonly queueMax: number;
  private queue: Pending[] = [];
  private writing: Promise<void> | undefined;

  constructor(db: Database, options: { groupMax?: number; queueMax?: number } = {}) {
    this.db = db;
    this.groupMax = options.groupMax ?? 500;
    this.queueMax = options.queueMax ?? 50_000;
  }

  append(entry: AuditEntry): Promise<void> {
    if (this.queue.length >= this.queueMax) return Promise.reject(new Error('audit queue is full'));
    const done = new Promise<void>((resolve, reject) => this.queue.push({ entry, resolve, reject }));
    this.writing ??= this.drain();
    return done;
  }

  /** Resolves when everything appended so far is committed (or has failed). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, this.groupMax);
        try {
          await appendAudit(
            this.db,
            group.map((pending) => pending.entry),
          );
          for (const pending of group) pending.resolve();
        } catch (error) {
          for (const pending of group) pending.reject(error);
        }
      }
    } finally {
      this.writing = undefined;
    }
  }
}
