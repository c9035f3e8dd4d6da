// Verification codes: the short code every message carries so a borrower can check, in the portal's list
// of messages sent to them, that a message is genuine. A code is HMAC-SHA-256(lender's secret, message id
// and attempt) mapped onto 6 characters of an alphabet without look-alikes (no 0/O, 1/I/L). Invariants:
// the same secret, message id and attempt always give the same code (a retried dispatch shows the same
// code); without the secret a code cannot be predicted; every code has exactly `verificationCodeLength`
// characters of `verificationCodeAlphabet`, and each of the 31^6 codes is (to within 5e-11) equally likely.
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { InputError, quote } from '../errors/index.ts';

/** 23 letters without I, L, O and the digits 2–9: 31 symbols nobody misreads on a phone screen. */
export const verificationCodeAlphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const verificationCodeLength = 6;
/** Codes tried for one message before the store gives up on a collision (each has a 1 in 887,503,681 chance). */
export const verificationCodeAttemptsMax = 8;
/** Shorter secrets are guessable; 16 bytes is 128 bits. */
export const verificationSecretBytesMin = 16;
export const verificationMessageIdLengthMax = 256;

// Domain separation: the same secret may key other MACs one day without their outputs colliding with codes.
const derivationLabel = 'kuan/verification-code/v1';
const alphabetSize = BigInt(verificationCodeAlphabet.length);
const codeSpace = alphabetSize ** BigInt(verificationCodeLength);

export interface VerificationCodeInput {
  /** The lender's secret: raw bytes, or a string taken as UTF-8. At least 16 bytes. */
  secret: Uint8Array | string;
  /** The message's id (unique per message, stable across retries of its dispatch). */
  messageId: string;
  /** 0 (default) for the first code; the store asks for 1, 2, … when a code is already taken. */
  attempt?: number;
}

export function verificationCode({ secret, messageId, attempt = 0 }: VerificationCodeInput): string {
  const key = typeof secret === 'string' ? utf8ToBytes(secret) : secret;
  if (!(key instanceof Uint8Array)) throw new InputError('secret', 'must be bytes or a string');
  if (key.length < verificationSecretBytesMin) {
    throw new InputError('secret', `must be at least ${verificationSecretBytesMin} bytes, got ${key.length}`);
  }
  if (typeof messageId !== 'string' || messageId.length === 0) {
    throw new InputError('messageId', `must be a non-empty string, got ${quote(messageId)}`);
  }
  if (messageId.length > verificationMessageIdLengthMax) {
    throw new InputError('messageId', `must be at most ${verificationMessageIdLengthMax} characters`);
  }
  if (!Number.isInteger(attempt) || attempt < 0 || attempt >= verificationCodeAttemptsMax) {
    throw new InputError(
      'attempt',
      `must be an integer from 0 to ${verificationCodeAttemptsMax - 1}, got ${quote(attempt)}`,
    );
  }
  // The attempt is digits only, so the last NUL separates it from a message id that may contain NULs.
  const mac = hmac(sha256, key, utf8ToBytes(`${derivationLabel}\0${messageId}\0${attempt}`));
  // 64 bits reduced modulo 31^6 (< 2^30): the bias towards small values is below 31^6 / 2^64 ≈ 4.8e-11.
  let value = 0n;
  for (const byte of mac.subarray(0, 8)) value = (value << 8n) | BigInt(byte);
  value %= codeSpace;
  let code = '';
  for (let position = 0; position < verificationCodeLength; position += 1) {
    code = verificationCodeAlphabet.charAt(Number(value % alphabetSize)) + code;
    value /= alphabetSize;
  }
  return code;
}

/** True when `text` is exactly a code as Kuan prints it (6 characters of the alphabet, upper case). */
export function isVerificationCodeShape(text: unknown): boolean {
  if (typeof text !== 'string' || text.length !== verificationCodeLength) return false;
  for (const char of text) if (!verificationCodeAlphabet.includes(char)) return false;
  return true;
}

const maxInputLength = 64;

/**
 * The input as Kuan would print it when it looks like a code — six letters and digits once spaces and
 * hyphens are dropped — but holds a character codes never use (0, 1, I, L, O). Such a code cannot be
 * genuine: an answer "not from us" fits it better than an input error. Undefined for anything else.
 */
export function lookAlikeCode(input: unknown): string | undefined {
  if (typeof input !== 'string' || input.length > maxInputLength) return undefined;
  const code = input
    .trim()
    .replace(/[\s-]+/g, '')
    .toUpperCase();
  if (!/^[A-Z0-9]+$/.test(code) || code.length !== verificationCodeLength) return undefined;
  for (const char of code) if (!verificationCodeAlphabet.includes(char)) return code;
  return undefined;
}

/**
 * A code as a person typed it, in the form Kuan prints: surrounding space trimmed, spaces and hyphens
 * inside dropped ("k7q 2m9", "K7Q-2M9"), letters upper-cased. Look-alikes are not guessed: a code with
 * 0, O, 1, I or L was not printed by Kuan, so it is rejected (InputError on field `code`) rather than
 * silently "corrected" into someone else's code.
 */
export function normaliseVerificationCode(input: unknown): string {
  if (typeof input !== 'string') throw new InputError('code', `must be a string, got ${quote(input)}`);
  if (input.length > maxInputLength) throw new InputError('code', `must be ${verificationCodeLength} characters`);
  const code = input
    .trim()
    .replace(/[\s-]+/g, '')
    .toUpperCase();
  for (const char of code) {
    if (!verificationCodeAlphabet.includes(char)) {
      throw new InputError(
        'code',
        `contains ${quote(char)}, which codes never use (they use A-Z without I, L, O and the digits 2-9), got ${quote(input)}`,
      );
    }
  }
  if (code.length !== verificationCodeLength) {
    throw new InputError('code', `must be ${verificationCodeLength} characters, got ${quote(input)}`);
  }
  return code;
}
