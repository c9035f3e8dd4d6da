// Instants in a borrower's time zone, fast: the contact gate and planner turn epoch milliseconds into a
// local date and minute of the day (and back) hundreds of thousands of times a second, which Temporal
// objects are too slow for. Temporal answers the one hard question — a zone's UTC offset at an instant —
// and the answer is memoised per zone and quarter hour (every offset transition in the tz database falls
// on a quarter hour). The memo is deterministic, so the functions stay pure. Invariant: for every
// instant, localParts agrees with Temporal's ZonedDateTime; a local time skipped by a spring-forward
// gap resolves like Temporal's "compatible" disambiguation (moved later by the gap).
import { Temporal } from 'temporal-polyfill';
import { InputError, quote } from '../errors/index.ts';
import { addDays, fromEpochDay, toEpochDay, type IsoDate } from './date.ts';

export const msPerMinute = 60_000;
export const msPerDay = 86_400_000;
const msPerQuarterHour = 900_000;
/** Bound on the memo; cleared when full (a simulation over years in many zones stays small anyway). */
const offsetMemoMax = 200_000;

const offsetMemo = new Map<string, number>();
const knownZones = new Set<string>();

/** Checks an IANA time zone name once; InputError naming `field` when unknown. */
export function parseTimeZone(text: unknown, field = 'timezone'): string {
  if (typeof text !== 'string' || text.length === 0 || text.length > 64) {
    throw new InputError(field, `must be an IANA time zone name such as "Asia/Shanghai", got ${quote(text)}`);
  }
  if (knownZones.has(text)) return text;
  try {
    Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(text);
  } catch {
    throw new InputError(field, `must be an IANA time zone name such as "Asia/Shanghai", got ${quote(text)}`);
  }
  knownZones.add(text);
  return text;
}

/** The zone's offset from UTC at `epochMs`, in minutes (Asia/Shanghai: 480). */
export function zoneOffsetMinutes(zone: string, epochMs: number): number {
  const key = `${zone}|${Math.floor(epochMs / msPerQuarterHour)}`;
  const memo = offsetMemo.get(key);
  if (memo !== undefined) return memo;
  let offsetNs: number;
  try {
    offsetNs = Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(zone).offsetNanoseconds;
  } catch (error) {
    if (error instanceof RangeError)
      throw new InputError('timezone', `is not a known IANA time zone, got ${quote(zone)}`);
    throw error;
  }
  const minutes = Math.round(offsetNs / 60e9);
  if (offsetMemo.size >= offsetMemoMax) offsetMemo.clear();
  offsetMemo.set(key, minutes);
  return minutes;
}

export interface LocalParts {
  date: IsoDate;
  /** Minutes since local midnight, 0 … 1439. */
  minuteOfDay: number;
}

/** The local calendar date and minute of the day of an instant in a zone. */
export function localParts(zone: string, epochMs: number): LocalParts {
  const localMs = epochMs + zoneOffsetMinutes(zone, epochMs) * msPerMinute;
  const epochDay = Math.floor(localMs / msPerDay);
  return { date: fromEpochDay(epochDay), minuteOfDay: Math.floor((localMs - epochDay * msPerDay) / msPerMinute) };
}

/** The local date of an instant in a zone. */
export function localDate(zone: string, epochMs: number): IsoDate {
  return localParts(zone, epochMs).date;
}

/** The instant of a local date and minute of the day in a zone. */
export function zonedEpochMs(zone: string, date: IsoDate, minuteOfDay: number): number {
  const wallMs = toEpochDay(date) * msPerDay + minuteOfDay * msPerMinute;
  // Two passes: the offset before the wall time decides which side of a transition it falls on.
  const before = zoneOffsetMinutes(zone, wallMs - 1_440 * msPerMinute);
  const guess = wallMs - before * msPerMinute;
  const at = zoneOffsetMinutes(zone, guess);
  if (at === before) return guess;
  const second = wallMs - at * msPerMinute;
  // In a gap neither reading maps back to the wall time; "compatible" takes the earlier offset.
  return zoneOffsetMinutes(zone, second) === at ? second : guess;
}

/** The last millisecond of the local day `date` in a zone (the next local day's start, minus one). */
export function zonedDayEndMs(zone: string, date: IsoDate): number {
  return zonedEpochMs(zone, addDays(date, 1), 0) - 1;
}

/** "HH:MM" → minutes since midnight; InputError naming `field` otherwise. */
export function parseClockTime(text: unknown, field: string): number {
  const match = typeof text === 'string' ? /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text) : null;
  if (!match) throw new InputError(field, `must be a time "HH:MM" (00:00–23:59), got ${quote(text)}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Minutes since midnight → "HH:MM". */
export function formatClockTime(minuteOfDay: number): string {
  const hours = Math.floor(minuteOfDay / 60);
  const minutes = minuteOfDay % 60;
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

/** An instant as ISO-8601 with the zone's offset ("2026-03-14T09:00:00+08:00"), seconds precision. */
export function formatZonedInstant(zone: string, epochMs: number): string {
  const offset = zoneOffsetMinutes(zone, epochMs);
  const localMs = epochMs + offset * msPerMinute;
  const epochDay = Math.floor(localMs / msPerDay);
  const secondOfDay = Math.floor((localMs - epochDay * msPerDay) / 1000);
  const time = [Math.floor(secondOfDay / 3600), Math.floor(secondOfDay / 60) % 60, secondOfDay % 60]
    .map((part) => String(part).padStart(2, '0'))
    .join(':');
  const sign = offset < 0 ? '-' : '+';
  const absolute = Math.abs(offset);
  const zoneText = offset === 0 ? 'Z' : `${sign}${formatClockTime(absolute)}`;
  return `${fromEpochDay(epochDay)}T${time}${zoneText}`;
}
