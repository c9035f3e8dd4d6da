// What every route module is given: the database, the clock, sessions, the audit writer, the sign-in
// code settings; and the typed Fastify instance routes are declared on, with each route's access rule.
// Invariant: a route's `access` is read by the access hook before the request body is even parsed, so an
// unauthenticated or unauthorised request never reaches validation or a handler.
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { InboundWebhookSettings } from '../channels/config.ts';
import type { ChannelAdapters } from '../channels/index.ts';
import type { PaymentProvider } from '../channels/payments/index.ts';
import type { CaseServiceConfig } from '../app/index.ts';
import type { Database } from '../store/index.ts';
import type { AuditWriter } from './audit.ts';
import type { SignInCodeSender } from './auth/codes.ts';
import type { PasswordHashing, PasswordVerifier } from './auth/passwords.ts';
import type { Permission } from './auth/permissions.ts';
import type { Principal, Sessions } from './auth/sessions.ts';

/**
 * Who may call a route: anyone; anyone signed in; or staff whose role holds `permission` — and, when
 * `borrower` is true, a signed-in borrower (on their own data, which the handler checks).
 */
export type RouteAccess =
  { kind: 'public' } | { kind: 'signed_in' } | { kind: 'permission'; permission: Permission; borrower: boolean };

/** Non-GET routes are audited as actions unless a route says `none` (a pure computation). */
export type RouteAudit = 'action' | 'none';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    audit?: RouteAudit;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export type Api = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface CodeSettings {
  sender: SignInCodeSender;
  /** How long a code works. Default 10 minutes. */
  ttlMs: number;
  /** Wrong tries a code allows. Default 5. */
  attemptsMax: number;
  /** Codes a borrower may be sent per hour. Default 5. */
  perHourMax: number;
  /** Time between two codes for one borrower. Default 60 s. */
  resendGapMs: number;
}

export interface ApiContext {
  db: Database;
  /** Epoch milliseconds. */
  clock: () => number;
  /** The time zone whose calendar date is "today" for a payment without a date. */
  timezone: string;
  sessions: Sessions;
  /** Session cookies carry the Secure flag (the API is served over HTTPS). */
  secureCookies: boolean;
  audit: AuditWriter;
  passwordHashing: PasswordHashing;
  passwords: PasswordVerifier;
  codes: CodeSettings;
  /**
   * Where a borrower's portal payment debits their bound account (`kuan serve --payment-provider`, the
   * demo's sandbox). Unset: borrowers' payments answer 503 `payments_unavailable`; staff payments work.
   */
  paymentProvider?: PaymentProvider;
  /**
   * The workbench's settings (escalation ladder, policy) and the sender of lawyer's letters: the lender
   * and the verification-code secret (`kuan serve`: KUAN_LENDER_NAME, KUAN_LENDER_ADDRESS, KUAN_PORTAL_URL,
   * KUAN_CODE_SECRET). Without a lender or secret, an escalation that sends a letter answers 503
   * `letters_unavailable`; other escalations work.
   */
  cases?: CaseServiceConfig;
  /**
   * How provider posts (delivery receipts, borrowers' replies) are checked (`kuan serve --channels FILE`:
   * the generic webhook's signingSecret, Twilio's auth token and public URL). Unset: those routes answer 404.
   */
  inbound?: InboundWebhookSettings;
  /**
   * What readiness (GET /health/ready) looks at beyond the database: the scheduler this process runs
   * (`kuan serve --schedule`, by its worker id) and the channels it sends through (their circuits).
   */
  operations?: { scheduler?: { workerId: string }; adapters?: ChannelAdapters };
  /**
   * Above this many minor units a payment reversal waits for a second member's approval (`kuan serve`:
   * KUAN_REVERSAL_APPROVAL_ABOVE_MINOR; default REVERSAL_APPROVAL_ABOVE_MINOR_DEFAULT).
   */
  reversalApprovalAboveMinor?: bigint;
  /** Records a read of borrower personal data before it is returned (the read fails if the record does). */
  auditRead(
    request: FastifyRequest,
    read: { action: string; borrowerIds: readonly string[]; detail?: Record<string, unknown> },
  ): Promise<void>;
}
