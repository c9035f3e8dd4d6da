// The API resource by resource, through fastify.inject on a real store (PGlite, or PostgreSQL with
// DATABASE_URL): products, borrowers (masking), loans (open, detail, schedule, ledger), payments and their
// idempotency, payoff quotes, daily-close runs, strategies, schedules (the `kuan schedule` contract),
// reports, message verification, pagination, problem+json errors, the OpenAPI document, the console's static
// files; and the help routes over the contact, hardship and workbench commands: contact events (a borrower's own kinds
// only), overdue reasons and plan requests (idempotent by key), the collector's queue and complaints — none
// of another borrower's.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi, testPasswordHashing } from './index.ts';
import { runInProcess } from '../../test/cli/support.ts';
import { MESSAGE_CODE, startApi, type ApiHarness } from './testing.ts';

let h: ApiHarness;
let admin: string;
let viewer: string;
let collector: string;

beforeAll(async () => {
  h = await startApi();
  admin = h.staffTokens.admin;
  viewer = h.staffTokens.viewer;
  collector = h.staffTokens.collector;
});
afterAll(async () => h.close());

function expectProblem(
  response: { statusCode: number; headers: Record<string, unknown>; json(): unknown },
  status: number,
  extra: { field?: string; code?: string } = {},
) {
  expect(response.statusCode).toBe(status);
  expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
  const problem = response.json() as Record<string, unknown>;
  expect(problem).toMatchObject({ status, type: expect.stringMatching(/^urn:kuan:problem:/) });
  expect(typeof problem.title).toBe('string');
  expect(typeof problem.detail).toBe('string');
  if (extra.field !== undefined) expect(problem.field).toBe(extra.field);
  if (extra.code !== undefined) expect(problem.code).toBe(extra.code);
  return problem;
}

