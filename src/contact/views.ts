// What the contact engine reads off a loan: the planner's view of a loan on a date (stage inputs: DPD,
// grace, unsettled installments, amounts) and the variables a message about some of a borrower's loans is
// rendered with. Pure; shared by the simulator and the production pipeline so both say the same thing.
import { addDays, localDate, type IsoDate } from '../calendar/index.ts';
import { formatMoneyForLocale } from '../money/index.ts';
import {
  isSettled,
  loanDaySummary,
  principalOutstanding,
  scheduledOutstanding,
  type LoanState,
} from '../servicing/index.ts';
import type { BorrowerContactState } from './borrower.ts';
import type { ContactIntent } from './model.ts';
import type { PlanLoanView } from './strategy/index.ts';
import { formatLoanList, type TemplateVariables } from './templates/index.ts';

/** A loan as the planner sees it on `date` (the state must be closed through `date`). */
export function planLoanView(state: LoanState, date: IsoDate): PlanLoanView {
  const summary = loanDaySummary(state, date);
  let balanceMinor = 0n;
  const unsettled: PlanLoanView['unsettled'] = [];
  for (const row of state.installments) {
    balanceMinor += principalOutstanding(row);
    if (!isSettled(row)) {
      unsettled.push({ number: row.number, dueDate: row.dueDate, outstandingMinor: scheduledOutstanding(row) });
    }
  }
  return {
    loanId: state.loanId,
    currency: state.currency,
    status: state.status,
    dpd: summary.dpd,
    bucket: summary.bucket,
    graceDays: state.rules.graceDays,
    inGrace: summary.inGrace,
    delinquent: summary.delinquent,
    balanceMinor,
    overdueMinor: summary.overdueMinor,
    penaltyMinor: summary.penaltyMinor,
    unsettled,
  };
}

/** The values a template may use, formatted for the borrower's locale. */
export function messageVariables(input: {
  intent: ContactIntent;
  loanIds: readonly string[];
  loans: readonly LoanState[];
  state: BorrowerContactState;
  borrowerName: string;
  code: string;
  lenderName: string;
  portalUrl: string;
}): TemplateVariables {
  const { intent, loanIds, loans, state, code } = input;
  const subjects = intent.subjects.filter((subject) => loanIds.includes(subject.loanId));
  const currency = subjects[0]?.currency ?? 'CNY';
  const amountMinor = subjects.reduce((total, subject) => total + subject.amountMinor, 0n);
  const locale = state.locale;
  const money = formatMoneyForLocale({ amountMinor, currency }, locale);
  const loan = loans.find((candidate) => candidate.loanId === loanIds[0]);
  const oldest = loan?.installments.find((row) => !isSettled(row));
  const dueDate = oldest?.dueDate ?? intent.date;
  const promise = state.promises.find((candidate) => loanIds.includes(candidate.loanId));
  const hold = state.holds.at(-1);
  return {
    borrowerName: input.borrowerName,
    lenderName: input.lenderName,
    amount: money,
    currency,
    dueDate,
    graceEndDate: addDays(dueDate, loan?.rules.graceDays ?? 0),
    daysOverdue: loan ? loanDaySummary(loan, loan.closedThrough).dpd : 0,
    loanCount: loanIds.length,
    loanList: formatLoanList({ locale, loanLabels: [...loanIds] }),
    portalUrl: input.portalUrl,
    verificationCode: code,
    holdUntil: hold ? localDate(state.timezone, hold.untilMs) : intent.date,
    promiseDate: promise?.date ?? intent.date,
    promiseAmount: promise ? formatMoneyForLocale({ amountMinor: promise.amountMinor, currency }, locale) : money,
    eta: intent.date,
    what: intent.template,
    signInCode: code,
    ...intent.variables,
  };
}
