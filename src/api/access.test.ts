// Who may do what, route by route. First: a borrower sees only their own data — guessing another
// borrower's loan id, message id or document (schedule, ledger, payoff, calendar) gives 404, the same
// answer as for an id that does not exist, so a guess does not even reveal that the record exists; lists
// hold only their own records. Then the authorization matrix: every route under /api/v1 × every staff
// role, a borrower and nobody. Allowed → anything but 401/403; denied → 403 (401 when not signed in).
// Expectations come from the permission matrix (src/api/auth/permissions.ts), checked against facts
// written out by hand and against the table in docs/access.md, so a wrong matrix fails too. Request
// bodies are empty objects: an allowed write stops at validation, so the matrix changes nothing. The
// matrix runs last: it ends each principal's session with the sign-out route.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { borrowerPermissions, permissions, roleHas, staffRoles, type ApiRouteInfo, type StaffRole } from './index.ts';
import { MESSAGE_CODE, startApi, type ApiHarness } from './testing.ts';
let h: ApiHarness;
let b1: string;
beforeAll(async () => {
  h = await startApi();
  b1 = h.borrowerTokens.B1;
});
afterAll(async () => h.close());

const get = (url: string, token = b1) => h.call({ method: 'GET', url, token });

/** The problem without the parts that name the id asked for. */
function shape(response: { statusCode: number; json(): unknown }) {
  const { detail, instance, ...rest } = response.json() as { detail: string; instance: string };
  return {
    status: response.statusCode,
    ...rest,
    detail: detail.replace(/\b(L|B)\w+/g, 'ID'),
    instance: typeof instance,
  };
}

const loanDocuments = ['', '/schedule', '/transactions', '/journal', '/payments', '/payoff', '/calendar.ics'];

describe("a borrower and another borrower's records", () => {
  it('reads their own loans, documents and messages', async () => {
    for (const suffix of loanDocuments) expect((await get(`/api/v1/loans/L1${suffix}`)).statusCode, suffix).toBe(200);
    expect((await get('/api/v1/borrowers/B1')).statusCode).toBe(200);
    const messages = await get('/api/v1/borrowers/B1/messages');
    expect((messages.json() as { items: { messageId: string }[] }).items.map((m) => m.messageId)).toEqual([
      'B1:2026-03-02:pre_due_3:sms',
    ]);
    expect((await get('/api/v1/borrowers/B1/messages/B1:2026-03-02:pre_due_3:sms')).statusCode).toBe(200);
  });

  it("gets 404 for another borrower's loan and its documents, exactly as for a loan that does not exist", async () => {
    for (const suffix of loanDocuments) {
      const theirs = await get(`/api/v1/loans/L3${suffix}`);
      const missing = await get(`/api/v1/loans/L404${suffix}`);
      expect(theirs.statusCode, suffix).toBe(404);
      expect(shape(theirs)).toEqual(shape(missing));
    }
  });

  it("gets 404 for another borrower's record, loans and messages, by any path", async () => {
    for (const url of [
      '/api/v1/borrowers/B2',
      '/api/v1/borrowers/B2/loans',
      '/api/v1/borrowers/B2/messages',
      '/api/v1/borrowers/B2/messages/B2:2026-03-02:pre_due_3:sms',
      // Another borrower's message id under one's own borrower id.
      '/api/v1/borrowers/B1/messages/B2:2026-03-02:pre_due_3:sms',
    ]) {
      expect((await get(url)).statusCode, url).toBe(404);
    }
    const theirs = await get('/api/v1/borrowers/B2');
    const missing = await get('/api/v1/borrowers/B404');
    expect(shape(theirs)).toEqual(shape(missing));
  });

  it('lists only their own loans, whatever filter they pass', async () => {
    const all = (await get('/api/v1/loans')).json() as { items: { loanId: string }[] };
    expect(all.items.map((loan) => loan.loanId)).toEqual(['L1', 'L2']);
    const other = (await get('/api/v1/loans?borrowerId=B2')).json() as { items: unknown[] };
    expect(other.items).toEqual([]);
  });

  it('cannot act as staff, and pays their own loan only through a payment provider', async () => {
    const pay = await h.call({
      method: 'POST',
      url: '/api/v1/loans/L1/payments',
      token: b1,
      headers: { 'idempotency-key': 'b1-pay' },
      payload: { amount: '10.00' },
    });
    // This server has no payment provider: a borrower's payment moves money, so it is refused whole.
    expect(pay.statusCode).toBe(503);
    expect(pay.json()).toMatchObject({ code: 'payments_unavailable' });
    expect((await get('/api/v1/borrowers')).statusCode).toBe(403);
    expect((await get('/api/v1/audit')).statusCode).toBe(403);
  });

  it('never reads a record that is not theirs, for any guessed loan id', async () => {
    const own = new Set(['L1', 'L2']);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constantFrom('L1', 'L2', 'L3', 'L4', 'l1', 'L1 ', 'L01', 'L3.', 'B1', 'B2'),
          fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,10}$/),
        ),
        async (loanId) => {
          const response = await get(`/api/v1/loans/${encodeURIComponent(loanId)}`);
          if (own.has(loanId)) expect(response.statusCode).toBe(200);
          else expect([400, 404]).toContain(response.statusCode);
        },
      ),
      { numRuns: 150 },
    );
  });
});

