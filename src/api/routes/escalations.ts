// Escalating a collection case up the ladder (soft → hard → legal by default), with the lawyer's letter a
// stage may send, and reading a case's escalations and their letters (the PDF as sent). Orchestration
// only: the decision and its writes are `escalate`'s (src/app/workbench.ts, src/workbench/escalation.ts).
// Invariants: staff with cases:work only — a collector as the agent their username names (the case must
// be theirs or nobody's), a supervisor or admin on any open case, recorded under their username; the command carries an Idempotency-Key — the same request again answers the first
// answer (Idempotency-Replayed: true), another request under it 409; a dry run decides and writes
// nothing, and uses no key; a refusal (DPD, notices missing, contact paused, no postal address…) is 422
// with its stable code and writes nothing; a letter stage without the lender's letter settings answers
// 503 letters_unavailable; addresses are masked without pii:read and every read of a letter is audited.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { InputError } from '../../errors/index.ts';
import { escalate, type Escalated } from '../../app/index.ts';
import { getCase, getEscalationLetter, listEscalations, type EscalationRow } from '../../store/index.ts';
import { maskMiddle } from '../auth/masking.ts';
import type { Api, ApiContext } from '../context.ts';
import { ApiProblem, notFound, problemSchema, refusalProblem } from '../problem.ts';
import { idSchema } from '../schemas.ts';
import {
  errorResponses as errors,
  idempotencyHeaders,
  refusalResponses,
  requireBorrowerAccess,
  seesPii,
  staffUsername,
} from './common.ts';

/** A lawyer's letter cannot be rendered or sent now (503), besides the usual refusals. */
const refusals = { ...refusalResponses, 503: problemSchema };

export const LETTERS_UNAVAILABLE = 'letters_unavailable';

const caseParams = z.object({
  borrowerId: idSchema,
  caseId: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, { error: 'must be a case id this API returned' }),
});

const letterSchema = z.object({
  contactId: z.string().describe('the letter as a sent contact (in the borrower’s messages, verifiable by its code)'),
  address: z.string().describe('the borrower’s own postal address; masked without pii:read'),
  code: z.string().describe('the verification code printed on the letter'),
  bytes: z.number().int().describe('size of the PDF'),
  subject: z.string(),
});

const escalationResultSchema = z
  .object({
    outcome: z.enum(['escalated', 'dry_run']),
    fromStage: z.string(),
    toStage: z.string(),
    reasons: z.array(z.string()).describe('every condition met (DPD, notices sent and when)'),
    seq: z.number().int().nullable().describe("the escalation's number on the case; null for a dry run"),
    letter: letterSchema.nullable(),
    preview: z
      .object({
        locale: z.string(),
        sender: z.object({ name: z.string(), address: z.string() }),
        recipientAddress: z.string(),
        dateText: z.string(),
        subject: z.string(),
        body: z.string(),
        verificationCode: z.string().describe('a placeholder: the code is assigned when the letter is sent'),
      })
      .nullable()
      .describe('dry run: the letter as it would print'),
    wouldWrite: z
      .object({
        caseStage: z.string(),
        escalation: z.object({ fromStage: z.string(), toStage: z.string(), reasons: z.array(z.string()) }),
        letter: z.object({ contactId: z.string(), address: z.string() }).nullable(),
      })
      .optional()
      .describe('dry run: what a real run would write; nothing was'),
    replayed: z.boolean().describe('the first answer under this Idempotency-Key, answered again'),
  })
  .meta({ id: 'Escalation' });

const escalationRowSchema = z
  .object({
    seq: z.number().int(),
    fromStage: z.string(),
    toStage: z.string(),
    agentId: z.string(),
    escalatedAt: z.string(),
    reasons: z.array(z.string()),
    letter: z
      .object({ contactId: z.string(), address: z.string(), code: z.string(), bytes: z.number().int() })
      .nullable(),
  })
  .meta({ id: 'EscalationRecord' });

/** Supervisors and admins work no queue: they escalate any open case, whoever holds it. */
function supervises(request: FastifyRequest): boolean {
  const principal = request.principal;
  return principal?.kind === 'staff' && (principal.role === 'supervisor' || principal.role === 'admin');
}

