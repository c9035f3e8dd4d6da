// Access control's storage (migration 0006): staff accounts, server-side sessions, borrowers' one-time
// sign-in codes, borrowers' identity numbers. The API's paged listings are in pages.ts.
// Invariants: a session is stored by the SHA-256 of its token only, and is valid only before its expiry
// and while not revoked (and, for staff, while the account is enabled); a sign-in code is tried at most
// attempts_max times (the count is raised in the same statement that reads the code, so concurrent
// guesses cannot exceed it) and consumed at most once; every instant comes from the caller's clock;
// every page has a bounded size; an account change never leaves no enabled admin.
import { sql } from 'drizzle-orm';
import { invariant } from '../errors/index.ts';
import { executeStatement, queryRows, type Database, type Queryable } from './db.ts';
import { toInstant, toInstantOrNull, toInteger, toText, toTextOrNull } from './rows.ts';

export const staffRoles = ['admin', 'supervisor', 'collector', 'compliance', 'viewer'] as const;
export type StaffRole = (typeof staffRoles)[number];

/** Lower-case letters, digits, `. _ -`, starting with a letter or digit, at most 64 characters. */
export const staffUsernamePattern = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Rows per page of every listing here. */
export const ACCESS_PAGE_MAX = 1_000;

const iso = (ms: number): string => new Date(ms).toISOString();

function checkLimit(limit: number): void {
  invariant(Number.isInteger(limit) && limit >= 1 && limit <= ACCESS_PAGE_MAX, `page size 1…${ACCESS_PAGE_MAX}`);
}

// ---- staff accounts ---------------------------------------------------------------------------------

export interface StaffAccountRow {
  username: string;
  role: StaffRole;
  /** argon2id PHC string. */
  passwordHash: string;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

function toStaffRow(row: Record<string, unknown>): StaffAccountRow {
  return {
    username: toText(row.username),
    role: toText(row.role) as StaffRole,
    passwordHash: toText(row.password_hash),
    disabled: row.disabled === true,
    createdAt: toInstant(row.created_at),
    updatedAt: toInstant(row.updated_at),
  };
}

/** Creates an account; false when the username is taken (nothing changes then). */
export async function createStaffAccount(
  queryable: Queryable,
  account: { username: string; role: StaffRole; passwordHash: string; atMs: number },
): Promise<boolean> {
  invariant(staffUsernamePattern.test(account.username), 'a staff username has the documented shape');
  invariant((staffRoles as readonly string[]).includes(account.role), 'a staff role is known');
  const count = await executeStatement(
    queryable,
    sql`INSERT INTO staff_accounts (username, role, password_hash, disabled, created_at, updated_at)
        VALUES (${account.username}, ${account.role}, ${account.passwordHash}, false,
                ${iso(account.atMs)}::timestamptz, ${iso(account.atMs)}::timestamptz)
        ON CONFLICT (username) DO NOTHING`,
  );
  return count === 1;
}

/** Changes an account's role, password or disabled flag; false when there is no such account. */
/** What a change of a staff account came to. */
export type StaffUpdateResult = 'updated' | 'not_found' | 'last_admin';

/**
 * Changes an account's role, password or disabled flag, in one transaction; refuses (`last_admin`) a
 * change that would leave no enabled admin (nobody could then manage accounts through the API). Every
 * enabled admin row is locked before deciding, so two changes that would each leave one admin cannot
 * both pass: the second waits for the first, then sees what it left.
 */
export async function updateStaffAccount(
  db: Database,
  change: { username: string; role?: StaffRole; passwordHash?: string; disabled?: boolean; atMs: number },
): Promise<StaffUpdateResult> {
  return db.transaction(async (tx) => {
    const admins = await queryRows<{ username: unknown }>(
      tx,
      sql`SELECT username FROM staff_accounts WHERE role = 'admin' AND NOT disabled ORDER BY username FOR UPDATE`,
    );
    const [target] = await queryRows<{ role: unknown; disabled: unknown }>(
      tx,
      sql`SELECT role, disabled FROM staff_accounts WHERE username = ${change.username} FOR UPDATE`,
    );
    if (target === undefined) return 'not_found';
    const enabledAdminAfter =
      !(change.disabled ?? target.disabled === true) && (change.role ?? target.role) === 'admin';
    const enabledAdminBefore = admins.some((row) => row.username === change.username);
    if (enabledAdminBefore && !enabledAdminAfter && admins.length <= 1) return 'last_admin';
    const count = await executeStatement(
      tx,
      sql`UPDATE staff_accounts
          SET role = coalesce(${change.role ?? null}, role),
              password_hash = coalesce(${change.passwordHash ?? null}, password_hash),
              disabled = coalesce(${change.disabled ?? null}::boolean, disabled),
              updated_at = ${iso(change.atMs)}::timestamptz
          WHERE username = ${change.username}`,
    );
    invariant(count === 1, 'the locked staff account is updated');
    return 'updated';
  });
}

export async function getStaffAccount(queryable: Queryable, username: string): Promise<StaffAccountRow | undefined> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT username, role, password_hash, disabled, created_at, updated_at FROM staff_accounts
        WHERE username = ${username}`,
  );
  return rows[0] ? toStaffRow(rows[0]) : undefined;
}

/** Accounts by username, after `after`. */
export async function listStaffAccounts(
  queryable: Queryable,
  options: { after?: string; limit: number },
): Promise<StaffAccountRow[]> {
  checkLimit(options.limit);
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT username, role, password_hash, disabled, created_at, updated_at FROM staff_accounts
        ${options.after === undefined ? sql`` : sql`WHERE username > ${options.after}`}
        ORDER BY username LIMIT ${options.limit}`,
  );
  return rows.map(toStaffRow);
}

