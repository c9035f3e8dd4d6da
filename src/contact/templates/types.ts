// The vocabulary of message templates: locales, the variables a template may use, the text variants a
// channel reads, and the shape of a template as data. Invariants: a template has text in every locale of
// `templateLocales`; a placeholder names one of `templateVariables`; each channel reads exactly one variant.
import type { ContactChannel, ContactPurpose } from '../model.ts';

export const templateLocales = ['zh-CN', 'en'] as const;
export type TemplateLocale = (typeof templateLocales)[number];

/**
 * Every variable a template may use as `{{name}}`. Values arrive formatted (an amount with its currency
 * symbol, a date as the borrower reads it); templates never format.
 */
export const templateVariables = [
  'borrowerName',
  'lenderName',
  /** The amount the message is about, formatted, e.g. "¥305.00". */
  'amount',
  /** ISO 4217 code of `amount`, for templates that spell it out. */
  'currency',
  'dueDate',
  'daysOverdue',
  'loanCount',
  /** The loans the message covers, from `formatLoanList`: reads well for one loan or several. */
  'loanList',
  'portalUrl',
  'verificationCode',
  /** Overrides the default opt-out sentence (see `defaultOptOutText`). */
  'optOutText',
  'holdUntil',
  'promiseDate',
  'promiseAmount',
  'eta',
  /** What is delayed, in the borrower's language: "refund of ¥50.00" / "¥50.00退款". */
  'what',
  'signInCode',
  /** The last day of the grace days (payment by then costs no penalty). */
  'graceEndDate',
] as const;
export type TemplateVariable = (typeof templateVariables)[number];

/** Values by variable name; numbers are written as `String(n)`. Unused variables are ignored. */
export type TemplateVariables = Partial<Record<TemplateVariable, string | number>>;

/**
 * Where length matters a template has a variant per kind of channel:
 * - `short`: SMS, and the body of a push notification (whose title is the subject);
 * - `long`: e-mail and letter, under the subject;
 * - `script`: what an agent says on a call (a voice contact is a call task), with notes in brackets.
 */
export const templateVariants = ['short', 'long', 'script'] as const;
export type TemplateVariant = (typeof templateVariants)[number];

export const channelVariant: Readonly<Record<ContactChannel, TemplateVariant>> = {
  sms: 'short',
  push: 'short',
  email: 'long',
  letter: 'long',
  voice: 'script',
};

/** Channels that show a subject (e-mail subject, letter heading, push title). */
export const subjectChannels: readonly ContactChannel[] = ['email', 'letter', 'push'];

export interface LocalizedTemplate {
  readonly subject: string;
  readonly short: string;
  readonly long: string;
  /** Absent when the message must never be read out on a call (a sign-in code). */
  readonly script?: string;
}

/**
 * What a message is, for the rules that hold contact back (a dispute's pause, an open hardship request):
 * - `collection`: contact about money owed that the lender starts (reminders, overdue notices, a broken
 *   promise, hold check-ins, a plan offer) — held while collection contact is paused;
 * - `acknowledgement`: confirms something the borrower did (their payment, hold, promise, plan) — it
 *   answers the borrower, so it goes during a pause;
 * - `service`: about the account, not the debt (a sign-in code, a delayed refund) — goes during a pause.
 */
export const templateKinds = ['collection', 'acknowledgement', 'service'] as const;
export type TemplateKind = (typeof templateKinds)[number];

export interface TemplateDefinition {
  /** Lower snake case, e.g. `due_soon`. */
  readonly id: string;
  /** A reminder of money owed (moot once paid) or a notice the borrower needs anyway. */
  readonly purpose: ContactPurpose;
  /** Collection, acknowledgement or service (see `templateKinds`); custom templates default to collection. */
  readonly kind: TemplateKind;
  /** One line for the console and docs. */
  readonly summary: string;
  readonly locales: Readonly<Record<TemplateLocale, LocalizedTemplate>>;
}

/** Custom templates brought by a strategy, by id; consulted before the built-in catalogue. */
export type TemplateOverrides = ReadonlyMap<string, TemplateDefinition>;
