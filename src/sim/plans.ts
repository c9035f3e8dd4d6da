// Hardship plans in `kuan simulate`: a `plan` event is evaluated against the product's hardship policy
// (eligibility, the concession's approval limit for the event's `approverRole`) and, when allowed,
// activated on the loan through the servicing core's plan step; every simulated day after the close the
// active plan is judged (completed when paid as agreed — a settlement paid in full waives the rest and
// closes the loan — or broken when a plan payment is missed). Each step is one `plan` line. The simulator
// breaks a plan by keeping its schedule (the `keep` mode; `restore` needs the stored history, which the
// store-backed service has — docs/hardship.md).
import { formatZonedInstant, zonedEpochMs, type IsoDate } from '../calendar/index.ts';
import {
  checkApproval,
  defaultHardshipPolicy,
  evaluatePlanRequest,
  judgePlan,
  type ActivePlan,
  type OverdueReasonCategory,
  type PlanPayment,
} from '../hardship/index.ts';
import { formatMinor } from '../money/index.ts';
import { activatePlan, breakPlanKeeping, completePlan, type LoanState, type PlanTerms } from '../servicing/index.ts';

export interface PlanLine {
  kind: 'plan';
  at: string;
  loanId: string;
  planId: string;
  planType: PlanTerms['type'];
  /** `active` (approved and applied), `refused` (with `code`), `completed` or `broken`. */
  status: 'active' | 'refused' | 'completed' | 'broken';
  code?: string;
  /** What the plan gives up (active plans), in major units. */
  concession?: string;
  reason: string;
}

interface PlanRun {
  plan: ActivePlan;
  payments: PlanPayment[];
}

export class PlanDesk {
  readonly #active = new Map<string, PlanRun>();
  readonly #activatedOn = new Map<string, IsoDate[]>();

  /** Evaluates, approves and applies a plan; returns the loan's new state (or the old one) and the line. */
  request(
    state: LoanState,
    request: {
      planId: string;
      terms: PlanTerms;
      approverRole: string;
      reason: OverdueReasonCategory | null;
      on: IsoDate;
      at: string;
    },
  ): { state: LoanState; line: PlanLine } {
    const policy = defaultHardshipPolicy;
    const line = (status: PlanLine['status'], reason: string, extra: Partial<PlanLine> = {}): PlanLine => ({
      kind: 'plan',
      at: request.at,
      loanId: state.loanId,
      planId: request.planId,
      planType: request.terms.type,
      status,
      ...extra,
      reason,
    });
    const earlier = this.#activatedOn.get(state.loanId) ?? [];
    const offer = evaluatePlanRequest({
      planId: request.planId,
      state,
      on: request.on,
      terms: request.terms,
      policy,
      reason: request.reason === null ? null : { category: request.reason },
      plansInLastYear: earlier.length,
      planOpen: this.#active.has(state.loanId),
    });
    if (!offer.ok) return { state, line: line('refused', offer.message, { code: offer.code }) };
    const approval = checkApproval(offer.offer, request.approverRole, policy);
    if (!approval.ok) return { state, line: line('refused', approval.message, { code: approval.code }) };
    const step = activatePlan(state, { planId: request.planId, on: request.on, terms: request.terms });
    if (!step.ok) return { state, line: line('refused', step.message, { code: step.code }) };
    this.#active.set(state.loanId, {
      plan: {
        planId: request.planId,
        terms: request.terms,
        activatedOn: request.on,
        planInstallments: offer.offer.planInstallments,
        graceDays: policy.planGraceDays,
      },
      payments: [],
    });
    this.#activatedOn.set(state.loanId, [...earlier, request.on]);
    const concession = formatMinor(offer.offer.concessionMinor, state.currency);
    return {
      state: step.state,
      line: line('active', `approved by ${request.approverRole}`, { concession }),
    };
  }

  notePayment(loanId: string, payment: PlanPayment): void {
    this.#active.get(loanId)?.payments.push(payment);
  }

  hasActivePlan(loanId: string): boolean {
    return this.#active.has(loanId);
  }

  /** Judges the loan's active plan at the end of `date` (after the close); completes or breaks it. */
  judge(state: LoanState, date: IsoDate, timezone: string): { state: LoanState; line: PlanLine } | undefined {
    const run = this.#active.get(state.loanId);
    if (!run) return undefined;
    const judgement = judgePlan(run.plan, state, run.payments, date);
    if (judgement.decision === 'keep') return undefined;
    this.#active.delete(state.loanId);
    const input = { planId: run.plan.planId, on: date, terms: run.plan.terms };
    const step = judgement.decision === 'complete' ? completePlan(state, input) : breakPlanKeeping(state, input);
    // Stamped with the loan's closing instant (23:59:59 local, after the auto-debit presentment it may count).
    const at = formatZonedInstant(timezone, zonedEpochMs(timezone, date, 23 * 60 + 59) + 59_000);
    const line: PlanLine = {
      kind: 'plan',
      at,
      loanId: state.loanId,
      planId: run.plan.planId,
      planType: run.plan.terms.type,
      status: judgement.decision === 'complete' ? 'completed' : 'broken',
      reason: judgement.reason,
    };
    if (!step.ok) return { state, line: { ...line, code: step.code, reason: `${judgement.reason}; ${step.message}` } };
    return { state: step.state, line };
  }
}
