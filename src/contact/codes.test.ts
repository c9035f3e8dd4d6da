// Verification codes: deterministic for a message, unpredictable without the secret, drawn evenly from an
// alphabet without look-alikes; and the strict reading of a code a borrower types in.
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors/index.ts';
import {
  lookAlikeCode,
  isVerificationCodeShape,
  normaliseVerificationCode,
  verificationCode,
  verificationCodeAlphabet,
  verificationCodeAttemptsMax,
  verificationCodeLength,
} from './codes.ts';

const secret = 'kuan-test-secret-0123456789abcdef';

function rejection(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

/** The scheme written out independently with Node's HMAC, to check the implementation against. */
function referenceCode(key: string, messageId: string, attempt: number): string {
  const mac = createHmac('sha256', key).update(`kuan/verification-code/v1\0${messageId}\0${attempt}`).digest();
  let value = mac.readBigUInt64BE(0) % 31n ** 6n;
  const chars: string[] = [];
  for (let i = 0; i < 6; i += 1) {
    chars.unshift(verificationCodeAlphabet[Number(value % 31n)] as string);
    value /= 31n;
  }
  return chars.join('');
}

describe('verificationCode', () => {
  it('uses an HMAC-SHA-256 that matches RFC 4231 test case 2', () => {
    const mac = hmac(sha256, utf8ToBytes('Jefe'), utf8ToBytes('what do ya want for nothing?'));
    expect(bytesToHex(mac)).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('keeps the codes of messages already sent (pinned values)', () => {
    // Codes are stored with their messages; changing the derivation would orphan every stored code.
    expect(verificationCode({ secret, messageId: 'msg-1' })).toBe('83URNC');
    expect(verificationCode({ secret, messageId: 'msg-2' })).toBe('P9BXCP');
    expect(verificationCode({ secret, messageId: 'B1:2026-03-14:pre_due_3:sms' })).toBe('NV66RS');
    expect(verificationCode({ secret, messageId: 'msg-1', attempt: 1 })).toBe('YVQXQE');
  });

  it('agrees with an independent implementation on Node crypto', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 80 }), fc.nat({ max: 7 }), (messageId, attempt) => {
        expect(verificationCode({ secret, messageId, attempt })).toBe(referenceCode(secret, messageId, attempt));
      }),
    );
  });

  it('gives a retried dispatch the same code, and a string secret the same code as its UTF-8 bytes', () => {
    const first = verificationCode({ secret, messageId: 'm-42' });
    expect(verificationCode({ secret, messageId: 'm-42' })).toBe(first);
    expect(verificationCode({ secret: new TextEncoder().encode(secret), messageId: 'm-42', attempt: 0 })).toBe(first);
  });

  it('always gives 6 characters of the alphabet, never a look-alike', () => {
    expect(verificationCodeAlphabet).toHaveLength(31);
    expect(verificationCodeAlphabet).not.toMatch(/[01ILO]/);
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 100 }), fc.nat({ max: 7 }), (messageId, attempt) => {
        const code = verificationCode({ secret, messageId, attempt });
        expect(code).toHaveLength(verificationCodeLength);
        expect(isVerificationCodeShape(code)).toBe(true);
      }),
    );
  });

  it('gives other codes for another attempt (collision retry) and another secret', () => {
    const ids = Array.from({ length: 300 }, (_, i) => `msg-${i}`);
    const otherSecret = 'another-lender-secret-fedcba9876543210';
    const sameAcrossSecrets = ids.filter(
      (id) => verificationCode({ secret, messageId: id }) === verificationCode({ secret: otherSecret, messageId: id }),
    );
    const sameAcrossAttempts = ids.filter(
      (id) => verificationCode({ secret, messageId: id }) === verificationCode({ secret, messageId: id, attempt: 1 }),
    );
    // Each pair agrees with probability 1 / 31^6; none of 300 should.
    expect(sameAcrossSecrets).toEqual([]);
    expect(sameAcrossAttempts).toEqual([]);
    const attempts = Array.from({ length: verificationCodeAttemptsMax }, (_, attempt) =>
      verificationCode({ secret, messageId: 'msg-1', attempt }),
    );
    expect(new Set(attempts).size).toBe(verificationCodeAttemptsMax);
  });

  it('spreads characters evenly over the alphabet (chi-square over 20,000 messages)', () => {
    const counts = new Map<string, number>([...verificationCodeAlphabet].map((char) => [char, 0]));
    const firstCounts = new Map(counts);
    const messages = 20_000;
    for (let i = 0; i < messages; i += 1) {
      const code = verificationCode({ secret, messageId: `loan-${i}` });
      for (const char of code) counts.set(char, (counts.get(char) ?? 0) + 1);
      firstCounts.set(code[0] as string, (firstCounts.get(code[0] as string) ?? 0) + 1);
    }
    const chiSquare = (observed: Map<string, number>, total: number): number => {
      const expected = total / 31;
      return [...observed.values()].reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
    };
    // 30 degrees of freedom: the 0.1 % critical value is 59.70 (NIST/SEMATECH e-Handbook, table 1.3.6.7.4).
    expect(chiSquare(counts, messages * 6)).toBeLessThan(59.7);
    expect(chiSquare(firstCounts, messages)).toBeLessThan(59.7);
    expect(
      new Set(Array.from({ length: 2000 }, (_, i) => verificationCode({ secret, messageId: `x${i}` }))).size,
    ).toBeGreaterThanOrEqual(1999);
  });

  it('rejects a weak secret, an empty or oversized message id and an out-of-range attempt', () => {
    expect(rejection(() => verificationCode({ secret: 'short', messageId: 'm' })).field).toBe('secret');
    expect(rejection(() => verificationCode({ secret: new Uint8Array(15), messageId: 'm' })).field).toBe('secret');
    expect(rejection(() => verificationCode({ secret, messageId: '' })).field).toBe('messageId');
    expect(rejection(() => verificationCode({ secret, messageId: 'm'.repeat(257) })).field).toBe('messageId');
    for (const attempt of [-1, 1.5, verificationCodeAttemptsMax, Number.NaN]) {
      expect(rejection(() => verificationCode({ secret, messageId: 'm', attempt })).field).toBe('attempt');
    }
  });
});