// ---- sessions ---------------------------------------------------------------------------------------

export type SessionSubjectKind = 'staff' | 'borrower';

export interface NewSession {
  /** SHA-256 hex of the token the client holds. */
  tokenHash: string;
  subjectKind: SessionSubjectKind;
  subjectId: string;
  createdAtMs: number;
  expiresAtMs: number;
}

/** A live session and, for staff, the account's current role. */
export interface LiveSession {
  subjectKind: SessionSubjectKind;
  subjectId: string;
  expiresAt: string;
  /** Staff only: the account's role now. */
  role: StaffRole | null;
}

export async function createSession(queryable: Queryable, session: NewSession): Promise<void> {
  invariant(/^[0-9a-f]{64}$/.test(session.tokenHash), 'a session is stored by a SHA-256 hex digest');
  invariant(session.expiresAtMs > session.createdAtMs, 'a session expires after it starts');
  await executeStatement(
    queryable,
    sql`INSERT INTO sessions (token_hash, subject_kind, subject_id, created_at, expires_at)
        VALUES (${session.tokenHash}, ${session.subjectKind}, ${session.subjectId},
                ${iso(session.createdAtMs)}::timestamptz, ${iso(session.expiresAtMs)}::timestamptz)`,
  );
}

/**
 * The session a token hash names, if it is live at nowMs: not expired, not revoked, and for staff an
 * enabled account (whose current role is returned).
 */
