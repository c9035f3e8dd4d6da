// The security headers on every response: no framing (X-Frame-Options DENY and CSP frame-ancestors
// 'none'), no content sniffing, no referrer leaving the site, and a Content-Security-Policy per kind of
// page — the API's JSON runs nothing (default-src 'none'); the console and portal (web/dist, a Vite build
// with no inline script) load scripts, fonts and data only from this origin, with inline styles allowed
// because antd writes its styles at run time and data: URIs for small inlined fonts and icons; /docs
// (swagger-ui: its own scripts and stylesheets, inline style attributes, data: icons) the same, plus
// blob: for its downloads.

const shared = ["object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'"];

/** For JSON and problem documents: nothing to run, nothing to load. */
export const API_CSP = ["default-src 'none'", "frame-ancestors 'none'"].join('; ');

/** For the console and the portal. */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  ...shared,
].join('; ');

/** For swagger-ui at /docs. */
export const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  ...shared,
].join('; ');

/** The headers for a response to `path` (no query string). */
export function securityHeadersFor(path: string): Readonly<Record<string, string>> {
  const csp =
    path === '/docs' || path.startsWith('/docs/')
      ? DOCS_CSP
      : path.startsWith('/api/') || path === '/openapi.json'
        ? API_CSP
        : CONSOLE_CSP;
  return {
    'content-security-policy': csp,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}
