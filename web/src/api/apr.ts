// A loan's APR (IRR method, CONTRACTS.md): the loan's own `apr` when the API gives it, else the
// Schedule contract's `apr` computed from the loan's terms by POST /schedules. The computed value is
// marked, since the detail's terms may leave out settings (fees, rounding) that move it.
import { request, type Audience } from './http.ts';
import type { ComputedSchedule, LoanDetail } from './types.ts';

export interface LoanApr {
  apr: string | null;
  computed: boolean;
}

export async function loanApr(audience: Audience, loan: LoanDetail, signal?: AbortSignal): Promise<LoanApr> {
  if (loan.apr) return { apr: loan.apr, computed: false };
  try {
    const schedule = await request<ComputedSchedule>(audience, '/api/v1/schedules', {
      body: {
        principal: loan.terms.principal,
        currency: loan.currency,
        annualRate: loan.terms.annualRate,
        termCount: loan.terms.termCount,
        frequency: loan.terms.frequency,
        startDate: loan.terms.startDate,
        method: loan.terms.method,
        ...(loan.terms.fees ? { fees: loan.terms.fees } : {}),
      },
      signal,
    });
    return { apr: schedule.apr, computed: true };
  } catch {
    return { apr: null, computed: false };
  }
}