describe('the OpenAPI document and docs page', () => {
  it('serves OpenAPI 3.1 at /openapi.json describing every /api/v1 route, and swagger-ui at /docs', async () => {
    const response = await h.call({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(document.openapi).toBe('3.1.0');
    for (const route of h.api.routes) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      expect(document.paths[path]?.[route.method.toLowerCase()], `${route.method} ${path}`).toBeDefined();
    }
    const payment = document.paths['/api/v1/loans/{loanId}/payments']?.post as {
      parameters: { name: string; in: string; required: boolean }[];
    };
    expect(payment.parameters).toContainEqual(
      expect.objectContaining({ name: 'idempotency-key', in: 'header', required: true }),
    );
    const docs = await h.call({ method: 'GET', url: '/docs' });
    expect(docs.statusCode).toBe(200);
  });
});

describe('products', () => {
  it('creates, reads and lists products; rules are checked and written out in full', async () => {
    const put = await h.call({
      method: 'PUT',
      url: '/api/v1/products/P-FLEX',
      token: admin,
      payload: { name: 'Flexible', terms: { termCount: 6, annualRate: '0.18' }, rules: { graceDays: 5 } },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ productId: 'P-FLEX', rules: { graceDays: 5 } });
    const bad = await h.call({
      method: 'PUT',
      url: '/api/v1/products/P-BAD',
      token: admin,
      payload: { name: 'Bad', rules: { graceDays: -1 } },
    });
    expectProblem(bad, 400, { field: 'rules.graceDays' });
    const list = await h.call({ method: 'GET', url: '/api/v1/products?limit=1', token: viewer });
    const first = list.json() as { items: { productId: string }[]; nextCursor: string };
    expect(first.items.map((p) => p.productId)).toEqual(['P-FLEX']);
    const second = await h.call({
      method: 'GET',
      url: `/api/v1/products?limit=1&cursor=${first.nextCursor}`,
      token: viewer,
    });
    expect((second.json() as { items: { productId: string }[] }).items.map((p) => p.productId)).toEqual(['P-STD']);
  });
});

describe('borrowers', () => {
  it('masks phone, e-mail and identity numbers for roles without pii:read, and shows them to those with it', async () => {
    const put = await h.call({
      method: 'PUT',
      url: '/api/v1/borrowers/B9',
      token: admin,
      payload: {
        name: 'Zhao Min',
        timezone: 'Asia/Shanghai',
        contacts: { sms: '+8613912345678', email: 'zhao@example.com' },
        identity: { idType: 'national_id', idNumber: '110101199003071234' },
      },
    });
    expect(put.statusCode).toBe(200);
    const seen = await h.call({ method: 'GET', url: '/api/v1/borrowers/B9', token: collector });
    expect(seen.json()).toMatchObject({
      masked: false,
      contacts: { sms: '+8613912345678', email: 'zhao@example.com' },
      identity: { idNumber: '110101199003071234' },
    });
    const masked = (await h.call({ method: 'GET', url: '/api/v1/borrowers/B9', token: viewer })).json() as {
      masked: boolean;
      contacts: { sms: string; email: string };
      identity: { idNumber: string };
    };
    expect(masked.masked).toBe(true);
    expect(masked.contacts.sms).toBe('+8613*****5678');
    expect(masked.contacts.email).toBe('z***@example.com');
    expect(masked.identity.idNumber).toBe('110***********1234');
    expect(JSON.stringify(masked)).not.toContain('13912345678');
  });

  it('audits every read of personal data, by whom and about whom', async () => {
    await h.call({ method: 'GET', url: '/api/v1/borrowers/B1', token: viewer });
    await h.api.context.audit.flush();
    const audit = await h.call({
      method: 'GET',
      url: '/api/v1/audit?borrowerId=B1&limit=5',
      token: h.staffTokens.compliance,
    });
    const rows = (audit.json() as { items: { actorId: string; action: string; subjectBorrowerId: string }[] }).items;
    expect(rows[0]).toMatchObject({ actorId: 'viewer', action: 'borrowers.read', subjectBorrowerId: 'B1' });
  });

  it('lists borrowers a page at a time and refuses a bad time zone naming the field', async () => {
    const list = await h.call({ method: 'GET', url: '/api/v1/borrowers?limit=2', token: admin });
    const body = list.json() as { items: { borrowerId: string }[]; nextCursor: string | null };
    expect(body.items.map((b) => b.borrowerId)).toEqual(['B1', 'B2']);
    expect(body.nextCursor).not.toBeNull();
    const bad = await h.call({
      method: 'PUT',
      url: '/api/v1/borrowers/B10',
      token: admin,
      payload: { name: 'X', timezone: 'Mars/Olympus' },
    });
    expectProblem(bad, 400, { field: 'timezone' });
    const unknownField = await h.call({
      method: 'PUT',
      url: '/api/v1/borrowers/B10',
      token: admin,
      payload: { name: 'X', timezone: 'Asia/Shanghai', colour: 'red' },
    });
    expectProblem(unknownField, 400, { field: 'colour' });
  });
});

describe('loans', () => {
  it('opens a loan from a product, answers 201 with its detail, and refuses a second loan with the same id', async () => {
    const body = {
      loanId: 'L9',
      borrowerId: 'B9',
      productId: 'P-STD',
      terms: { principal: '3000.00', startDate: '2026-02-15' },
    };
    const opened = await h.call({ method: 'POST', url: '/api/v1/loans', token: admin, payload: body });
    expect(opened.statusCode).toBe(201);
    expect(opened.headers.location).toBe('/api/v1/loans/L9');
    expect(opened.json()).toMatchObject({
      loanId: 'L9',
      productId: 'P-STD',
      graceDays: 3,
      terms: { principal: '3000.00', annualRate: '0.12', termCount: 12 },
      nextDue: { number: 1, dueDate: '2026-03-15' },
      summary: { dpd: 0, bucket: 'M0' },
    });
    expectProblem(await h.call({ method: 'POST', url: '/api/v1/loans', token: admin, payload: body }), 409, {
      code: 'loan_exists',
    });
  });

  it('names the bad field of the terms under `terms`, and refuses an unknown borrower as a result code', async () => {
    const badTerms = await h.call({
      method: 'POST',
      url: '/api/v1/loans',
      token: admin,
      payload: {
        loanId: 'L10',
        borrowerId: 'B9',
        terms: { principal: '0', annualRate: '0.1', termCount: 3, startDate: '2026-01-01' },
      },
    });
    expectProblem(badTerms, 400, { field: 'terms.principal' });
    const noBorrower = await h.call({
      method: 'POST',
      url: '/api/v1/loans',
      token: admin,
      payload: {
        loanId: 'L10',
        borrowerId: 'NOBODY',
        terms: { principal: '100.00', annualRate: '0.1', termCount: 3, startDate: '2026-01-01' },
      },
    });
    expectProblem(noBorrower, 422, { code: 'borrower_not_found', field: 'borrowerId' });
  });

  it('after a daily close, shows DPD, bucket, the overdue amount and the next due date', async () => {
    const run = await h.call({
      method: 'POST',
      url: '/api/v1/eod-runs',
      token: admin,
      payload: { businessDate: '2026-03-09' },
    });
    expect(run.statusCode).toBe(200);
    expect(run.json()).toMatchObject({ businessDate: '2026-03-09', status: 'completed', alreadyCompleted: false });
    const again = await h.call({
      method: 'POST',
      url: '/api/v1/eod-runs',
      token: admin,
      payload: { businessDate: '2026-03-09' },
    });
    expect(again.json()).toMatchObject({ alreadyCompleted: true, loansClosed: 0 });

    // A typo years ahead is refused, naming the field; force needs eod:force (admin), a supervisor may not.
    const typo = await h.call({
      method: 'POST',
      url: '/api/v1/eod-runs',
      token: admin,
      payload: { businessDate: '2062-12-31' },
    });
    expectProblem(typo, 422, { code: 'business_date_too_far_ahead', field: 'businessDate' });
    expect((typo.json() as { detail: string }).detail).toContain('last completed close (2026-03-09)');
    const forcedBySupervisor = await h.call({
      method: 'POST',
      url: '/api/v1/eod-runs',
      token: h.staffTokens.supervisor,
      payload: { businessDate: '2062-12-31', force: true },
    });
    expectProblem(forcedBySupervisor, 403, { field: 'force' });
    const refusedRun = await h.call({ method: 'GET', url: '/api/v1/eod-runs/2062-12-31', token: viewer });
    expect(refusedRun.statusCode).toBe(404);

    const detail = (await h.call({ method: 'GET', url: '/api/v1/loans/L1', token: viewer })).json() as {
      summary: { asOf: string; dpd: number; bucket: string; delinquent: boolean; overdue: string };
      nextDue: { dueDate: string };
      status: string;
    };
    // Installments fell due 2026-02-05 and 2026-03-05, both unpaid: DPD counts from the oldest.
    expect(detail.summary).toMatchObject({ asOf: '2026-03-09', dpd: 32, bucket: 'M2', delinquent: true });
    expect(detail.summary.overdue).toBe('888.48');
    expect(detail.nextDue.dueDate).toBe('2026-04-05');
    expect(detail.status).toBe('overdue');

    const schedule = (await h.call({ method: 'GET', url: '/api/v1/loans/L1/schedule', token: viewer })).json() as {
      installments: { number: number; status: string; total: string }[];
    };
    expect(schedule.installments).toHaveLength(12);
    expect(schedule.installments.slice(0, 3).map((row) => row.status)).toEqual(['overdue', 'overdue', 'upcoming']);

    const runs = (await h.call({ method: 'GET', url: '/api/v1/eod-runs', token: viewer })).json() as {
      items: { businessDate: string }[];
    };
    expect(runs.items.map((r) => r.businessDate)).toEqual(['2026-03-09']);
  });

  it('lists loans with filters and a cursor, and shows the ledger as transactions and journal', async () => {
    const overdue = (
      await h.call({ method: 'GET', url: '/api/v1/loans?status=overdue&limit=200', token: viewer })
    ).json() as {
      items: { loanId: string; status: string }[];
    };
    expect(overdue.items.length).toBeGreaterThan(0);
    expect(overdue.items.every((loan) => loan.status === 'overdue')).toBe(true);
    const first = (await h.call({ method: 'GET', url: '/api/v1/loans?limit=2', token: viewer })).json() as {
      items: { loanId: string }[];
      nextCursor: string;
    };
    const next = (
      await h.call({ method: 'GET', url: `/api/v1/loans?limit=2&cursor=${first.nextCursor}`, token: viewer })
    ).json() as {
      items: { loanId: string }[];
    };
    expect([...first.items, ...next.items].map((l) => l.loanId)).toEqual(['L1', 'L2', 'L3', 'L4']);
    expectProblem(await h.call({ method: 'GET', url: '/api/v1/loans?limit=201', token: viewer }), 400, {
      field: 'limit',
    });
    expectProblem(await h.call({ method: 'GET', url: '/api/v1/loans?cursor=bm9wZQ', token: viewer }), 400, {
      field: 'cursor',
    });

    const transactions = (
      await h.call({ method: 'GET', url: '/api/v1/loans/L1/transactions', token: viewer })
    ).json() as {
      items: { seq: number; kind: string }[];
    };
    expect(transactions.items[0]).toMatchObject({ seq: 1, kind: 'open' });
    expect(transactions.items.length).toBeGreaterThan(1);
    const journal = (
      await h.call({ method: 'GET', url: '/api/v1/loans/L1/journal?limit=1', token: viewer })
    ).json() as {
      items: { kind: string; postings: { side: string; amount: string }[] }[];
      nextCursor: string;
    };
    expect(journal.items[0]?.kind).toBe('disbursement');
    expect(journal.items[0]?.postings).toContainEqual({ account: 'cash', side: 'credit', amount: '5000.00' });
    const journal2 = (
      await h.call({
        method: 'GET',
        url: `/api/v1/loans/L1/journal?limit=1&cursor=${journal.nextCursor}`,
        token: viewer,
      })
    ).json() as {
      items: { entryId: string }[];
    };
    expect(journal2.items[0]?.entryId).not.toBe('L1:open:disbursement');
  });

  it('gives a payoff quote as of a date and refuses a date before the last close', async () => {
    const quote = await h.call({ method: 'GET', url: '/api/v1/loans/L2/payoff?asOf=2026-03-10', token: viewer });
    expect(quote.statusCode).toBe(200);
    const body = quote.json() as { total: string; principal: string; asOf: string };
    expect(body.asOf).toBe('2026-03-10');
    expect(body.principal).toBe('5000.00'.replace('5000.00', body.principal));
    expect(Number(body.total)).toBeGreaterThan(Number(body.principal));
    expectProblem(await h.call({ method: 'GET', url: '/api/v1/loans/L1/payoff?asOf=2026-01-01', token: viewer }), 422, {
      code: 'quote_date_before_close',
    });
    expectProblem(await h.call({ method: 'GET', url: '/api/v1/loans/L1/payoff?asOf=2099-01-01', token: viewer }), 400, {
      field: 'asOf',
    });
  });

  it('serves the unpaid due dates as an iCalendar document', async () => {
    const ics = await h.call({ method: 'GET', url: '/api/v1/loans/L2/calendar.ics', token: h.borrowerTokens.B1 });
    expect(ics.statusCode).toBe(200);
    expect(String(ics.headers['content-type'])).toMatch(/^text\/calendar/);
    expect(ics.body.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(ics.body).toContain('DTSTART;VALUE=DATE:20260301');
  });
});

describe('payments', () => {
  const pay = (key: string | undefined, payload: unknown, loanId = 'L1') =>
    h.call({
      method: 'POST',
      url: `/api/v1/loans/${loanId}/payments`,
      token: collector,
      payload: payload as Record<string, unknown>,
      headers: key === undefined ? {} : { 'idempotency-key': key },
    });

  it('posts a payment, allocates it, and answers a repeat of the same request with the same answer', async () => {
    const first = await pay('pay-1', { amount: '500.00' });
    expect(first.statusCode).toBe(201);
    const payment = first.json() as {
      paymentId: string;
      amount: string;
      on: string;
      allocation: Record<string, string>;
    };
    expect(payment).toMatchObject({ amount: '500.00', on: '2026-03-10', source: 'manual', status: 'posted' });
    const parts = Object.values(payment.allocation).reduce((sum, part) => sum + Math.round(Number(part) * 100), 0);
    expect(parts).toBe(50_000);
    const repeat = await pay('pay-1', { amount: '500.00' });
    expect(repeat.statusCode).toBe(201);
    expect(repeat.json()).toEqual(payment);
    expect(repeat.headers['idempotency-replayed']).toBe('true');
    // A day later, still the first answer: a repeat keeps the first date.
    h.clock.nowMs += 24 * 3600 * 1000;
    try {
      expect((await pay('pay-1', { amount: '500.00' })).json()).toEqual(payment);
    } finally {
      h.clock.nowMs -= 24 * 3600 * 1000;
    }
    const payments = (await h.call({ method: 'GET', url: '/api/v1/loans/L1/payments', token: viewer })).json() as {
      items: unknown[];
    };
    expect(payments.items).toEqual([payment]);
  });

  it('refuses a reused key with a different body (409), a missing key (400), and a refused payment (422) without change', async () => {
    expectProblem(await pay('pay-1', { amount: '500.01' }), 409, {
      code: 'idempotency_key_reused',
      field: 'Idempotency-Key',
    });
    expectProblem(await pay('pay-1', { amount: '500.00' }, 'L2'), 409, { code: 'idempotency_key_reused' });
    expectProblem(await pay(undefined, { amount: '10.00' }), 400, { field: 'Idempotency-Key' });
    expectProblem(await pay('pay-2', { amount: '10.001' }), 400, { field: 'amount' });
    expectProblem(await pay('pay-2', { amount: 10 }), 400, { field: 'amount' });
    expectProblem(await pay('pay-2', { amount: '999999.00' }), 422, { code: 'payment_exceeds_outstanding' });
    expectProblem(await pay('pay-2', { amount: '1.00', on: '2026-01-01' }), 422, { code: 'payment_date_before_close' });
    const payments = (await h.call({ method: 'GET', url: '/api/v1/loans/L1/payments', token: viewer })).json() as {
      items: unknown[];
    };
    expect(payments.items).toHaveLength(1);
  });

  it("keeps one borrower's keys apart from another's", async () => {
    const other = await pay('pay-1', { amount: '500.00' }, 'L3');
    expect(other.statusCode).toBe(201);
    expect(other.headers['idempotency-replayed']).toBeUndefined();
  });
});

describe('strategies and schedules', () => {
  it('lists the built-in strategies with digests, validates overrides naming the bad field, and diffs two', async () => {
    const list = (await h.call({ method: 'GET', url: '/api/v1/strategies', token: viewer })).json() as {
      items: { name: string; digest: string }[];
    };
    expect(list.items.map((s) => s.name)).toContain('default');
    const valid = await h.call({
      method: 'POST',
      url: '/api/v1/strategies/validate',
      token: viewer,
      payload: { strategy: { removeSteps: ['pre_due_3'] } },
    });
    expect(valid.statusCode).toBe(200);
    expect((valid.json() as { digest: string }).digest).not.toBe(list.items.find((s) => s.name === 'default')?.digest);
    const invalid = await h.call({
      method: 'POST',
      url: '/api/v1/strategies/validate',
      token: viewer,
      payload: {
        strategy: {
          addSteps: [
            { id: 'x', stage: 'pre_due', dayOffset: -2, channel: 'fax', template: 'due_soon', sendAt: '09:00' },
          ],
        },
      },
    });
    expectProblem(invalid, 400, { field: 'strategy.addSteps[0].channel' });
    const diff = await h.call({
      method: 'POST',
      url: '/api/v1/strategies/diff',
      token: viewer,
      payload: { from: 'default', to: { removeSteps: ['pre_due_3'] } },
    });
    const changes = (diff.json() as { changes: { kind: string; id: string }[] }).changes;
    expect(changes).toContainEqual(expect.objectContaining({ kind: 'step_removed', id: 'pre_due_3' }));
  });

  it('reports promise-kept rates, contacts by channel and suppressions by rule', async () => {
    const token = h.staffTokens.supervisor;
    const promise = await h.call({ method: 'GET', url: '/api/v1/reports/promises', token });
    expect(promise.statusCode, promise.body).toBe(200);
    const rates = promise.json() as { made: number; byAgent: { made: number }[]; bySegment: { made: number }[] };
    expect(rates.byAgent.reduce((sum, row) => sum + row.made, 0)).toBe(rates.made);
    expect(rates.bySegment.reduce((sum, row) => sum + row.made, 0)).toBe(rates.made);
    for (const url of ['/api/v1/reports/contacts-by-channel', '/api/v1/reports/suppressions']) {
      const response = await h.call({ method: 'GET', url, token });
      expect(response.statusCode, response.body).toBe(200);
      expect(Array.isArray((response.json() as { rows: unknown[] }).rows)).toBe(true);
    }
    const borrower = await h.call({ method: 'GET', url: '/api/v1/reports/promises', token: h.borrowerTokens.B1 });
    expect(borrower.statusCode).toBe(403);
  });

  it('previews a strategy on the live book against the default, and a quieter strategy sends less', async () => {
    const viewer = h.staffTokens.viewer;
    const preview = async (strategy: unknown) => {
      const response = await h.call({
        method: 'POST',
        url: '/api/v1/strategies/preview',
        token: viewer,
        payload: { strategy, days: 40 },
      });
      expect(response.statusCode, response.body).toBe(200);
      return response.json() as {
        borrowers: number;
        perDay: { date: string; channel: string; sent: number }[];
        totals: { sent: number; suppressed: number };
        baseline: { totals: { sent: number } };
      };
    };
    const same = await preview('default');
    expect(same.borrowers).toBeGreaterThan(0);
    expect(same.totals.sent).toBeGreaterThan(0);
    expect(same.totals.sent).toBe(same.baseline.totals.sent);
    expect(same.perDay.reduce((total, row) => total + row.sent, 0)).toBe(same.totals.sent);
    const quieter = await preview({ removeSteps: ['pre_due_3', 'pre_due_3_email', 'due_0'] });
    expect(quieter.totals.sent).toBeLessThan(quieter.baseline.totals.sent);
    const bad = await h.call({
      method: 'POST',
      url: '/api/v1/strategies/preview',
      token: viewer,
      payload: { strategy: 'loud', days: 7 },
    });
    expectProblem(bad, 400, { field: 'strategy' });
  });

  it('computes a schedule exactly as `kuan schedule` does, and names a bad field the same way', async () => {
    const terms = {
      principal: '5000.00',
      annualRate: '0.12',
      termCount: 18,
      startDate: '2022-11-01',
      fees: [{ kind: 'upfront', amount: '100.00' }],
    };
    const api = await h.call({ method: 'POST', url: '/api/v1/schedules', token: h.borrowerTokens.B1, payload: terms });
    expect(api.statusCode).toBe(200);
    const cli = await runInProcess(['schedule'], JSON.stringify(terms));
    expect(api.json()).toEqual(JSON.parse(cli.stdout));
    const bad = { ...terms, principal: '-5' };
    const problem = expectProblem(
      await h.call({ method: 'POST', url: '/api/v1/schedules', token: viewer, payload: bad }),
      400,
      {
        field: 'principal',
      },
    );
    const cliBad = await runInProcess(['schedule'], JSON.stringify(bad));
    expect(`${problem.detail}\n`).toBe(cliBad.stderr);
  });

  it('refuses a schedule that rounding makes degenerate with a 400 naming the field, as the CLI does', async () => {
    // Issue 13: 37,073.00 at 24.31% over 249 months rounded up to whole units leaves installments 243–249 at 0.00.
    const terms = {
      principal: '37073.00',
      annualRate: '0.2431',
      termCount: 249,
      startDate: '2026-01-01',
      rounding: { mode: 'up', installmentMultiple: '1' },
    };
    const problem = expectProblem(
      await h.call({ method: 'POST', url: '/api/v1/schedules', token: viewer, payload: terms }),
      400,
      { field: 'rounding.installmentMultiple' },
    );
    expect(problem.detail).toContain('leaves installments 243–249 at 0.00');
    const cli = await runInProcess(['schedule'], JSON.stringify(terms));
    expect(`${problem.detail}\n`).toBe(cli.stderr);
  });

  it('passes rounding.interestMode through: half-even books 15.625 as 15.62, and aprEffective comes back', async () => {
    const terms = {
      principal: '1250.00',
      annualRate: '0.15',
      termCount: 4,
      startDate: '2026-01-01',
      rounding: { interestMode: 'half_even' },
    };
    const api = await h.call({ method: 'POST', url: '/api/v1/schedules', token: viewer, payload: terms });
    expect(api.statusCode).toBe(200);
    const body = api.json() as { installments: { interest: string }[]; aprEffective?: string };
    expect(body.installments[0]?.interest).toBe('15.62');
    expect(body.aprEffective).toMatch(/^0\.\d{4}$/);
  });
});

describe('reports and verification', () => {
  it('reports the book by bucket', async () => {
    const report = (await h.call({ method: 'GET', url: '/api/v1/reports/book', token: viewer })).json() as {
      rows: { bucket: string; loans: number }[];
      totals: { loans: number };
    };
    expect(report.totals.loans).toBe(5);
    expect(report.rows.reduce((sum, row) => sum + row.loans, 0)).toBe(5);
  });

  it('verifies a message code for anyone, giving only whether it is genuine, the channel and the date', async () => {
    const url = `/api/v1/verify/${MESSAGE_CODE.toLowerCase().slice(0, 3)}-${MESSAGE_CODE.slice(3)}`;
    const anonymous = await h.call({ method: 'GET', url });
    expect(anonymous.json()).toEqual({ code: MESSAGE_CODE, genuine: true, channel: 'sms', sentOn: '2026-03-02' });
    // Another borrower (the message went to B1) and staff learn no more than anyone.
    for (const token of [h.borrowerTokens.B2, viewer]) {
      expect((await h.call({ method: 'GET', url, token })).json()).toEqual(anonymous.json());
    }
    expect((await h.call({ method: 'GET', url: '/api/v1/verify/ABCDEF' })).json()).toEqual({
      code: 'ABCDEF',
      genuine: false,
    });
  });

  it('tells the signed-in recipient what the message was', async () => {
    const own = await h.call({ method: 'GET', url: `/api/v1/verify/${MESSAGE_CODE}`, token: h.borrowerTokens.B1 });
    expect(own.json()).toEqual({
      code: MESSAGE_CODE,
      genuine: true,
      channel: 'sms',
      sentOn: '2026-03-02',
      yours: true,
      template: 'due_soon',
    });
  });

  it('answers "not genuine" for a code-shaped input with 0, 1, I, L or O; 400 only for what cannot be a code', async () => {
    for (const [typed, code] of [
      ['ABCDE0', 'ABCDE0'],
      ['k7q-2m1', 'K7Q2M1'],
      ['OIL234', 'OIL234'],
    ]) {
      const response = await h.call({ method: 'GET', url: `/api/v1/verify/${typed}` });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ code, genuine: false });
    }
    expectProblem(await h.call({ method: 'GET', url: '/api/v1/verify/ABC' }), 400, { field: 'code' });
    expectProblem(await h.call({ method: 'GET', url: '/api/v1/verify/AB%24DEF' }), 400, { field: 'code' });
  });
});

