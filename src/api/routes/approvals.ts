// Maker-checker approvals over HTTP: the approvals inbox and its history, and deciding a request (a
// strategy activation is asked for in strategies.ts; docs/strategies.md, "Activation and approval"; a
// payment reversal above the threshold in reversals.ts, carried out when approved).
// Invariants: asking needs strategies:write and deciding approvals:decide; nobody decides their own request (403 `own_request`); a request is decided once (409
// `approval_not_pending` for the second of two deciders); reading the inbox and the history needs only
// strategies:read, so compliance can audit who asked for and who approved every strategy; every request
// and decision is audited with its approval id, the strategy and its digest.
import { z } from 'zod';
import { APPROVAL_COMMENT_MAX, approveRequest, rejectRequest, type ReversalRequestDocument } from '../../app/index.ts';
import { approvalKinds, approvalStatuses, getApproval, listApprovals, type ApprovalRow } from '../../store/index.ts';
import type { Api, ApiContext } from '../context.ts';
import { commandContextOf } from '../command-context.ts';
import { notFound, problemSchema, refusalProblem } from '../problem.ts';
import { decodeCursor, idSchema, page, pageOf, pageQuerySchema } from '../schemas.ts';
import { errorResponses, money, staffUsername } from './common.ts';
import { paymentReversalSchema, paymentReversalView } from './reversals.ts';

/** The approval routes' problems, and the strategy activation's: a request that moved on is 409. */
export const approvalErrors = { ...errorResponses, 409: problemSchema };

export const commentSchema = z.string().max(APPROVAL_COMMENT_MAX).optional();

const changeSchema = z.object({
  kind: z.string(),
  id: z.string().optional(),
  arm: z.string().optional(),
  fields: z
    .array(z.object({ field: z.string(), from: z.unknown().optional(), to: z.unknown().optional() }))
    .describe('`from` or `to` is absent when the field is absent on that side'),
  text: z.string(),
});

export const approvalSchema = z
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
      strategy: z
        .object({ name: z.string(), version: z.number().int() })
        .optional()
        .describe('a strategy_activation: the strategy asked for'),
      reversal: z
        .object({
          reversalId: z.string(),
          paymentId: z.string(),
          loanId: z.string(),
          borrowerId: z.string(),
          amount: z.string(),
          currency: z.string(),
          reason: z.string(),
          on: z.string(),
        })
        .optional()
        .describe('a payment_reversal: the reversal asked for, carried out when approved'),
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

function reversalDetail(document: ReversalRequestDocument) {
  const { amountMinor, ...rest } = document;
  return { ...rest, amount: money(BigInt(amountMinor), document.currency) };
}

export function approvalView(row: ApprovalRow, withDocument: boolean): ApprovalView {
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
      ...(row.kind === 'payment_reversal'
        ? { reversal: reversalDetail(row.document as ReversalRequestDocument) }
        : { strategy: { name: String(document.name ?? row.subject), version: Number(document.version ?? 0) } }),
      digest: row.digest,
      baseDigest: row.baseDigest,
      changes: row.changes as z.output<typeof changeSchema>[],
      ...(withDocument ? { document: row.document as Record<string, unknown> } : {}),
    },
  };
}

const approvalParams = z.object({ approvalId: idSchema });
const decisionBody = z.strictObject({ comment: commentSchema });

export function registerApprovalRoutes(api: Api, ctx: ApiContext): void {
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
        response: { 200: pageOf(approvalSchema), ...approvalErrors },
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
        response: { 200: approvalSchema, ...approvalErrors },
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
        summary:
          'Approve a pending request and carry it out (a strategy becomes the active one; a payment is reversed)',
        description:
          'Not one’s own request (403 `own_request`); only a pending one (409 `approval_not_pending`). Approving an activation supersedes every other pending activation. Approving a payment_reversal reverses the payment now (`reversal`); when the loan no longer allows it (e.g. already reversed) the refusal is 422 and the approval stays pending, to be rejected.',
        params: approvalParams,
        body: decisionBody,
        response: {
          200: approvalSchema.extend({
            superseded: z.array(z.string()),
            reversal: paymentReversalSchema.optional().describe('a payment_reversal: the reversal carried out'),
          }),
          ...approvalErrors,
          422: problemSchema,
        },
      },
    },
    async (request) => {
      staffUsername(request);
      const result = await approveRequest(commandContextOf(ctx, request), {
        input: { approvalId: request.params.approvalId, comment: request.body.comment ?? null },
      });
      if (!result.ok) throw refusalProblem(result);
      const view = approvalView(result.value.approval, true);
      const { reversal } = result.value;
      return {
        ...view,
        superseded: result.value.superseded,
        ...(reversal === undefined ? {} : { reversal: paymentReversalView(reversal) }),
      };
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
        response: { 200: approvalSchema, ...approvalErrors },
      },
    },
    async (request) => {
      staffUsername(request);
      const result = await rejectRequest(commandContextOf(ctx, request), {
        input: { approvalId: request.params.approvalId, comment: request.body.comment ?? null },
      });
      if (!result.ok) throw refusalProblem(result);
      const view = approvalView(result.value.approval, false);
      return view;
    },
  );
}
