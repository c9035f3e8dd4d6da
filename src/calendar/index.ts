// Calendar: plain dates and day counts, holiday calendars, business-day rules.
export * from './date.ts';
export * from './holidays.ts';
export * from './business-day.ts';
export * from './zone.ts';
export * from './day-schedule.ts';
