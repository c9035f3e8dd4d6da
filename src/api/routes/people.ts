// Staff accounts (admin), products, and borrowers with their personal data. Invariants: personal data
// (contacts, identity numbers) is masked for staff without pii:read, and every read of it — masked or
// not — is in the audit chain before it is returned; a borrower reads only their own record; password
// hashes never leave the server; disabling an account or changing its password ends its sessions.
import { z } from 'zod';
import { parseTimeZone } from '../../calendar/index.ts';
import { InputError } from '../../errors/index.ts';
import {
  checkAgentSettings,
  productApr,
  productRateCapPolicy,
  staffAgentOf,
  syncStaffAgent,
} from '../../jobs/index.ts';
import {
  evaluateRateCaps,
  parseRateCapPolicy,
  parseServicingRules,
  RATE_ABOVE_CAP,
  rateCapPolicySchema,
  rateCapPolicyToJson,
  rateCapToJson,
  refusalMessage,
  servicingRulesToJson,
} from '../../servicing/index.ts';
import {
  getBorrower,
  getProduct,
  listProducts,
  upsertBorrowers,
  upsertProduct,
  type ProductRow,
} from '../../store/index.ts';
import {
  createStaffAccount,
  getBorrowerIdentities,
  getStaffAccount,
  identityTypes,
  listStaffAccounts,
  staffRoles,
  staffUsernamePattern,
  updateStaffAccount,
  upsertBorrowerIdentity,
  type BorrowerIdentityRow,
} from '../../store/access.ts';
import type { BorrowerRow } from '../../store/index.ts';
import { listBorrowersPage } from '../../store/pages.ts';
import { maskContacts, maskIdNumber } from '../auth/masking.ts';
import { checkNewPassword, hashPassword } from '../auth/passwords.ts';
import type { Api, ApiContext } from '../context.ts';
import { ApiProblem, notFound, problemSchema } from '../problem.ts';
import {
  decodeCursor,
  domainDocument,
  idSchema,
  loanTermsDoc,
  page,
  pageOf,
  pageQuerySchema,
  rateCapSchema,
  servicingRulesDoc,
  textSchema,
} from '../schemas.ts';
import { refusal, requireBorrowerAccess, seesPii } from './common.ts';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };

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

const productSchema = z
  .object({
    productId: z.string(),
    name: z.string(),
    terms: z.record(z.string(), z.unknown()).describe('LoanTerms fields every loan of the product starts from'),
    rules: z.record(z.string(), z.unknown()).describe('servicing rules'),
    rateCaps: z
      .unknown()
      .optional()
      .describe(
        'the pricing policy as saved ("cn-2026", "none" or its lines); absent: the default for the currency (docs/servicing.md, "Rate caps")',
      ),
    rateCap: rateCapSchema
      .optional()
      .describe("where the product's APR stands against its policy; absent when its terms do not price a loan yet"),
    createdAt: z.string(),
  })
  .meta({ id: 'Product' });

/** A product as the API shows it, with where its APR (at the reference principal and date) stands. */
function productView(row: ProductRow) {
  const terms = row.terms as Record<string, unknown>;
  const apr = productApr(terms);
  const currency = typeof terms.currency === 'string' ? terms.currency : 'CNY';
  const { rateCaps, ...rest } = row;
  return {
    ...rest,
    terms,
    rules: row.rules as Record<string, unknown>,
    ...(rateCaps === null ? {} : { rateCaps }),
    ...(apr === null ? {} : { rateCap: rateCapToJson(evaluateRateCaps(apr, productRateCapPolicy(row, currency))) }),
  };
}

/** Product terms: any LoanTerms fields but the dates, checked for shape (a loan checks the whole). */
const productTermsSchema = loanTermsDoc.partial().omit({ startDate: true, firstDueDate: true });

const contactsSchema = z.strictObject({
  sms: z
    .string()
    .regex(/^\+?[0-9]{5,20}$/, { error: 'must be a phone number' })
    .optional(),
  voice: z
    .string()
    .regex(/^\+?[0-9]{5,20}$/, { error: 'must be a phone number' })
    .optional(),
  email: z.email({ error: 'must be an e-mail address' }).max(254).optional(),
  push: textSchema(512).optional(),
});

