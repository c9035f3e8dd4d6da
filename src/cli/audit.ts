// The command line's entries in the audit chain: a command that changes who may act or what is on the
// books (`kuan staff add/disable/enable`, `kuan import loans`) appends one row, on the same chain as the
// API, as actor kind `system` with id `cli:<operating-system user>`. Invariants: the row carries what was
// done and to what, never a password; it is appended after the change committed (a command and its row
// are not one transaction), and a row the log refuses makes the command fail (exit 1, one line saying
// the change was made but not recorded), so an unrecorded change never reports plain success.
import { userInfo } from 'node:os';
import { appendAudit, type AuditEntry } from '../store/audit.ts';
import type { Database } from '../store/index.ts';

/** The actor id of a command run by this process's user: `cli:<name>` (or `cli:uid <n>`). */
export function cliActorId(env: Readonly<Record<string, string | undefined>>): string {
  let name: string | undefined;
  try {
    name = userInfo().username;
  } catch {
    // No password-file entry for this uid (some containers): fall back to what the shell says.
    name = env.USER ?? env.LOGNAME ?? (typeof process.getuid === 'function' ? `uid ${process.getuid()}` : undefined);
  }
  return `cli:${name ?? 'unknown'}`;
}

/** A command's change, before it becomes a row. */
export interface CliAction {
  /** e.g. `cli.staff.disable`. */
  action: string;
  /** What it was done to, e.g. `staff/ann`, `import/loans.csv`. */
  resource: string;
  detail: Record<string, unknown>;
}

/**
 * Appends the row for a change already made. Resolves to undefined when recorded, or to the line to
 * print when the log refused it.
 */
export async function recordCliAction(
  db: Database,
  env: Readonly<Record<string, string | undefined>>,
  action: CliAction,
): Promise<string | undefined> {
  const entry: AuditEntry = {
    atMs: Date.now(),
    actorKind: 'system',
    actorId: cliActorId(env),
    action: action.action,
    resource: action.resource,
    subjectBorrowerId: null,
    outcome: 0,
    detail: action.detail,
  };
  try {
    await appendAudit(db, [entry]);
    return undefined;
  } catch (error) {
    const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : '';
    return `audit: the change was made but the audit log refused its row (${reason.slice(0, 200)}); run kuan audit verify`;
  }
}
