// Schedule: LoanTerms → installments, totals and APR (by the IRR method). The module's front door.
export { parseLoanTerms, termDefaults, methods, interestTypes, interestBases, frequencyUnits } from './terms.ts';
export type {
  LoanTerms,
  Method,
  InterestType,
  InterestBasis,
  FrequencyUnit,
  Frequency,
  DaysInYear,
  Fee,
  BusinessDayRule,
} from './terms.ts';
export type { Schedule, Installment, ScheduleTotals } from './types.ts';
export {
  buildSchedule,
  degenerateSchedule,
  balloonRegularMultipleMax,
  dueDates,
  periodRate,
  type BuildOptions,
} from './engine.ts';
export {
  annualPercentageRate,
  aprUnits,
  aprOnDates,
  periodsPerYear,
  type AprInput,
  type DatedAprInput,
  type AprResult,
} from './apr.ts';
export { toScheduleJson, type ScheduleJson, type InstallmentJson } from './json.ts';
