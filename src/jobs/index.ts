// Jobs: the runner between the pure servicing core and the store — opening loans, posting payments and
// the daily close. The module's front door.
export {
  decodeLoanDocument,
  encodeLoanDocument,
  historyOf,
  jsonSafe,
  LOAN_EVENTS_KIND,
  loanContractOf,
  loanEventsOf,
  prepareServicingRules,
  readLoanState,
  type LoanDocument,
  type LoanOutboxEvent,
  type StoredLoan,
} from './document.ts';
export {
  openLoans,
  paymentIdOf,
  postPayment,
  postPayments,
  type OpenLoanRequest,
  type PostPaymentRequest,
  type PostPaymentResult,
} from './loans.ts';
export {
  closeDateRefusal,
  DEFAULT_PAGE_SIZE,
  emptyCloseStats,
  latestClosableDate,
  runDailyClose,
  type DailyCloseOptions,
  type DailyCloseStats,
} from './daily-close.ts';
export * from './contacts.ts';
export * from './hardship.ts';
export * from './cases.ts';
export * from './preview.ts';
export {
  refundCredit,
  refundIdOf,
  reverseRefundCredit,
  type RefundCreditInput,
  type RefundReceipt,
  type RefundReversalReceipt,
  type ReverseRefundInput,
} from './refunds.ts';
export * from './approvals.ts';
export * from './day.ts';
export * from './publish-events.ts';
export {
  loanRateCapPolicy,
  productApr,
  productRateCapPolicy,
  referencePrincipal,
  referenceStartDate,
} from './rate-caps.ts';
export * from './staff-agents.ts';
export * from './experiments.ts';
export * from './scheduler-plan.ts';
export * from './scheduler.ts';
export * from './scheduler-queue.ts';
