// Rate caps through the API (PGlite, or PostgreSQL with DATABASE_URL): a product priced above its
// policy's refusal line is not saved (422 rate_above_cap naming terms.annualRate), one above the warning
// line is saved and flagged; a loan is refused or flagged the same way when opened, and its detail says
// where its APR stands.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from './testing.ts';

let h: ApiHarness;
let admin: string;

beforeAll(async () => {
  h = await startApi();
  admin = h.staffTokens.admin;
});
afterAll(async () => h.close());

function putProduct(productId: string, body: Record<string, unknown>) {
  return h.call({ method: 'PUT', url: `/api/v1/products/${productId}`, token: admin, payload: body });
}

function openLoan(loanId: string, annualRate: string, extra: Record<string, unknown> = {}) {
  return h.call({
    method: 'POST',
    url: '/api/v1/loans',
    token: admin,
    payload: {
      loanId,
      borrowerId: 'B1',
      terms: { principal: '10000.00', annualRate, termCount: 12, startDate: '2026-03-01' },
      ...extra,
    },
  });
}

describe('saving a product', () => {
  it('refuses a product whose APR is above 36 % (cn-2026, the CNY default) and saves nothing', async () => {
    const response = await putProduct('P-HIGH', { name: 'Too dear', terms: { annualRate: '0.40', termCount: 12 } });
    expect(response.statusCode).toBe(422);
    expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
    const problem = response.json() as Record<string, unknown>;
    expect(problem).toMatchObject({ code: 'rate_above_cap', field: 'terms.annualRate' });
    expect(problem.detail).toMatch(
      /^terms\.annualRate: APR \d+\.\d\d % is above the refusal line 36 % \(cn-2026 pricing\)$/,
    );
    expect((await h.call({ method: 'GET', url: '/api/v1/products/P-HIGH', token: admin })).statusCode).toBe(404);
  });

  it('saves a product above 24 % with a warning flag, and one at 12 % as ok', async () => {
    const warned = await putProduct('P-WARN', { name: 'Dear', terms: { annualRate: '0.26', termCount: 12 } });
    expect(warned.statusCode).toBe(200);
    expect(warned.json()).toMatchObject({
      rateCap: { level: 'warning', policy: 'cn-2026', line: '0.24', reasons: [{ code: 'apr_above_warning_line' }] },
    });
    const read = await h.call({ method: 'GET', url: '/api/v1/products/P-STD', token: admin });
    expect(read.json()).toMatchObject({ rateCap: { level: 'ok', apr: '0.1205', line: null } });
  });

  it('takes the product’s own policy: "none" lifts the caps, custom lines apply', async () => {
    const uncapped = await putProduct('P-NONE', {
      name: 'Uncapped',
      terms: { annualRate: '0.40', termCount: 12 },
      rateCaps: 'none',
    });
    expect(uncapped.statusCode).toBe(200);
    expect(uncapped.json()).toMatchObject({ rateCaps: 'none', rateCap: { level: 'ok', policy: 'none' } });
    const tight = await putProduct('P-TIGHT', {
      name: 'Tight',
      terms: { termCount: 12 },
      rateCaps: { name: 'tight', warnAprAbove: '0.15', refuseAprAbove: '0.20' },
    });
    expect(tight.statusCode).toBe(200);
    expect(tight.json()).not.toHaveProperty('rateCap');
  });

  it('rejects a malformed policy with 400 naming the field', async () => {
    const response = await putProduct('P-BADCAP', {
      name: 'Bad',
      terms: {},
      rateCaps: { warnAprAbove: '0.40', refuseAprAbove: '0.36' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ field: 'rateCaps.warnAprAbove' });
  });
});

describe('opening a loan', () => {
  it('refuses a loan above the refusal line and opens nothing', async () => {
    const response = await openLoan('L-CAP-HIGH', '0.40');
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ code: 'rate_above_cap', field: 'terms.annualRate' });
    expect((await h.call({ method: 'GET', url: '/api/v1/loans/L-CAP-HIGH', token: admin })).statusCode).toBe(404);
  });

  it('opens a loan above the warning line and flags it in its detail; a 12 % loan is ok', async () => {
    const opened = await openLoan('L-CAP-WARN', '0.30');
    expect(opened.statusCode).toBe(201);
    expect(opened.json()).toMatchObject({ rateCap: { level: 'warning', line: '0.24' } });
    const detail = await h.call({ method: 'GET', url: '/api/v1/loans/L-CAP-WARN', token: admin });
    expect(detail.json()).toMatchObject({
      apr: '0.2984',
      rateCap: { level: 'warning', policy: 'cn-2026', apr: '0.2984', line: '0.24' },
    });
    const plain = await h.call({ method: 'GET', url: '/api/v1/loans/L1', token: admin });
    expect(plain.json()).toMatchObject({ rateCap: { level: 'ok', line: null, reasons: [] } });
  });

  it('applies the product’s policy to its loans: a custom refusal line, or none', async () => {
    const refused = await openLoan('L-CAP-TIGHT', '0.22', { productId: 'P-TIGHT' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({
      code: 'rate_above_cap',
      detail: 'terms.annualRate: APR 21.88 % is above the refusal line 20 % (tight pricing)',
    });
    const uncapped = await openLoan('L-CAP-NONE', '0.40', { productId: 'P-NONE' });
    expect(uncapped.statusCode).toBe(201);
    expect(uncapped.json()).toMatchObject({ rateCap: { level: 'ok', policy: 'none' } });
  });
});