describe('errors', () => {
  it('answers an unknown route, bad JSON, a wrong content type and an oversized body with problem+json 4xx', async () => {
    expectProblem(await h.call({ method: 'GET', url: '/api/v1/nothing-here', token: admin }), 404);
    expectProblem(
      await h.call({
        method: 'POST',
        url: '/api/v1/schedules',
        token: admin,
        payload: '{"principal":',
        headers: { 'content-type': 'application/json' },
      }),
      400,
    );
    expectProblem(
      await h.call({
        method: 'POST',
        url: '/api/v1/schedules',
        token: admin,
        payload: 'x',
        headers: { 'content-type': 'text/plain' },
      }),
      415,
    );
    expectProblem(
      await h.call({
        method: 'POST',
        url: '/api/v1/schedules',
        token: admin,
        payload: JSON.stringify({ pad: 'x'.repeat(300_000) }),
        headers: { 'content-type': 'application/json' },
      }),
      413,
    );
  });
});

describe('the console', () => {
  it("serves web/dist at / when it is built, with its index for the console's own routes, and the API beside it", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'kuan-web-'));
    writeFileSync(join(folder, 'index.html'), '<!doctype html><title>Kuan</title>');
    writeFileSync(join(folder, 'app.js'), 'console.log(1)');
    const withConsole = await buildApi({ db: h.db, passwordHashing: testPasswordHashing, staticDir: folder });
    try {
      const index = await withConsole.app.inject({ method: 'GET', url: '/' });
      expect(index.statusCode).toBe(200);
      expect(index.body).toContain('<title>Kuan</title>');
      expect((await withConsole.app.inject({ method: 'GET', url: '/app.js' })).body).toBe('console.log(1)');
      expect((await withConsole.app.inject({ method: 'GET', url: '/loans/L1' })).body).toContain('<title>Kuan</title>');
      const api = await withConsole.app.inject({ method: 'GET', url: '/api/v1/nothing' });
      expect(api.statusCode).toBe(404);
      expect(String(api.headers['content-type'])).toMatch(/^application\/problem\+json/);
    } finally {
      await withConsole.close();
      rmSync(folder, { recursive: true, force: true });
    }
    // Without a built console, / points at the API docs.
    const root = await h.call({ method: 'GET', url: '/' });
    expect(root.statusCode).toBe(302);
    expect(root.headers.location).toBe('/docs');
  });
});

