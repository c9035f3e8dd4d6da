// A borrower's contact preferences as they choose them (portal settings, or staff on their behalf): which
// channels they opted out of (and back into), the channel they prefer, and the language of their
// messages. Pure transitions over the contact state (borrower.ts), so the gate reads the result on the
// next send exactly as it reads an opt-out event. Invariants: opt-outs stay unique and sorted (built on
// borrower.ts `optOut`); the preferred channel is never one the borrower opted out of; the language is
// one the templates speak. The preferred channel is kept in the state document next to the opt-outs.
import { InputError, quote } from '../errors/index.ts';
import { optOut, parseChannel, type BorrowerContactState } from './borrower.ts';
import type { ContactChannel } from './model.ts';
import { templateLocales } from './templates/index.ts';

/** The contact state with the borrower's preferred channel (absent in states written before it existed). */
export type PreferringContactState = BorrowerContactState & { preferredChannel?: ContactChannel | null };

/** What a borrower asks to change; an absent field stays as it is. */
export interface PreferencesChange {
  /** The complete list of channels opted out of: those missing from it are opted back into. */
  optOuts?: readonly ContactChannel[];
  preferredChannel?: ContactChannel | null;
  locale?: string;
}

export interface PreferencesOutcome {
  state: PreferringContactState;
  optedOut: ContactChannel[];
  optedIn: ContactChannel[];
  /** The new language of messages, when it changed (it lives on the borrower row). */
  locale: string | null;
}

/** Opts the borrower back into a channel (the reverse of borrower.ts `optOut`). */
export function optIn(state: BorrowerContactState, channel: ContactChannel): BorrowerContactState {
  if (!state.optOuts.includes(channel)) return state;
  return { ...state, optOuts: state.optOuts.filter((c) => c !== channel) };
}

export function preferredChannelOf(state: BorrowerContactState): ContactChannel | null {
  return (state as PreferringContactState).preferredChannel ?? null;
}

export function parseLocale(value: unknown, field: string): string {
  if (typeof value !== 'string' || !(templateLocales as readonly string[]).includes(value)) {
    throw new InputError(field, `must be one of ${templateLocales.join(', ')}, got ${quote(value)}`);
  }
  return value;
}

/**
 * Applies a change of preferences. Throws InputError naming the field: an unknown channel
 * (`optOuts[1]`, `preferredChannel`), a preferred channel that is opted out, an unknown language.
 */
export function applyPreferences(state: BorrowerContactState, change: PreferencesChange): PreferencesOutcome {
  let next: PreferringContactState = state;
  const optedOut: ContactChannel[] = [];
  const optedIn: ContactChannel[] = [];
  if (change.optOuts !== undefined) {
    const wanted = change.optOuts.map((channel, index) => parseChannel(channel, `optOuts[${index}]`));
    for (const channel of state.optOuts) {
      if (!wanted.includes(channel)) {
        next = optIn(next, channel);
        optedIn.push(channel);
      }
    }
    for (const channel of wanted) {
      if (!next.optOuts.includes(channel)) {
        next = optOut(next, channel);
        optedOut.push(channel);
      }
    }
  }
  let preferred = preferredChannelOf(next);
  if (change.preferredChannel !== undefined) {
    preferred = change.preferredChannel === null ? null : parseChannel(change.preferredChannel, 'preferredChannel');
  }
  if (preferred !== null && next.optOuts.includes(preferred)) {
    if (change.preferredChannel === undefined) preferred = null;
    else throw new InputError('preferredChannel', `${preferred} is opted out; opt back into it first`);
  }
  if (preferred !== preferredChannelOf(next)) next = { ...next, preferredChannel: preferred };
  let locale: string | null = null;
  if (change.locale !== undefined) {
    const parsed = parseLocale(change.locale, 'locale');
    if (parsed !== state.locale) {
      locale = parsed;
      next = { ...next, locale: parsed };
    }
  }
  return { state: next, optedOut, optedIn, locale };
}
