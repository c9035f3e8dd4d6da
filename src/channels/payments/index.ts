// Payment providers: the port the daily close debits through, and its HTTP adapter.
export * from './provider.ts';
export { createHttpPaymentProvider, type HttpPaymentProviderOptions } from './http-provider.ts';
export { createLedgerPaymentProvider } from './ledger-provider.ts';
