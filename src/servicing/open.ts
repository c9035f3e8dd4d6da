// Opening a loan: the schedule becomes the loan's installments, the disbursement is booked (principal
// receivable against cash paid out and the upfront fee earned), and the first close date is set.
// Preconditions, checked: the schedule's currency is the terms'; its principal is the terms' principal;
// due dates rise strictly and all come after the disbursement date.
import { toEpochDay, type IsoDate } from '../calendar/index.ts';
import { InputError, invariant } from '../errors/index.ts';
import { credit, debit, type JournalEntry } from '../ledger/index.ts';
import type { LoanTerms, Schedule } from '../schedule/index.ts';
import type { LoanEvent } from './events.ts';
import { bucketFor, type ServicingRules } from './rules.ts';
import type { InstallmentState, LoanState } from './state.ts';
import { beginWork, finishWork, post } from './work.ts';

export interface OpenLoanInput {
  loanId: string;
  borrowerId: string;
  schedule: Schedule;
  terms: LoanTerms;
  rules: ServicingRules;
  disbursedOn: IsoDate;
}

export interface OpenLoanResult {
  state: LoanState;
  events: LoanEvent[];
  journal: JournalEntry[];
}

export function openLoan(input: OpenLoanInput): OpenLoanResult {
  const { schedule, terms, rules, disbursedOn } = input;
  if (input.loanId === '') throw new InputError('loanId', 'must not be empty');
  if (input.borrowerId === '') throw new InputError('borrowerId', 'must not be empty');
  invariant(schedule.currency === terms.currency, `schedule in ${schedule.currency} but terms in ${terms.currency}`);
  invariant(schedule.totals.principalMinor === terms.principalMinor, 'the schedule repays the terms principal');
  invariant(schedule.installments.length > 0, 'a schedule has installments');
  const disbursedDay = toEpochDay(disbursedOn);
  let previousDay = disbursedDay;
  const installments = schedule.installments.map((row): InstallmentState => {
    const dueEpochDay = toEpochDay(row.dueDate);
    if (dueEpochDay <= previousDay) {
      throw new InputError(
        'disbursedOn',
        `due dates must come after the disbursement date ${disbursedOn} and rise strictly; installment ${row.number} is due ${row.dueDate}`,
      );
    }
    previousDay = dueEpochDay;
    const nothingOwed = row.principalMinor + row.interestMinor + row.feeMinor === 0n;
    return {
      number: row.number,
      dueDate: row.dueDate,
      dueEpochDay,
      principalDueMinor: row.principalMinor,
      interestDueMinor: row.interestMinor,
      feeDueMinor: row.feeMinor,
      principalPaidMinor: 0n,
      interestPaidMinor: 0n,
      feePaidMinor: 0n,
      principalWaivedMinor: 0n,
      interestWaivedMinor: 0n,
      feeWaivedMinor: 0n,
      penaltyAccruedMinor: 0n,
      penaltyPaidMinor: 0n,
      penaltyWaivedMinor: 0n,
      penaltyAccrualExact: 0n,
      becameDelinquent: false,
      paidOn: nothingOwed ? disbursedOn : null,
    };
  });
  const opening: LoanState = {
    loanId: input.loanId,
    borrowerId: input.borrowerId,
    currency: terms.currency,
    rules,
    terms,
    disbursedOn,
    installments,
    creditBalanceMinor: 0n,
    status: 'active',
    dpd: 0,
    bucket: bucketFor(rules, 0, false),
    delinquent: false,
    inGrace: false,
    consecutiveOverdueCount: 0,
    cumulativeOverdueCount: 0,
    closedThrough: disbursedOn,
    nextEventDate: null,
    chargedOffOn: null,
    closedOn: null,
  };
  const work = beginWork(opening);
  post(work, disbursedOn, 'open', 'disbursement', [
    debit('principal_receivable', terms.principalMinor),
    credit('cash', schedule.netDisbursedMinor),
    credit('fee_income', schedule.upfrontFeeMinor),
  ]);
  return { state: finishWork(work), events: work.events, journal: work.journal };
}
