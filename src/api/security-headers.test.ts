// Security headers on every kind of response: the API's JSON and problems, swagger-ui at /docs, the
// built console and portal (index and assets, from a stand-in web/dist), and a 404 — each with its
// Content-Security-Policy, X-Frame-Options DENY, nosniff and a Referrer-Policy.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi, testPasswordHashing, type KuanApi } from './index.ts';
import { API_CSP, CONSOLE_CSP, DOCS_CSP } from './security-headers.ts';
import { openTestDatabase, type TestDatabase } from '../store/index.ts';

let test: TestDatabase;
let api: KuanApi;
let dist: string;
beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'kuan-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><script type="module" src="/assets/index.js"></script>');
  writeFileSync(join(dist, 'assets', 'index.js'), 'console.log(1)');
  test = await openTestDatabase();
  api = await buildApi({ db: test.db, passwordHashing: testPasswordHashing, staticDir: dist });
});
afterAll(async () => {
  await api.close();
  await test.dispose();
  rmSync(dist, { recursive: true, force: true });
});

describe('security headers', () => {
  it.each([
    ['/api/v1/loans', 401, API_CSP],
    ['/api/v1/nothing-here', 404, API_CSP],
    ['/openapi.json', 200, API_CSP],
    ['/docs/', 200, DOCS_CSP],
    ['/docs/swagger-initializer.js', 200, DOCS_CSP],
    ['/console/loans/L1', 200, CONSOLE_CSP],
    ['/portal', 200, CONSOLE_CSP],
    ['/assets/index.js', 200, CONSOLE_CSP],
  ])('GET %s (%i) carries them', async (url, status, csp) => {
    const response = await api.app.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-security-policy']).toBe(csp);
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
  });

  it('forbids framing and inline script on the console, allows inline styles for antd', () => {
    expect(CONSOLE_CSP).toContain("frame-ancestors 'none'");
    expect(CONSOLE_CSP).toContain("script-src 'self';");
    expect(CONSOLE_CSP).toContain("style-src 'self' 'unsafe-inline'");
    expect(API_CSP).toBe("default-src 'none'; frame-ancestors 'none'");
  });
});
