// Session tokens and one-time codes: random values from the operating system's generator, and the
// digests the store keeps instead of them. Invariants: a token carries 256 random bits and is never
// stored (only its SHA-256); a sign-in code is 6 uniformly random digits, stored as SHA-256 of
// `${codeId}:${code}` with a random code id, and compared in constant time.
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/** Cookie that carries the session token in a browser (HttpOnly, SameSite=Strict). */
export const SESSION_COOKIE = 'kuan_session';

/** The session token a request carries: `Authorization: Bearer`, else the session cookie; undefined if none. */
export function sessionTokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match?.[1] ?? '';
  }
  const cookie = request.cookies[SESSION_COOKIE];
  return typeof cookie === 'string' && cookie !== '' ? cookie : undefined;
}

/** base64url of 32 random bytes: 43 characters. */
export const sessionTokenPattern = /^[A-Za-z0-9_-]{43}$/;

export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function newSignInCode(): { codeId: string; code: string } {
  return { codeId: randomBytes(12).toString('base64url'), code: String(randomInt(0, 1_000_000)).padStart(6, '0') };
}

export function signInCodeHash(codeId: string, code: string): string {
  return sha256Hex(`${codeId}:${code}`);
}

/** Equal hex digests, compared in time independent of where they differ. */
export function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
