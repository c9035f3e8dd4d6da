// Aligned plain-text tables for terminals. Widths count East Asian wide characters (Chinese headers)
// as two columns, so zh-CN and en tables line up the same way in a monospace terminal.

export type Align = 'left' | 'right';

export interface Column {
  header: string;
  align: Align;
}

function isWide(codePoint: number): boolean {
  return (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  );
}

/** Columns a string occupies in a monospace terminal. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += isWide(char.codePointAt(0) ?? 0) ? 2 : 1;
  return width;
}

function pad(text: string, width: number, align: Align): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'right' ? fill + text : text + fill;
}

/**
 * Renders a header, a rule, the body rows, and (when given) a rule and footer rows, with two spaces
 * between columns and no trailing spaces.
 */
export function renderTable(
  columns: readonly Column[],
  body: readonly string[][],
  footer: readonly string[][] = [],
): string {
  const widths = columns.map((column, index) =>
    Math.max(displayWidth(column.header), ...[...body, ...footer].map((row) => displayWidth(row[index] ?? ''))),
  );
  const line = (cells: readonly string[]): string =>
    columns
      .map((column, index) => pad(cells[index] ?? '', widths[index] ?? 0, column.align))
      .join('  ')
      .trimEnd();
  const rule = '-'.repeat(widths.reduce((sum, width) => sum + width, 0) + 2 * (columns.length - 1));
  const lines = [line(columns.map((column) => column.header)), rule, ...body.map(line)];
  if (footer.length > 0) lines.push(rule, ...footer.map(line));
  return lines.join('\n');
}

/** Groups the whole part of a plain decimal string by thousands: "1234567.89" → "1,234,567.89". */
export function groupThousands(decimal: string): string {
  const match = /^(-?)(\d+)(\.\d+)?$/.exec(decimal);
  if (!match) return decimal;
  const [, sign = '', whole = '', fraction = ''] = match;
  return `${sign}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction}`;
}

/** A fraction string as a percentage with two fewer decimals, exactly: "0.1235" → "12.35%". */
export function fractionAsPercent(fraction: string): string {
  const match = /^(-?)(\d+)\.(\d*)$/.exec(fraction);
  if (!match) return fraction;
  const [, sign = '', whole = '', decimals = ''] = match;
  const digits = decimals.padEnd(2, '0');
  const integer = BigInt(whole + digits.slice(0, 2)).toString();
  const rest = digits.slice(2);
  return `${sign}${integer}${rest ? `.${rest}` : ''}%`;
}