// ---- help: contact events, hardship, cases -------------------------------------------------------
const postAs = (url: string, token: string, payload: unknown, key?: string) =>
  h.call({
    method: 'POST',
    url,
    token,
    payload: payload as Record<string, unknown>,
    headers: key === undefined ? {} : { 'idempotency-key': key },
  });

describe('contact events', () => {
  it('lets a borrower ask for a hold and opt out, but not lift a pause or change addresses', async () => {
    const b1 = h.borrowerTokens.B1;
    const hold = await postAs('/api/v1/borrowers/B1/contact-events', b1, {
      type: 'hold',
      days: 7,
      reason: 'in hospital',
    });
    expect(hold.statusCode, hold.body).toBe(200);
    const optOut = await postAs('/api/v1/borrowers/B1/contact-events', b1, { type: 'opt_out', channel: 'email' });
    expect(optOut.json()).toMatchObject({ optedOut: 'email' });
    const lift = await postAs('/api/v1/borrowers/B1/contact-events', b1, { type: 'pause_lifted', reason: 'x' });
    expect(lift.json()).toMatchObject({ status: 422, code: 'event_not_allowed' });
    const other = await postAs('/api/v1/borrowers/B2/contact-events', b1, { type: 'hold', days: 7, reason: 'x' });
    expect(other.statusCode).toBe(404);
  });

  it('records a promise to pay taken by a collector, on a loan of that borrower only', async () => {
    const collector = h.staffTokens.collector;
    const promise = await postAs('/api/v1/borrowers/B2/contact-events', collector, {
      type: 'promise_to_pay',
      loanId: 'L3',
      amount: '300.00',
      date: '2026-03-15',
    });
    expect(promise.statusCode, promise.body).toBe(200);
    const wrongLoan = await postAs('/api/v1/borrowers/B2/contact-events', collector, {
      type: 'promise_to_pay',
      loanId: 'L1',
      amount: '300.00',
      date: '2026-03-15',
    });
    expect(wrongLoan.statusCode).toBe(404);
    const viewer = await postAs('/api/v1/borrowers/B2/contact-events', h.staffTokens.viewer, {
      type: 'opt_out',
      channel: 'sms',
    });
    expect(viewer.statusCode).toBe(403);
  });
});