/** Existing ids for every path parameter, all of borrower B1's where they belong to a borrower. */
const params: Record<string, string> = {
  loanId: 'L1',
  borrowerId: 'B1',
  productId: 'P-STD',
  businessDate: '2026-03-09',
  name: 'default',
  username: 'viewer',
  messageId: 'B1:2026-03-02:pre_due_3:sms',
  code: MESSAGE_CODE,
  planId: 'PLAN404',
  caseId: 'C404',
  contactId: 'B1:2026-03-02:pre_due_3:sms',
  complaintId: 'K404',
  surveyId: 'complaint:K404',
  approvalId: 'A404',
  seq: '1',
  paymentId: 'P404',
  refundId: 'F404',
};

function pathOf(route: ApiRouteInfo): string {
  return route.url.replace(/:(\w+)/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no test value for path parameter ${name} of ${route.url}`);
    return encodeURIComponent(value);
  });
}

type Who = StaffRole | 'borrower' | 'nobody';

function allowed(route: ApiRouteInfo, who: Who): boolean {
  const access = route.access;
  if (access.kind === 'public') return true;
  if (who === 'nobody') return false;
  if (access.kind === 'signed_in') return true;
  if (who === 'borrower') return access.borrower && borrowerPermissions.includes(access.permission);
  return roleHas(who, access.permission);
}

describe('the authorization matrix', () => {
  it('covers every route, each with a declared access rule', () => {
    expect(h.api.routes.length).toBeGreaterThanOrEqual(35);
    for (const route of h.api.routes) expect(route.access, `${route.method} ${route.url}`).toBeDefined();
  });

  it('agrees with the roles as documented', () => {
    const can = (who: StaffRole, permission: Parameters<typeof roleHas>[1]) => roleHas(who, permission);
    expect(staffRoles.every((role) => can(role, 'loans:read'))).toBe(true);
    expect(can('viewer', 'pii:read')).toBe(false);
    expect(can('viewer', 'payments:write')).toBe(false);
    expect(can('collector', 'payments:write')).toBe(true);
    expect(can('collector', 'loans:write')).toBe(false);
    expect(can('collector', 'eod:run')).toBe(false);
    expect(can('compliance', 'audit:read')).toBe(true);
    expect(can('compliance', 'payments:write')).toBe(false);
    expect(can('supervisor', 'audit:read')).toBe(false);
    expect(can('supervisor', 'eod:run')).toBe(true);
    expect(can('supervisor', 'staff:write')).toBe(false);
    expect(can('admin', 'staff:write')).toBe(true);
    expect(borrowerPermissions).toContain('payments:write');
    expect(can('collector', 'approvals:decide')).toBe(false);
    expect(can('supervisor', 'approvals:decide')).toBe(true);
    expect(can('compliance', 'complaints:review')).toBe(true);
    expect(can('viewer', 'strategies:write')).toBe(false);
    expect(borrowerPermissions).not.toContain('plans:approve');
    expect(can('viewer', 'contacts:write')).toBe(false);
    expect(can('compliance', 'cases:work')).toBe(false);
    expect(can('collector', 'cases:work')).toBe(true);
  });

  it('is the table docs/access.md shows', () => {
    const doc = readFileSync(new URL('../../docs/access.md', import.meta.url), 'utf8');
    const rows = doc
      .split('\n')
      .filter((line) => /^\| `[a-z]+:[a-z]+` \|/.test(line))
      .map((line) =>
        line
          .split('|')
          .slice(1, -1)
          .map((cell) => cell.trim()),
      );
    const expected = permissions.map((permission) => [
      `\`${permission}\``,
      ...staffRoles.map((role) => (roleHas(role, permission) ? '✓' : '')),
      borrowerPermissions.includes(permission) ? '✓' : '',
    ]);
    expect(rows).toEqual(expected);
  });

  const everyone: Who[] = [...staffRoles, 'borrower', 'nobody'];
  it.each(everyone)('enforces it for %s on every route', async (who) => {
    const token =
      who === 'nobody' ? undefined : who === 'borrower' ? h.borrowerTokens.B1 : h.staffTokens[who as StaffRole];
    // Sign-out last: it ends the session the other requests use.
    const routes = [...h.api.routes].sort(
      (a, b) => Number(a.url.endsWith('/sign-out')) - Number(b.url.endsWith('/sign-out')),
    );
    const failures: string[] = [];
    for (const route of routes) {
      const withBody = route.method !== 'GET' && route.method !== 'DELETE';
      const response = await h.call({
        method: route.method as 'GET',
        url: pathOf(route),
        ...(token === undefined ? {} : { token }),
        ...(withBody ? { payload: {} } : {}),
      });
      const status = response.statusCode;
      const expected = allowed(route, who);
      const ok = expected
        ? status !== 401 && status !== 403 && status < 500
        : status === (who === 'nobody' ? 401 : 403);
      if (!ok) failures.push(`${route.method} ${route.url}: ${status} (expected ${expected ? 'allowed' : 'denied'})`);
    }
    expect(failures).toEqual([]);
  });
});
