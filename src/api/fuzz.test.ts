// Thousands of malformed requests against every route (fast-check): random methods, paths and path
// parameters (unicode, NUL, percent-escapes, very long), query strings, headers, content types and
// bodies (random JSON, raw text, bytes, and valid requests with one part broken), as an admin, a
// borrower, a collector, with a forged token or none. Never a 5xx, always problem+json on errors, and not
// one balance moves: a hash of every loan state and payment is the same before and after.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiRouteInfo } from './index.ts';
import { createLedgerPaymentProvider } from '../channels/payments/index.ts';
import { bookHash, loanTerms, MESSAGE_CODE, startApi, type ApiHarness } from './testing.ts';

let h: ApiHarness;
let routes: ApiRouteInfo[];

const FIXED_KEY = 'fuzz-fixed';

beforeAll(async () => {
  h = await startApi();
  routes = h.api.routes.filter((route) => !route.url.endsWith('/sign-out'));
  // Payments the mutated requests will replay (same body) or collide with (409), never add to.
  for (const loanId of ['L1', 'L3']) {
    const paid = await h.call({
      method: 'POST',
      url: `/api/v1/loans/${loanId}/payments`,
      token: h.staffTokens.admin,
      headers: { 'idempotency-key': FIXED_KEY },
      payload: { amount: '1.00' },
    });
    expect(paid.statusCode).toBe(201);
  }
  const closed = await h.call({
    method: 'POST',
    url: '/api/v1/eod-runs',
    token: h.staffTokens.admin,
    payload: { businessDate: '2026-03-09' },
  });
  expect(closed.statusCode).toBe(200);
}, 60_000);
afterAll(async () => h.close());

const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 60,
});
const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\ud800',
    '%',
    '%00',
    '%E0%A4%A',
    '..',
    '../..',
    '🙂',
    '-1',
    '0',
    'NaN',
    'null',
    '[]',
    '{}',
  ),
  fc.string({ minLength: 150, maxLength: 400 }),
  printable,
);

const validParams: Record<string, string> = {
  loanId: 'L1',
  borrowerId: 'B1',
  productId: 'P-STD',
  businessDate: '2026-03-09',
  name: 'default',
  username: 'nobody',
  messageId: 'B1:2026-03-02:pre_due_3:sms',
  code: MESSAGE_CODE,
  planId: 'PLAN404',
  caseId: 'C404',
};

/** A valid request body per route (mutated before sending); each is harmless even when sent as is. */
function template(route: ApiRouteInfo): Record<string, unknown> {
  const bodies: Record<string, Record<string, unknown>> = {
    'POST /api/v1/loans': { loanId: 'L1', borrowerId: 'B1', terms: loanTerms('2026-01-05') },
    'POST /api/v1/loans/:loanId/payments': { amount: '1.00' },
    'POST /api/v1/eod-runs': { businessDate: '2026-03-09' },
    'PUT /api/v1/products/:productId': { name: 'Standard', terms: { termCount: 12 }, rules: { graceDays: 3 } },
    'PUT /api/v1/borrowers/:borrowerId': {
      name: 'Wang Fang',
      timezone: 'Asia/Shanghai',
      contacts: { sms: '+8613800000001' },
    },
    'POST /api/v1/staff': { username: 'fuzz', role: 'viewer', password: 'a long enough passphrase' },
    'PATCH /api/v1/staff/:username': { role: 'viewer' },
    'POST /api/v1/strategies/validate': { strategy: { removeSteps: ['pre_due_3'] } },
    'POST /api/v1/strategies/diff': { from: 'default', to: { removeSteps: ['pre_due_3'] } },
    'POST /api/v1/schedules': loanTerms('2026-01-05'),
    'POST /api/v1/auth/staff/sign-in': { username: 'admin', password: 'not the password' },
    'POST /api/v1/auth/borrower/code': { borrowerId: 'B1' },
    'POST /api/v1/auth/borrower/sign-in': { borrowerId: 'B1', code: '000000' },
  };
  return bodies[`${route.method} ${route.url}`] ?? {};
}

type Mutation = { op: 'set' | 'delete' | 'add' | 'wrap'; pick: number; value: unknown; key: string };