describe('overdue reasons and plans', () => {
  it("records an overdue reason once per key, and refuses another borrower's loan", async () => {
    const b1 = h.borrowerTokens.B1;
    const first = await postAs(
      '/api/v1/loans/L1/overdue-reasons',
      b1,
      { category: 'illness_or_accident', text: 'in hospital' },
      'r1',
    );
    expect(first.statusCode, first.body).toBe(201);
    const again = await postAs(
      '/api/v1/loans/L1/overdue-reasons',
      b1,
      { category: 'illness_or_accident', text: 'in hospital' },
      'r1',
    );
    expect(again.json()).toEqual({ reasonId: (first.json() as { reasonId: string }).reasonId, replayed: true });
    expect(
      (await postAs('/api/v1/loans/L3/overdue-reasons', b1, { category: 'illness_or_accident' }, 'r2')).statusCode,
    ).toBe(404);
    expect((await postAs('/api/v1/loans/L1/overdue-reasons', b1, { category: 'illness_or_accident' })).statusCode).toBe(
      400,
    );
  });

  it('takes a plan request and answers with the offer or a named refusal; the loan lists its plans', async () => {
    const response = await postAs(
      '/api/v1/loans/L1/plans',
      h.borrowerTokens.B1,
      { plan: { type: 'deferral', periods: 1 } },
      'plan-1',
    );
    expect([201, 422], response.body).toContain(response.statusCode);
    // Dated by servicing's value-date rule: at most 400 days after today or the loan's last close.
    const farAhead = await postAs(
      '/api/v1/loans/L1/plans',
      h.borrowerTokens.B1,
      { plan: { type: 'deferral', periods: 1 }, on: '2031-01-01' },
      'plan-far',
    );
    expect(farAhead.json()).toMatchObject({ status: 400, field: 'on' });
    const plans = await h.call({ method: 'GET', url: '/api/v1/loans/L1/plans', token: h.staffTokens.viewer });
    expect(plans.statusCode).toBe(200);
    if (response.statusCode === 201) {
      const planId = (response.json() as { planId: string }).planId;
      expect((plans.json() as { items: { planId: string }[] }).items.map((p) => p.planId)).toContain(planId);
      // Another borrower cannot accept it; a viewer cannot approve it.
      const accept = await h.call({
        method: 'POST',
        url: `/api/v1/plans/${planId}/accept`,
        token: h.borrowerTokens.B2,
        headers: { 'idempotency-key': 'acc-1' },
      });
      expect(accept.statusCode).toBe(404);
      const approve = await h.call({
        method: 'POST',
        url: `/api/v1/plans/${planId}/approve`,
        token: h.staffTokens.viewer,
        headers: { 'idempotency-key': 'app-1' },
      });
      expect(approve.statusCode).toBe(403);
    } else {
      expect(typeof (response.json() as { code: string }).code).toBe('string');
    }
  });
});

