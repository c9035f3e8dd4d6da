// Rate caps: a pricing policy's lines on a contract's APR (by the IRR method, fees included — the
// schedule's `apr`) and the one evaluation that says whether a price is fine, to be warned about, or
// refused. Pure: the policy is data parsed once at the edge (zod for the shape, then the checks across
// fields); nothing here reads a clock or a store.
//
// Why these lines: in China the Supreme People's Court protects private-lending interest only up to four
// times the one-year Loan Prime Rate (LPR, since August 2020; before that the 24 % / 36 % lines of the
// 2015 provisions), and regulators' guidance is that consumer loans above 24 % APR are not to be offered,
// while 36 % stays the line above which interest is void. The `cn-2026` policy warns above 24 % and refuses
// above 36 %; a 4 × LPR line is optional (the LPR is data: 3.0 % as published on 20 May 2025 by default).
//
// Invariants: a line is crossed only when the APR is strictly above it (an APR of exactly 24.00 % is `ok`);
// the APR compared is the four-decimal APR the schedule publishes; a policy's warning line is not above
// its refusal line; the result's level is the highest level of any line crossed.
import { z } from 'zod';
import { InputError, quote } from '../errors/index.ts';
import { compareRatio, formatRatio, multiplyRatio, parseRate, ratio, type Ratio } from '../money/index.ts';

export const rateCapLevels = ['ok', 'warning', 'refused'] as const;
export type RateCapLevel = (typeof rateCapLevels)[number];

export const rateCapLineLevels = ['warning', 'refusal'] as const;
export type RateCapLineLevel = (typeof rateCapLineLevels)[number];

export const rateCapReasonCodes = ['apr_above_warning_line', 'apr_above_refusal_line', 'apr_above_lpr_line'] as const;
export type RateCapReasonCode = (typeof rateCapReasonCodes)[number];

/** The result code a refused price is returned under (API 422, CLI exit 2, a hardship plan's refusal). */
export const RATE_ABOVE_CAP = 'rate_above_cap';

export interface LprLine {
  /** The one-year Loan Prime Rate, as data (it is republished monthly). */
  readonly lpr: Ratio;
  /** The line is `multiple` × LPR (4 for the court's protection line). */
  readonly multiple: number;
  readonly level: RateCapLineLevel;
}

export interface RateCapPolicy {
  /** Shown in every message ("cn-2026 pricing"). */
  readonly name: string;
  /** An APR strictly above this is a warning; null: no warning line. */
  readonly warnAprAbove: Ratio | null;
  /** An APR strictly above this is refused; null: no refusal line. */
  readonly refuseAprAbove: Ratio | null;
  readonly lprLine: LprLine | null;
}

export interface RateCapReason {
  readonly code: RateCapReasonCode;
  readonly level: RateCapLineLevel;
  readonly line: Ratio;
  /** "APR 41.20 % is above the refusal line 36 % (cn-2026 pricing)". */
  readonly message: string;
}

export interface RateCapEvaluation {
  readonly level: RateCapLevel;
  readonly policy: string;
  /** The APR evaluated, as the schedule gives it ("0.2734"). */
  readonly apr: string;
  /** The lowest line crossed at the result's level (the binding one); null when `ok`. */
  readonly line: Ratio | null;
  /** Every line crossed, lowest first. */
  readonly reasons: readonly RateCapReason[];
}

/** The one-year LPR published by the National Interbank Funding Center on 20 May 2025 (unchanged since). */
export const defaultOneYearLpr: Ratio = ratio(3n, 100n);
/** The court's private-lending protection line is four times the one-year LPR. */
export const defaultLprMultiple = 4;

export const builtInRateCapPolicies: Readonly<Record<string, RateCapPolicy>> = {
  'cn-2026': {
    name: 'cn-2026',
    warnAprAbove: ratio(24n, 100n),
    refuseAprAbove: ratio(36n, 100n),
    lprLine: null,
  },
  none: { name: 'none', warnAprAbove: null, refuseAprAbove: null, lprLine: null },
};

/**
 * The policy for a loan or product that names none: by jurisdiction, read from the currency (CNY →
 * `cn-2026`); any other currency has no caps until its product sets a policy.
 */
