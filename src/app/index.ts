// The application layer's front door: the one answer shape (Result) and the one command wrapper, and the
// commands between the pure core and the store — loans and payments, the daily close, contacts, the
// workbench, hardship plans, refunds, approvals — with the day pipeline and its scheduler.
export * from './result.ts';
export * from './command.ts';
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
} from './close.ts';
export * from './contacts.ts';
export * from './inbound.ts';
export * from './hardship.ts';
export * from './workbench.ts';
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
export * from './reversals.ts';
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
export * from './scheduler.ts';
export * from './scheduler-queue.ts';
export * from './health.ts';
