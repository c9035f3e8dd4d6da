// ISO 4217 currencies and how many minor digits each carries. Intl knows the minor digits of every
// currency it supports; the table below pins the ones lenders use so a runtime's ICU data cannot change
// a ledger's precision.
import { InputError, quote } from '../errors/index.ts';

const pinnedMinorDigits: Readonly<Record<string, number>> = {
  CNY: 2,
  USD: 2,
  EUR: 2,
  GBP: 2,
  HKD: 2,
  SGD: 2,
  INR: 2,
  IDR: 2,
  PHP: 2,
  MYR: 2,
  THB: 2,
  VND: 0,
  JPY: 0,
  KRW: 0,
  TWD: 2,
  CLP: 0,
  ISK: 0,
  UGX: 0,
  KWD: 3,
  BHD: 3,
  OMR: 3,
  JOD: 3,
  TND: 3,
  LYD: 3,
  IQD: 3,
  KZT: 2,
  RUB: 2,
  BRL: 2,
  MXN: 2,
  NGN: 2,
  KES: 2,
  ZAR: 2,
  PKR: 2,
  BDT: 2,
};

const cache = new Map<string, number>();

/** Minor digits of an ISO 4217 code; rejects codes that are not currencies. */
export function minorDigits(code: string, field = 'currency'): number {
  const known = pinnedMinorDigits[code] ?? cache.get(code);
  if (known !== undefined) return known;
  if (!/^[A-Z]{3}$/.test(code)) throw new InputError(field, `must be an ISO 4217 code like "CNY", got ${quote(code)}`);
  let digits: number | undefined;
  try {
    if (Intl.supportedValuesOf('currency').includes(code)) {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
        .maximumFractionDigits;
    }
  } catch {
    digits = undefined;
  }
  if (digits === undefined) throw new InputError(field, `unknown currency ${quote(code)}`);
  cache.set(code, digits);
  return digits;
}
