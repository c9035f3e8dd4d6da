// Policy packs: the compliance rules a lender contacts borrowers under, as data (CONTRACTS.md "Policy
// packs"). Built in: `default`, `cn-2026` (China's 2026 collection guideline) and `us-regf` (US
// Regulation F). A scenario or a lender names a pack or gives an object of overrides on `default`
// (or on the pack named in its `extends`); parsePolicy validates it once and returns an immutable pack.
// Invariants: the contact window is non-empty; every cap and limit is a whole number with a bound.
import { parseIsoDate, parseClockTime, formatClockTime, type IsoDate } from '../../calendar/index.ts';
import { InputError, quote } from '../../errors/index.ts';
import { contactChannels, type ContactChannel } from '../model.ts';

export interface CallLimits {
  /** cn-2026: connected calls per borrower per local day, all loans together. */
  readonly connectedPerBorrowerPerDayMax: number | null;
  /** cn-2026: unanswered dial attempts per phone number per local day. */
  readonly unansweredPerNumberPerDayMax: number | null;
  /** us-regf: call attempts per debt in any 7 consecutive days. */
  readonly attemptsPerDebtPer7DaysMax: number | null;
  /** us-regf: no call about a debt for this many days after a conversation about it. */
  readonly quietDaysAfterConversation: number | null;
}

export interface HoldRules {
  /** While a hold is active: at most this many messages per 7 days … */
  readonly messagesPer7DaysMax: number;
  /** … and calls only if allowed (never in the built-in packs). */
  readonly callsAllowed: boolean;
}

export interface PolicyPack {
  readonly name: string;
  /** The contact window in the borrower's local time: [windowStartMinute, windowEndMinute). */
  readonly windowStartMinute: number;
  readonly windowEndMinute: number;
  /** Per borrower per local calendar day. */
  readonly channelDailyCaps: Readonly<Record<ContactChannel, number>>;
  readonly calls: CallLimits;
  readonly hold: HoldRules;
  /**
   * Revocation words: a short reply that says one of them opts the borrower out of the channel it came on
   * (matched tolerantly, see `revocationOf`).
   */
  readonly optOutKeywords: readonly string[];
  /** Channels whose every message must carry a simple way to opt out. */
  readonly optOutTextRequired: readonly ContactChannel[];
  /** Local dates with no collection contact (notices still go). */
  readonly noContactDates: readonly IsoDate[];
  /** Local weekdays with no collection contact, 1 = Monday … 7 = Sunday. */
  readonly noContactWeekdays: readonly number[];
  /** A complaint about contact or a dispute pauses collection contact until reviewed. */
  readonly pauseOnComplaint: boolean;
  /** Third parties (contacts other than the borrower) are never told about the debt. */
  readonly thirdPartyContactAllowed: boolean;
}

/** cn-2026: the words Chinese senders' SMS opt-out lines use (回复TD退订) and the usual ways to say it. */
const cnRevocationWords = [
  '退订',
  'TD',
  'T',
  '取消',
  '取消订阅',
  '不要再发',
  '别再发',
  '拒收',
  '退出',
  'STOP',
  'UNSUBSCRIBE',
];
/**
 * us-regf: the FCC's TCPA consent-revocation rule (47 CFR 64.1200(a)(12), 2024) names "stop, quit, end,
 * revoke, opt out, cancel or unsubscribe" as a revocation by reply.
 */
const usRevocationWords = ['STOP', 'QUIT', 'END', 'REVOKE', 'OPT OUT', 'OPTOUT', 'CANCEL', 'UNSUBSCRIBE'];
/** `default`: every word either pack knows. */
const allRevocationWords = [...new Set([...usRevocationWords, ...cnRevocationWords])];

export const defaultPolicy: PolicyPack = {
  name: 'default',
  windowStartMinute: 8 * 60,
  windowEndMinute: 21 * 60,
  channelDailyCaps: { sms: 2, email: 2, push: 2, letter: 1, voice: 3 },
  calls: {
    connectedPerBorrowerPerDayMax: 3,
    unansweredPerNumberPerDayMax: 6,
    attemptsPerDebtPer7DaysMax: 7,
    quietDaysAfterConversation: 7,
  },
  hold: { messagesPer7DaysMax: 1, callsAllowed: false },
  optOutKeywords: allRevocationWords,
  optOutTextRequired: [],
  noContactDates: [],
  noContactWeekdays: [],
  pauseOnComplaint: true,
  thirdPartyContactAllowed: false,
};

