// The one way the browser talks to Kuan's API: JSON over fetch under /api/v1, a session token per
// audience (staff console, borrower portal) sent as a bearer token and kept in sessionStorage (the
// server may also set a cookie; both are sent), and RFC 9457 problem+json turned into ApiError with
// the field it names. Invariants: every request has a time limit; a 401 clears the audience's token
// and tells the app to show its sign-in page.

import type { components } from './openapi.ts';

export const API_BASE = '/api/v1';
/** No request may hang the page: the browser gives up after this long. */
export const REQUEST_TIMEOUT_MS = 30_000;

export type Audience = 'staff' | 'borrower';

/**
 * An RFC 9457 problem document as the API sends it (`field` names the input the problem is about, `code`
 * a stable refusal code); partial, since a proxy's error page may stand in for one.
 */
export type Problem = Partial<components['schemas']['Problem']>;

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(status: number, problem: Problem) {
    super(describeProblem(status, problem));
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }

  /** The field the server blamed, if any: forms put the message next to it. */
  get field(): string | undefined {
    return this.problem.field;
  }
}

function describeProblem(status: number, problem: Problem): string {
  const field = problem.field;
  const reason = problem.detail ?? problem.title ?? `HTTP ${status}`;
  return field && !reason.startsWith(field) ? `${field}: ${reason}` : reason;
}

/** A route this server lacks answers 404 "no route …" (or 405/501): pages show "not available" for it. */
export function isMissingRoute(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.status === 405 || error.status === 501) return true;
  return error.status === 404 && (error.problem.detail ?? '').startsWith('no route');
}

const tokenKeys: Record<Audience, string> = { staff: 'kuan.staff.token', borrower: 'kuan.borrower.token' };
const unauthorizedListeners = new Set<(audience: Audience) => void>();

export function sessionToken(audience: Audience): string | null {
  try {
    return sessionStorage.getItem(tokenKeys[audience]);
  } catch {
    return null;
  }
}

export function setSessionToken(audience: Audience, token: string | null): void {
  try {
    if (token) sessionStorage.setItem(tokenKeys[audience], token);
    else sessionStorage.removeItem(tokenKeys[audience]);
  } catch {
    // Private mode without storage: the session cookie still works.
  }
}

/** Called when the API answers 401: the app returns to its sign-in page. Returns an unsubscribe. */
export function onUnauthorized(listener: (audience: Audience) => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Query;
  body?: unknown;
  /** Sent as `Idempotency-Key` (money movements and contacts). */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export function pathWithQuery(path: string, query?: Query): string {
  const url = path.startsWith('/') ? path : `${API_BASE}/${path}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${url}?${text}` : url;
}

async function send(audience: Audience, path: string, options: RequestOptions): Promise<Response> {
  const headers = new Headers({ Accept: 'application/json, application/problem+json' });
  const token = sessionToken(audience);
  if (token) headers.set('Authorization', `Bearer ${token}`);
  if (options.idempotencyKey) headers.set('Idempotency-Key', options.idempotencyKey);
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) body = options.body;
  else if (options.body !== undefined) {
    headers.set('Content-Type', 'application/json');
    body = JSON.stringify(options.body);
  }
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const response = await fetch(pathWithQuery(path, options.query), {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    body,
    credentials: 'same-origin',
    signal,
  });
  if (response.status === 401) {
    setSessionToken(audience, null);
    for (const listener of unauthorizedListeners) listener(audience);
  }
  if (!response.ok) {
    let problem: Problem = {};
    try {
      problem = (await response.json()) as Problem;
    } catch {
      problem = { title: response.statusText };
    }
    throw new ApiError(response.status, problem);
  }
  return response;
}

/** A JSON request; resolves to the parsed body (undefined for 204). */
export async function request<T>(audience: Audience, path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(audience, path, options);
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('Content-Type') ?? '';
  if (!type.includes('json')) return (await response.text()) as T;
  return (await response.json()) as T;
}

/** A download (ICS, PDF, CSV): the body as a Blob, with the file name the server suggested. */
export async function download(
  audience: Audience,
  path: string,
  fallbackName: string,
): Promise<{ blob: Blob; fileName: string }> {
  const response = await send(audience, path, {});
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  const fileName = match?.[1] ? decodeURIComponent(match[1]) : fallbackName;
  return { blob: await response.blob(), fileName };
}

/** Hands a Blob to the browser as a file download. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A fresh idempotency key for one user action (a retry of the same action reuses it). */
export function newIdempotencyKey(prefix: string): string {
  // getRandomValues works outside secure contexts too (randomUUID does not: a demo over a LAN address).
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `${prefix}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
