// Access control through the API: staff sign-in with argon2id passwords, sessions (cookie and Bearer,
// expiry, sign-out, disabled accounts, role changes), borrowers' one-time codes (6 digits, 10 minutes,
// 5 tries, single use, no hint whether a borrower exists), and the stricter rate limits on sign-in and
// codes.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../store/index.ts';
import { PASSWORD, startApi, type ApiHarness } from './testing.ts';

let h: ApiHarness;

beforeAll(async () => {
  h = await startApi({ rateLimits: { signInPerMinute: 10, codesPerMinute: 5, staffFailuresPer15Minutes: 4 } });
});
afterAll(async () => h.close());

/** A fresh client address per test, so the per-address rate limits of one test do not reach another. */
let lastOctet = 10;
const freshAddress = () => `10.0.0.${(lastOctet += 1)}`;

describe('staff sign-in and sessions', () => {
  it('stores argon2id hashes, and answers a wrong password and an unknown user with the same 401', async () => {
    const [row] = await queryRows<{ password_hash: string }>(
      h.db,
      sql`SELECT password_hash FROM staff_accounts WHERE username = 'admin'`,
    );
    expect(row?.password_hash).toMatch(/^\$argon2id\$v=19\$/);
    const remoteAddress = freshAddress();
    const wrong = await h.call({
      method: 'POST',
      url: '/api/v1/auth/staff/sign-in',
      remoteAddress,
      payload: { username: 'admin', password: 'not the password' },
    });
    const unknown = await h.call({
      method: 'POST',
      url: '/api/v1/auth/staff/sign-in',
      remoteAddress,
      payload: { username: 'nobody', password: 'not the password' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ code: 'sign_in_failed' });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
  });

  it('sets an HttpOnly SameSite=Strict cookie that authenticates, and signing out ends the session', async () => {
    const signIn = await h.call({
      method: 'POST',
      url: '/api/v1/auth/staff/sign-in',
      remoteAddress: freshAddress(),
      payload: { username: 'collector', password: PASSWORD },
    });
    const cookie = String(signIn.headers['set-cookie']);
    expect(cookie).toMatch(/^kuan_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const token = (signIn.json() as { token: string }).token;
    const viaCookie = await h.call({
      method: 'GET',
      url: '/api/v1/auth/session',
      headers: { cookie: `kuan_session=${token}` },
    });
    expect(viaCookie.json()).toMatchObject({ kind: 'staff', username: 'collector', role: 'collector' });
    expect((viaCookie.json() as { permissions: string[] }).permissions).toContain('payments:write');
    const out = await h.call({ method: 'POST', url: '/api/v1/auth/sign-out', token });
    expect(out.statusCode).toBe(204);
    expect((await h.call({ method: 'GET', url: '/api/v1/auth/session', token })).statusCode).toBe(401);
    expect((await h.call({ method: 'GET', url: '/api/v1/auth/session', token: 'garbage' })).statusCode).toBe(401);
  });

  it('expires sessions, and a disabled account or a changed role takes effect at once', async () => {
    const token = h.borrowerTokens.B2;
    expect((await h.call({ method: 'GET', url: '/api/v1/auth/session', token })).statusCode).toBe(200);
    h.clock.nowMs += 31 * 60 * 1000; // borrower sessions last 30 minutes
    try {
      expect((await h.call({ method: 'GET', url: '/api/v1/auth/session', token })).statusCode).toBe(401);
    } finally {
      h.clock.nowMs -= 31 * 60 * 1000;
    }

    const viewer = h.staffTokens.viewer;
    const admin = h.staffTokens.admin;
    const promote = await h.call({
      method: 'PATCH',
      url: '/api/v1/staff/viewer',
      token: admin,
      payload: { role: 'collector' },
    });
    expect(promote.json()).toMatchObject({ username: 'viewer', role: 'collector' });
    expect((await h.call({ method: 'GET', url: '/api/v1/auth/session', token: viewer })).json()).toMatchObject({
      role: 'collector',
    });
    await h.call({
      method: 'PATCH',
      url: '/api/v1/staff/viewer',
      token: admin,
      payload: { role: 'viewer', disabled: true },
    });
    expect((await h.call({ method: 'GET', url: '/api/v1/products', token: viewer })).statusCode).toBe(401);
    const again = await h.call({
      method: 'POST',
      url: '/api/v1/auth/staff/sign-in',
      remoteAddress: freshAddress(),
      payload: { username: 'viewer', password: PASSWORD },
    });
    expect(again.statusCode).toBe(401);
    await h.call({ method: 'PATCH', url: '/api/v1/staff/viewer', token: admin, payload: { disabled: false } });
  });

  it('creates staff accounts with a password policy, admin only', async () => {
    const weak = await h.call({
      method: 'POST',
      url: '/api/v1/staff',
      token: h.staffTokens.admin,
      payload: { username: 'new.collector', role: 'collector', password: 'short' },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({ field: 'password' });
    const created = await h.call({
      method: 'POST',
      url: '/api/v1/staff',
      token: h.staffTokens.admin,
      payload: { username: 'new.collector', role: 'collector', password: 'a long enough passphrase' },
    });
    expect(created.statusCode).toBe(201);
    const dup = await h.call({
      method: 'POST',
      url: '/api/v1/staff',
      token: h.staffTokens.admin,
      payload: { username: 'new.collector', role: 'collector', password: 'a long enough passphrase' },
    });
    expect(dup.json()).toMatchObject({ status: 409, code: 'user_exists' });
    const list = await h.call({ method: 'GET', url: '/api/v1/staff', token: h.staffTokens.supervisor });
    expect(JSON.stringify(list.json())).not.toContain('argon2');
  });

  it('refuses (409 last_admin) to disable or demote the last enabled admin, itself included', async () => {
    const patch = (payload: Record<string, unknown>) =>
      h.call({ method: 'PATCH', url: '/api/v1/staff/admin', token: h.staffTokens.admin, payload });
    const disable = await patch({ disabled: true });
    expect(disable.statusCode).toBe(409);
    expect(disable.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(disable.json()).toMatchObject({ status: 409, code: 'last_admin', field: 'disabled' });
    expect((await patch({ role: 'viewer' })).json()).toMatchObject({ code: 'last_admin', field: 'role' });
    // Still an enabled admin, still signed in.
    const list = await h.call({ method: 'GET', url: '/api/v1/staff', token: h.staffTokens.admin });
    expect(list.statusCode).toBe(200);
    expect((list.json() as { items: { username: string; role: string; disabled: boolean }[] }).items).toContainEqual(
      expect.objectContaining({ username: 'admin', role: 'admin', disabled: false }),
    );
  });

  it('refuses a username after repeated failures, even with the right password', async () => {
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const failed = await h.call({
        method: 'POST',
        url: '/api/v1/auth/staff/sign-in',
        remoteAddress: freshAddress(),
        payload: { username: 'compliance', password: `wrong ${attempt}` },
      });
      expect(failed.statusCode).toBe(401);
    }
    const blocked = await h.call({
      method: 'POST',
      url: '/api/v1/auth/staff/sign-in',
      remoteAddress: freshAddress(),
      payload: { username: 'compliance', password: PASSWORD },
    });
    expect(blocked.statusCode).toBe(429);
    h.clock.nowMs += 16 * 60 * 1000;
    const later = await h.call({
      method: 'POST',
      url: '/api/v1/auth/staff/sign-in',
      remoteAddress: freshAddress(),
      payload: { username: 'compliance', password: PASSWORD },
    });
    expect(later.statusCode).toBe(200);
  });

  it('limits sign-in attempts per client address (429 with Retry-After)', async () => {
    const remoteAddress = freshAddress();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 11; attempt += 1) {
      const response = await h.call({
        method: 'POST',
        url: '/api/v1/auth/staff/sign-in',
        remoteAddress,
        payload: { username: `nobody${attempt}`, password: 'whatever it is' },
      });
      statuses.push(response.statusCode);
      if (response.statusCode === 429) {
        expect(response.json()).toMatchObject({ status: 429, type: 'urn:kuan:problem:rate-limited' });
        expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      }
    }
    expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
  });
});

describe('borrower one-time codes', () => {
  const askCode = (payload: unknown, remoteAddress = freshAddress()) =>
    h.call({
      method: 'POST',
      url: '/api/v1/auth/borrower/code',
      remoteAddress,
      payload: payload as Record<string, unknown>,
    });
  const signIn = (payload: unknown, remoteAddress = freshAddress()) =>
    h.call({
      method: 'POST',
      url: '/api/v1/auth/borrower/sign-in',
      remoteAddress,
      payload: payload as Record<string, unknown>,
    });

  it('sends 6 digits to the phone on file and answers every request alike, existing borrower or not', async () => {
    h.clock.nowMs += 61_000;
    const before = h.codes.sent.length;
    const known = await askCode({ phone: '+8613800000001' });
    const unknown = await askCode({ phone: '+8613899999999' });
    const unknownId = await askCode({ borrowerId: 'NOBODY' });
    expect(known.statusCode).toBe(202);
    expect(unknown.body).toBe(known.body);
    expect(unknownId.body).toBe(known.body);
    expect(h.codes.sent.length).toBe(before + 1);
    const message = h.codes.latest('B1');
    expect(message).toMatchObject({ channel: 'sms', address: '+8613800000001', locale: 'zh-CN' });
    expect(message?.code).toMatch(/^\d{6}$/);
    // Within the resend gap nothing more is sent, and the answer is still the same.
    const soon = await askCode({ borrowerId: 'B1' });
    expect(soon.body).toBe(known.body);
    expect(h.codes.sent.length).toBe(before + 1);
    const both = await askCode({ borrowerId: 'B1', phone: '+8613800000001' });
    expect(both.statusCode).toBe(400);

    const ok = await signIn({ phone: '+8613800000001', code: message?.code });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ principal: { kind: 'borrower', borrowerId: 'B1' } });
    // Used once: the same code does not work again.
    expect((await signIn({ borrowerId: 'B1', code: message?.code })).statusCode).toBe(401);
  });

  it('allows 5 wrong tries per code, then refuses even the right one', async () => {
    h.clock.nowMs += 61_000;
    await askCode({ borrowerId: 'B2' });
    const code = h.codes.latest('B2')?.code ?? '';
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await signIn({ borrowerId: 'B2', code: wrong })).json()).toMatchObject({
        status: 401,
        code: 'sign_in_failed',
      });
    }
    expect((await signIn({ borrowerId: 'B2', code })).statusCode).toBe(401);
  });

  it('expires a code after 10 minutes', async () => {
    h.clock.nowMs += 61_000;
    await askCode({ borrowerId: 'B2' });
    const code = h.codes.latest('B2')?.code ?? '';
    h.clock.nowMs += 10 * 60 * 1000 + 1;
    expect((await signIn({ borrowerId: 'B2', code })).statusCode).toBe(401);
  });

  it('sends at most 5 codes per borrower per hour', async () => {
    h.clock.nowMs += 60 * 60 * 1000;
    const before = h.codes.sent.filter((m) => m.borrowerId === 'B2').length;
    for (let request = 0; request < 7; request += 1) {
      h.clock.nowMs += 61_000;
      expect((await askCode({ borrowerId: 'B2' })).statusCode).toBe(202);
    }
    expect(h.codes.sent.filter((m) => m.borrowerId === 'B2').length - before).toBe(5);
  });

  it('limits code requests per client address', async () => {
    const remoteAddress = freshAddress();
    const statuses: number[] = [];
    for (let request = 0; request < 6; request += 1)
      statuses.push((await askCode({ borrowerId: 'NOBODY' }, remoteAddress)).statusCode);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
  });

  it('records sign-ins in the audit chain', async () => {
    await h.api.context.audit.flush();
    const rows = await queryRows<{ action: string; outcome: number }>(
      h.db,
      sql`SELECT action, outcome FROM audit_log WHERE action IN ('staff.sign_in', 'borrower.sign_in', 'borrower.code_sent')`,
    );
    const seen = new Set(rows.map((row) => `${row.action} ${row.outcome}`));
    for (const expected of [
      'staff.sign_in 200',
      'staff.sign_in 401',
      'borrower.sign_in 200',
      'borrower.sign_in 401',
      'borrower.code_sent 202',
    ]) {
      expect(seen, expected).toContain(expected);
    }
  });
});