export const builtInPolicies: Readonly<Record<string, PolicyPack>> = {
  default: defaultPolicy,
  'cn-2026': {
    ...defaultPolicy,
    name: 'cn-2026',
    windowEndMinute: 22 * 60,
    channelDailyCaps: { sms: 2, email: 2, push: 3, letter: 1, voice: 9 },
    calls: {
      connectedPerBorrowerPerDayMax: 3,
      unansweredPerNumberPerDayMax: 6,
      attemptsPerDebtPer7DaysMax: null,
      quietDaysAfterConversation: null,
    },
    optOutKeywords: cnRevocationWords,
  },
  'us-regf': {
    ...defaultPolicy,
    name: 'us-regf',
    windowEndMinute: 21 * 60,
    channelDailyCaps: { sms: 2, email: 2, push: 2, letter: 1, voice: 7 },
    calls: {
      connectedPerBorrowerPerDayMax: null,
      unansweredPerNumberPerDayMax: null,
      attemptsPerDebtPer7DaysMax: 7,
      quietDaysAfterConversation: 7,
    },
    optOutTextRequired: ['sms', 'email'],
    optOutKeywords: usRevocationWords,
  },
};

export const policyNames = Object.keys(builtInPolicies);

const capMax = 100;
const listMax = 1_000;

function wholeNumber(value: unknown, field: string, max: number, nullable = false): number | null {
  if (value === null && nullable) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new InputError(field, `must be a whole number 0–${max}${nullable ? ' or null' : ''}, got ${quote(value)}`);
  }
  return value;
}

function objectOf(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(field, `must be an object, got ${quote(value)}`);
  }
  return value as Record<string, unknown>;
}

function rejectUnknown(json: Record<string, unknown>, known: readonly string[], field: string): void {
  for (const key of Object.keys(json)) {
    if (!known.includes(key)) throw new InputError(`${field}.${key}`, `is not a known setting (${known.join(', ')})`);
  }
}

function listOf<T>(value: unknown, field: string, parse: (item: unknown, itemField: string) => T): T[] {
  if (!Array.isArray(value)) throw new InputError(field, `must be an array, got ${quote(value)}`);
  if (value.length > listMax) throw new InputError(field, `must have at most ${listMax} entries`);
  return value.map((item, index) => parse(item, `${field}[${index}]`));
}

function channelOf(value: unknown, field: string): ContactChannel {
  if (typeof value !== 'string' || !(contactChannels as readonly string[]).includes(value)) {
    throw new InputError(field, `must be one of ${contactChannels.join(', ')}, got ${quote(value)}`);
  }
  return value as ContactChannel;
}

const policyKeys = [
  'name',
  'extends',
  'window',
  'channelDailyCaps',
  'calls',
  'hold',
  'optOutKeywords',
  'optOutTextRequired',
  'noContactDates',
  'noContactWeekdays',
  'pauseOnComplaint',
  'thirdPartyContactAllowed',
] as const;

/**
 * A built-in pack by name, or an object of overrides on `default` (or on `extends`). Omitted: `default`.
 * Window as { start: "08:00", end: "22:00" }; caps and call limits per key.
 */
