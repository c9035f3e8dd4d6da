// Server-side sessions: a signed-in person holds an opaque random token (a cookie or
// `Authorization: Bearer`), the store holds its SHA-256 with an expiry. Each request resolves its token
// to a principal; a short in-process cache (a few seconds, bounded) spares the database on busy
// endpoints. Invariants: a token resolves only while its session is live (not expired, not revoked, a
// staff account enabled — with its current role); signing out drops the token from this process's
// cache at once, and other processes see it within the cache's lifetime.
import type { Database } from '../../store/index.ts';
import {
  createSession,
  findLiveSession,
  revokeSession,
  revokeSubjectSessions,
  type SessionSubjectKind,
  type StaffRole,
} from '../../store/access.ts';
import { newSessionToken, sessionTokenPattern, sha256Hex } from './tokens.ts';

export type Principal =
  | { kind: 'staff'; username: string; role: StaffRole; tokenHash: string }
  | { kind: 'borrower'; borrowerId: string; tokenHash: string };

export interface SessionSettings {
  /** How long a staff session lasts. Default 8 hours. */
  staffTtlMs: number;
  /** How long a borrower session lasts. Default 30 minutes. */
  borrowerTtlMs: number;
  /** How long a resolved token is trusted without asking the database. Default 5 s; 0 turns it off. */
  cacheTtlMs: number;
  /** Tokens cached at most. */
  cacheEntriesMax: number;
}

export const defaultSessionSettings: SessionSettings = Object.freeze({
  staffTtlMs: 8 * 60 * 60 * 1000,
  borrowerTtlMs: 30 * 60 * 1000,
  cacheTtlMs: 5_000,
  cacheEntriesMax: 10_000,
});

interface Cached {
  principal: Principal;
  expiresAtMs: number;
  cachedUntilMs: number;
}

export class Sessions {
  readonly settings: SessionSettings;
  private readonly db: Database;
  private readonly clock: () => number;
  private readonly cache = new Map<string, Cached>();

  constructor(db: Database, clock: () => number, settings: Partial<SessionSettings> = {}) {
    this.db = db;
    this.clock = clock;
    this.settings = { ...defaultSessionSettings, ...settings };
  }

  /** Starts a session; the token is returned once and never stored. */
  async start(kind: SessionSubjectKind, subjectId: string): Promise<{ token: string; expiresAt: string }> {
    const token = newSessionToken();
    const nowMs = this.clock();
    const expiresAtMs = nowMs + (kind === 'staff' ? this.settings.staffTtlMs : this.settings.borrowerTtlMs);
    await createSession(this.db, {
      tokenHash: sha256Hex(token),
      subjectKind: kind,
      subjectId,
      createdAtMs: nowMs,
      expiresAtMs,
    });
    return { token, expiresAt: new Date(expiresAtMs).toISOString() };
  }

  /** The principal a token stands for, or null when it is malformed, unknown, expired or revoked. */
  async resolve(token: string): Promise<Principal | null> {
    if (!sessionTokenPattern.test(token)) return null;
    const tokenHash = sha256Hex(token);
    const nowMs = this.clock();
    const cached = this.cache.get(tokenHash);
    if (cached && cached.cachedUntilMs > nowMs && cached.expiresAtMs > nowMs) return cached.principal;
    if (cached) this.cache.delete(tokenHash);
    const session = await findLiveSession(this.db, tokenHash, nowMs);
    if (!session) return null;
    let principal: Principal;
    if (session.subjectKind === 'staff') {
      if (session.role === null) return null;
      principal = { kind: 'staff', username: session.subjectId, role: session.role, tokenHash };
    } else {
      principal = { kind: 'borrower', borrowerId: session.subjectId, tokenHash };
    }
    if (this.settings.cacheTtlMs > 0) {
      if (this.cache.size >= this.settings.cacheEntriesMax) this.cache.clear();
      this.cache.set(tokenHash, {
        principal,
        expiresAtMs: Date.parse(session.expiresAt),
        cachedUntilMs: nowMs + this.settings.cacheTtlMs,
      });
    }
    return principal;
  }

  async end(tokenHash: string): Promise<void> {
    this.cache.delete(tokenHash);
    await revokeSession(this.db, tokenHash, this.clock());
  }

  /** Ends every session of a person (and forgets this process's cached ones). */
  async endAll(kind: SessionSubjectKind, subjectId: string): Promise<number> {
    for (const [hash, cached] of this.cache) {
      const principal = cached.principal;
      const id = principal.kind === 'staff' ? principal.username : principal.borrowerId;
      if (principal.kind === kind && id === subjectId) this.cache.delete(hash);
    }
    return revokeSubjectSessions(this.db, { kind, id: subjectId, atMs: this.clock() });
  }

  /** Forgets cached staff principals (after a role change, so it applies at once in this process). */
  forgetStaff(username: string): void {
    for (const [hash, cached] of this.cache) {
      if (cached.principal.kind === 'staff' && cached.principal.username === username) this.cache.delete(hash);
    }
  }
}
