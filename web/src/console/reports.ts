// Turns the /api/v1/reports/* answers into chart series. The reports are rows of plain JSON; these
// readers accept the documented shape (`{ rows: [...] }`, docs/console.md) and the obvious variants (a
// bare array, `items`, a named list), and pick numbers from decimal strings for drawing only.

export type Row = Record<string, unknown>;

/** The list of rows in a report body. */
export function rowsOf(body: unknown, ...names: string[]): Row[] {
  if (Array.isArray(body)) return body.filter((row): row is Row => typeof row === 'object' && row !== null);
  if (typeof body !== 'object' || body === null) return [];
  const record = body as Row;
  for (const name of [...names, 'rows', 'items', 'data', 'series']) {
    const value = record[name];
    if (Array.isArray(value)) return rowsOf(value);
  }
  return [];
}

/** The first of `keys` that holds a number or a numeric string, as a number (display only). */
export function numberOf(row: Row | undefined, ...keys: string[]): number | undefined {
  if (!row) return undefined;
  for (const key of keys) {
    const value = row[key];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  }
  return undefined;
}

export function textOf(row: Row | undefined, ...keys: string[]): string | undefined {
  if (!row) return undefined;
  for (const key of keys) {
    const value = row[key];
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number') return String(value);
  }
  return undefined;
}

const bucketOrder = ['M0', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7+'];

export function sortBuckets(buckets: Iterable<string>): string[] {
  return [...new Set(buckets)].sort((a, b) => {
    const ia = bucketOrder.indexOf(a);
    const ib = bucketOrder.indexOf(b);
    if (ia >= 0 && ib >= 0) return ia - ib;
    if (ia >= 0) return -1;
    if (ib >= 0) return 1;
    return a.localeCompare(b);
  });
}

export interface StackedSeries {
  categories: string[];
  series: { name: string; values: number[] }[];
}

/** Rows of (category, stack, value) → one series per stack, aligned on the categories. */
export function stack(
  rows: Row[],
  options: { category: string[]; stack: string[]; value: string[]; sortCategories?: (c: Iterable<string>) => string[] },
): StackedSeries {
  const cells = new Map<string, Map<string, number>>();
  const categorySet: string[] = [];
  for (const row of rows) {
    const category = textOf(row, ...options.category) ?? '—';
    const name = textOf(row, ...options.stack) ?? 'total';
    const value = numberOf(row, ...options.value) ?? 0;
    categorySet.push(category);
    const byCategory = cells.get(name) ?? new Map<string, number>();
    byCategory.set(category, (byCategory.get(category) ?? 0) + value);
    cells.set(name, byCategory);
  }
  const categories = (options.sortCategories ?? ((c) => [...new Set(c)].sort()))(categorySet);
  const series = [...cells.entries()].map(([name, byCategory]) => ({
    name,
    values: categories.map((category) => byCategory.get(category) ?? 0),
  }));
  return { categories, series };
}

/**
 * A rate as a percent number for a chart axis: "0.1234" → 12.34. The API sends every rate as a decimal
 * fraction (CONTRACTS.md), so a recovered share above 1 ("1.0500") is 105 %, not 1.05 %. Null or absent
 * (nothing to measure, e.g. an empty bucket) → undefined.
 */
export function ratePercent(row: Row, ...keys: string[]): number | undefined {
  const value = numberOf(row, ...keys);
  if (value === undefined) return undefined;
  return Math.round(value * 10000) / 100;
}

/** One bar of a roll-rate or cure-rate chart. */
export interface RateBar {
  label: string;
  /** Percent; null where no loan was in the bucket (drawn as a gap). */
  value: number | null;
  moved?: number;
  loans?: number;
}

/**
 * Rows of /reports/roll-rates (`from`, `to`, `rate`, `rolled`, `loans`) or /reports/cure-rates (`bucket`,
 * `rate`, `cured`, `loans`) → bars in the order sent (the servicing rules' bucket order).
 */
export function rateBars(
  rows: Row[],
  options: { fromKeys: string[]; rateKeys: string[]; movedKeys: string[] },
): RateBar[] {
  return rows.map((row) => {
    const from = textOf(row, ...options.fromKeys) ?? '—';
    const to = textOf(row, 'to', 'toBucket');
    return {
      label: to ? `${from}→${to}` : from,
      value: ratePercent(row, ...options.rateKeys) ?? null,
      moved: numberOf(row, ...options.movedKeys),
      loans: numberOf(row, 'loans'),
    };
  });
}

export interface CurveSeries {
  /** Days since delinquency, ascending. */
  days: number[];
  /** One line per cohort (and currency, when the book has several); null where the cohort is too young. */
  series: { name: string; values: (number | null)[]; points: (Row | undefined)[] }[];
}

/** Rows of /reports/collections-curve → one line per cohort, percent values aligned on the days. */
export function curveSeries(rows: Row[]): CurveSeries {
  const currencies = new Set(rows.map((row) => textOf(row, 'currency') ?? ''));
  const days = [...new Set(rows.map((row) => numberOf(row, 'day', 'daysSince') ?? 0))].sort((a, b) => a - b);
  const byName = new Map<string, Map<number, Row>>();
  for (const row of rows) {
    const cohort = textOf(row, 'cohort') ?? '—';
    const name = currencies.size > 1 ? `${cohort} ${textOf(row, 'currency') ?? ''}`.trim() : cohort;
    const points = byName.get(name) ?? new Map<number, Row>();
    points.set(numberOf(row, 'day', 'daysSince') ?? 0, row);
    byName.set(name, points);
  }
  const series = [...byName.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, points]) => ({
      name,
      points: days.map((day) => points.get(day)),
      values: days.map((day) => {
        const point = points.get(day);
        return point === undefined ? null : (ratePercent(point, 'recoveredRate', 'rate') ?? null);
      }),
    }));
  return { days, series };
}