export function parsePolicy(choice: unknown, field = 'policy'): PolicyPack {
  if (choice === undefined || choice === null) return defaultPolicy;
  if (typeof choice === 'string') {
    const pack = builtInPolicies[choice];
    if (!pack)
      throw new InputError(field, `must be one of ${policyNames.join(', ')} or an object, got ${quote(choice)}`);
    return pack;
  }
  const json = objectOf(choice, field);
  rejectUnknown(json, policyKeys, field);
  if (json.extends !== undefined && typeof json.extends !== 'string') {
    throw new InputError(`${field}.extends`, `must name a built-in pack, got ${quote(json.extends)}`);
  }
  const base = json.extends === undefined ? defaultPolicy : parsePolicy(json.extends, `${field}.extends`);
  let name = `${base.name}+overrides`;
  if (json.name !== undefined) {
    if (typeof json.name !== 'string' || !/^[\w.+-]{1,64}$/.test(json.name)) {
      throw new InputError(`${field}.name`, `must be 1–64 letters, digits or . _ + -, got ${quote(json.name)}`);
    }
    name = json.name;
  }
  let { windowStartMinute, windowEndMinute } = base;
  if (json.window !== undefined) {
    const window = objectOf(json.window, `${field}.window`);
    rejectUnknown(window, ['start', 'end'], `${field}.window`);
    if (window.start !== undefined) windowStartMinute = parseClockTime(window.start, `${field}.window.start`);
    if (window.end !== undefined) windowEndMinute = parseClockTime(window.end, `${field}.window.end`);
    if (windowEndMinute <= windowStartMinute) {
      throw new InputError(
        `${field}.window.end`,
        `must be after the start ${formatClockTime(windowStartMinute)}, got ${formatClockTime(windowEndMinute)}`,
      );
    }
  }
  const caps = { ...base.channelDailyCaps };
  if (json.channelDailyCaps !== undefined) {
    const capsJson = objectOf(json.channelDailyCaps, `${field}.channelDailyCaps`);
    rejectUnknown(capsJson, contactChannels, `${field}.channelDailyCaps`);
    for (const [channel, cap] of Object.entries(capsJson)) {
      caps[channel as ContactChannel] = wholeNumber(cap, `${field}.channelDailyCaps.${channel}`, capMax) as number;
    }
  }
  const calls = { ...base.calls };
  if (json.calls !== undefined) {
    const callsJson = objectOf(json.calls, `${field}.calls`);
    rejectUnknown(callsJson, Object.keys(base.calls), `${field}.calls`);
    for (const [key, limit] of Object.entries(callsJson)) {
      calls[key as keyof CallLimits] = wholeNumber(limit, `${field}.calls.${key}`, capMax, true);
    }
  }
  const hold = { ...base.hold };
  if (json.hold !== undefined) {
    const holdJson = objectOf(json.hold, `${field}.hold`);
    rejectUnknown(holdJson, ['messagesPer7DaysMax', 'callsAllowed'], `${field}.hold`);
    if (holdJson.messagesPer7DaysMax !== undefined) {
      hold.messagesPer7DaysMax = wholeNumber(
        holdJson.messagesPer7DaysMax,
        `${field}.hold.messagesPer7DaysMax`,
        7,
      ) as number;
    }
    if (holdJson.callsAllowed !== undefined)
      hold.callsAllowed = booleanOf(holdJson.callsAllowed, `${field}.hold.callsAllowed`);
  }
  return {
    name,
    windowStartMinute,
    windowEndMinute,
    channelDailyCaps: caps,
    calls,
    hold,
    optOutKeywords:
      json.optOutKeywords === undefined
        ? base.optOutKeywords
        : listOf(json.optOutKeywords, `${field}.optOutKeywords`, (item, itemField) => {
            if (typeof item !== 'string' || item.trim().length === 0 || item.length > 32) {
              throw new InputError(itemField, `must be a word of 1–32 characters, got ${quote(item)}`);
            }
            return item.trim();
          }),
    optOutTextRequired:
      json.optOutTextRequired === undefined
        ? base.optOutTextRequired
        : listOf(json.optOutTextRequired, `${field}.optOutTextRequired`, channelOf),
    noContactDates:
      json.noContactDates === undefined
        ? base.noContactDates
        : listOf(json.noContactDates, `${field}.noContactDates`, (item, itemField) => parseIsoDate(item, itemField)),
    noContactWeekdays:
      json.noContactWeekdays === undefined
        ? base.noContactWeekdays
        : listOf(json.noContactWeekdays, `${field}.noContactWeekdays`, (item, itemField) => {
            if (typeof item !== 'number' || !Number.isInteger(item) || item < 1 || item > 7) {
              throw new InputError(itemField, `must be a weekday 1 (Monday) – 7 (Sunday), got ${quote(item)}`);
            }
            return item;
          }),
    pauseOnComplaint:
      json.pauseOnComplaint === undefined
        ? base.pauseOnComplaint
        : booleanOf(json.pauseOnComplaint, `${field}.pauseOnComplaint`),
    thirdPartyContactAllowed:
      json.thirdPartyContactAllowed === undefined
        ? base.thirdPartyContactAllowed
        : booleanOf(json.thirdPartyContactAllowed, `${field}.thirdPartyContactAllowed`),
  };
}

function booleanOf(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new InputError(field, `must be true or false, got ${quote(value)}`);
  return value;
}

