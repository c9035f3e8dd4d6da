// The end-of-day view of a loan the simulator prints as a `loan_day` line and reports read: DPD,
// delinquency, grace, bucket, amounts overdue and penalty, status. A loan the close skipped (nothing due
// before its nextEventDate) is unchanged on the skipped days, so the view of any date from closedThrough
// up to nextEventDate is read straight off the state; a charged-off loan's DPD keeps counting.
import { fromEpochDay, toEpochDay, type IsoDate } from '../calendar/index.ts';
import { invariant } from '../errors/index.ts';
import { isSettled, penaltyOutstanding, type LoanState, type LoanStatus } from './state.ts';
import { isPenaltyContingent, nextEventDay, outstandingDueBy } from './work.ts';

export interface LoanDaySummary {
  date: IsoDate;
  loanId: string;
  borrowerId: string;
  dpd: number;
  delinquent: boolean;
  inGrace: boolean;
  bucket: string;
  /** Principal, interest and fee of installments whose due date has passed. */
  overdueMinor: bigint;
  /** Penalty owed now; penalty booked inside grace under `due_date` is not owed yet and is not included. */
  penaltyMinor: bigint;
  /** Penalty booked inside grace (due_date start), waived if the installment is paid before grace ends. */
  penaltyInGraceMinor: bigint;
  creditBalanceMinor: bigint;
  status: LoanStatus;
}

/** The loan as of `date` (default closedThrough). `date` must not be past the state's next event. */
export function loanDaySummary(state: LoanState, date: IsoDate = state.closedThrough): LoanDaySummary {
  const day = toEpochDay(date);
  const closedDay = toEpochDay(state.closedThrough);
  invariant(day >= closedDay, `loan ${state.loanId} is closed through ${state.closedThrough}, after ${date}`);
  const next = nextEventDay(state, closedDay);
  invariant(
    next === null || day < next || day === closedDay,
    `loan ${state.loanId} must be closed through ${fromEpochDay(next ?? day)} first`,
  );
  let dpd = state.dpd;
  if (state.status === 'charged_off') {
    const oldest = state.installments.find((row) => !isSettled(row) && row.dueEpochDay < day);
    dpd = oldest === undefined ? 0 : day - oldest.dueEpochDay;
  }
  let penaltyMinor = 0n;
  let penaltyInGraceMinor = 0n;
  for (const row of state.installments) {
    const owed = penaltyOutstanding(row);
    if (owed === 0n) continue;
    if (isPenaltyContingent(state, row, day)) penaltyInGraceMinor += owed;
    else penaltyMinor += owed;
  }
  return {
    date,
    loanId: state.loanId,
    borrowerId: state.borrowerId,
    dpd,
    delinquent: state.delinquent,
    inGrace: state.inGrace,
    bucket: state.bucket,
    overdueMinor: outstandingDueBy(state, day, true),
    penaltyMinor,
    penaltyInGraceMinor,
    creditBalanceMinor: state.creditBalanceMinor,
    status: state.status,
  };
}