/** One part of a document broken: a value replaced (never by a plausible amount or date), removed, added or wrapped. */
function mutate(document: Record<string, unknown>, mutation: Mutation): unknown {
  const copy = structuredClone(document);
  const paths: { parent: Record<string, unknown>; key: string }[] = [];
  const walk = (node: Record<string, unknown>) => {
    for (const key of Object.keys(node)) {
      paths.push({ parent: node, key });
      const child = node[key];
      if (child !== null && typeof child === 'object' && !Array.isArray(child)) walk(child as Record<string, unknown>);
    }
  };
  walk(copy);
  const target = paths[mutation.pick % Math.max(1, paths.length)];
  if (mutation.op === 'wrap') return [copy];
  if (target === undefined || mutation.op === 'add') {
    (target?.parent ?? copy)[mutation.key] = mutation.value;
    return copy;
  }
  if (mutation.op === 'delete') delete target.parent[target.key];
  else target.parent[target.key] = mutation.value;
  return copy;
}

const notPlausible = (value: unknown) =>
  !(typeof value === 'string' && (/^\d{1,15}(\.\d{1,6})?$/.test(value) || /^\d{4}-\d{2}-\d{2}$/.test(value)));

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom('set', 'set', 'delete', 'add', 'wrap'),
  pick: fc.nat(),
  value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), nasty).filter(notPlausible),
  key: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'amount', 'on', 'source')),
});

/** encodeURIComponent, except that a lone surrogate (which it refuses) is sent as is. */
function encodeSafely(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return value;
  }
}

interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload: string | Buffer | undefined;
}

const requestArb = (tokens: Record<string, string>): fc.Arbitrary<FuzzRequest> =>
  fc
    .record({
      routeIndex: fc.nat(),
      method: fc.oneof(
        fc.constant(undefined),
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'),
      ),
      params: fc.array(fc.oneof(fc.constant(undefined), nasty), { minLength: 3, maxLength: 3 }),
      encodeParams: fc.boolean(),
      query: fc.oneof(
        fc.constant(''),
        fc
          .dictionary(
            fc.oneof(
              fc.constantFrom('limit', 'cursor', 'asOf', 'status', 'bucket', 'borrowerId', 'staff'),
              fc.string({ maxLength: 8 }),
            ),
            nasty,
            { maxKeys: 4 },
          )
          .map((entries) =>
            new URLSearchParams(Object.entries(entries).map(([k, v]): [string, string] => [k, String(v)])).toString(),
          ),
        printable,
      ),
      who: fc.constantFrom('admin', 'admin', 'admin', 'collector', 'borrower', 'forged', 'none'),
      contentType: fc.oneof(
        fc.constantFrom(
          'application/json',
          'application/json',
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/json; charset=latin1',
          'multipart/form-data',
        ),
        printable,
      ),
      key: fc.oneof(fc.constant(FIXED_KEY), fc.constant(undefined), printable),
      body: fc.oneof(
        fc.record({ kind: fc.constant('mutated' as const), mutation: mutationArb }),
        fc.record({ kind: fc.constant('json' as const), value: fc.jsonValue({ maxDepth: 4 }).filter(notPlausible) }),
        fc.record({ kind: fc.constant('text' as const), value: fc.string({ maxLength: 200 }) }),
        fc.record({ kind: fc.constant('bytes' as const), value: fc.uint8Array({ maxLength: 200 }) }),
        fc.record({ kind: fc.constant('none' as const) }),
      ),
      extraHeaders: fc.dictionary(
        fc.constantFrom('cookie', 'accept', 'x-forwarded-for', 'content-encoding', 'range', 'if-none-match'),
        printable,
        { maxKeys: 2 },
      ),
    })
    .map((r) => {
      const route = routes[r.routeIndex % routes.length] as ApiRouteInfo;
      let n = 0;
      const url = route.url.replace(/:(\w+)/g, (_match, name: string) => {
        const value = r.params[n++ % 3] ?? validParams[name] ?? 'x';
        return r.encodeParams ? encodeSafely(value) : value;
      });
      const headers: Record<string, string> = { ...r.extraHeaders, 'content-type': r.contentType };
      const token = r.who === 'forged' ? 'A'.repeat(43) : tokens[r.who];
      if (token !== undefined) headers.authorization = `Bearer ${token}`;
      if (r.key !== undefined) headers['idempotency-key'] = r.key;
      if (r.body.kind === 'mutated') headers['idempotency-key'] = FIXED_KEY;
      let payload: string | Buffer | undefined;
      if (r.body.kind === 'mutated') payload = JSON.stringify(mutate(template(route), r.body.mutation));
      else if (r.body.kind === 'json') payload = JSON.stringify(r.body.value);
      else if (r.body.kind === 'text') payload = r.body.value;
      else if (r.body.kind === 'bytes') payload = Buffer.from(r.body.value);
      return {
        method: r.method ?? route.method,
        url: r.query === '' ? url : `${url}?${r.query}`,
        headers,
        payload,
      };
    });

