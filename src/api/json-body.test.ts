// The JSON body checks: nesting is counted outside strings only (escapes included), and the charset
// parameter is read as HTTP writes it (any case, quoted or not).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { charsetOf, jsonDepth } from './json-body.ts';

describe('jsonDepth', () => {
  it('counts arrays and objects, not brackets inside strings', () => {
    expect(jsonDepth('1', 32)).toBe(0);
    expect(jsonDepth('{"a":[1,{"b":[]}]}', 32)).toBe(4);
    expect(jsonDepth('["[[[[", "\\"[[[", "\\\\"]', 32)).toBe(1);
    expect(jsonDepth('['.repeat(100_000), 32)).toBe(33);
  });

  it('agrees with the depth of any JSON value', () => {
    const depthOf = (value: unknown): number =>
      value !== null && typeof value === 'object'
        ? 1 + Math.max(0, ...Object.values(value as Record<string, unknown>).map(depthOf))
        : 0;
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        expect(jsonDepth(JSON.stringify(value), 32)).toBe(depthOf(value));
      }),
    );
  });
});

describe('charsetOf', () => {
  it('reads the charset parameter', () => {
    expect(charsetOf('application/json')).toBeUndefined();
    expect(charsetOf(undefined)).toBeUndefined();
    expect(charsetOf('application/json; charset=UTF-8')).toBe('utf-8');
    expect(charsetOf('application/json;Charset="ISO-8859-1"')).toBe('iso-8859-1');
    expect(charsetOf('application/json; foo=bar; charset=utf-16')).toBe('utf-16');
  });
});
