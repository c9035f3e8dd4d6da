// Signing in and out. Staff: username and password (argon2id), a failed-attempt limit per username on
// top of the per-address rate limit. Borrowers: a one-time code of 6 digits sent to their phone (or
// e-mail), valid 10 minutes, at most 5 tries, a few codes per hour. Both get a server-side session
// (token in an HttpOnly SameSite=Strict cookie and in the response body for API clients).
// Invariants: no response tells whether a username, borrower id or phone number exists (a code request
// always answers 202 the same way; every failed sign-in is the same 401); every sign-in attempt, good or
// bad, is in the audit chain; a code is consumed by at most one sign-in.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { getBorrower } from '../../store/index.ts';
import {
  consumeSignInCode,
  findBorrowerIdsByPhone,
  getStaffAccount,
  insertSignInCode,
  recentSignInCodes,
  staffUsernamePattern,
  takeSignInCodeAttempt,
} from '../../store/access.ts';
import type { RateLimits } from '../app.ts';
import { borrowerPermissions, permissions, rolePermissions, staffRoles, type Permission } from '../auth/permissions.ts';
import type { Principal } from '../auth/sessions.ts';
import { newSignInCode, sameDigest, SESSION_COOKIE, signInCodeHash } from '../auth/tokens.ts';
import type { Api, ApiContext } from '../context.ts';
import { ApiProblem, problemSchema } from '../problem.ts';
import { idSchema } from '../schemas.ts';

const phoneSchema = z
  .string()
  .regex(/^\+?[0-9]{5,20}$/, { error: 'must be a phone number: digits, optionally starting with +' });

const principalSchema = z
  .object({
    kind: z.enum(['staff', 'borrower']),
    username: z.string().optional(),
    role: z.enum(staffRoles).optional(),
    borrowerId: z.string().optional(),
    permissions: z.array(z.enum(permissions)),
    expiresAt: z.string().optional(),
  })
  .meta({ id: 'Principal' });

const sessionSchema = z.object({
  token: z.string().describe('send as `Authorization: Bearer <token>` (or rely on the cookie)'),
  expiresAt: z.string(),
  principal: principalSchema,
});

const signInFailed = (): ApiProblem =>
  new ApiProblem('unauthenticated', 'sign-in failed: the credentials are wrong, expired or used up', {
    code: 'sign_in_failed',
  });

function principalView(principal: Principal, expiresAt?: string): z.output<typeof principalSchema> {
  const view =
    principal.kind === 'staff'
      ? {
          kind: 'staff' as const,
          username: principal.username,
          role: principal.role,
          permissions: [...rolePermissions[principal.role]] as Permission[],
        }
      : { kind: 'borrower' as const, borrowerId: principal.borrowerId, permissions: [...borrowerPermissions] };
  return expiresAt === undefined ? view : { ...view, expiresAt };
}

/** Failed staff sign-ins per username in a sliding 15-minute window, in this process (bounded). */
class FailureLimiter {
  private readonly failures = new Map<string, number[]>();
  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly keysMax = 10_000,
  ) {}

  blocked(key: string, nowMs: number): boolean {
    const recent = (this.failures.get(key) ?? []).filter((at) => at > nowMs - this.windowMs);
    if (recent.length === 0) this.failures.delete(key);
    else this.failures.set(key, recent);
    return recent.length >= this.max;
  }

  record(key: string, nowMs: number): void {
    if (this.failures.size >= this.keysMax) this.failures.clear();
    const list = this.failures.get(key) ?? [];
    list.push(nowMs);
    this.failures.set(key, list.slice(-this.max));
  }

  clear(key: string): void {
    this.failures.delete(key);
  }
}