/** A reply longer than this many words is about something else, whatever words it contains. */
export const optOutReplyWordsMax = 6;
/** Of Chinese text (no spaces between words), at most this many characters. */
export const optOutReplyCharactersMax = 12;
/** Words that, with a revocation word, widen it to every channel ("STOP ALL", "全部退订"). */
const allWords = new Set(['ALL', 'EVERYTHING', '全部', '所有', '一切']);
/** Words a short revocation may carry around the revocation word: politeness, "me", what to stop. */
const fillerWords = new Set(
  (
    'PLEASE PLS PLZ NOW THANKS THANK YOU THX OK OKAY JUST I ME MY US WANT TO IT ALL ANY MORE NO THESE THIS THAT ' +
    'THEM FROM SENDING TEXTING TEXT TEXTS MESSAGE MESSAGES MESSAGING SMS EMAIL EMAILS CALLING CALLS CONTACTING'
  ).split(' '),
);
const cjkFillers = [
  '谢谢',
  '麻烦',
  '你们',
  '短信',
  '信息',
  '消息',
  '邮件',
  '电话',
  '全部',
  '所有',
  '一切',
  '请',
  '您',
  '你',
  '我',
  '给',
  '了',
  '吧',
  '的',
  '啊',
  '呢',
  '哦',
  '呀',
  '好',
  '都',
];
const cjkPattern = /[\u3400-\u9fff\uf900-\ufaff]+/gu;
const cjkCharacter = /[\u3400-\u9fff\uf900-\ufaff]/u;
const latinPattern = /[A-Z0-9']+/g;

/**
 * Is this reply a revocation of consent under the pack, and of every channel? The rule, so that "STOP.",
 * "Stop all", "please stop texting me" and "退订谢谢" count and "I can't stop by the bank" does not:
 * 1. normalise: NFKC (full-width → half-width), upper case; punctuation and symbols separate words;
 * 2. the reply is short: at most `optOutReplyWordsMax` Latin words and `optOutReplyCharactersMax` Chinese
 *    characters;
 * 3. it names a revocation word of the pack as a whole word (a phrase like "OPT OUT" as consecutive words;
 *    Chinese words anywhere in the Chinese text); a word of one or two letters (T, TD) only as the whole reply;
 * 4. what else it says is only filler (please, me, texting, thanks; 请, 谢谢, 短信 …) — or, in English, it
 *    starts with the revocation word (an imperative: "Cancel my texts").
 * "ALL" or "全部" with it (`all`) opts out of every channel but letters. Leans to revocation when in doubt
 * (a short imperative reply like "End it" counts): a false stop costs a message, a missed one breaks the rule.
 */
export function revocationOf(policy: PolicyPack, text: string): { all: boolean } | null {
  const normal = text.normalize('NFKC').toUpperCase().replace(/[’‘`]/g, "'");
  const words = [...normal.replace(cjkPattern, ' ').matchAll(latinPattern)].map((match) => match[0]);
  const cjk = [...normal.matchAll(cjkPattern)].map((match) => match[0]).join('');
  if (words.length > optOutReplyWordsMax || cjk.length > optOutReplyCharactersMax) return null;
  if (words.length + cjk.length === 0) return null;
  const keywords = policy.optOutKeywords.map((keyword) => keyword.normalize('NFKC').toUpperCase());
  const all = words.some((word) => allWords.has(word)) || [...allWords].some((word) => cjk.includes(word));
  // Short codes: only as the whole reply.
  const whole = words.join(' ');
  if (cjk.length === 0 && keywords.some((keyword) => /^[A-Z]{1,2}$/.test(keyword) && keyword === whole)) {
    return { all: false };
  }
  let found = false;
  // Latin: mark the words that belong to a revocation word or phrase.
  const used = words.map(() => false);
  for (const keyword of keywords) {
    if (!/^[A-Z' ]+$/.test(keyword) || keyword.length <= 2) continue;
    const parts = keyword.split(/ +/);
    for (let start = 0; start + parts.length <= words.length; start += 1) {
      if (parts.every((part, offset) => words[start + offset] === part)) {
        found = true;
        for (let offset = 0; offset < parts.length; offset += 1) used[start + offset] = true;
      }
    }
  }
  const imperative = used[0] === true;
  const latinRest = words.filter((word, index) => !used[index] && !fillerWords.has(word));
  if (latinRest.length > 0 && !imperative) return null;
  // Chinese: revocation words first (longest first), then fillers; nothing may be left.
  let rest = cjk;
  const cjkKeywords = keywords.filter((keyword) => cjkCharacter.test(keyword)).sort((a, b) => b.length - a.length);
  for (const keyword of cjkKeywords) {
    if (rest.includes(keyword)) {
      found = true;
      rest = rest.split(keyword).join('');
    }
  }
  for (const filler of cjkFillers) rest = rest.split(filler).join('');
  if (!found || rest.length > 0) return null;
  return { all };
}

/** Is this reply a revocation word of the pack (see `revocationOf`)? */
export function isOptOutReply(policy: PolicyPack, text: string): boolean {
  return revocationOf(policy, text) !== null;
}

/** "22:00-08:00": the quiet hours, as the gate's reasons name them. */
export function quietHoursText(policy: PolicyPack): string {
  return `${formatClockTime(policy.windowEndMinute)}-${formatClockTime(policy.windowStartMinute)}`;
}
