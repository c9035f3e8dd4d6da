// Holiday calendars and business-day rules: China's official calendar with its swapped working days
// (调休, State Council notices for 2025 and 2026), the US federal holidays with observed days, and the
// ISDA adjustment conventions at a month end.
import { describe, expect, it } from 'vitest';
import { adjustToBusinessDay, businessDayConventions } from './business-day.ts';
import { dayOfWeek } from './date.ts';
import { beyondCoverage, coverageText, holidayCalendar, holidayCalendarIds } from './holidays.ts';

describe('China (CN)', () => {
  const cn = holidayCalendar('CN');

  it('works on the swapped weekend days (调休)', () => {
    expect(dayOfWeek('2026-02-14')).toBe(6); // a Saturday …
    expect(cn.isBusinessDay('2026-02-14')).toBe(true); // … worked before the 2026 Spring Festival
    expect(dayOfWeek('2025-01-26')).toBe(7); // a Sunday …
    expect(cn.isBusinessDay('2025-01-26')).toBe(true); // … worked before the 2025 Spring Festival
    expect(cn.isBusinessDay('2025-09-28')).toBe(true); // Sunday worked before National Day 2025
  });

  it('rests on the official holidays, weekdays included', () => {
    expect(dayOfWeek('2026-02-16')).toBe(1);
    expect(cn.isBusinessDay('2026-02-16')).toBe(false); // Spring Festival 2026, a Monday
    expect(dayOfWeek('2025-10-01')).toBe(3);
    expect(cn.isBusinessDay('2025-10-01')).toBe(false); // National Day, a Wednesday
    expect(cn.isBusinessDay('2025-01-01')).toBe(false);
  });

  it('treats ordinary weekends as days off and ordinary weekdays as business days', () => {
    expect(cn.isBusinessDay('2025-03-08')).toBe(false); // Saturday
    expect(cn.isBusinessDay('2025-03-09')).toBe(false); // Sunday
    expect(cn.isBusinessDay('2025-03-10')).toBe(true); // Monday
  });

  it('says when a date lies beyond its data (where it would know weekends only)', () => {
    expect(coverageText(cn)).toMatch(/^CN covers 2004–20\d\d$/);
    expect(beyondCoverage(cn, '2026-12-31')).toBe(false);
    expect(beyondCoverage(cn, '2003-12-31')).toBe(true);
    const after = `${(cn.coveredYears?.to ?? 0) + 1}-01-01`;
    expect(beyondCoverage(cn, after)).toBe(true);
    expect(beyondCoverage(holidayCalendar('US'), '2090-01-01')).toBe(false);
    expect(coverageText(holidayCalendar('US'))).toBe('US covers every year');
  });

  it('says which years its data covers', () => {
    expect(cn.coveredYears?.from).toBeLessThanOrEqual(2004);
    expect(cn.coveredYears?.to).toBeGreaterThanOrEqual(2026);
  });
});

describe('United States (US)', () => {
  const us = holidayCalendar('US');

  it('closes on the observed Independence Day when July 4 is a Saturday', () => {
    expect(dayOfWeek('2026-07-04')).toBe(6);
    expect(us.isBusinessDay('2026-07-03')).toBe(false);
    expect(us.isBusinessDay('2026-07-06')).toBe(true);
  });

  it('knows the federal holidays and ignores observances', () => {
    expect(us.isBusinessDay('2026-11-26')).toBe(false); // Thanksgiving
    expect(us.isBusinessDay('2026-12-25')).toBe(false); // Christmas
    expect(us.isBusinessDay('2026-01-19')).toBe(false); // Martin Luther King Jr. Day
    expect(us.isBusinessDay('2026-02-16')).toBe(false); // Washington's Birthday
    expect(us.isBusinessDay('2026-04-15')).toBe(true); // Tax Day is an observance, banks are open
    expect(us.isBusinessDay('2026-12-24')).toBe(true); // Christmas Eve is optional
  });
});

describe('calendars', () => {
  it('every listed calendar builds and agrees that a plain weekend day is off', () => {
    for (const id of holidayCalendarIds) {
      const calendar = holidayCalendar(id);
      expect(calendar.id).toBe(id);
      // 2025-03-15 is a Saturday that no calendar here swaps into a working day.
      expect(calendar.isBusinessDay('2025-03-15')).toBe(false);
    }
  });

  it('returns the same calendar object on every call', () => {
    expect(holidayCalendar('CN')).toBe(holidayCalendar('CN'));
  });
});

describe('adjustToBusinessDay', () => {
  const cn = holidayCalendar('CN');
  const us = holidayCalendar('US');

  it('leaves a business day alone under every convention', () => {
    for (const convention of businessDayConventions) {
      expect(adjustToBusinessDay('2025-03-10', convention, cn)).toBe('2025-03-10');
    }
  });

  it('moves across a Chinese holiday week in the right direction', () => {
    // National Day 2025: Oct 1–8 off, Oct 11 (Saturday) worked.
    expect(adjustToBusinessDay('2025-10-01', 'following', cn)).toBe('2025-10-09');
    expect(adjustToBusinessDay('2025-10-01', 'preceding', cn)).toBe('2025-09-30');
    expect(adjustToBusinessDay('2025-10-01', 'none', cn)).toBe('2025-10-01');
    // Spring Festival 2026: Feb 15–23 off, Feb 14 (Saturday) worked.
    expect(adjustToBusinessDay('2026-02-15', 'preceding', cn)).toBe('2026-02-14');
    expect(adjustToBusinessDay('2026-02-16', 'following', cn)).toBe('2026-02-24');
  });

  it('modified_following steps back when following would cross into the next month', () => {
    // 2025-05-31 (Saturday) starts the Dragon Boat holiday through Monday 2025-06-02.
    expect(adjustToBusinessDay('2025-05-31', 'following', cn)).toBe('2025-06-03');
    expect(adjustToBusinessDay('2025-05-31', 'modified_following', cn)).toBe('2025-05-30');
    // Mid-month it behaves like following.
    expect(adjustToBusinessDay('2025-10-01', 'modified_following', cn)).toBe('2025-10-09');
    // US: 2026-01-31 is a Saturday, so the next business day is in February.
    expect(adjustToBusinessDay('2026-01-31', 'modified_following', us)).toBe('2026-01-30');
    expect(adjustToBusinessDay('2026-07-04', 'modified_following', us)).toBe('2026-07-06');
    expect(adjustToBusinessDay('2026-07-04', 'preceding', us)).toBe('2026-07-02');
  });
});
