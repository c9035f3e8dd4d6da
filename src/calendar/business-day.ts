// Business-day adjustment of a due date that falls on a day off (ISDA conventions): `following` moves to
// the next business day, `preceding` to the previous one, `modified_following` moves forward unless that
// crosses into the next month, then backward. Bounded: no calendar has 31 days off in a row.
import { addDays, type IsoDate } from './date.ts';
import type { HolidayCalendar } from './holidays.ts';

export const businessDayConventions = ['none', 'following', 'modified_following', 'preceding'] as const;
export type BusinessDayConvention = (typeof businessDayConventions)[number];

const maxDaysOffInARow = 31;

function step(date: IsoDate, direction: 1 | -1, calendar: HolidayCalendar): IsoDate {
  let current = date;
  for (let moved = 0; moved <= maxDaysOffInARow; moved += 1) {
    if (calendar.isBusinessDay(current)) return current;
    current = addDays(current, direction);
  }
  throw new Error(`invariant violated: no business day within ${maxDaysOffInARow} days of ${date} in ${calendar.id}`);
}

export function adjustToBusinessDay(
  date: IsoDate,
  convention: BusinessDayConvention,
  calendar: HolidayCalendar,
): IsoDate {
  switch (convention) {
    case 'none':
      return date;
    case 'following':
      return step(date, 1, calendar);
    case 'preceding':
      return step(date, -1, calendar);
    case 'modified_following': {
      const next = step(date, 1, calendar);
      return next.slice(0, 7) === date.slice(0, 7) ? next : step(date, -1, calendar);
    }
  }
}
