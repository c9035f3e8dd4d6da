// SMS segment counting: golden values from the standards and from Twilio's segment calculator, and the
// properties billing relies on (GSM text stays GSM-7, appending never lowers the count, a 2-unit character
// is never split).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countSmsSegments, isGsm7Character, isGsm7Text, smsLimits } from './index.ts';

const basicAlphabet =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const extension = '\f^{}\\[~]|€';

describe('countSmsSegments golden values', () => {
  // 3GPP TS 23.038 §6.1.2.1 / TS 23.040 §9.2.3.24.1: 140 octets of user data = 160 septets or 70 UCS-2
  // characters; a concatenated part spends 6 octets on its header, leaving 153 septets or 67 characters.
  // Twilio, "What the Heck is a Segment?" and its Message Segment Calculator
  // (https://twiliodeved.github.io/message-segment-calculator/) give the same limits.
  it.each([
    ['a'.repeat(160), 'GSM-7', 160, 1],
    ['a'.repeat(161), 'GSM-7', 161, 2],
    ['a'.repeat(306), 'GSM-7', 306, 2],
    // Twilio's calculator test "Check last segment has only 1 character": a 307-septet text is 153+153+1.
    ['a'.repeat(307), 'GSM-7', 307, 3],
    ['中'.repeat(70), 'UCS-2', 70, 1],
    ['中'.repeat(71), 'UCS-2', 71, 2],
    ['中'.repeat(134), 'UCS-2', 134, 2],
    ['中'.repeat(135), 'UCS-2', 135, 3],
    // One non-GSM character turns the whole text into UCS-2: 100 letters and a Chinese character.
    [`${'a'.repeat(100)}中`, 'UCS-2', 101, 2],
  ] as const)('%#: %j has %s, %i units, %i segments', (text, encoding, units, segments) => {
    expect(countSmsSegments(text)).toEqual({ encoding, units, segments });
  });

  it('counts an extension-table character as escape plus character (TS 23.038 §6.2.1.1)', () => {
    expect(countSmsSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(countSmsSegments('€'.repeat(81))).toEqual({ encoding: 'GSM-7', units: 162, segments: 2 });
    expect(countSmsSegments('\f')).toEqual({ encoding: 'GSM-7', units: 2, segments: 1 });
    for (const char of extension) expect(countSmsSegments(char).units).toBe(2);
  });

  it('does not split an escape sequence across parts', () => {
    // 152 + 2 + 152 = 306 septets would fit 2 parts of 153 if the euro could be split; it cannot, so the
    // first part carries 152, the second the euro and 151 letters, the third the last letter.
    expect(countSmsSegments(`${'a'.repeat(152)}€${'a'.repeat(152)}`)).toEqual({
      encoding: 'GSM-7',
      units: 306,
      segments: 3,
    });
  });

  it('counts an emoji as a surrogate pair and never splits it (Twilio calculator UCS-2 test)', () => {
    // Twilio's "UCS-2 Segments analysis": an emoji and 133 digits = 135 code units, parts of 67+67+1.
    expect(countSmsSegments(`😜${'1234567890'.repeat(14).slice(0, 133)}`)).toEqual({
      encoding: 'UCS-2',
      units: 135,
      segments: 3,
    });
    expect(countSmsSegments(`${'中'.repeat(68)}😀`)).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    // 66 + 2 + 66 = 134 units, but the emoji does not fit in the first part's last unit.
    expect(countSmsSegments(`${'中'.repeat(66)}😀${'中'.repeat(66)}`)).toEqual({
      encoding: 'UCS-2',
      units: 134,
      segments: 3,
    });
  });

  it('needs no segment for an empty text', () => {
    expect(countSmsSegments('')).toEqual({ encoding: 'GSM-7', units: 0, segments: 0 });
  });

  it('knows the default alphabet: 127 characters (128 positions less the escape) and the extension table', () => {
    expect(new Set(basicAlphabet).size).toBe(127);
    for (const char of basicAlphabet + extension) expect(isGsm7Character(char)).toBe(true);
    // Look-alikes that are not in GSM 03.38: lower-case c cedilla, backtick, tab, curly quotes, dashes, ellipsis.
    for (const char of ['ç', '`', '\t', '’', '“', '—', '–', '…', '中', '😀', 'e\u0301']) {
      expect(isGsm7Text(char)).toBe(false);
    }
    expect(countSmsSegments('Reply STOP to opt out.').encoding).toBe('GSM-7');
    expect(countSmsSegments('Reply STOP — opt out').encoding).toBe('UCS-2');
  });
});

const gsmChar = fc.constantFrom(...basicAlphabet, ...extension);
const anyChar = fc.oneof(gsmChar, fc.constantFrom('中', '文', '。', '😀', '🎉', 'ç', '—'));
const text = (char: fc.Arbitrary<string>) => fc.array(char, { maxLength: 700 }).map((chars) => chars.join(''));

describe('countSmsSegments properties', () => {
  it('never sends pure GSM text as UCS-2, and counts escapes twice', () => {
    fc.assert(
      fc.property(text(gsmChar), (value) => {
        const info = countSmsSegments(value);
        const escapes = [...value].filter((char) => extension.includes(char)).length;
        expect(info.encoding).toBe('GSM-7');
        expect(info.units).toBe([...value].length + escapes);
      }),
    );
  });

  it('counts UCS-2 text in UTF-16 code units', () => {
    fc.assert(
      fc.property(text(anyChar), (value) => {
        const info = countSmsSegments(value);
        expect(info.encoding).toBe(isGsm7Text(value) ? 'GSM-7' : 'UCS-2');
        if (info.encoding === 'UCS-2') expect(info.units).toBe(value.length);
      }),
    );
  });

  it('never lowers the count when text is appended', () => {
    fc.assert(
      fc.property(text(anyChar), text(anyChar), (prefix, suffix) => {
        expect(countSmsSegments(prefix + suffix).segments).toBeGreaterThanOrEqual(countSmsSegments(prefix).segments);
      }),
    );
  });

  it('fills each part to within one unit of its limit', () => {
    fc.assert(
      fc.property(text(anyChar), (value) => {
        const { encoding, units, segments } = countSmsSegments(value);
        const { singleUnitsMax, partUnitsMax } = smsLimits[encoding];
        if (units === 0) expect(segments).toBe(0);
        else if (units <= singleUnitsMax) expect(segments).toBe(1);
        else {
          expect(segments).toBeGreaterThanOrEqual(Math.ceil(units / partUnitsMax));
          // A part is only closed early when a 2-unit character does not fit its last unit.
          expect(segments).toBeLessThanOrEqual(Math.ceil(units / (partUnitsMax - 1)));
        }
      }),
    );
  });
});
