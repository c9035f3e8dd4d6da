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

/** A rate as a percent number for a chart axis: "0.1234" → 12.34; a value above 1 is taken as a percent. */
export function ratePercent(row: Row, ...keys: string[]): number | undefined {
  const value = numberOf(row, ...keys);
  if (value === undefined) return undefined;
  return Math.round((value <= 1 ? value * 100 : value) * 100) / 100;
}
