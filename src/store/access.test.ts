// Access control's storage on a real store (PGlite, or PostgreSQL with DATABASE_URL): sessions live only
// until expiry, revocation or a disabled account; a sign-in code allows attempts_max tries even when the
// tries race, and is consumed once; borrowers are found by phone; pages are keyset-ordered and bounded.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookByBucket, listBorrowersPage, listLoansPage } from './pages.ts';
import {
  consumeSignInCode,
  createSession,
  createStaffAccount,
  findBorrowerIdsByPhone,
  findLiveSession,
  getBorrowerIdentities,
  insertSignInCode,
  getStaffAccount,
  listStaffAccounts,
  recentSignInCodes,
  revokeSession,
  revokeSubjectSessions,
  takeSignInCodeAttempt,
  updateStaffAccount,
  upsertBorrowerIdentity,
} from './access.ts';
import { upsertBorrowers } from './borrowers.ts';
import { insertLoans } from './loans.ts';
import { openTestDatabase, type TestDatabase } from './testing.ts';

let test: TestDatabase;
const T0 = Date.parse('2026-03-10T04:00:00Z');
const hash = (text: string) => createHash('sha256').update(text).digest('hex');
const argon = '$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g';

beforeAll(async () => {
  test = await openTestDatabase();
  await upsertBorrowers(
    test.db,
    ['B1', 'B2', 'B3'].map((id, index) => ({
      borrowerId: id,
      name: id,
      timezone: 'Asia/Shanghai',
      locale: 'zh-CN',
      contacts: index < 2 ? { sms: index === 0 ? '+861' : '+862' } : {},
    })),
  );
  await upsertBorrowers(test.db, [
    { borrowerId: 'B4', name: 'B4', timezone: 'UTC', locale: 'en', contacts: { sms: '+862' } },
  ]);
  await insertLoans(
    test.db,
    ['L1', 'L2', 'L3', 'L4', 'L5'].map((loanId, index) => ({
      borrowerId: index < 3 ? 'B1' : 'B2',
      loanId,
      currency: 'CNY',
      status: index % 2 === 0 ? 'active' : 'overdue',
      bucket: index % 2 === 0 ? 'M0' : 'M1',
      dpd: index % 2 === 0 ? 0 : 5,
      nextEventDate: '2026-04-01',
      state: {},
    })),
  );
});
afterAll(async () => test.dispose());

describe('sessions', () => {
  it('are live until they expire or are revoked, and a staff session ends with a disabled account', async () => {
    await createStaffAccount(test.db, { username: 'ann', role: 'collector', passwordHash: argon, atMs: T0 });
    const staff = hash('staff-token');
    await createSession(test.db, {
      tokenHash: staff,
      subjectKind: 'staff',
      subjectId: 'ann',
      createdAtMs: T0,
      expiresAtMs: T0 + 1000,
    });
    expect(await findLiveSession(test.db, staff, T0 + 999)).toMatchObject({ subjectId: 'ann', role: 'collector' });
    expect(await findLiveSession(test.db, staff, T0 + 1000)).toBeUndefined();
    await updateStaffAccount(test.db, { username: 'ann', role: 'supervisor', atMs: T0 });
    expect(await findLiveSession(test.db, staff, T0)).toMatchObject({ role: 'supervisor' });
    await updateStaffAccount(test.db, { username: 'ann', disabled: true, atMs: T0 });
    expect(await findLiveSession(test.db, staff, T0)).toBeUndefined();

    const borrower = hash('borrower-token');
    await createSession(test.db, {
      tokenHash: borrower,
      subjectKind: 'borrower',
      subjectId: 'B1',
      createdAtMs: T0,
      expiresAtMs: T0 + 1000,
    });
    expect(await findLiveSession(test.db, borrower, T0)).toMatchObject({
      subjectKind: 'borrower',
      subjectId: 'B1',
      role: null,
    });
    expect(await revokeSession(test.db, borrower, T0)).toBe(true);
    expect(await revokeSession(test.db, borrower, T0)).toBe(false);
    expect(await findLiveSession(test.db, borrower, T0)).toBeUndefined();
    await createSession(test.db, {
      tokenHash: hash('b2'),
      subjectKind: 'borrower',
      subjectId: 'B1',
      createdAtMs: T0,
      expiresAtMs: T0 + 1000,
    });
    expect(await revokeSubjectSessions(test.db, { kind: 'borrower', id: 'B1', atMs: T0 })).toBe(1);
  });

  it('lists staff accounts by username', async () => {
    await createStaffAccount(test.db, { username: 'bob', role: 'viewer', passwordHash: argon, atMs: T0 });
    expect(await createStaffAccount(test.db, { username: 'bob', role: 'admin', passwordHash: argon, atMs: T0 })).toBe(
      false,
    );
    expect((await listStaffAccounts(test.db, { limit: 10 })).map((row) => row.username)).toEqual(['ann', 'bob']);
    expect((await listStaffAccounts(test.db, { limit: 10, after: 'ann' })).map((row) => row.username)).toEqual(['bob']);
  });
});

