// Staff passwords: argon2id hashes in the PHC string format, with the cost as configuration (the
// defaults follow OWASP's argon2id minimum: 19 MiB, 2 passes, 1 lane; tests pass cheap parameters).
// Invariants: a password is never stored or logged, only its hash; checking a sign-in for an unknown or
// disabled account still runs one argon2 verification, so the response time does not tell whether a
// username exists.
import argon2 from 'argon2';
import { InputError } from '../../errors/index.ts';

export interface PasswordHashing {
  /** KiB of memory per hash. */
  memoryCost: number;
  /** Passes over the memory. */
  timeCost: number;
  parallelism: number;
}

export const defaultPasswordHashing: PasswordHashing = Object.freeze({
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
});

/** For tests only: fast, and far too weak for real passwords. */
export const testPasswordHashing: PasswordHashing = Object.freeze({ memoryCost: 1_024, timeCost: 1, parallelism: 1 });

export const passwordLengthMin = 10;
export const passwordLengthMax = 256;

/** A new password's rules: 10 … 256 characters (long passphrases welcome; no composition rules). */
export function checkNewPassword(password: unknown, field = 'password'): string {
  if (typeof password !== 'string') throw new InputError(field, 'must be a string');
  if (password.length < passwordLengthMin) {
    throw new InputError(field, `must be at least ${passwordLengthMin} characters, got ${password.length}`);
  }
  if (password.length > passwordLengthMax)
    throw new InputError(field, `must be at most ${passwordLengthMax} characters`);
  return password;
}

export async function hashPassword(
  password: string,
  hashing: PasswordHashing = defaultPasswordHashing,
): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id, ...hashing });
}

export interface PasswordVerifier {
  /** True when `password` matches `hash`; with no hash (unknown account) it spends the same time and says false. */
  verify(hash: string | undefined, password: string): Promise<boolean>;
}

export function passwordVerifier(hashing: PasswordHashing = defaultPasswordHashing): PasswordVerifier {
  let dummy: Promise<string> | undefined;
  return {
    async verify(hash, password) {
      if (hash === undefined) {
        dummy ??= hashPassword('kuan: no such account, still spend the time', hashing);
        await argon2.verify(await dummy, password).catch(() => false);
        return false;
      }
      try {
        return await argon2.verify(hash, password);
      } catch {
        return false;
      }
    },
  };
}