/** A postal address as someone without pii:read sees it. */
function maskedPostal(address: string, unmasked: boolean): string {
  return unmasked ? address : maskMiddle(address, 2, 2);
}

function escalationJson(
  result: Escalated,
  unmasked: boolean,
  replayed: boolean,
): z.output<typeof escalationResultSchema> {
  const { preview, wouldWrite, letter } = result;
  return {
    outcome: result.outcome,
    fromStage: result.fromStage,
    toStage: result.toStage,
    reasons: result.reasons,
    seq: result.seq,
    letter: letter === null ? null : { ...letter, address: maskedPostal(letter.address, unmasked) },
    preview:
      preview === null
        ? null
        : {
            locale: preview.locale,
            sender: preview.sender,
            recipientAddress: maskedPostal(preview.recipientAddress, unmasked),
            dateText: preview.dateText,
            subject: preview.subject,
            body: preview.body,
            verificationCode: preview.verificationCode,
          },
    ...(wouldWrite === undefined
      ? {}
      : {
          wouldWrite: {
            ...wouldWrite,
            letter:
              wouldWrite.letter === null
                ? null
                : { ...wouldWrite.letter, address: maskedPostal(wouldWrite.letter.address, unmasked) },
          },
        }),
    replayed,
  };
}

function escalationRowJson(row: EscalationRow, unmasked: boolean): z.output<typeof escalationRowSchema> {
  return {
    seq: row.seq,
    fromStage: row.fromStage,
    toStage: row.toStage,
    agentId: row.agentId,
    escalatedAt: new Date(row.escalatedAtMs).toISOString(),
    reasons: row.reasons,
    letter: row.letter === null ? null : { ...row.letter, address: maskedPostal(row.letter.address, unmasked) },
  };
}

