// What route modules share: ownership checks (a borrower reaches only their own records; anyone else's
// answer 404, exactly like a record that does not exist), loan and borrower loading, who the principal
// is as an actor, the common response and header shapes, and money, rate and instant formatting.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { readLoanState } from '../../app/index.ts';
import { formatMinor, formatRatio, type Ratio } from '../../money/index.ts';
import type { LoanState } from '../../servicing/index.ts';
import { getBorrower, loadContactSubjects, type ContactSubject, type LoanRow } from '../../store/index.ts';
import { roleHas } from '../auth/permissions.ts';
import type { ApiContext } from '../context.ts';
import { ApiProblem, notFound, problemSchema } from '../problem.ts';
import { idSchema } from '../schemas.ts';

/** The problems any route may answer: bad input, not signed in, not allowed, not found. */
export const errorResponses = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };
/** A command refused: a reused Idempotency-Key or a state that moved on (409), a named refusal (422). */
export const refusalResponses = { 409: problemSchema, 422: problemSchema };
/** An answer the schema leaves open (the job's result as it is). */
export const looseObject = z.record(z.string(), z.unknown());

export const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string({ error: 'is required: one unique key per request, 1-200 printable ASCII characters' })
    .regex(/^[\x21-\x7e]{1,200}$/, { error: 'must be 1-200 printable ASCII characters' }),
});

export const borrowerParams = z.object({ borrowerId: idSchema });

export const iso = (ms: number): string => new Date(ms).toISOString();
/** An instant in a cursor: epoch milliseconds a Date can hold (so a forged cursor is a 400, not a 500). */
export const instantMsSchema = z.number().int().min(0).max(8_640_000_000_000_000);
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

/** True when the request's principal may see this borrower's records (staff: any; a borrower: their own). */
export function mayAccessBorrower(request: FastifyRequest, borrowerId: string): boolean {
  const principal = request.principal;
  if (principal === null) return false;
  return principal.kind === 'staff' || principal.borrowerId === borrowerId;
}

/** The borrower id a borrower principal is limited to, or undefined for staff. */
export function ownBorrowerId(request: FastifyRequest): string | undefined {
  return request.principal?.kind === 'borrower' ? request.principal.borrowerId : undefined;
}

/** Throws 404 unless the principal may see this borrower; notes the borrower for the audit row. */
export function requireBorrowerAccess(request: FastifyRequest, borrowerId: string, what = `borrower ${borrowerId}`) {
  if (!mayAccessBorrower(request, borrowerId)) throw notFound(what);
  if (request.auditNote) request.auditNote.subjectBorrowerId = borrowerId;
}

/** Unmasked personal data: staff with pii:read, or the borrower themself. */
export function seesPii(request: FastifyRequest, borrowerId: string): boolean {
  const principal = request.principal;
  if (principal === null) return false;
  return principal.kind === 'borrower' ? principal.borrowerId === borrowerId : roleHas(principal.role, 'pii:read');
}

export interface LoadedLoan {
  row: LoanRow;
  state: LoanState;
  lastSeq: number;
}

/** A loan the principal may see, decoded; 404 for a missing loan and for someone else's alike. */
export async function loadLoan(ctx: ApiContext, request: FastifyRequest, loanId: string): Promise<LoadedLoan> {
  const loan = await readLoanState(ctx.db, loanId);
  if (loan === undefined || !mayAccessBorrower(request, loan.row.borrowerId)) throw notFound(`loan ${loanId}`);
  if (request.auditNote) request.auditNote.subjectBorrowerId = loan.row.borrowerId;
  return loan;
}

export function money(minor: bigint, currency: string): string {
  return formatMinor(minor, currency);
}

/** A rate as a decimal fraction string with no trailing zeros beyond two decimals ("0.12", "0.1825"). */
export function rateText(rate: Ratio): string {
  const text = formatRatio(rate, 10);
  return text.replace(/(\.\d\d\d*?)0+$/, '$1');
}

/** A named refusal from the core or a job, as 422 (or 409 for a reused idempotency key). */
export function refusal(code: string, message: string, field?: string): ApiProblem {
  if (code === 'idempotency_key_reused') {
    return new ApiProblem('conflict', message, { code, field: field ?? 'Idempotency-Key' });
  }
  return new ApiProblem('unprocessable', message, { code, ...(field === undefined ? {} : { field }) });
}

/** A refusal a job returned as `{ outcome: 'rejected', code, message }`, as a problem. */
export function rejectedProblem(result: { code: string; message: string }): ApiProblem {
  return refusal(result.code, result.message);
}

/** The principal as the application layer names an actor: "borrower" or the staff username (also the agent id). */
export function actorOf(request: FastifyRequest): string {
  const principal = request.principal;
  if (principal === null) throw new ApiProblem('unauthenticated', 'sign in first');
  return principal.kind === 'borrower' ? 'borrower' : principal.username;
}

/** The signed-in staff member's username; 403 for anyone else. */
export function staffUsername(request: FastifyRequest): string {
  const principal = request.principal;
  if (principal?.kind !== 'staff') throw new ApiProblem('forbidden', 'staff only');
  return principal.username;
}

/** The borrower, or 404 (after the ownership check, so another borrower's id and a missing one look alike). */
export async function requireBorrower(ctx: ApiContext, request: FastifyRequest, borrowerId: string): Promise<void> {
  requireBorrowerAccess(request, borrowerId);
  if ((await getBorrower(ctx.db, borrowerId)) === undefined) throw notFound(`borrower ${borrowerId}`);
}

/** The borrower's contact subject (borrower row and contact state), or 404. */
export async function requireSubject(
  ctx: ApiContext,
  request: FastifyRequest,
  borrowerId: string,
): Promise<ContactSubject> {
  requireBorrowerAccess(request, borrowerId);
  const [subject] = await loadContactSubjects(ctx.db, [borrowerId]);
  if (subject === undefined) throw notFound(`borrower ${borrowerId}`);
  return subject;
}
