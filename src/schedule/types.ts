// The schedule engine's output in exact values. `toScheduleJson` turns it into the contract's JSON.
import type { IsoDate } from '../calendar/date.ts';

export interface Installment {
  number: number;
  dueDate: IsoDate;
  principalMinor: bigint;
  interestMinor: bigint;
  feeMinor: bigint;
  totalMinor: bigint;
  /** Principal outstanding after this installment. */
  balanceMinor: bigint;
}

export interface ScheduleTotals {
  principalMinor: bigint;
  interestMinor: bigint;
  feeMinor: bigint;
  totalMinor: bigint;
}

export interface Schedule {
  currency: string;
  installments: Installment[];
  totals: ScheduleTotals;
  /** What the borrower receives: principal less upfront fees. */
  netDisbursedMinor: bigint;
  upfrontFeeMinor: bigint;
  /** Nominal APR by the IRR method on the actual dates, four decimals ("0.1200"). */
  apr: string;
  /** The effective annual rate of the same cash flows, four decimals ("0.1268"). */
  aprEffective: string;
}