export function registerAuthRoutes(api: Api, ctx: ApiContext, limits: RateLimits): void {
  const failures = new FailureLimiter(limits.staffFailuresPer15Minutes, 15 * 60 * 1000);
  const signInLimit = { max: limits.signInPerMinute, timeWindow: 60_000 };

  const setCookie = (reply: FastifyReply, token: string, expiresAt: string): void => {
    void reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: ctx.secureCookies,
      path: '/',
      expires: new Date(expiresAt),
    });
  };

  const auditSignIn = async (
    request: FastifyRequest,
    entry: { actorKind: 'staff' | 'borrower' | 'anonymous'; actorId: string; action: string; outcome: number },
    subjectBorrowerId: string | null,
    detail: Record<string, unknown>,
  ): Promise<void> => {
    await ctx.audit.append({
      atMs: ctx.clock(),
      ...entry,
      resource: request.url.split('?')[0] ?? '',
      subjectBorrowerId,
      detail: { requestId: request.id, ip: request.ip, ...detail },
    });
  };

  api.post(
    '/auth/staff/sign-in',
    {
      config: { access: { kind: 'public' }, audit: 'none', rateLimit: signInLimit },
      schema: {
        tags: ['auth'],
        summary: 'Staff sign-in with username and password',
        security: [],
        body: z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }),
        response: { 200: sessionSchema, 400: problemSchema, 401: problemSchema, 429: problemSchema },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const nowMs = ctx.clock();
      const known = staffUsernamePattern.test(username);
      if (known && failures.blocked(username, nowMs)) {
        await auditSignIn(
          request,
          { actorKind: 'anonymous', actorId: `ip ${request.ip}`, action: 'staff.sign_in', outcome: 429 },
          null,
          { username, reason: 'too many failures' },
        );
        throw new ApiProblem('rate-limited', 'too many failed sign-ins for this username; wait 15 minutes', {
          headers: { 'retry-after': String(15 * 60) },
        });
      }
      const account = known ? await getStaffAccount(ctx.db, username) : undefined;
      const usable = account !== undefined && !account.disabled;
      const ok = await ctx.passwords.verify(usable ? account.passwordHash : undefined, password);
      if (!ok || !usable) {
        if (known) failures.record(username, nowMs);
        await auditSignIn(
          request,
          { actorKind: 'anonymous', actorId: `ip ${request.ip}`, action: 'staff.sign_in', outcome: 401 },
          null,
          { username: username.slice(0, 64) },
        );
        throw signInFailed();
      }
      failures.clear(username);
      const session = await ctx.sessions.start('staff', account.username);
      await auditSignIn(
        request,
        { actorKind: 'staff', actorId: account.username, action: 'staff.sign_in', outcome: 200 },
        null,
        { role: account.role },
      );
      setCookie(reply, session.token, session.expiresAt);
      return {
        ...session,
        principal: principalView(
          { kind: 'staff', username: account.username, role: account.role, tokenHash: '' },
          session.expiresAt,
        ),
      };
    },
  );

  const borrowerIdentifier = {
    borrowerId: idSchema.optional(),
    phone: phoneSchema.optional().describe('the SMS number on file, e.g. +8613800000001'),
  };
  const oneIdentifier = (value: { borrowerId?: string | undefined; phone?: string | undefined }) =>
    (value.borrowerId === undefined) !== (value.phone === undefined);
  const identifierRule = { error: 'give exactly one of borrowerId and phone', path: ['borrowerId'] };

  /** The borrower an identifier names, if exactly one does. */
  const findBorrowerId = async (value: { borrowerId?: string; phone?: string }): Promise<string | undefined> => {
    if (value.borrowerId !== undefined) {
      return (await getBorrower(ctx.db, value.borrowerId)) === undefined ? undefined : value.borrowerId;
    }
    const ids = await findBorrowerIdsByPhone(ctx.db, value.phone ?? '');
    return ids.length === 1 ? ids[0] : undefined;
  };

  api.post(
    '/auth/borrower/code',
    {
      config: {
        access: { kind: 'public' },
        audit: 'none',
        rateLimit: { max: limits.codesPerMinute, timeWindow: 60_000 },
      },
      schema: {
        tags: ['auth'],
        summary: 'Ask for a one-time sign-in code (sent to the phone or e-mail on file)',
        description:
          'Always answers 202 the same way, whether or not the borrower exists or a code was sent (at most ' +
          'one code per minute and five per hour per borrower).',
        security: [],
        body: z.strictObject(borrowerIdentifier).refine(oneIdentifier, identifierRule),
        response: {
          202: z.object({ accepted: z.literal(true), expiresInSeconds: z.number().int() }),
          400: problemSchema,
          429: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const nowMs = ctx.clock();
      const borrowerId = await findBorrowerId(request.body);
      if (borrowerId !== undefined) await sendCode(request, borrowerId, nowMs);
      void reply.code(202);
      return { accepted: true as const, expiresInSeconds: Math.round(ctx.codes.ttlMs / 1000) };
    },
  );

  const sendCode = async (request: FastifyRequest, borrowerId: string, nowMs: number): Promise<void> => {
    const recent = await recentSignInCodes(ctx.db, borrowerId, nowMs - 60 * 60 * 1000);
    const latestMs = recent.latestAt === null ? -Infinity : Date.parse(recent.latestAt);
    if (recent.count >= ctx.codes.perHourMax || latestMs > nowMs - ctx.codes.resendGapMs) return;
    const borrower = await getBorrower(ctx.db, borrowerId);
    const contacts = (borrower?.contacts ?? {}) as Record<string, unknown>;
    const channel = typeof contacts.sms === 'string' ? 'sms' : typeof contacts.email === 'string' ? 'email' : null;
    if (borrower === undefined || channel === null) return;
    const { codeId, code } = newSignInCode();
    const expiresAtMs = nowMs + ctx.codes.ttlMs;
    await insertSignInCode(ctx.db, {
      borrowerId,
      codeId,
      codeHash: signInCodeHash(codeId, code),
      channel,
      createdAtMs: nowMs,
      expiresAtMs,
      attemptsMax: ctx.codes.attemptsMax,
    });
    await auditSignIn(
      request,
      { actorKind: 'anonymous', actorId: `ip ${request.ip}`, action: 'borrower.code_sent', outcome: 202 },
      borrowerId,
      { channel },
    );
    try {
      await ctx.codes.sender.send({
        borrowerId,
        codeId,
        channel,
        address: String(contacts[channel]),
        code,
        expiresAt: new Date(expiresAtMs).toISOString(),
        locale: borrower.locale,
      });
    } catch (error) {
      request.log.error({ err: error, borrowerId }, 'sign-in code not delivered');
    }
  };

  api.post(
    '/auth/borrower/sign-in',
    {
      config: { access: { kind: 'public' }, audit: 'none', rateLimit: signInLimit },
      schema: {
        tags: ['auth'],
        summary: 'Borrower sign-in with the one-time code',
        security: [],
        body: z
          .strictObject({ ...borrowerIdentifier, code: z.string().regex(/^\d{6}$/, { error: 'must be 6 digits' }) })
          .refine(oneIdentifier, identifierRule),
        response: { 200: sessionSchema, 400: problemSchema, 401: problemSchema, 429: problemSchema },
      },
    },
    async (request, reply) => {
      const nowMs = ctx.clock();
      const borrowerId = await findBorrowerId(request.body);
      const attempt = borrowerId === undefined ? undefined : await takeSignInCodeAttempt(ctx.db, borrowerId, nowMs);
      const matches =
        attempt !== undefined && sameDigest(signInCodeHash(attempt.codeId, request.body.code), attempt.codeHash);
      const consumed =
        matches && borrowerId !== undefined
          ? await consumeSignInCode(ctx.db, { borrowerId, codeId: attempt.codeId, atMs: nowMs })
          : false;
      if (!consumed || borrowerId === undefined) {
        if (borrowerId !== undefined) {
          await auditSignIn(
            request,
            { actorKind: 'anonymous', actorId: `ip ${request.ip}`, action: 'borrower.sign_in', outcome: 401 },
            borrowerId,
            {},
          );
        }
        throw signInFailed();
      }
      const session = await ctx.sessions.start('borrower', borrowerId);
      await auditSignIn(
        request,
        { actorKind: 'borrower', actorId: borrowerId, action: 'borrower.sign_in', outcome: 200 },
        borrowerId,
        {},
      );
      setCookie(reply, session.token, session.expiresAt);
      return {
        ...session,
        principal: principalView({ kind: 'borrower', borrowerId, tokenHash: '' }, session.expiresAt),
      };
    },
  );

  api.post(
    '/auth/sign-out',
    {
      config: { access: { kind: 'signed_in' } },
      schema: { tags: ['auth'], summary: 'End this session', response: { 204: z.null(), 401: problemSchema } },
    },
    async (request, reply) => {
      const principal = request.principal;
      if (principal !== null) await ctx.sessions.end(principal.tokenHash);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      void reply.code(204);
      return null;
    },
  );

  api.get(
    '/auth/session',
    {
      config: { access: { kind: 'signed_in' } },
      schema: {
        tags: ['auth'],
        summary: 'Who is signed in, and what they may do',
        response: { 200: principalSchema, 401: problemSchema },
      },
    },
    async (request) => principalView(request.principal as Principal),
  );
}
