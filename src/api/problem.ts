// Errors as RFC 9457 problem details (`application/problem+json`): every error the API sends has a
// `type` (a `urn:kuan:problem:<slug>` URI, listed in docs/api.md), `title`, `status` and `detail`, plus
// `field` naming the bad field for input errors and `code` for a named result code (e.g.
// `payment_exceeds_outstanding`). Invariant: bad input is a 4xx, never a 5xx; a 500 means a bug.
import { z } from 'zod';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export interface ProblemJson {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The request path, so a report can be matched with the request. */
  instance?: string;
  /** The bad field: a body path (`terms.principal`), a query or path parameter, or a header name. */
  field?: string;
  /** A stable result code, e.g. `idempotency_key_reused`, `payment_exceeds_outstanding`. */
  code?: string;
}

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    field: z.string().optional(),
    code: z.string().optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

/** The problem types Kuan sends, by slug: status and title. */
export const problemTypes = {
  'invalid-input': { status: 400, title: 'Invalid input' },
  unauthenticated: { status: 401, title: 'Sign-in required' },
  forbidden: { status: 403, title: 'Not allowed' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  'payload-too-large': { status: 413, title: 'Request body too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  unprocessable: { status: 422, title: 'Request refused' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
  unavailable: { status: 503, title: 'Service unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemSlug = keyof typeof problemTypes;

export function problemTypeUri(slug: ProblemSlug): string {
  return `urn:kuan:problem:${slug}`;
}

/** A problem to send: thrown by handlers and hooks, turned into the response by the error handler. */
export class ApiProblem extends Error {
  readonly slug: ProblemSlug;
  readonly statusCode: number;
  readonly field: string | undefined;
  readonly code: string | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    slug: ProblemSlug,
    detail: string,
    extra: { field?: string; code?: string; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = 'ApiProblem';
    this.slug = slug;
    this.statusCode = problemTypes[slug].status;
    this.field = extra.field;
    this.code = extra.code;
    this.headers = extra.headers ?? {};
  }

  toJson(instance?: string): ProblemJson {
    return problemJson(this.slug, this.message, { instance, field: this.field, code: this.code });
  }
}

export function problemJson(
  slug: ProblemSlug,
  detail: string,
  extra: { instance?: string; field?: string; code?: string } = {},
): ProblemJson {
  const { status, title } = problemTypes[slug];
  const problem: ProblemJson = { type: problemTypeUri(slug), title, status, detail };
  if (extra.instance !== undefined) problem.instance = extra.instance;
  if (extra.field !== undefined) problem.field = extra.field;
  if (extra.code !== undefined) problem.code = extra.code;
  return problem;
}

/** The slug for an HTTP status a framework error carries. */
export function slugForStatus(status: number): ProblemSlug {
  for (const [slug, type] of Object.entries(problemTypes)) if (type.status === status) return slug as ProblemSlug;
  return status >= 500 ? 'internal' : 'invalid-input';
}

export const notFound = (what: string): ApiProblem => new ApiProblem('not-found', `${what} does not exist`);

/** A command refusal's problem type, by code: a plain refusal is 422; these say more. */
const refusalSlugs: Readonly<Record<string, ProblemSlug>> = {
  idempotency_key_reused: 'conflict',
  loan_not_found: 'not-found',
  plan_not_found: 'not-found',
  payment_not_found: 'not-found',
  approval_not_found: 'not-found',
  own_request: 'forbidden',
  approval_not_pending: 'conflict',
  identical_to_active: 'conflict',
  already_pending: 'conflict',
  approval_stale: 'conflict',
};

/** A command's request fields as an HTTP client sends them. */
const httpFieldNames: Readonly<Record<string, string>> = { idempotencyKey: 'Idempotency-Key' };

/**
 * The one mapping from a command's refusal (src/app/result.ts) to the problem sent: its code, its message
 * as the detail, its field, and `Idempotency-Replayed: true` when it is a stored answer given again.
 */
export function refusalProblem(refusal: {
  code: string;
  message: string;
  field?: string;
  replayed?: boolean;
}): ApiProblem {
  const field = refusal.field === undefined ? undefined : (httpFieldNames[refusal.field] ?? refusal.field);
  return new ApiProblem(refusalSlugs[refusal.code] ?? 'unprocessable', refusal.message, {
    code: refusal.code,
    ...(field === undefined ? {} : { field }),
    ...(refusal.replayed === true ? { headers: { 'idempotency-replayed': 'true' } } : {}),
  });
}