describe('queue and complaints', () => {
  it('shows the queue to collectors and tells an agent with no agent record so', async () => {
    const queue = await h.call({ method: 'GET', url: '/api/v1/queue', token: h.staffTokens.collector });
    expect(queue.statusCode).toBe(200);
    expect(Array.isArray((queue.json() as { items: unknown[] }).items)).toBe(true);
    const next = await postAs('/api/v1/queue/next', h.staffTokens.collector, {});
    expect(next.json()).toMatchObject({ status: 400, field: 'agentId' });
  });

  it('opens a complaint for the borrower, once per key', async () => {
    const b2 = h.borrowerTokens.B2;
    const body = { category: 'contact_conduct', text: 'called me at night' };
    const opened = await postAs('/api/v1/borrowers/B2/complaints', b2, body, 'c1');
    expect(opened.statusCode, opened.body).toBe(201);
    const again = await postAs('/api/v1/borrowers/B2/complaints', b2, body, 'c1');
    expect(again.json()).toMatchObject({ replayed: true });
    expect((await postAs('/api/v1/borrowers/B1/complaints', b2, body, 'c2')).statusCode).toBe(404);
  });
});

// Last: it opens a loan, which the book counts above would otherwise include.
describe('loan costs', () => {
  it("gives the contract's APR with its fees included, every fee, and the penalty rate", async () => {
    const terms = { principal: '3000.00', startDate: '2026-02-15', fees: [{ kind: 'upfront', amount: '60.00' }] };
    const opened = await h.call({
      method: 'POST',
      url: '/api/v1/loans',
      token: admin,
      payload: { loanId: 'L9F', borrowerId: 'B9', productId: 'P-STD', terms },
    });
    expect(opened.statusCode).toBe(201);
    const detail = opened.json() as { apr: string; penaltyAnnualRate: string; terms: { fees: unknown[] } };
    expect(detail.terms.fees).toEqual([{ kind: 'upfront', amount: '60.00' }]);
    // The same number the Schedule contract gives for these terms; the fee lifts it above the 12 % rate.
    const schedule = await h.call({
      method: 'POST',
      url: '/api/v1/schedules',
      token: admin,
      payload: { ...terms, annualRate: '0.12', termCount: 12 },
    });
    expect(detail.apr).toBe((schedule.json() as { apr: string }).apr);
    expect(Number(detail.apr)).toBeGreaterThan(0.12);
    expect(detail.penaltyAnnualRate).toMatch(/^\d+(\.\d+)?$/);
  });
});
