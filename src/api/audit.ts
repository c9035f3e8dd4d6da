// The API's audit trail writer: entries from concurrent requests are appended to the hash chain in
// groups (one transaction per group, while the previous one commits), so auditing every action does not
// serialise requests one database round trip at a time. Invariants: append() resolves only after its
// entry is committed, and rejects if that commit failed; entries commit in the order append() was
// called (src/store/group-commit.ts).
import { appendAudit, type AuditEntry } from '../store/audit.ts';
import { GroupCommitQueue, type GroupCommitOptions } from '../store/group-commit.ts';
import type { Database } from '../store/index.ts';

export class AuditWriter {
  private readonly queue: GroupCommitQueue<AuditEntry, void>;

  constructor(db: Database, options: GroupCommitOptions = {}) {
    this.queue = new GroupCommitQueue(async (entries) => {
      await appendAudit(db, entries);
      return entries.map((): void => undefined);
    }, options);
  }

  append(entry: AuditEntry): Promise<void> {
    return this.queue.submit(entry);
  }

  /** Resolves when everything appended so far is committed (or has failed). */
  flush(): Promise<void> {
    return this.queue.flush();
  }
}