export async function findLiveSession(
  queryable: Queryable,
  tokenHash: string,
  nowMs: number,
): Promise<LiveSession | undefined> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT s.subject_kind, s.subject_id, s.expires_at, a.role
        FROM sessions AS s
        LEFT JOIN staff_accounts AS a ON s.subject_kind = 'staff' AND a.username = s.subject_id
        WHERE s.token_hash = ${tokenHash} AND s.revoked_at IS NULL AND s.expires_at > ${iso(nowMs)}::timestamptz
          AND (s.subject_kind = 'borrower' OR (a.username IS NOT NULL AND NOT a.disabled))`,
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    subjectKind: toText(row.subject_kind) as SessionSubjectKind,
    subjectId: toText(row.subject_id),
    expiresAt: toInstant(row.expires_at),
    role: toTextOrNull(row.role) as StaffRole | null,
  };
}

/** Ends one session; false when it was not live. */
export async function revokeSession(queryable: Queryable, tokenHash: string, atMs: number): Promise<boolean> {
  const count = await executeStatement(
    queryable,
    sql`UPDATE sessions SET revoked_at = ${iso(atMs)}::timestamptz
        WHERE token_hash = ${tokenHash} AND revoked_at IS NULL`,
  );
  return count === 1;
}

/** Ends every session of a person (a disabled account, a changed password); returns how many. */
export async function revokeSubjectSessions(
  queryable: Queryable,
  subject: { kind: SessionSubjectKind; id: string; atMs: number },
): Promise<number> {
  return executeStatement(
    queryable,
    sql`UPDATE sessions SET revoked_at = ${iso(subject.atMs)}::timestamptz
        WHERE subject_kind = ${subject.kind} AND subject_id = ${subject.id} AND revoked_at IS NULL`,
  );
}

/** Deletes up to `limit` sessions that expired before beforeMs (housekeeping); returns how many. */
export async function deleteExpiredSessions(
  queryable: Queryable,
  options: { beforeMs: number; limit: number },
): Promise<number> {
  checkLimit(options.limit);
  return executeStatement(
    queryable,
    sql`DELETE FROM sessions WHERE token_hash IN (
          SELECT token_hash FROM sessions WHERE expires_at < ${iso(options.beforeMs)}::timestamptz
          LIMIT ${options.limit})`,
  );
}

// ---- borrower sign-in codes -------------------------------------------------------------------------

export interface NewSignInCode {
  borrowerId: string;
  /** Random, unique per borrower; part of what the code hash covers. */
  codeId: string;
  /** SHA-256 hex of `${codeId}:${code}`. */
  codeHash: string;
  channel: 'sms' | 'email';
  createdAtMs: number;
  expiresAtMs: number;
  attemptsMax: number;
}

export async function insertSignInCode(queryable: Queryable, code: NewSignInCode): Promise<void> {
  invariant(code.expiresAtMs > code.createdAtMs, 'a code expires after it is made');
  invariant(Number.isInteger(code.attemptsMax) && code.attemptsMax >= 1, 'a code allows at least one try');
  await executeStatement(
    queryable,
    sql`INSERT INTO borrower_sign_in_codes (borrower_id, code_id, code_hash, channel, created_at, expires_at,
                                            attempts, attempts_max)
        VALUES (${code.borrowerId}, ${code.codeId}, ${code.codeHash}, ${code.channel},
                ${iso(code.createdAtMs)}::timestamptz, ${iso(code.expiresAtMs)}::timestamptz, 0, ${code.attemptsMax})`,
  );
}

/** How many codes were made for a borrower since sinceMs, and when the latest was. */
export async function recentSignInCodes(
  queryable: Queryable,
  borrowerId: string,
  sinceMs: number,
): Promise<{ count: number; latestAt: string | null }> {
  const rows = await queryRows<{ count: unknown; latest: unknown }>(
    queryable,
    sql`SELECT count(*) AS count, max(created_at) AS latest FROM borrower_sign_in_codes
        WHERE borrower_id = ${borrowerId} AND created_at >= ${iso(sinceMs)}::timestamptz`,
  );
  return { count: toInteger(rows[0]?.count ?? 0), latestAt: toInstantOrNull(rows[0]?.latest) };
}

/**
 * Spends one try of the borrower's latest code that is unexpired, unconsumed and has tries left, and
 * returns that code's id and hash to compare against; undefined when there is no such code.
 */
export async function takeSignInCodeAttempt(
  queryable: Queryable,
  borrowerId: string,
  nowMs: number,
): Promise<{ codeId: string; codeHash: string } | undefined> {
  const rows = await queryRows<{ code_id: unknown; code_hash: unknown }>(
    queryable,
    sql`UPDATE borrower_sign_in_codes SET attempts = attempts + 1
        WHERE borrower_id = ${borrowerId} AND attempts < attempts_max AND consumed_at IS NULL
          AND expires_at > ${iso(nowMs)}::timestamptz
          AND code_id = (
            SELECT code_id FROM borrower_sign_in_codes
            WHERE borrower_id = ${borrowerId} AND consumed_at IS NULL AND expires_at > ${iso(nowMs)}::timestamptz
            ORDER BY created_at DESC, code_id DESC LIMIT 1)
        RETURNING code_id, code_hash`,
  );
  const row = rows[0];
  return row ? { codeId: toText(row.code_id), codeHash: toText(row.code_hash) } : undefined;
}

/** Marks a code used; false when it already was (a second sign-in with one code loses). */
export async function consumeSignInCode(
  queryable: Queryable,
  code: { borrowerId: string; codeId: string; atMs: number },
): Promise<boolean> {
  const count = await executeStatement(
    queryable,
    sql`UPDATE borrower_sign_in_codes SET consumed_at = ${iso(code.atMs)}::timestamptz
        WHERE borrower_id = ${code.borrowerId} AND code_id = ${code.codeId} AND consumed_at IS NULL`,
  );
  return count === 1;
}

/** Borrowers whose SMS number is exactly `phone` (at most `limit`; more than one means it is ambiguous). */
export async function findBorrowerIdsByPhone(queryable: Queryable, phone: string, limit = 2): Promise<string[]> {
  checkLimit(limit);
  const rows = await queryRows<{ borrower_id: unknown }>(
    queryable,
    sql`SELECT borrower_id FROM borrowers WHERE contacts ? 'sms' AND contacts->>'sms' = ${phone}
        ORDER BY borrower_id LIMIT ${limit}`,
  );
  return rows.map((row) => toText(row.borrower_id));
}

// ---- borrower identities ----------------------------------------------------------------------------

export const identityTypes = ['national_id', 'passport', 'other'] as const;
export type IdentityType = (typeof identityTypes)[number];

export interface BorrowerIdentityRow {
  borrowerId: string;
  idType: IdentityType;
  idNumber: string;
  updatedAt: string;
}

export async function upsertBorrowerIdentity(
  queryable: Queryable,
  identity: { borrowerId: string; idType: IdentityType; idNumber: string; atMs: number },
): Promise<void> {
  await executeStatement(
    queryable,
    sql`INSERT INTO borrower_identities (borrower_id, id_type, id_number, updated_at)
        VALUES (${identity.borrowerId}, ${identity.idType}, ${identity.idNumber}, ${iso(identity.atMs)}::timestamptz)
        ON CONFLICT (borrower_id) DO UPDATE
        SET id_type = excluded.id_type, id_number = excluded.id_number, updated_at = excluded.updated_at`,
  );
}

/** Identities of these borrowers, by borrower id. */
export async function getBorrowerIdentities(
  queryable: Queryable,
  borrowerIds: readonly string[],
): Promise<Map<string, BorrowerIdentityRow>> {
  const found = new Map<string, BorrowerIdentityRow>();
  if (borrowerIds.length === 0) return found;
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT borrower_id, id_type, id_number, updated_at FROM borrower_identities
        WHERE borrower_id IN (SELECT jsonb_array_elements_text(${JSON.stringify([...new Set(borrowerIds)])}::jsonb))`,
  );
  for (const row of rows) {
    const identity: BorrowerIdentityRow = {
      borrowerId: toText(row.borrower_id),
      idType: toText(row.id_type) as IdentityType,
      idNumber: toText(row.id_number),
      updatedAt: toInstant(row.updated_at),
    };
    found.set(identity.borrowerId, identity);
  }
  return found;
}
