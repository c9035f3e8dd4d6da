// Status notices ("延迟"): staff tell a borrower that a disbursement, a refund or the posting of a payment
// is slower than usual and when it is expected. The notice is queued as a planned contact (template
// status_delayed) that the contact pipeline's dispatcher gates and sends. Orchestration only: the intent
// is src/workbench/notices.ts's, the command requestStatusNotice's (src/app/workbench.ts). Invariants:
// staff with contacts:write only; the command carries an Idempotency-Key (the same request again answers
// the first answer, another under it 409); the same notice queued under another key inserts nothing
// (`queued: false`); an ETA in the past or more than 90 days away is a 400 naming `eta`.
import { z } from 'zod';
import { contactChannels } from '../../contact/index.ts';
import { requestStatusNotice } from '../../app/index.ts';
import { parseMoney } from '../../money/index.ts';
import { getLoan } from '../../store/index.ts';
import { delayKinds } from '../../workbench/index.ts';
import { commandContextOf } from '../command-context.ts';
import type { Api, ApiContext } from '../context.ts';
import { notFound, problemSchema, refusalProblem } from '../problem.ts';
import { amountSchema, idSchema, textSchema } from '../schemas.ts';
import { errorResponses as errors, idempotencyHeaders, mayAccessBorrower } from './common.ts';

const statusNoticeSchema = z
  .object({
    contactId: z.string().describe('the planned contact; its decisions show in the contact timeline'),
    queued: z.boolean().describe('false: the same notice (kind, reference, channel) was queued before'),
    variables: z.object({ what: z.string(), eta: z.string() }).describe('as the message will print them'),
    replayed: z.boolean(),
  })
  .meta({ id: 'StatusNotice' });

export function registerNoticeRoutes(api: Api, ctx: ApiContext): void {
  api.post(
    '/loans/:loanId/status-notices',
    {
      config: { access: { kind: 'permission', permission: 'contacts:write', borrower: false } },
      schema: {
        tags: ['messages'],
        summary: 'Tell the borrower something about their loan is delayed, and when it is expected',
        description:
          'Queues a status notice (template status_delayed, purpose notice: holds and pauses do not stop it, ' +
          'the compliance gate still decides when) for the contact pipeline to send. `eta` is an instant ' +
          'after now and at most 90 days away. The same Idempotency-Key with the same body answers the first ' +
          'answer (header Idempotency-Replayed: true); with another body 409 idempotency_key_reused.',
        params: z.object({ loanId: idSchema }),
        headers: idempotencyHeaders,
        body: z.strictObject({
          kind: z.enum(delayKinds),
          amount: amountSchema.describe('the amount delayed, in the loan’s currency'),
          eta: z.iso.datetime({ offset: true, error: 'must be an instant like 2026-03-14T18:00:00+08:00' }),
          reference: textSchema(64).min(1).describe('the refund, payment or disbursement it is about'),
          channel: z.enum(contactChannels),
        }),
        response: { 201: statusNoticeSchema, ...errors, 409: problemSchema, 422: problemSchema },
      },
    },
    async (request, reply) => {
      const loan = await getLoan(ctx.db, request.params.loanId);
      if (loan === undefined || !mayAccessBorrower(request, loan.borrowerId)) {
        throw notFound(`loan ${request.params.loanId}`);
      }
      const { body } = request;
      const key = request.headers['idempotency-key'];
      request.auditNote!.subjectBorrowerId = loan.borrowerId;
      request.auditNote!.detail = {
        loanId: loan.loanId,
        kind: body.kind,
        reference: body.reference,
        idempotencyKey: key,
      };
      const amountMinor = parseMoney(body.amount, loan.currency, { field: 'amount', allowZero: false }).amountMinor;
      const result = await requestStatusNotice(commandContextOf(ctx, request), {
        idempotencyKey: `api:${loan.borrowerId}:${key}`,
        input: {
          loanId: loan.loanId,
          kind: body.kind,
          amountMinor,
          etaMs: Date.parse(body.eta),
          reference: body.reference,
          channel: body.channel,
        },
      });
      if (!result.ok) throw refusalProblem(result);
      if (result.replayed) void reply.header('idempotency-replayed', 'true');
      void reply.code(201);
      return { ...result.value, replayed: result.replayed };
    },
  );
}
