// Maker-checker approvals over HTTP: asking for a strategy activation, the approvals inbox and its
// history, deciding a request, and the strategy in force (docs/strategies.md, "Activation and approval").
// Invariants: asking needs strategies:write and deciding approvals:decide; nobody decides their own
// request (403 `own_request`); a request is decided once (409 `approval_not_pending` for the second of
// two deciders); reading the inbox and the history needs only strategies:read, so compliance can audit
// who asked for and who approved every strategy; every request and decision is audited with its approval
// id, the strategy and its digest.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { strategyJsonSchema, strategyToJson } from '../../contact/index.ts';
import {
  activeStrategyRecord,
  APPROVAL_COMMENT_MAX,
  approveRequest,
  rejectRequest,
  requestActivation,
} from '../../jobs/index.ts';
import { approvalKinds, approvalStatuses, getApproval, listApprovals, type ApprovalRow } from '../../store/index.ts';
import type { Api, ApiContext } from '../context.ts';
import { commandContextOf } from '../command-context.ts';
import { ApiProblem, notFound, problemSchema, refusalProblem } from '../problem.ts';
import { decodeCursor, domainDocument, idSchema, page, pageOf, pageQuerySchema } from '../schemas.ts';

const errors = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  409: problemSchema,
};

const commentSchema = z.string().max(APPROVAL_COMMENT_MAX).optional();

const changeSchema = z.object({
  kind: z.string(),
  id: z.string().optional(),
  arm: z.string().optional(),
  fields: z
    .array(z.object({ field: z.string(), from: z.unknown().optional(), to: z.unknown().optional() }))
    .describe('`from` or `to` is absent when the field is absent on that side'),
  text: z.string(),
});

const approvalSchema = z
  .object({
    approvalId: z.string(),
    kind: z.enum(approvalKinds),
    status: z.enum(approvalStatuses),
    summary: z.string(),
    requestedBy: z.string(),
    requestedAt: z.string(),
    comment: z.string().nullable().describe("the requester's comment"),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    decisionComment: z.string().nullable(),
    supersededBy: z.string().nullable().describe('the approved activation that made this one moot'),
    detail: z.object({
      strategy: z.object({ name: z.string(), version: z.number().int() }),
      digest: z.string().describe('SHA-256 of the canonical strategy document asked for'),
      baseDigest: z.string().nullable().describe('the active strategy when it was asked'),
      changes: z.array(changeSchema).describe('what changes against the active strategy of then'),
      document: z
        .record(z.string(), z.unknown())
        .optional()
        .describe('the exact strategy document (single approval only)'),
    }),
  })
  .meta({ id: 'Approval' });

type ApprovalView = z.output<typeof approvalSchema>;

function approvalView(row: ApprovalRow, withDocument: boolean): ApprovalView {
  const document = row.document as { name?: unknown; version?: unknown };
  return {
    approvalId: row.approvalId,
    kind: row.kind,
    status: row.status,
    summary: row.summary,
    requestedBy: row.requestedBy,
    requestedAt: row.requestedAt,
    comment: row.requestComment,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt,
    decisionComment: row.decisionComment,
    supersededBy: row.supersededBy,
    detail: {
      strategy: { name: String(document.name ?? row.subject), version: Number(document.version ?? 0) },
      digest: row.digest,
      baseDigest: row.baseDigest,
      changes: row.changes as z.output<typeof changeSchema>[],
      ...(withDocument ? { document: row.document as Record<string, unknown> } : {}),
    },
  };
}

const activeSchema = z
  .object({
    name: z.string(),
    version: z.number().int(),
    digest: z.string(),
    strategy: z.record(z.string(), z.unknown()).describe('the canonical strategy document'),
    source: z.enum(['activated', 'builtin']).describe('`builtin`: nothing was ever activated, the default applies'),
    approvalId: z.string().nullable(),
    activatedAt: z.string().nullable(),
    activatedBy: z.string().nullable(),
    approvedBy: z.string().nullable(),
  })
  .meta({ id: 'ActiveStrategy' });

function staffOf(request: FastifyRequest): string {
  const principal = request.principal;
  if (principal?.kind !== 'staff') throw new ApiProblem('forbidden', 'staff only');
  return principal.username;
}

const approvalParams = z.object({ approvalId: idSchema });
const decisionBody = z.strictObject({ comment: commentSchema });

