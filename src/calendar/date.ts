// Plain contractual dates (no time zone), as ISO strings "YYYY-MM-DD" at rest and as epoch days
// (days since 1970-01-01) for arithmetic. The conversions are Howard Hinnant's civil-from-days
// algorithms: exact over the proleptic Gregorian calendar and an order of magnitude faster than
// building Temporal.PlainDate objects in the schedule and daily-close hot paths. Tests check them
// against Temporal.
import { InputError, quote } from '../errors/index.ts';

/** An ISO calendar date "YYYY-MM-DD". */
export type IsoDate = string;

export interface DateParts {
  year: number;
  month: number;
  day: number;
}

export function epochDayFromParts({ year, month, day }: DateParts): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

export function partsFromEpochDay(epochDay: number): DateParts {
  const z = epochDay + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthPrime = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthPrime + 2) / 5) + 1;
  const month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const monthLengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (monthLengths[month - 1] ?? 0);
}

export function daysInYear(year: number): number {
  return isLeapYear(year) ? 366 : 365;
}

const isoPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses "YYYY-MM-DD" strictly (a real calendar day, years 1900–2999). */
export function parseIsoDate(text: unknown, field = 'date'): IsoDate {
  if (typeof text !== 'string') throw new InputError(field, `must be a date YYYY-MM-DD, got ${quote(text)}`);
  const match = isoPattern.exec(text);
  if (!match) throw new InputError(field, `must be a date YYYY-MM-DD, got ${quote(text)}`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1900 || year > 2999) throw new InputError(field, `year must be between 1900 and 2999, got ${quote(text)}`);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new InputError(field, `is not a calendar date, got ${quote(text)}`);
  }
  return text;
}

function digitAt(text: string, index: number): number {
  return text.charCodeAt(index) - 48;
}

/**
 * The parts of an already valid IsoDate. Reads digits by character code: schedules and the daily close
 * call this for every date step, and slicing plus Number() cost a fifth of a schedule build.
 */
export function partsOf(date: IsoDate): DateParts {
  return {
    year: digitAt(date, 0) * 1000 + digitAt(date, 1) * 100 + digitAt(date, 2) * 10 + digitAt(date, 3),
    month: digitAt(date, 5) * 10 + digitAt(date, 6),
    day: digitAt(date, 8) * 10 + digitAt(date, 9),
  };
}

export function toEpochDay(date: IsoDate): number {
  return epochDayFromParts(partsOf(date));
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** "00" … "99": month and day strings without a padStart per call (a hot path, as partsOf). */
const twoDigits: readonly string[] = Array.from({ length: 100 }, (_, value) => pad(value, 2));

export function formatParts({ year, month, day }: DateParts): IsoDate {
  if (year >= 1000 && year <= 9999) return `${year}-${twoDigits[month]}-${twoDigits[day]}`;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

export function fromEpochDay(epochDay: number): IsoDate {
  return formatParts(partsFromEpochDay(epochDay));
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

/** Adds months keeping the day of month, clamped to the target month's last day (Jan 31 + 1 → Feb 28/29). */
export function addMonths(date: IsoDate, months: number, dayOfMonth?: number): IsoDate {
  const { year, month, day } = partsOf(date);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  const wanted = dayOfMonth ?? day;
  return formatParts({
    year: targetYear,
    month: targetMonth,
    day: Math.min(wanted, daysInMonth(targetYear, targetMonth)),
  });
}

/** ISO day of week: 1 = Monday … 7 = Sunday. */
export function dayOfWeek(date: IsoDate): number {
  const epochDay = toEpochDay(date);
  // 1970-01-01 was a Thursday (4).
  return ((((epochDay + 3) % 7) + 7) % 7) + 1;
}

export function compareDates(a: IsoDate, b: IsoDate): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return a < b ? a : b;
}

export function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return a > b ? a : b;
}