describe('malformed requests', () => {
  it('never get a 5xx, always get problem+json when refused, and change no balance', async () => {
    // A provider that knows no account: a borrower's well-formed payment is declined (422), not refused
    // for want of a provider (503), and no money moves.
    h.api.context.paymentProvider = createLedgerPaymentProvider();
    const before = await bookHash(h.db);
    const tokens = { admin: h.staffTokens.admin, collector: h.staffTokens.collector, borrower: h.borrowerTokens.B1 };
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(requestArb(tokens), async (request) => {
        sent += 1;
        let response;
        try {
          response = await h.api.app.inject({
            method: request.method as 'GET',
            url: request.url,
            headers: request.headers,
            ...(request.payload === undefined || request.method === 'GET' || request.method === 'HEAD'
              ? {}
              : { payload: request.payload }),
          });
        } catch (error) {
          // The test client refuses a few things no HTTP parser would deliver (e.g. an invalid URL).
          if (error instanceof TypeError || (error as { code?: string }).code?.startsWith('ERR_')) return;
          throw error;
        }
        expect(response.statusCode, `${request.method} ${request.url}: ${response.body.slice(0, 300)}`).toBeLessThan(
          500,
        );
        if (response.statusCode >= 400 && request.url.startsWith('/api/') && request.method !== 'HEAD') {
          expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
        }
      }),
      { numRuns: 2000, seed: 20260310, endOnFailure: true },
    );
    expect(sent).toBeGreaterThanOrEqual(2000);
    await h.api.context.audit.flush();
    expect(await bookHash(h.db)).toBe(before);
  }, 120_000);
});

describe('bodies no route should choke on', () => {
  const deep = (depth: number, open: string, close: string, inner = '1') =>
    open.repeat(depth) + inner + close.repeat(depth);

  it.each([
    ['arrays 5,000 deep', deep(5_000, '[', ']')],
    ['arrays 100,000 deep', deep(100_000, '[', ']')],
    ['objects 5,000 deep', deep(5_000, '{"a":', '}')],
    ['unclosed arrays 5,000 deep', '['.repeat(5_000)],
    ['a field nested 1,000 deep', `{"principal":${deep(1_000, '[', ']')}}`],
  ])('%s: 400 problem naming the body, whoever sends it', async (_name, body) => {
    for (const [url, token] of [
      ['/api/v1/schedules', h.borrowerTokens.B1],
      ['/api/v1/loans/L1/payments', h.staffTokens.admin],
      ['/api/v1/auth/staff/sign-in', undefined],
    ] as const) {
      const response = await h.call({
        method: 'POST',
        url,
        ...(token === undefined ? {} : { token }),
        headers: { 'content-type': 'application/json', 'idempotency-key': 'deep-1' },
        payload: body,
      });
      expect(response.statusCode, `${url}: ${response.body.slice(0, 200)}`).toBe(400);
      expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ status: 400, field: 'body' });
    }
  });

  it('accepts JSON nested as deep as a real request goes', async () => {
    const response = await h.call({
      method: 'POST',
      url: '/api/v1/schedules',
      token: h.borrowerTokens.B1,
      payload: loanTerms('2026-01-05'),
    });
    expect(response.statusCode).toBe(200);
  });

  it.each([
    ['utf-16', 'application/json; charset=utf-16'],
    ['latin1', 'application/json; charset=latin1'],
    ['iso-8859-1', 'application/json;charset="ISO-8859-1"'],
    ['gbk', 'application/json; charset=gbk'],
  ])('refuses a JSON body declared as %s with 415 naming the charset', async (charset, contentType) => {
    const response = await h.call({
      method: 'POST',
      url: '/api/v1/schedules',
      token: h.borrowerTokens.B1,
      headers: { 'content-type': contentType },
      payload: Buffer.from(JSON.stringify(loanTerms('2026-01-05')), 'latin1'),
    });
    expect(response.statusCode).toBe(415);
    expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
    expect((response.json() as { detail: string }).detail.toLowerCase()).toContain(charset);
  });

  it.each(['application/json; charset=utf-8', 'application/json; charset=UTF-8', 'application/json;charset="utf-8"'])(
    'accepts %s',
    async (contentType) => {
      const response = await h.call({
        method: 'POST',
        url: '/api/v1/schedules',
        token: h.borrowerTokens.B1,
        headers: { 'content-type': contentType },
        payload: JSON.stringify(loanTerms('2026-01-05')),
      });
      expect(response.statusCode).toBe(200);
    },
  );
});
