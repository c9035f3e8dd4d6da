// Terminal tables: display widths of Chinese text, alignment, digit grouping and exact percentages.
import { describe, expect, it } from 'vitest';
import { displayWidth, fractionAsPercent, groupThousands, renderTable } from './table.ts';

describe('displayWidth', () => {
  it('counts CJK and full-width characters as two columns', () => {
    expect(displayWidth('Total')).toBe(5);
    expect(displayWidth('剩余本金')).toBe(8);
    expect(displayWidth('年化利率（IRR）')).toBe(15);
    expect(displayWidth('')).toBe(0);
  });
});

describe('renderTable', () => {
  it('aligns left and right columns, with a rule and a footer', () => {
    const text = renderTable(
      [
        { header: '期数', align: 'right' },
        { header: 'Name', align: 'left' },
        { header: '本金', align: 'right' },
      ],
      [
        ['1', 'a', '5.00'],
        ['10', 'bbbbbb', '1,000.00'],
      ],
      [['总计', '', '1,005.00']],
    );
    expect(text.split('\n')).toEqual([
      '期数  Name        本金',
      '----------------------',
      '   1  a           5.00',
      '  10  bbbbbb  1,000.00',
      '----------------------',
      '总计          1,005.00',
    ]);
  });
});

describe('groupThousands', () => {
  it.each([
    ['0.00', '0.00'],
    ['999.99', '999.99'],
    ['1000.00', '1,000.00'],
    ['1234567.891', '1,234,567.891'],
    ['-1234567', '-1,234,567'],
    ['12345678901234567890.12', '12,345,678,901,234,567,890.12'],
  ])('%s → %s', (input, expected) => {
    expect(groupThousands(input)).toBe(expected);
  });
});

describe('fractionAsPercent', () => {
  it.each([
    ['0.1200', '12.00%'],
    ['0.1235', '12.35%'],
    ['0.0000', '0.00%'],
    ['1.2345', '123.45%'],
    ['0.05', '5%'],
    ['0.1', '10%'],
    ['-0.0150', '-1.50%'],
  ])('%s → %s', (input, expected) => {
    expect(fractionAsPercent(input)).toBe(expected);
  });
});
