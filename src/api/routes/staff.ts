// Staff accounts (admin): listing, creating, and changing a role, a password, the disabled flag or the
// queue agent an account is. Invariants: password hashes never leave the server; disabling an account or
// changing its password ends its sessions; no change leaves the lender without an enabled admin (409).
import { z } from 'zod';
import { checkAgentSettings, staffAgentOf, syncStaffAgent } from '../../app/index.ts';
import {
  createStaffAccount,
  getStaffAccount,
  listStaffAccounts,
  staffRoles,
  staffUsernamePattern,
  updateStaffAccount,
} from '../../store/access.ts';
import { checkNewPassword, hashPassword } from '../auth/passwords.ts';
import type { Api, ApiContext } from '../context.ts';
import { ApiProblem, notFound, problemSchema } from '../problem.ts';
import { decodeCursor, page, pageOf, pageQuerySchema } from '../schemas.ts';
import { errorResponses } from './common.ts';

const agentSettingsSchema = z.strictObject({
  languages: z.array(z.string().max(35)).max(50).optional().describe('languages the agent works in (empty: any)'),
  buckets: z.array(z.string().max(16)).max(50).optional().describe('delinquency buckets the agent takes (empty: any)'),
  capacity: z.number().int().min(0).max(10_000).optional().describe('open cases held at once'),
});

const staffSchema = z.object({
  username: z.string(),
  role: z.enum(staffRoles),
  disabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  agent: z
    .object({
      team: z.string(),
      languages: z.array(z.string()),
      buckets: z.array(z.string()),
      capacity: z.number().int(),
      onShift: z.boolean(),
    })
    .nullable()
    .optional()
    .describe('the queue agent a collector or compliance officer is (null: the role works no queue)'),
});

const usernameSchema = z.string().regex(staffUsernamePattern, {
  error: 'must be 1-64 lower-case letters, digits or . _ - starting with a letter or digit',
});

export function registerStaffRoutes(api: Api, ctx: ApiContext): void {
  api.get(
    '/staff',
    {
      config: { access: { kind: 'permission', permission: 'staff:read', borrower: false } },
      schema: {
        tags: ['staff'],
        summary: 'Staff accounts',
        querystring: pageQuerySchema,
        response: { 200: pageOf(staffSchema), ...errorResponses },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const after = decodeCursor(cursor, z.object({ u: z.string().regex(staffUsernamePattern) }));
      const rows = await listStaffAccounts(ctx.db, { limit, ...(after ? { after: after.u } : {}) });
      const withAgents = [];
      for (const { passwordHash: _hash, ...row } of rows) {
        withAgents.push({ ...row, agent: await staffAgentOf(ctx.db, row) });
      }
      return page(withAgents, limit, (last) => ({ u: last.username }));
    },
  );

  api.post(
    '/staff',
    {
      config: { access: { kind: 'permission', permission: 'staff:write', borrower: false } },
      schema: {
        tags: ['staff'],
        summary: 'Create a staff account',
        body: z.strictObject({
          username: usernameSchema,
          role: z.enum(staffRoles),
          password: z.string().max(256).describe('at least 10 characters'),
          agent: agentSettingsSchema
            .optional()
            .describe('for a collector or compliance officer: the queue agent’s skills and capacity'),
        }),
        response: { 201: staffSchema, 409: problemSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { username, role, password, agent: settings } = request.body;
      request.auditNote!.detail = { username, role, agent: settings };
      checkAgentSettings(role, settings ?? {});
      const passwordHash = await hashPassword(checkNewPassword(password), ctx.passwordHashing);
      const created = await createStaffAccount(ctx.db, { username, role, passwordHash, atMs: ctx.clock() });
      if (!created)
        throw new ApiProblem('conflict', `user ${username} exists already`, { code: 'user_exists', field: 'username' });
      const agent = await syncStaffAgent(ctx.db, { username, role, disabled: false }, settings ?? {}, ctx.clock());
      const at = new Date(ctx.clock()).toISOString();
      void reply.code(201);
      return { username, role, disabled: false, createdAt: at, updatedAt: at, agent };
    },
  );

  api.patch(
    '/staff/:username',
    {
      config: { access: { kind: 'permission', permission: 'staff:write', borrower: false } },
      schema: {
        tags: ['staff'],
        summary:
          "Change a staff account's role, password or disabled flag (ends its sessions when disabled or re-keyed); 409 last_admin when no enabled admin would be left",
        params: z.object({ username: usernameSchema }),
        body: z.strictObject({
          role: z.enum(staffRoles).optional(),
          password: z.string().max(256).optional(),
          disabled: z.boolean().optional(),
          agent: agentSettingsSchema
            .extend({ onShift: z.boolean().optional().describe('off shift: no new cases are handed to the agent') })
            .optional(),
        }),
        response: { 200: staffSchema, 409: problemSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { username } = request.params;
      const { role, password, disabled, agent: settings } = request.body;
      request.auditNote!.detail = {
        username,
        role,
        disabled,
        passwordChanged: password !== undefined,
        agent: settings,
      };
      const before = await getStaffAccount(ctx.db, username);
      if (before === undefined) throw notFound(`user ${username}`);
      checkAgentSettings(role ?? before.role, settings ?? {});
      const passwordHash =
        password === undefined ? undefined : await hashPassword(checkNewPassword(password), ctx.passwordHashing);
      const result = await updateStaffAccount(ctx.db, {
        username,
        atMs: ctx.clock(),
        ...(role === undefined ? {} : { role }),
        ...(passwordHash === undefined ? {} : { passwordHash }),
        ...(disabled === undefined ? {} : { disabled }),
      });
      if (result === 'not_found') throw notFound(`user ${username}`);
      if (result === 'last_admin') {
        throw new ApiProblem('conflict', `${username} is the last enabled admin; enable or add another admin first`, {
          code: 'last_admin',
          field: disabled === true ? 'disabled' : 'role',
        });
      }
      if (disabled === true || passwordHash !== undefined) await ctx.sessions.endAll('staff', username);
      else ctx.sessions.forgetStaff(username);
      const account = await getStaffAccount(ctx.db, username);
      if (account === undefined) throw notFound(`user ${username}`);
      // The agent follows the account: off while disabled, back on shift when enabled again.
      const shift = disabled === false && settings?.onShift === undefined ? { onShift: true } : {};
      const agent = await syncStaffAgent(ctx.db, account, { ...settings, ...shift }, ctx.clock());
      const { passwordHash: _hash, ...view } = account;
      return { ...view, agent };
    },
  );
}
