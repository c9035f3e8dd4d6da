// The audit log over HTTP: its rows, newest first, and a walk of the hash chain. Invariant: the chain is
// read-only here (src/api/audit.ts appends to it).
import { z } from 'zod';
import { listAudit, verifyAuditChain } from '../../store/audit.ts';
import type { Api, ApiContext } from '../context.ts';
import { decodeCursor, idSchema, page, pageOf, pageQuerySchema, PAGE_LIMIT_MAX } from '../schemas.ts';
import { errorResponses } from './common.ts';

const auditRowSchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actorKind: z.string(),
  actorId: z.string(),
  action: z.string(),
  resource: z.string(),
  subjectBorrowerId: z.string().nullable(),
  outcome: z.number().int(),
  detail: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});

export function registerAuditLogRoutes(api: Api, ctx: ApiContext): void {
  api.get(
    '/audit',
    {
      config: { access: { kind: 'permission', permission: 'audit:read', borrower: false } },
      schema: {
        tags: ['audit'],
        summary: 'The audit log, newest first (optionally about one borrower or by one staff member)',
        querystring: pageQuerySchema.extend({
          borrowerId: idSchema.optional(),
          staff: z
            .string()
            .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/)
            .optional(),
        }),
        response: { 200: pageOf(auditRowSchema), ...errorResponses },
      },
    },
    async (request) => {
      const { limit, cursor, borrowerId, staff } = request.query;
      const before = decodeCursor(cursor, z.object({ s: z.number().int().min(1) }));
      const rows = await listAudit(ctx.db, {
        limit: Math.min(limit, PAGE_LIMIT_MAX),
        ...(before ? { beforeSeq: before.s } : {}),
        ...(borrowerId === undefined ? {} : { subjectBorrowerId: borrowerId }),
        ...(staff === undefined ? {} : { actor: { kind: 'staff' as const, id: staff } }),
      });
      return page(rows, limit, (last) => ({ s: last.seq }));
    },
  );

  api.get(
    '/audit/verify',
    {
      config: { access: { kind: 'permission', permission: 'audit:read', borrower: false } },
      schema: {
        tags: ['audit'],
        summary: 'Walk the audit chain and recompute every hash',
        response: {
          200: z.object({
            ok: z.boolean(),
            rowsChecked: z.number().int(),
            headSeq: z.number().int().optional(),
            brokenSeq: z.number().int().optional(),
            reason: z.string().optional(),
          }),
          ...errorResponses,
        },
      },
    },
    async () => {
      // Let appends made so far land, so the walk covers this request's own predecessors.
      await ctx.audit.flush();
      const result = await verifyAuditChain(ctx.db);
      return result.ok
        ? { ok: true, rowsChecked: result.rowsChecked, headSeq: result.headSeq }
        : { ok: false, rowsChecked: result.rowsChecked, brokenSeq: result.brokenSeq, reason: result.reason };
    },
  );
}
