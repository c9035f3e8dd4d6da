// Jobs: the runner between the pure servicing core and the store — opening loans, posting payments and
// the daily close. The module's front door.
export { decodeLoanDocument, encodeLoanDocument, historyOf, jsonSafe, type LoanDocument } from './document.ts';
export {
  openLoans,
  paymentIdOf,
  postPayment,
  type OpenLoanRequest,
  type PostPaymentRequest,
  type PostPaymentResult,
} from './loans.ts';
export {
  DEFAULT_PAGE_SIZE,
  emptyCloseStats,
  runDailyClose,
  type DailyCloseOptions,
  type DailyCloseStats,
} from './daily-close.ts';
