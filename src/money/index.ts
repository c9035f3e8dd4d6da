// Money: bigint minor units with an ISO 4217 currency, strict decimal parsing, rounding, splitting.
export { minorDigits } from './currency.ts';
export * from './money.ts';
export * from './rounding.ts';
export * from './rate.ts';