describe('normaliseVerificationCode', () => {
  it.each([
    ['K7Q2M9', 'K7Q2M9'],
    ['  k7q2m9 ', 'K7Q2M9'],
    ['K7Q 2M9', 'K7Q2M9'],
    ['k7q-2m9', 'K7Q2M9'],
  ])('reads %j as %s', (input, code) => {
    expect(normaliseVerificationCode(input)).toBe(code);
  });

  it.each(['K7Q2M0', 'K7Q2MO', 'K7Q2M1', 'K7Q2MI', 'K7Q2ML', 'K7Q2M!', 'K7Q2M', 'K7Q2M9A', '', '   '])(
    'rejects %j on field code instead of guessing',
    (input) => {
      expect(rejection(() => normaliseVerificationCode(input)).field).toBe('code');
    },
  );

  it('names the character that codes never use', () => {
    expect(rejection(() => normaliseVerificationCode('K7Q2M0')).reason).toContain('"0"');
  });

  it('rejects what is not a string, and very long input', () => {
    expect(rejection(() => normaliseVerificationCode(123456)).field).toBe('code');
    expect(rejection(() => normaliseVerificationCode('A'.repeat(65))).field).toBe('code');
  });

  it('returns a code of the printed shape for any accepted input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (input) => {
        let code: string;
        try {
          code = normaliseVerificationCode(input);
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
          return;
        }
        expect(isVerificationCodeShape(code)).toBe(true);
      }),
    );
  });
});

describe('isVerificationCodeShape', () => {
  it('accepts exactly the printed form', () => {
    expect(isVerificationCodeShape('K7Q2M9')).toBe(true);
    for (const value of ['k7q2m9', 'K7Q2M', 'K7Q2M9X', 'K7Q2M0', 'K7Q 2M', '', 123456, null, undefined]) {
      expect(isVerificationCodeShape(value)).toBe(false);
    }
  });
});

describe('lookAlikeCode', () => {
  it('names code-shaped input that holds a character codes never use, as Kuan would print it', () => {
    expect(lookAlikeCode('ABCDE0')).toBe('ABCDE0');
    expect(lookAlikeCode(' k7q-2m1 ')).toBe('K7Q2M1');
    expect(lookAlikeCode('OIL234')).toBe('OIL234');
  });

  it('leaves alone real-alphabet codes and what cannot be a code', () => {
    expect(lookAlikeCode('K7Q2M9')).toBeUndefined();
    expect(lookAlikeCode('ABC0')).toBeUndefined();
    expect(lookAlikeCode('AB$DE0')).toBeUndefined();
    expect(lookAlikeCode(42)).toBeUndefined();
  });
});