export function registerEscalationRoutes(api: Api, ctx: ApiContext): void {
  api.post(
    '/cases/:borrowerId/:caseId/escalations',
    {
      config: { access: { kind: 'permission', permission: 'cases:work', borrower: false } },
      schema: {
        tags: ['cases'],
        summary: 'Escalate a case to a later stage, sending the lawyer’s letter when that stage has one',
        description:
          'The signed-in agent (their username is their agent id) moves their case (or an unassigned one) to ' +
          '`toStage`; a supervisor or admin moves any open case. Refused (422, nothing written) unless the ' +
          'stage is later on the ladder, the borrower’s DPD and the notices sent meet its conditions ' +
          '(`dpd_below_stage`, `notices_missing`), contact is not paused for a complaint or dispute ' +
          '(`contact_paused`), no hardship request is open and no promise ' +
          'to pay is still to come (`promise_open`). A stage with a lawyer’s letter renders it as a PDF to the ' +
          'borrower’s own postal address (refused without one or when the compliance gate would not send a ' +
          'letter now, field `letter`), records it as a sent message with a verification code and stores the ' +
          'PDF (GET …/escalations/{seq}/letter). `dryRun: true` answers the decision, the letter’s text and ' +
          '`wouldWrite`, and writes nothing. The same Idempotency-Key with the same body answers the first ' +
          'answer again (header Idempotency-Replayed: true); with another body 409 idempotency_key_reused.',
        params: caseParams,
        headers: idempotencyHeaders,
        body: z.strictObject({
          toStage: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, { error: 'must be a stage name of the ladder' }),
          dryRun: z.boolean().optional(),
        }),
        response: { 200: escalationResultSchema, 201: escalationResultSchema, ...errors, ...refusals },
      },
    },
    async (request, reply) => {
      const { borrowerId, caseId } = request.params;
      requireBorrowerAccess(request, borrowerId, `case ${caseId}`);
      const key = request.headers['idempotency-key'];
      const { toStage, dryRun } = request.body;
      request.auditNote!.detail = { caseId, toStage, dryRun: dryRun === true, idempotencyKey: key };
      let result: Awaited<ReturnType<typeof escalate>>;
      try {
        result = await escalate({
          db: ctx.db,
          ...(ctx.cases === undefined ? {} : { config: ctx.cases }),
          request: {
            idempotencyKey: `api:${borrowerId}:${key}`,
            ...(dryRun === true ? { dryRun: true } : {}),
            agentId: staffUsername(request),
            ...(supervises(request) ? { supervisor: true } : {}),
            borrowerId,
            caseId,
            toStage,
            nowMs: ctx.clock(),
          },
        });
      } catch (error) {
        // The lender's letter settings are the server's configuration, not the client's input.
        if (error instanceof InputError && error.field.startsWith('config.')) {
          throw new ApiProblem(
            'unavailable',
            `${toStage} sends a lawyer's letter, and this server has no ${error.field.slice(7)} configured`,
            {
              code: LETTERS_UNAVAILABLE,
            },
          );
        }
        if (error instanceof InputError && error.field === 'agentId') {
          throw new ApiProblem('forbidden', `${staffUsername(request)} is not an active agent of the queue`, {
            code: 'not_an_agent',
          });
        }
        throw error;
      }
      if (!result.ok) {
        if (result.code === 'case_not_found') throw notFound(`case ${caseId}`);
        throw refusalProblem(result);
      }
      const replayed = result.value.replayed === true;
      request.auditNote!.detail = { ...request.auditNote!.detail, seq: result.value.seq, replayed };
      if (replayed) void reply.header('idempotency-replayed', 'true');
      void reply.code(result.value.outcome === 'dry_run' ? 200 : 201);
      return escalationJson(result.value, seesPii(request, borrowerId), replayed);
    },
  );

  api.get(
    '/cases/:borrowerId/:caseId/escalations',
    {
      config: { access: { kind: 'permission', permission: 'cases:work', borrower: false } },
      schema: {
        tags: ['cases'],
        summary: "The case's escalations in order, each with its reasons and the lawyer's letter it sent",
        params: caseParams,
        response: { 200: z.object({ items: z.array(escalationRowSchema) }), ...errors },
      },
    },
    async (request) => {
      const { borrowerId, caseId } = request.params;
      requireBorrowerAccess(request, borrowerId, `case ${caseId}`);
      if ((await getCase(ctx.db, { borrowerId, caseId })) === undefined) throw notFound(`case ${caseId}`);
      const rows = await listEscalations(ctx.db, { borrowerId, caseId });
      const unmasked = seesPii(request, borrowerId);
      if (unmasked && rows.some((row) => row.letter !== null)) {
        await ctx.auditRead(request, { action: 'escalations.list', borrowerIds: [borrowerId], detail: { caseId } });
      }
      return { items: rows.map((row) => escalationRowJson(row, unmasked)) };
    },
  );

  api.get(
    '/cases/:borrowerId/:caseId/escalations/:seq/letter',
    {
      config: { access: { kind: 'permission', permission: 'cases:work', borrower: false } },
      schema: {
        tags: ['cases'],
        summary: "The lawyer's letter an escalation sent, as the PDF that was sent (application/pdf)",
        params: caseParams.extend({ seq: z.coerce.number().int().min(1).max(1_000_000) }),
        response: { 200: z.string().describe('application/pdf'), ...errors },
      },
    },
    async (request, reply) => {
      const { borrowerId, caseId, seq } = request.params;
      requireBorrowerAccess(request, borrowerId, `case ${caseId}`);
      if (!seesPii(request, borrowerId)) {
        throw new ApiProblem('forbidden', "the letter shows the borrower's address: pii:read is needed");
      }
      const pdf = await getEscalationLetter(ctx.db, { borrowerId, caseId, seq });
      if (pdf === undefined) throw notFound(`letter of escalation ${seq} of case ${caseId}`);
      await ctx.auditRead(request, {
        action: 'escalations.letter',
        borrowerIds: [borrowerId],
        detail: { caseId, seq },
      });
      void reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="letter-${caseId}-${seq}.pdf"`);
      // Fastify sends a Buffer as it is (no serializer); the schema's string stands for the bytes in the docs.
      return reply.send(Buffer.from(pdf) as unknown as string);
    },
  );
}