export function defaultRateCapPolicy(currency: string): RateCapPolicy {
  return (currency === 'CNY' ? builtInRateCapPolicies['cn-2026'] : builtInRateCapPolicies.none) as RateCapPolicy;
}

// ---- evaluation ---------------------------------------------------------------------------------------

const aprText = /^(-?)(\d+)(?:\.(\d+))?$/;

function aprRatio(apr: string): Ratio {
  const match = aprText.exec(apr);
  if (!match) throw new InputError('apr', `must be a decimal fraction like "0.2400", got ${quote(apr)}`);
  const [, sign = '', whole = '0', fraction = ''] = match;
  const numerator = BigInt(whole + fraction) * (sign === '-' ? -1n : 1n);
  return ratio(numerator, 10n ** BigInt(fraction.length));
}

/** A rate as a percent for people: "41.20 %" for an APR (two decimals), "24 %" for a line (no trailing zeros). */
export function percentText(rate: Ratio, options: { fixed?: boolean } = {}): string {
  const text = formatRatio(multiplyRatio(rate, ratio(100n, 1n)), options.fixed ? 2 : 4);
  return `${options.fixed ? text : trimZeros(text)} %`;
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

/** A rate as a JSON decimal fraction without trailing zeros ("0.24"). */
export function rateDecimal(rate: Ratio): string {
  return trimZeros(formatRatio(rate, 10));
}

interface Line {
  code: RateCapReasonCode;
  level: RateCapLineLevel;
  line: Ratio;
  name: string;
}

function linesOf(policy: RateCapPolicy): Line[] {
  const lines: Line[] = [];
  if (policy.warnAprAbove !== null) {
    lines.push({ code: 'apr_above_warning_line', level: 'warning', line: policy.warnAprAbove, name: 'warning line' });
  }
  if (policy.refuseAprAbove !== null) {
    lines.push({ code: 'apr_above_refusal_line', level: 'refusal', line: policy.refuseAprAbove, name: 'refusal line' });
  }
  if (policy.lprLine !== null) {
    const { lpr, multiple, level } = policy.lprLine;
    lines.push({
      code: 'apr_above_lpr_line',
      level,
      line: multiplyRatio(lpr, ratio(BigInt(multiple), 1n)),
      name: `${multiple} × LPR (${percentText(lpr)}) ${level} line`,
    });
  }
  return lines.sort((a, b) => compareRatio(a.line, b.line));
}

/**
 * Where an APR stands against a policy: `refused` if it is above any refusal line, else `warning` if
 * above any warning line, else `ok`. The APR is the schedule's four-decimal text ("0.4120").
 */
export function evaluateRateCaps(apr: string, policy: RateCapPolicy): RateCapEvaluation {
  const value = aprRatio(apr);
  const reasons: RateCapReason[] = linesOf(policy)
    .filter((line) => compareRatio(value, line.line) > 0)
    .map((line) => ({
      code: line.code,
      level: line.level,
      line: line.line,
      message: `APR ${percentText(value, { fixed: true })} is above the ${line.name} ${percentText(line.line)} (${policy.name} pricing)`,
    }));
  const refusal = reasons.find((reason) => reason.level === 'refusal');
  const warning = reasons.find((reason) => reason.level === 'warning');
  const level: RateCapLevel = refusal ? 'refused' : warning ? 'warning' : 'ok';
  return { level, policy: policy.name, apr, line: (refusal ?? warning)?.line ?? null, reasons };
}

/** The reason a refused evaluation is refused for (its binding refusal line). */
export function refusalMessage(evaluation: RateCapEvaluation): string {
  const reason = evaluation.reasons.find((item) => item.level === 'refusal');
  if (reason === undefined) throw new Error('invariant violated: refusalMessage of an evaluation not refused');
  return reason.message;
}

export interface RateCapJson {
  level: RateCapLevel;
  policy: string;
  apr: string;
  line: string | null;
  reasons: { code: RateCapReasonCode; level: RateCapLineLevel; line: string; message: string }[];
}

export function rateCapToJson(evaluation: RateCapEvaluation): RateCapJson {
  return {
    level: evaluation.level,
    policy: evaluation.policy,
    apr: evaluation.apr,
    line: evaluation.line === null ? null : rateDecimal(evaluation.line),
    reasons: evaluation.reasons.map((reason) => ({
      code: reason.code,
      level: reason.level,
      line: rateDecimal(reason.line),
      message: reason.message,
    })),
  };
}

// ---- the policy as data -------------------------------------------------------------------------------

const decimal = z.string().regex(/^\d+(\.\d+)?$/, { error: 'must be a decimal fraction string like "0.24"' });

/** A policy as JSON: a built-in's name, or the lines themselves. */
export const rateCapPolicySchema = z.union([
  z.string().min(1).max(60),
  z.strictObject({
    name: z.string().min(1).max(60).optional(),
    warnAprAbove: decimal.nullable().optional(),
    refuseAprAbove: decimal.nullable().optional(),
    lprLine: z
      .strictObject({
        lpr: decimal.optional(),
        multiple: z.number().int().min(1).max(10).optional(),
        level: z.enum(rateCapLineLevels).optional(),
      })
      .nullable()
      .optional(),
  }),
]);
export type RateCapPolicyJson = z.input<typeof rateCapPolicySchema>;

/** Lines above 1000 % are typing mistakes, not policies. */
const lineMax = ratio(10n, 1n);

/**
 * Parses a policy (JSON) once at the edge. `field` prefixes error field names ("rateCaps.refuseAprAbove").
 * An object's missing lines are absent (no such line); `lprLine` takes the default LPR and multiple.
 */
export function parseRateCapPolicy(value: unknown, field = 'rateCaps'): RateCapPolicy {
  const parsed = rateCapPolicySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = [field, ...(issue?.path ?? []).map(String)].join('.');
    if (typeof value === 'string' || value === null || typeof value !== 'object') {
      throw new InputError(field, `must be ${policyNames()} or an object of lines, got ${quote(value)}`);
    }
    if (issue?.code === 'unrecognized_keys') {
      throw new InputError(`${path}.${issue.keys[0] ?? '?'}`, 'is not a rate caps field');
    }
    throw new InputError(path, issue?.message ?? 'is not valid');
  }
  const json = parsed.data;
  if (typeof json === 'string') {
    const builtIn = builtInRateCapPolicies[json];
    if (builtIn === undefined) throw new InputError(field, `must be ${policyNames()}, got ${quote(json)}`);
    return builtIn;
  }
  const rate = (text: string | null | undefined, name: string): Ratio | null =>
    text === undefined || text === null ? null : parseRate(text, { field: `${field}.${name}`, max: lineMax });
  const warnAprAbove = rate(json.warnAprAbove, 'warnAprAbove');
  const refuseAprAbove = rate(json.refuseAprAbove, 'refuseAprAbove');
  if (warnAprAbove !== null && refuseAprAbove !== null && compareRatio(warnAprAbove, refuseAprAbove) > 0) {
    throw new InputError(
      `${field}.warnAprAbove`,
      `must not be above refuseAprAbove ${rateDecimal(refuseAprAbove)}, got ${quote(json.warnAprAbove)}`,
    );
  }
  const lprLine: LprLine | null =
    json.lprLine === undefined || json.lprLine === null
      ? null
      : {
          lpr: rate(json.lprLine.lpr, 'lprLine.lpr') ?? defaultOneYearLpr,
          multiple: json.lprLine.multiple ?? defaultLprMultiple,
          level: json.lprLine.level ?? 'warning',
        };
  return Object.freeze({ name: json.name ?? 'custom', warnAprAbove, refuseAprAbove, lprLine });
}

function policyNames(): string {
  return Object.keys(builtInRateCapPolicies)
    .map((name) => `"${name}"`)
    .join(' or ');
}

/** The policy back as JSON that `parseRateCapPolicy` reads into the same value (a built-in by its name). */
export function rateCapPolicyToJson(policy: RateCapPolicy): RateCapPolicyJson {
  if (builtInRateCapPolicies[policy.name] === policy) return policy.name;
  return {
    name: policy.name,
    warnAprAbove: policy.warnAprAbove === null ? null : rateDecimal(policy.warnAprAbove),
    refuseAprAbove: policy.refuseAprAbove === null ? null : rateDecimal(policy.refuseAprAbove),
    lprLine:
      policy.lprLine === null
        ? null
        : { lpr: rateDecimal(policy.lprLine.lpr), multiple: policy.lprLine.multiple, level: policy.lprLine.level },
  };
}
