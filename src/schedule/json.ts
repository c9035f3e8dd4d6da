// The contract's Schedule JSON (CONTRACTS.md "Schedule"): amounts as decimal strings in major units, keys
// in the contract's order (number, dueDate, principal, interest, fee, total, balance; then totals, apr,
// and the contract's optional `aprEffective`, the effective annual rate the APR is derived from).
// Kuan's extensions are optional additions after the contract's fields: `currency` and `netDisbursed`
// (what the borrower receives, principal less upfront fees — the first cash flow of the APR).
import { formatMinor } from '../money/index.ts';
import type { Schedule } from './types.ts';

export interface InstallmentJson {
  number: number;
  dueDate: string;
  principal: string;
  interest: string;
  fee: string;
  total: string;
  balance: string;
}

export interface ScheduleJson {
  installments: InstallmentJson[];
  totals: { principal: string; interest: string; fee: string; total: string };
  apr: string;
  aprEffective?: string;
  currency?: string;
  netDisbursed?: string;
}

export function toScheduleJson(schedule: Schedule): ScheduleJson {
  const { currency, totals } = schedule;
  const amount = (minor: bigint): string => formatMinor(minor, currency);
  return {
    installments: schedule.installments.map((row) => ({
      number: row.number,
      dueDate: row.dueDate,
      principal: amount(row.principalMinor),
      interest: amount(row.interestMinor),
      fee: amount(row.feeMinor),
      total: amount(row.totalMinor),
      balance: amount(row.balanceMinor),
    })),
    totals: {
      principal: amount(totals.principalMinor),
      interest: amount(totals.interestMinor),
      fee: amount(totals.feeMinor),
      total: amount(totals.totalMinor),
    },
    apr: schedule.apr,
    aprEffective: schedule.aprEffective,
    currency,
    netDisbursed: amount(schedule.netDisbursedMinor),
  };
}
