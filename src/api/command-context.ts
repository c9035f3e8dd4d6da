// The application layer's context for a command run by an API request: the request's principal is the
// actor, the API clock the instant, and the command's audit row is merged into the request's own row (the
// API writes one row per request, src/api/app.ts), so a command run over HTTP is recorded once.
import type { FastifyRequest } from 'fastify';
import type { CommandContext } from '../app/index.ts';
import type { ApiContext } from './context.ts';
import { ApiProblem } from './problem.ts';

export function commandContextOf(ctx: ApiContext, request: FastifyRequest): CommandContext {
  const principal = request.principal;
  if (principal === null) throw new ApiProblem('unauthenticated', 'sign in first');
  return {
    db: ctx.db,
    actor:
      principal.kind === 'staff'
        ? { kind: 'staff', id: principal.username }
        : { kind: 'borrower', id: principal.borrowerId },
    nowMs: ctx.clock(),
    audit: {
      record: async (entry) => {
        const note = request.auditNote;
        if (note === null) return;
        if (note.subjectBorrowerId === null) note.subjectBorrowerId = entry.subjectBorrowerId;
        note.detail = { ...note.detail, command: entry.action, ...entry.detail };
      },
    },
  };
}
