// The API's audit trail writer: entries from concurrent requests are appended to the hash chain in
// groups (one transaction per group, while the previous one commits), so auditing every action does not
// serialise requests one database round trip at a time. Invariants: append() resolves only after its
// entry is committed, and rejects with a 503 problem (code `audit_unavailable`) if that commit failed;
// entries commit in the order append() was called (src/store/group-commit.ts); `failing` is true from a
// failed append until the next one succeeds, so the API can refuse actions it could not record.
import { appendAudit, type AuditEntry } from '../store/audit.ts';
import { GroupCommitQueue, type GroupCommitOptions } from '../store/group-commit.ts';
import type { Database } from '../store/index.ts';
import { ApiProblem } from './problem.ts';

/** The result code of a request refused or failed because the audit log would not take its row. */
export const AUDIT_UNAVAILABLE = 'audit_unavailable';

export class AuditWriter {
  private readonly queue: GroupCommitQueue<AuditEntry, void>;
  private lastAppendFailed = false;
  private failures = 0;

  constructor(db: Database, options: GroupCommitOptions = {}) {
    this.queue = new GroupCommitQueue(async (entries) => {
      await appendAudit(db, entries);
      return entries.map((): void => undefined);
    }, options);
  }

  /** Appends that failed since this writer was made (the metric kuan_audit_append_failures_total). */
  get appendFailuresTotal(): number {
    return this.failures;
  }

  /** True while the last append failed: actions would go unrecorded. */
  get failing(): boolean {
    return this.lastAppendFailed;
  }

  async append(entry: AuditEntry): Promise<void> {
    try {
      await this.queue.submit(entry);
      this.lastAppendFailed = false;
    } catch (error) {
      this.lastAppendFailed = true;
      this.failures += 1;
      const problem = new ApiProblem(
        'unavailable',
        'the audit log did not accept this request’s row; run `kuan audit verify` (actions are refused until it does)',
        { code: AUDIT_UNAVAILABLE },
      );
      problem.cause = error;
      throw problem;
    }
  }

  /** Resolves when everything appended so far is committed (or has failed). */
  flush(): Promise<void> {
    return this.queue.flush();
  }
}