describe('sign-in codes', () => {
  it('allow attempts_max tries even when they race, only the latest code counts, and a code is consumed once', async () => {
    const base = { borrowerId: 'B2', channel: 'sms' as const, attemptsMax: 5 };
    await insertSignInCode(test.db, {
      ...base,
      codeId: 'old',
      codeHash: hash('old'),
      createdAtMs: T0,
      expiresAtMs: T0 + 600_000,
    });
    await insertSignInCode(test.db, {
      ...base,
      codeId: 'new',
      codeHash: hash('new'),
      createdAtMs: T0 + 1,
      expiresAtMs: T0 + 600_000,
    });
    expect(await recentSignInCodes(test.db, 'B2', T0)).toEqual({ count: 2, latestAt: new Date(T0 + 1).toISOString() });
    const tries = await Promise.all(Array.from({ length: 12 }, () => takeSignInCodeAttempt(test.db, 'B2', T0 + 10)));
    const granted = tries.filter((attempt) => attempt !== undefined);
    expect(granted).toHaveLength(5);
    expect(new Set(granted.map((attempt) => attempt?.codeId))).toEqual(new Set(['new']));
    expect(await consumeSignInCode(test.db, { borrowerId: 'B2', codeId: 'new', atMs: T0 })).toBe(true);
    expect(await consumeSignInCode(test.db, { borrowerId: 'B2', codeId: 'new', atMs: T0 })).toBe(false);
    // With the latest code used up, the older one is the borrower's latest unconsumed code again.
    expect((await takeSignInCodeAttempt(test.db, 'B2', T0 + 10))?.codeId).toBe('old');
    expect(await takeSignInCodeAttempt(test.db, 'B2', T0 + 600_000)).toBeUndefined();
  });

  it('finds borrowers by their SMS number, all of them when it is shared', async () => {
    expect(await findBorrowerIdsByPhone(test.db, '+861')).toEqual(['B1']);
    expect(await findBorrowerIdsByPhone(test.db, '+862')).toEqual(['B2', 'B4']);
    expect(await findBorrowerIdsByPhone(test.db, '+869')).toEqual([]);
  });
});

describe('identities and pages', () => {
  it('keeps one identity per borrower', async () => {
    await upsertBorrowerIdentity(test.db, { borrowerId: 'B1', idType: 'national_id', idNumber: '1101', atMs: T0 });
    await upsertBorrowerIdentity(test.db, { borrowerId: 'B1', idType: 'passport', idNumber: 'E123', atMs: T0 });
    const found = await getBorrowerIdentities(test.db, ['B1', 'B2', 'B1']);
    expect([...found.values()]).toMatchObject([{ borrowerId: 'B1', idType: 'passport', idNumber: 'E123' }]);
  });

  it('pages borrowers and loans by id, with filters, and reports the book by bucket', async () => {
    expect((await listBorrowersPage(test.db, { limit: 2 })).map((b) => b.borrowerId)).toEqual(['B1', 'B2']);
    expect((await listBorrowersPage(test.db, { limit: 2, after: 'B2' })).map((b) => b.borrowerId)).toEqual([
      'B3',
      'B4',
    ]);
    expect((await listLoansPage(test.db, { limit: 2, after: 'L2' })).map((l) => l.loanId)).toEqual(['L3', 'L4']);
    expect((await listLoansPage(test.db, { limit: 10, borrowerId: 'B2' })).map((l) => l.loanId)).toEqual(['L4', 'L5']);
    expect((await listLoansPage(test.db, { limit: 10, status: 'overdue', bucket: 'M1' })).map((l) => l.loanId)).toEqual(
      ['L2', 'L4'],
    );
    expect(await bookByBucket(test.db)).toEqual([
      { currency: 'CNY', bucket: 'M0', status: 'active', loans: 3, dpdTotal: 0 },
      { currency: 'CNY', bucket: 'M1', status: 'overdue', loans: 2, dpdTotal: 10 },
    ]);
    await expect(listLoansPage(test.db, { limit: 0 })).rejects.toThrow();
  });
});

describe('the last enabled admin', () => {
  it('cannot be disabled or demoted; another admin can, and then the last one cannot', async () => {
    await createStaffAccount(test.db, { username: 'root1', role: 'admin', passwordHash: argon, atMs: T0 });
    expect(await updateStaffAccount(test.db, { username: 'root1', disabled: true, atMs: T0 })).toBe('last_admin');
    expect(await updateStaffAccount(test.db, { username: 'root1', role: 'viewer', atMs: T0 })).toBe('last_admin');
    expect(await updateStaffAccount(test.db, { username: 'root1', passwordHash: argon, atMs: T0 })).toBe('updated');
    expect(await updateStaffAccount(test.db, { username: 'nobody', disabled: true, atMs: T0 })).toBe('not_found');
    await createStaffAccount(test.db, { username: 'root2', role: 'admin', passwordHash: argon, atMs: T0 });
    expect(await updateStaffAccount(test.db, { username: 'root1', disabled: true, atMs: T0 })).toBe('updated');
    expect(await updateStaffAccount(test.db, { username: 'root2', role: 'compliance', atMs: T0 })).toBe('last_admin');
    // Enabling the first again makes room to demote the second.
    expect(await updateStaffAccount(test.db, { username: 'root1', disabled: false, atMs: T0 })).toBe('updated');
    expect(await updateStaffAccount(test.db, { username: 'root2', role: 'compliance', atMs: T0 })).toBe('updated');
    expect((await getStaffAccount(test.db, 'root1'))?.disabled).toBe(false);
  });

  it('survives two admins disabling each other at once: one change wins, one admin stays', async () => {
    await createStaffAccount(test.db, { username: 'root3', role: 'admin', passwordHash: argon, atMs: T0 });
    // root1 and root3 are now the enabled admins.
    const results = await Promise.all(
      ['root1', 'root3'].map((username) => updateStaffAccount(test.db, { username, disabled: true, atMs: T0 })),
    );
    expect(results.sort()).toEqual(['last_admin', 'updated']);
    const enabled = (await listStaffAccounts(test.db, { limit: 100 })).filter(
      (row) => row.role === 'admin' && !row.disabled,
    );
    expect(enabled).toHaveLength(1);
  });
});
