// Borrowers with their personal data. Invariants: personal data (contacts, identity numbers) is masked
// for staff without pii:read, and every read of it — masked or not — is in the audit chain before it is
// returned; a borrower reads only their own record.
import { z } from 'zod';
import { parseTimeZone } from '../../calendar/index.ts';
import { InputError } from '../../errors/index.ts';
import { getBorrower, upsertBorrowers } from '../../store/index.ts';
import {
  getBorrowerIdentities,
  identityTypes,
  upsertBorrowerIdentity,
  type BorrowerIdentityRow,
} from '../../store/access.ts';
import type { BorrowerRow } from '../../store/index.ts';
import { listBorrowersPage } from '../../store/pages.ts';
import { maskContacts, maskIdNumber } from '../auth/masking.ts';
import type { Api, ApiContext } from '../context.ts';
import { notFound } from '../problem.ts';
import { decodeCursor, idSchema, page, pageOf, pageQuerySchema, textSchema } from '../schemas.ts';
import { errorResponses, requireBorrowerAccess, seesPii } from './common.ts';

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

export function registerBorrowerRoutes(api: Api, ctx: ApiContext): void {
  api.get(
    '/borrowers',
    {
      config: { access: { kind: 'permission', permission: 'borrowers:read', borrower: false } },
      schema: {
        tags: ['borrowers'],
        summary: 'Borrowers (personal data masked without pii:read; every read is audited)',
        querystring: pageQuerySchema,
        response: { 200: pageOf(borrowerSchema), ...errorResponses },
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
        response: { 200: borrowerSchema, ...errorResponses },
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
        response: { 200: borrowerSchema, ...errorResponses },
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
