// Holiday calendars: which days are business days. China's comes from the `chinese-days` data set,
// which carries the State Council's official holidays and the swapped working weekends (调休) for
// 2004 onwards; other countries come from `date-holidays` (public holidays only). Outside the years a
// data set covers, only weekends are days off — `coveredYears` tells a caller where that starts, and
// `beyondCoverage` whether a date lies there, so a schedule is never adjusted on guessed holidays without
// saying so (the schedule's terms parsing refuses it, naming businessDay.calendar).
import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import Holidays from 'date-holidays';
import { dayOfWeek, partsOf, type IsoDate } from './date.ts';

export const holidayCalendarIds = [
  'CN',
  'WEEKENDS',
  'US',
  'GB',
  'HK',
  'SG',
  'JP',
  'KR',
  'DE',
  'FR',
  'IN',
  'ID',
  'PH',
] as const;
export type HolidayCalendarId = (typeof holidayCalendarIds)[number];

export interface HolidayCalendar {
  readonly id: HolidayCalendarId;
  isBusinessDay(date: IsoDate): boolean;
  /** Years for which the calendar knows more than weekends, inclusive; undefined when unbounded. */
  readonly coveredYears: { from: number; to: number } | undefined;
}

function isWeekend(date: IsoDate): boolean {
  return dayOfWeek(date) >= 6;
}

function chinaCalendar(): HolidayCalendar {
  const holidays = new Set(Object.keys(chineseDays.holidays));
  const swappedWorkdays = new Set(Object.keys(chineseDays.workdays));
  const years = [...holidays].map((date) => Number(date.slice(0, 4)));
  return {
    id: 'CN',
    coveredYears: { from: Math.min(...years), to: Math.max(...years) },
    isBusinessDay(date) {
      if (swappedWorkdays.has(date)) return true;
      return !holidays.has(date) && !isWeekend(date);
    },
  };
}

function weekendsOnly(): HolidayCalendar {
  return { id: 'WEEKENDS', coveredYears: undefined, isBusinessDay: (date) => !isWeekend(date) };
}

function countryCalendar(id: HolidayCalendarId): HolidayCalendar {
  const source = new Holidays(id, { types: ['public', 'bank'] });
  const holidaysByYear = new Map<number, Set<IsoDate>>();
  const holidaysOf = (year: number): Set<IsoDate> => {
    let days = holidaysByYear.get(year);
    if (!days) {
      days = new Set(
        source
          .getHolidays(year)
          .filter((holiday) => holiday.type === 'public' || holiday.type === 'bank')
          .map((holiday) => holiday.date.slice(0, 10)),
      );
      holidaysByYear.set(year, days);
    }
    return days;
  };
  return {
    id,
    coveredYears: undefined,
    isBusinessDay: (date) => !isWeekend(date) && !holidaysOf(partsOf(date).year).has(date),
  };
}

/** True when `date` is in a year the calendar has no holiday data for (weekends only there). */
export function beyondCoverage(calendar: HolidayCalendar, date: IsoDate): boolean {
  const covered = calendar.coveredYears;
  if (covered === undefined) return false;
  const year = Number(date.slice(0, 4));
  return year < covered.from || year > covered.to;
}

/** "CN covers 2004–2026", or "US covers every year" for a rule-based calendar. */
export function coverageText(calendar: HolidayCalendar): string {
  const covered = calendar.coveredYears;
  return covered === undefined
    ? `${calendar.id} covers every year`
    : `${calendar.id} covers ${covered.from}–${covered.to}`;
}

const calendars = new Map<HolidayCalendarId, HolidayCalendar>();

export function holidayCalendar(id: HolidayCalendarId): HolidayCalendar {
  let calendar = calendars.get(id);
  if (!calendar) {
    calendar = id === 'CN' ? chinaCalendar() : id === 'WEEKENDS' ? weekendsOnly() : countryCalendar(id);
    calendars.set(id, calendar);
  }
  return calendar;
}
