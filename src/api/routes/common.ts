// What route modules share: ownership checks (a borrower reaches only their own records; anyone else's
// answer 404, exactly like a record that does not exist), loan loading, and money and rate formatting.
import type { FastifyRequest } from 'fastify';
import { readLoanState } from '../../jobs/index.ts';
import { formatMinor, formatRatio, type Ratio } from '../../money/index.ts';
import type { LoanState } from '../../servicing/index.ts';
import type { LoanRow } from '../../store/index.ts';
import { roleHas } from '../auth/permissions.ts';
import type { ApiContext } from '../context.ts';
import { ApiProblem, notFound } from '../problem.ts';

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