export const borrowerSchema = z
  .object({
    borrowerId: z.string(),
    name: z.string(),
    timezone: z.string(),
    locale: z.string(),
    contacts: z.record(z.string(), z.unknown()),
    identity: z.object({ idType: z.string(), idNumber: z.string() }).nullable(),
    masked: z.boolean().describe('true when contacts and identity are masked (no pii:read)'),
    createdAt: z.string(),
  })
  .meta({ id: 'Borrower' });

function borrowerView(
  borrower: BorrowerRow,
  identity: BorrowerIdentityRow | undefined,
  unmasked: boolean,
): z.output<typeof borrowerSchema> {
  return {
    borrowerId: borrower.borrowerId,
    name: borrower.name,
    timezone: borrower.timezone,
    locale: borrower.locale,
    contacts: unmasked ? ((borrower.contacts ?? {}) as Record<string, unknown>) : maskContacts(borrower.contacts),
    identity:
      identity === undefined
        ? null
        : { idType: identity.idType, idNumber: unmasked ? identity.idNumber : maskIdNumber(identity.idNumber) },
    masked: !unmasked,
    createdAt: borrower.createdAt,
  };
}

export function registerPeopleRoutes(api: Api, ctx: ApiContext): void {
  // ---- staff ----------------------------------------------------------------------------------------
  api.get(
    '/staff',
    {
      config: { access: { kind: 'permission', permission: 'staff:read', borrower: false } },
      schema: {
        tags: ['staff'],
        summary: 'Staff accounts',
        querystring: pageQuerySchema,
        response: { 200: pageOf(staffSchema), ...errors },
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
        response: { 201: staffSchema, 409: problemSchema, ...errors },
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
        response: { 200: staffSchema, 409: problemSchema, ...errors },
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

  // ---- products -------------------------------------------------------------------------------------
  api.get(
    '/products',
    {
      config: { access: { kind: 'permission', permission: 'products:read', borrower: false } },
      schema: {
        tags: ['products'],
        summary: 'Products: named loan terms and servicing rules',
        querystring: pageQuerySchema,
        response: { 200: pageOf(productSchema), ...errors },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const after = decodeCursor(cursor, z.object({ p: idSchema }));
      // A lender has a handful of products; the store lists them all.
      const all = await listProducts(ctx.db);
      const rows = all.filter((row) => after === undefined || row.productId > after.p).slice(0, limit);
      return page(rows.map(productView), limit, (last) => ({ p: last.productId }));
    },
  );

  api.get(
    '/products/:productId',
    {
      config: { access: { kind: 'permission', permission: 'products:read', borrower: false } },
      schema: {
        tags: ['products'],
        summary: 'One product',
        params: z.object({ productId: idSchema }),
        response: { 200: productSchema, ...errors },
      },
    },
    async (request) => {
      const product = await getProduct(ctx.db, request.params.productId);
      if (product === undefined) throw notFound(`product ${request.params.productId}`);
      return productView(product);
    },
  );

  api.put(
    '/products/:productId',
    {
      config: { access: { kind: 'permission', permission: 'products:write', borrower: false } },
      schema: {
        tags: ['products'],
        summary: 'Create or replace a product',
        params: z.object({ productId: idSchema }),
        body: z.strictObject({
          name: textSchema(200).min(1),
          terms: productTermsSchema.default({}),
          rules: domainDocument(servicingRulesDoc, 'servicing rules (docs/servicing.md)').optional(),
          rateCaps: domainDocument(
            rateCapPolicySchema,
            'pricing policy: "cn-2026", "none", or {warnAprAbove, refuseAprAbove, lprLine}; default: by currency (docs/servicing.md, "Rate caps")',
          ).optional(),
        }),
        response: { 200: productSchema, 422: problemSchema, ...errors },
      },
    },
    async (request) => {
      const { productId } = request.params;
      const rules = servicingRulesToJson(parseServicingRules(request.body.rules ?? {}, { field: 'rules' }));
      const policy =
        request.body.rateCaps === undefined ? undefined : parseRateCapPolicy(request.body.rateCaps, 'rateCaps');
      const { terms } = request.body;
      // A product priced above its policy's refusal line is refused before it is saved; a warning is
      // saved and shown on the product (`rateCap`).
      const apr = productApr(terms);
      if (apr !== null) {
        const currency = terms.currency ?? 'CNY';
        const evaluation = evaluateRateCaps(apr, policy ?? productRateCapPolicy(undefined, currency));
        if (evaluation.level === 'refused') {
          throw refusal(RATE_ABOVE_CAP, `terms.annualRate: ${refusalMessage(evaluation)}`, 'terms.annualRate');
        }
      }
      request.auditNote!.detail = { productId };
      await upsertProduct(ctx.db, {
        productId,
        name: request.body.name,
        terms,
        rules,
        ...(policy === undefined ? {} : { rateCaps: rateCapPolicyToJson(policy) }),
      });
      const product = await getProduct(ctx.db, productId);
      if (product === undefined) throw new Error(`product ${productId} vanished after it was written`);
      return productView(product);
    },
  );

  // ---- borrowers ------------------------------------------------------------------------------------
  api.get(
    '/borrowers',
    {
      config: { access: { kind: 'permission', permission: 'borrowers:read', borrower: false } },
      schema: {
        tags: ['borrowers'],
        summary: 'Borrowers (personal data masked without pii:read; every read is audited)',
        querystring: pageQuerySchema,
        response: { 200: pageOf(borrowerSchema), ...errors },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const after = decodeCursor(cursor, z.object({ b: idSchema }));
      const rows = await listBorrowersPage(ctx.db, { limit, ...(after ? { after: after.b } : {}) });
      const identities = await getBorrowerIdentities(
        ctx.db,
        rows.map((row) => row.borrowerId),
      );
      const items = rows.map((row) =>
        borrowerView(row, identities.get(row.borrowerId), seesPii(request, row.borrowerId)),
      );
      if (items.length > 0) {
        await ctx.auditRead(request, {
          action: 'borrowers.list',
          borrowerIds: items.map((item) => item.borrowerId),
          detail: { masked: items[0]?.masked ?? true },
        });
      }
      return page(items, limit, (last) => ({ b: last.borrowerId }));
    },
  );

  api.get(
    '/borrowers/:borrowerId',
    {
      config: { access: { kind: 'permission', permission: 'borrowers:read', borrower: true } },
      schema: {
        tags: ['borrowers'],
        summary: 'One borrower (a borrower may read only their own record)',
        params: z.object({ borrowerId: idSchema }),
        response: { 200: borrowerSchema, ...errors },
      },
    },
    async (request) => {
      const { borrowerId } = request.params;
      requireBorrowerAccess(request, borrowerId);
      const borrower = await getBorrower(ctx.db, borrowerId);
      if (borrower === undefined) throw notFound(`borrower ${borrowerId}`);
      const identities = await getBorrowerIdentities(ctx.db, [borrowerId]);
      const view = borrowerView(borrower, identities.get(borrowerId), seesPii(request, borrowerId));
      await ctx.auditRead(request, {
        action: 'borrowers.read',
        borrowerIds: [borrowerId],
        detail: { masked: view.masked },
      });
      return view;
    },
  );

  api.put(
    '/borrowers/:borrowerId',
    {
      config: { access: { kind: 'permission', permission: 'borrowers:write', borrower: false } },
      schema: {
        tags: ['borrowers'],
        summary: 'Create a borrower or replace their name, zone, locale, contacts and identity',
        params: z.object({ borrowerId: idSchema }),
        body: z.strictObject({
          name: textSchema(200).min(1),
          timezone: z.string().max(64).describe('IANA zone, e.g. Asia/Shanghai'),
          locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
          contacts: contactsSchema.default({}),
          identity: z
            .strictObject({
              idType: z.enum(identityTypes),
              idNumber: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, { error: 'must be 1-64 letters, digits or -' }),
            })
            .optional(),
        }),
        response: { 200: borrowerSchema, ...errors },
      },
    },
    async (request) => {
      const { borrowerId } = request.params;
      const body = request.body;
      request.auditNote!.subjectBorrowerId = borrowerId;
      const timezone = parseTimeZone(body.timezone, 'timezone');
      if (body.name.trim() === '') throw new InputError('name', 'must not be blank');
      await ctx.db.transaction(async (tx) => {
        await upsertBorrowers(tx, [
          { borrowerId, name: body.name, timezone, locale: body.locale, contacts: body.contacts },
        ]);
        if (body.identity !== undefined) {
          await upsertBorrowerIdentity(tx, { borrowerId, ...body.identity, atMs: ctx.clock() });
        }
      });
      const borrower = await getBorrower(ctx.db, borrowerId);
      if (borrower === undefined) throw new Error(`borrower ${borrowerId} vanished after it was written`);
      const identities = await getBorrowerIdentities(ctx.db, [borrowerId]);
      return borrowerView(borrower, identities.get(borrowerId), seesPii(request, borrowerId));
    },
  );
}