export function registerApprovalsRoutes(api: Api, ctx: ApiContext): void {
  api.get(
    '/strategies/active',
    {
      config: { access: { kind: 'permission', permission: 'strategies:read', borrower: false } },
      schema: {
        tags: ['strategies'],
        summary: 'The strategy in force: the one the daily contact planning uses',
        response: { 200: activeSchema, ...errors },
      },
    },
    async () => {
      const active = await activeStrategyRecord(ctx.db);
      return {
        name: active.strategy.name,
        version: active.strategy.version,
        digest: active.digest,
        strategy: strategyToJson(active.strategy) as unknown as Record<string, unknown>,
        source: active.source,
        approvalId: active.approvalId,
        activatedAt: active.activatedAt,
        activatedBy: active.activatedBy,
        approvedBy: active.approvedBy,
      };
    },
  );

  api.post(
    '/strategies/activations',
    {
      config: { access: { kind: 'permission', permission: 'strategies:write', borrower: false } },
      schema: {
        tags: ['strategies'],
        summary: 'Ask for a strategy to become the active one; another member approves it (an approval, 201)',
        description:
          'The document is validated (400 naming the field), stored with its digest and its diff against the active strategy. 409 `identical_to_active`, `already_pending`; 400 at `strategy.version` when that name and version already stand for another document.',
        body: z.strictObject({
          strategy: z
            .union([
              z.string().max(64),
              domainDocument(strategyJsonSchema(), 'a whole strategy document (docs/strategies.md)'),
            ])
            .describe('a built-in name, or the whole strategy document previewed'),
          comment: commentSchema,
        }),
        response: { 201: approvalSchema, ...errors },
      },
    },
    async (request, reply) => {
      staffOf(request);
      const result = await requestActivation(commandContextOf(ctx, request), {
        input: { strategy: request.body.strategy, comment: request.body.comment ?? null },
      });
      if (!result.ok) throw refusalProblem(result);
      const view = approvalView(result.value, true);
      void reply.code(201);
      return view;
    },
  );

  api.get(
    '/approvals',
    {
      config: { access: { kind: 'permission', permission: 'strategies:read', borrower: false } },
      schema: {
        tags: ['approvals'],
        summary: 'Approval requests, newest first (the inbox: `status=pending`; the history: any status)',
        querystring: pageQuerySchema.extend({
          status: z.enum(approvalStatuses).optional(),
          kind: z.enum(approvalKinds).optional(),
        }),
        response: { 200: pageOf(approvalSchema), ...errors },
      },
    },
    async (request) => {
      const { limit, cursor, status, kind } = request.query;
      const before = decodeCursor(cursor, z.object({ t: z.iso.datetime(), id: idSchema }));
      const rows = await listApprovals(ctx.db, {
        limit,
        ...(status === undefined ? {} : { status }),
        ...(kind === undefined ? {} : { kind }),
        ...(before === undefined ? {} : { before: { requestedAt: before.t, approvalId: before.id } }),
      });
      const result = page(rows, limit, (last) => ({ t: last.requestedAt, id: last.approvalId }));
      return { items: result.items.map((row) => approvalView(row, false)), nextCursor: result.nextCursor };
    },
  );

  api.get(
    '/approvals/:approvalId',
    {
      config: { access: { kind: 'permission', permission: 'strategies:read', borrower: false } },
      schema: {
        tags: ['approvals'],
        summary: 'One approval request, with the exact document asked for',
        params: approvalParams,
        response: { 200: approvalSchema, ...errors },
      },
    },
    async (request) => {
      const row = await getApproval(ctx.db, request.params.approvalId);
      if (row === undefined) throw notFound(`approval ${request.params.approvalId}`);
      return approvalView(row, true);
    },
  );

  api.post(
    '/approvals/:approvalId/approve',
    {
      config: { access: { kind: 'permission', permission: 'approvals:decide', borrower: false } },
      schema: {
        tags: ['approvals'],
        summary: 'Approve a pending request and carry it out (a strategy becomes the active one)',
        description:
          'Not one’s own request (403 `own_request`); only a pending one (409 `approval_not_pending`). Approving an activation supersedes every other pending activation.',
        params: approvalParams,
        body: decisionBody,
        response: { 200: approvalSchema.extend({ superseded: z.array(z.string()) }), ...errors },
      },
    },
    async (request) => {
      staffOf(request);
      const result = await approveRequest(commandContextOf(ctx, request), {
        input: { approvalId: request.params.approvalId, comment: request.body.comment ?? null },
      });
      if (!result.ok) throw refusalProblem(result);
      const view = approvalView(result.value.approval, true);
      return { ...view, superseded: result.value.superseded };
    },
  );

  api.post(
    '/approvals/:approvalId/reject',
    {
      config: { access: { kind: 'permission', permission: 'approvals:decide', borrower: false } },
      schema: {
        tags: ['approvals'],
        summary: 'Reject a pending request (not one’s own); nothing else changes',
        params: approvalParams,
        body: decisionBody,
        response: { 200: approvalSchema, ...errors },
      },
    },
    async (request) => {
      staffOf(request);
      const result = await rejectRequest(commandContextOf(ctx, request), {
        input: { approvalId: request.params.approvalId, comment: request.body.comment ?? null },
      });
      if (!result.ok) throw refusalProblem(result);
      const view = approvalView(result.value.approval, false);
      return view;
    },
  );
}
