// The HTTP API as one Fastify instance: zod schemas (validation, serialisation and the OpenAPI 3.1
// document at /openapi.json, browsable at /docs), sessions and the permission matrix on every route,
// rate limits, the audit trail, problem+json errors, and the console's static files when built.
// Invariants: every route under /api/v1 declares its access rule (registration fails otherwise) and the
// access hook enforces it before validation; every error leaves as problem+json, and only a bug is a
// 5xx; every staff action (any non-GET request by a signed-in person, whatever its outcome) is in the
// audit chain before its response is sent, and one whose row the chain refused answers 503 problem
// `audit_unavailable` instead of its result (the action ran in its own transaction and stands: the
// response says so rather than claim success); while the last append failed, actions are refused with
// that 503 before they run, so only those already running when the chain stopped go unrecorded.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { InputError } from '../errors/index.ts';
import { StoreConflictError, type Database } from '../store/index.ts';
import { AUDIT_UNAVAILABLE, AuditWriter } from './audit.ts';
import { outboxCodeSender, type SignInCodeSender } from './auth/codes.ts';
import { defaultPasswordHashing, passwordVerifier, type PasswordHashing } from './auth/passwords.ts';
import { borrowerPermissions, roleHas } from './auth/permissions.ts';
import { Sessions, type Principal, type SessionSettings } from './auth/sessions.ts';
import { SESSION_COOKIE, sessionTokenOf } from './auth/tokens.ts';
import type { Api, ApiContext, CodeSettings, RouteAccess } from './context.ts';
import { jsonBodyParser } from './json-body.ts';
import { ApiProblem, PROBLEM_CONTENT_TYPE, problemJson, slugForStatus, type ProblemJson } from './problem.ts';
import { registerMetrics, type MetricsSettings } from './metrics.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { registerRoutes } from './routes/index.ts';
import { securityHeadersFor } from './security-headers.ts';

export interface RateLimits {
  /** Requests per minute per client address on every route; 0 turns the general limit off. Default 1,200. */
  requestsPerMinute: number;
  /** Sign-in attempts (staff and borrower) per minute per client address. Default 10. */
  signInPerMinute: number;
  /** One-time code requests per minute per client address. Default 5. */
  codesPerMinute: number;
  /** Message verifications per minute per client address. Default 30. */
  verifyPerMinute: number;
  /** Failed staff sign-ins per username per 15 minutes before that username is refused. Default 10. */
  staffFailuresPer15Minutes: number;
}

export const defaultRateLimits: RateLimits = Object.freeze({
  requestsPerMinute: 1_200,
  signInPerMinute: 10,
  codesPerMinute: 5,
  verifyPerMinute: 30,
  staffFailuresPer15Minutes: 10,
});

export interface ApiOptions {
  db: Database;
  /** Epoch milliseconds; default Date.now. */
  clock?: () => number;
  /** The zone whose date is "today" for a payment without a date. Default UTC. */
  timezone?: string;
  /** argon2id cost; default defaultPasswordHashing (tests pass testPasswordHashing). */
  passwordHashing?: PasswordHashing;
  /** Where borrowers' sign-in codes go; default the outbox (kind sign_in_code). */
  codeSender?: SignInCodeSender;
  codes?: Partial<Omit<CodeSettings, 'sender'>>;
  sessions?: Partial<SessionSettings>;
  rateLimits?: Partial<RateLimits>;
  /** Marks the session cookie Secure (serve over HTTPS). Default false. */
  secureCookies?: boolean;
  logger?: FastifyServerOptions['logger'];
  /** Folder of the built console (web/dist), served at / when it exists. */
  staticDir?: string;
  /** Trust X-Forwarded-For (behind a reverse proxy). Default false. */
  trustProxy?: boolean;
  /** Who may read GET /metrics (a Bearer token; else loopback clients) and how often it reads the store. */
  metrics?: MetricsSettings;
}

export interface ApiRouteInfo {
  method: string;
  url: string;
  access: RouteAccess;
}

