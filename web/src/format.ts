// Display of the API's values. Amounts arrive as decimal strings in major units ("5000.00") and rates as
// decimal fractions ("0.1200"); they are formatted as text, digit by digit, never through a float, so
// what the borrower sees is exactly what the ledger holds. Instants are shown in the viewer's zone.
import type { Lang } from './lang.ts';

const currencySymbols: Record<string, string> = { CNY: '¥', USD: '$', EUR: '€', HKD: 'HK$', GBP: '£' };

function groupDigits(integer: string): string {
  return integer.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "12345.6" → "12,345.6"; non-numeric input comes back unchanged (the API is the source of truth). */
export function formatDecimal(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const match = /^(-?)(\d+)(\.\d+)?$/.exec(value);
  if (!match) return value;
  return `${match[1]}${groupDigits(match[2] ?? '')}${match[3] ?? ''}`;
}

/** "5000.00", "CNY" → "¥5,000.00". */
export function formatMoney(amount: string | null | undefined, currency?: string | null): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  const symbol = currency ? (currencySymbols[currency] ?? `${currency} `) : '';
  const negative = amount.startsWith('-');
  const text = formatDecimal(negative ? amount.slice(1) : amount);
  return `${negative ? '-' : ''}${symbol}${text}`;
}

/** Moves the decimal point two places: "0.1200" → "12.00%", exactly. */
export function formatRate(rate: string | null | undefined, fractionDigits = 2): string {
  if (rate === null || rate === undefined || rate === '') return '—';
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(rate);
  if (!match) return rate;
  const sign = match[1] ?? '';
  const whole = match[2] ?? '0';
  const fraction = (match[3] ?? '').padEnd(2 + fractionDigits, '0');
  const percentWhole = String(Number.parseInt(`${whole}${fraction.slice(0, 2)}`, 10));
  const percentFraction = fraction.slice(2, 2 + fractionDigits);
  return `${sign}${percentWhole}${percentFraction ? `.${percentFraction}` : ''}%`;
}

export function formatInstant(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(date);
}

/** A decimal amount with at most two decimals, as the API takes amounts ("500", "500.5", "500.50"). */
export const AMOUNT_PATTERN = /^(?:0|[1-9]\d{0,11})(?:\.\d{1,2})?$/;

/** Exact sum of decimal strings ("1.10" + "2.005" = "3.105"), through bigint at the largest scale. */
export function sumDecimals(values: readonly string[]): string {
  let scale = 0;
  for (const value of values) scale = Math.max(scale, value.split('.')[1]?.length ?? 0);
  let total = 0n;
  for (const value of values) {
    const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value);
    if (!match) continue;
    const units = BigInt(`${match[2] ?? '0'}${(match[3] ?? '').padEnd(scale, '0')}`);
    total += match[1] === '-' ? -units : units;
  }
  const negative = total < 0n;
  const digits = (negative ? -total : total).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = scale ? `.${digits.slice(digits.length - scale)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}