export interface KuanApi {
  app: Api;
  context: ApiContext;
  /** Every route under /api/v1 with its access rule (for the authorization matrix and docs). */
  routes: readonly ApiRouteInfo[];
  /** Stops taking requests, waits (up to 15 s) for those being handled and their audit rows; not the database. */
  close(): Promise<void>;
}

export const API_PREFIX = '/api/v1';
/** How long close() waits for requests still being handled (their clients may have gone). */
const CLOSE_WAIT_MS_MAX = 15_000;
/** Request bodies above this are refused with 413. */
export const BODY_LIMIT_BYTES = 256 * 1024;

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by handlers: the borrower an audited action concerns, and extra detail for the audit row. */
    auditNote: { subjectBorrowerId: string | null; detail: Record<string, unknown> } | null;
  }
}

export async function buildApi(options: ApiOptions): Promise<KuanApi> {
  const clock = options.clock ?? Date.now;
  const limits = { ...defaultRateLimits, ...options.rateLimits };
  const passwordHashing = options.passwordHashing ?? defaultPasswordHashing;
  const audit = new AuditWriter(options.db);
  const context: ApiContext = {
    db: options.db,
    clock,
    timezone: options.timezone ?? 'UTC',
    sessions: new Sessions(options.db, clock, options.sessions),
    secureCookies: options.secureCookies ?? false,
    audit,
    passwordHashing,
    passwords: passwordVerifier(passwordHashing),
    codes: {
      sender: options.codeSender ?? outboxCodeSender(options.db, clock),
      ttlMs: 10 * 60 * 1000,
      attemptsMax: 5,
      perHourMax: 5,
      resendGapMs: 60 * 1000,
      ...options.codes,
    },
    async auditRead(request, read) {
      const principal = request.principal;
      await audit.append({
        atMs: clock(),
        actorKind: principal === null ? 'anonymous' : principal.kind,
        actorId: actorIdOf(request),
        action: read.action,
        resource: pathOf(request),
        subjectBorrowerId: read.borrowerIds.length === 1 ? (read.borrowerIds[0] ?? null) : null,
        outcome: 200,
        detail: {
          requestId: request.id,
          ip: request.ip,
          ...(read.borrowerIds.length === 1 ? {} : { borrowerIds: read.borrowerIds }),
          ...read.detail,
        },
      });
    },
  };

  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: options.trustProxy ?? false,
    routerOptions: { maxParamLength: 200 },
    // Errors the framework meets before a route runs (a malformed URL, …) leave as problem+json too.
    frameworkErrors: (error, request, reply: FastifyReply) => {
      const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 400;
      const problem = problemJson(slugForStatus(status), error.message || 'bad request', {
        instance: pathOf(request).slice(0, 500),
      });
      void reply.code(status).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
    },
  }).withTypeProvider<import('fastify-type-provider-zod').ZodTypeProvider>() as unknown as Api;
  // Security headers on every response, the plugins' (swagger-ui, static files) included: added before
  // any plugin is registered, so every route inherits the hook.
  app.addHook('onSend', async (request, reply, payload) => {
    for (const [name, value] of Object.entries(securityHeadersFor(pathOf(request)))) {
      if (!reply.hasHeader(name)) void reply.header(name, value);
    }
    return payload;
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // JSON only: a text/plain body would otherwise reach handlers as a string.
  app.removeContentTypeParser('text/plain');
  // UTF-8 only, and bounded nesting (src/api/json-body.ts); then Fastify's own JSON parser.
  const defaultJsonParser = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, jsonBodyParser(defaultJsonParser));
  app.decorateRequest('principal', null);
  app.decorateRequest('auditNote', null);

  const routes: ApiRouteInfo[] = [];
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith(API_PREFIX)) return;
    const access = route.config?.access;
    if (access === undefined) throw new Error(`route ${String(route.method)} ${route.url} declares no access rule`);
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routes.push({ method, url: route.url, access });
    }
  });

  await app.register(fastifyCookie);
  // multipart/form-data (evidence uploads), bounded; the route checks each file (src/api/evidence-upload.ts).
  await app.register(fastifyMultipart, {
    limits: { fileSize: 10 * 1024 * 1024, files: 11, fields: 4, fieldSize: 16 * 1024, parts: 16 },
  });
  await app.register(fastifyRateLimit, {
    global: limits.requestsPerMinute > 0,
    max: limits.requestsPerMinute > 0 ? limits.requestsPerMinute : 1_000_000,
    timeWindow: 60_000,
    errorResponseBuilder: (_request, limit) =>
      new ApiProblem('rate-limited', `too many requests; retry in ${limit.after}`, {
        headers: { 'retry-after': String(Math.max(1, Math.ceil(limit.ttl / 1000))) },
      }),
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Kuan API',
        version: '1',
        description:
          'Loan servicing and humane collections. Errors are RFC 9457 problem+json; see docs/api.md and docs/access.md.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'the session token from a sign-in' },
          cookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        },
      },
      security: [{ bearer: [] }, { cookie: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  // Requests between their first hook and their answer: close() waits for them, so a handler still
  // running for a client that went away writes its audit row before the database closes.
  const inFlight = new Set<FastifyRequest>();
  /** Actions refused before they ran because the audit log was failing (nothing to report as done). */
  const refusedForAudit = new WeakSet<FastifyRequest>();
  app.addHook('onRequest', async (request) => {
    inFlight.add(request);
    request.auditNote = { subjectBorrowerId: null, detail: {} };
    const access = request.routeOptions.config?.access;
    if (access === undefined || access.kind === 'public') return;
    const token = sessionTokenOf(request);
    request.principal = token === undefined ? null : await context.sessions.resolve(token);
    authorize(request.principal, access);
    // Fail closed: an action the audit log cannot record is not carried out. The refusal's own row is
    // the probe: once it is appended, actions run again.
    if (audit.failing && isAuditedAction(request)) {
      refusedForAudit.add(request);
      throw new ApiProblem('unavailable', 'the audit log is not accepting rows, so actions are refused; try later', {
        code: AUDIT_UNAVAILABLE,
      });
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    try {
      return await auditOnSend(request, reply, payload);
    } finally {
      inFlight.delete(request);
    }
  });

  const auditOnSend = async (request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> => {
    if (request.url.startsWith(API_PREFIX)) void reply.header('cache-control', 'no-store');
    const principal = request.principal;
    if (principal === null || !isAuditedAction(request)) return payload;
    const note = request.auditNote;
    try {
      await audit.append({
        atMs: clock(),
        actorKind: principal.kind,
        actorId: actorIdOf(request),
        action: `${request.method} ${request.routeOptions.url ?? ''}`,
        resource: pathOf(request),
        subjectBorrowerId: note?.subjectBorrowerId ?? (principal.kind === 'borrower' ? principal.borrowerId : null),
        outcome: reply.statusCode,
        detail: { requestId: request.id, ip: request.ip, ...note?.detail },
      });
    } catch (error) {
      // The action has happened but is not on record: its response must not read as a plain success.
      // 503 with a code that says so (docs/access.md); a client checks the resource before retrying.
      request.log.error({ err: error }, 'audit append failed');
      if (refusedForAudit.has(request)) return payload;
      const problem = problemJson(
        'unavailable',
        `the action was carried out (status ${reply.statusCode}) but the audit log did not accept its row; ` +
          'check its outcome before retrying, and run `kuan audit verify`',
        { instance: pathOf(request).slice(0, 500), code: AUDIT_UNAVAILABLE },
      );
      void reply.code(503).header('content-type', PROBLEM_CONTENT_TYPE);
      return JSON.stringify(problem);
    }
    return payload;
  };

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = problemOf(error, request);
    if (problem.status >= 500) request.log.error({ err: error }, 'internal error');
    if (error instanceof ApiProblem) reply.headers(error.headers);
    void reply.code(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  });

  const staticDir = options.staticDir === undefined ? undefined : resolve(options.staticDir);
  const hasConsole = staticDir !== undefined && existsSync(join(staticDir, 'index.html'));
  app.setNotFoundHandler((request, reply) => {
    const path = pathOf(request);
    if (hasConsole && request.method === 'GET' && !path.startsWith('/api/')) {
      // The console is a single-page app: its own routes are served its index.
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    }
    const problem = problemJson('not-found', `no route ${request.method} ${path.slice(0, 200)}`, { instance: path });
    return reply.code(404).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  });

  await app.register(
    async (api) => {
      registerRoutes(api as Api, context, limits);
    },
    { prefix: API_PREFIX },
  );
  registerHealthRoutes(app, context);
  registerMetrics(app, context, audit, options.metrics ?? {});
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  if (hasConsole) {
    await app.register(fastifyStatic, { root: staticDir, prefix: '/', wildcard: true });
  } else {
    app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/docs'));
  }
  await app.ready();
  return {
    app,
    context,
    routes,
    async close() {
      await app.close();
      for (let waitedMs = 0; inFlight.size > 0 && waitedMs < CLOSE_WAIT_MS_MAX; waitedMs += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await audit.flush();
    },
  };
}

/** Throws 401 or 403 unless the principal may use a route with this access rule. */
export function authorize(principal: Principal | null, access: RouteAccess): void {
  if (access.kind === 'public') return;
  if (principal === null) throw new ApiProblem('unauthenticated', 'sign in first (a session cookie or a Bearer token)');
  if (access.kind === 'signed_in') return;
  const allowed =
    principal.kind === 'staff'
      ? roleHas(principal.role, access.permission)
      : access.borrower && borrowerPermissions.includes(access.permission);
  if (!allowed) {
    const who = principal.kind === 'staff' ? `role ${principal.role}` : 'a borrower';
    throw new ApiProblem('forbidden', `${who} may not do this (needs ${access.permission})`);
  }
}

/** A request the audit chain records as an action: a non-GET by a signed-in person, unless its route says `none`. */
function isAuditedAction(request: FastifyRequest): boolean {
  const config = request.routeOptions.config;
  if (config?.access === undefined || request.principal === null) return false;
  return request.method !== 'GET' && request.method !== 'HEAD' && config.audit !== 'none';
}

function actorIdOf(request: FastifyRequest): string {
  const principal = request.principal;
  if (principal === null) return `ip ${request.ip}`;
  return principal.kind === 'staff' ? principal.username : principal.borrowerId;
}

/** The request's path without its query string (which is not recorded: it may carry search terms). */
export function pathOf(request: FastifyRequest): string {
  const url = request.url;
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

const headerNames: Readonly<Record<string, string>> = { 'idempotency-key': 'Idempotency-Key' };

function validationField(context: string | undefined, path: string[], keys: unknown): string {
  const parts = [...path];
  if (Array.isArray(keys) && typeof keys[0] === 'string') parts.push(keys[0]);
  if (context === 'headers' && parts[0] !== undefined) return headerNames[parts[0]] ?? parts[0];
  if (parts.length === 0) {
    return context === 'querystring' ? 'query' : context === 'params' ? 'path' : (context ?? 'body');
  }
  let field = '';
  for (const part of parts) field += /^\d+$/.test(part) ? `[${part}]` : field === '' ? part : `.${part}`;
  return field;
}

function problemOf(error: FastifyError, request: FastifyRequest): ProblemJson {
  const instance = pathOf(request).slice(0, 500);
  if (error instanceof ApiProblem) return error.toJson(instance);
  if (error instanceof InputError) {
    return problemJson('invalid-input', error.message, { instance, field: error.field });
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const [issue] = error.validation;
    const path = (issue?.instancePath ?? '').split('/').filter((part) => part !== '');
    const field = validationField(error.validationContext, path, issue?.params?.keys);
    return problemJson('invalid-input', `${field}: ${issue?.message ?? 'is not valid'}`, { instance, field });
  }
  if (error instanceof StoreConflictError) {
    return problemJson('conflict', 'the record changed while this request ran; try again', {
      instance,
      code: error.code,
    });
  }
  const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status >= 400 && status < 500) {
    return problemJson(slugForStatus(status), error.message || 'bad request', { instance });
  }
  return problemJson('internal', 'an internal error occurred; it has been logged', { instance });
}
