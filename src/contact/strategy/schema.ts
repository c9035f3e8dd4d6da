// A contact strategy as data: segments (who), steps (stage × day offset → channel, template, send time) and
// an optional champion/challenger experiment. Parsed once at the edge from JSON (zod for the shape, then
// the checks that span fields), deep-frozen, and written back by `strategyToJson` in one stable key order
// with every default filled in, so equal strategies give equal JSON and equal digests.
//
// Invariants of a parsed Strategy: at most `strategyStepsMax` steps and `strategySegmentsMax` segments;
// step ids unique (per arm); segment names unique and never the reserved `all`; every step's segment
// names exist; every step's day offset is one its stage can reach (a step that could never fire is an
// error, not a silent no-op); fallbacks wait for what their channel can report (a call is unanswered, a
// message undelivered).
import { z } from 'zod';
import { InputError, quote } from '../../errors/index.ts';
import {
  contactChannels,
  contactStages,
  type ContactChannel,
  type ContactPurpose,
  type ContactStage,
} from '../model.ts';

export const strategyStepsMax = 500;
export const strategySegmentsMax = 50;
export const dayOffsetMin = -60;
export const dayOffsetMax = 400;
export const validDaysMax = 30;
/** Lists inside a step or a segment (buckets, segment names). */
export const namesPerListMax = 50;
/**
 * A promise governs its loan up to and including this many days after the promised date (the day the
 * broken-promise notice goes); after that the loan is back in its ordinary stage.
 */
export const promiseStageDaysAfter = 1;
/** The implicit final segment every borrower falls into when no declared segment matches. */
export const fallbackSegmentName = 'all';

/** Stages whose steps are notices by default: the borrower needs them whether or not money is owed. */
const noticeStages: ReadonlySet<ContactStage> = new Set(['hold', 'promise', 'hardship']);

export type FallbackWhen = 'undelivered' | 'unanswered';
export type StepAnchor = 'grace_end';

export interface SegmentWhen {
  /** The borrower's worst bucket (that of the open loan with the highest DPD) is one of these. */
  readonly bucketIn?: readonly string[];
  /** Principal outstanding on open loans, summed per currency, in major units ("5000.00"). */
  readonly balanceAtLeast?: string;
  readonly balanceBelow?: string;
  /** The borrower's cooperative flag: no delinquency in the last 180 days and no broken promise. */
  readonly cooperative?: boolean;
  /** Propensity-to-pay score, a decimal between 0 and 1 ("0.65"). */
  readonly scoreAtLeast?: string;
  readonly scoreBelow?: string;
}

export interface StrategySegment {
  readonly name: string;
  readonly when: SegmentWhen;
}

export interface StepFallback {
  readonly channel: ContactChannel;
  readonly template: string;
  readonly when: FallbackWhen;
}

export interface StrategyStep {
  readonly id: string;
  readonly stage: ContactStage;
  readonly dayOffset: number;
  /** `grace_end`: the offset counts from the loan's last grace day (0 = that day, −1 the day before). */
  readonly anchor?: StepAnchor;
  /** Segment name(s) the step is for; absent: every segment. */
  readonly segment?: string | readonly string[];
  /** Only loans in one of these buckets. */
  readonly buckets?: readonly string[];
  readonly channel: ContactChannel;
  readonly template: string;
  /** Borrower's local time "HH:MM". */
  readonly sendAt: string;
  /** 1: valid until the end of the planned local day; N: until the end of the (N−1)th day after it. */
  readonly validDays: number;
  readonly fallback?: StepFallback;
  readonly purpose: ContactPurpose;
}

export interface StrategyChallenger {
  /** Replaces the champion's segments when given. */
  readonly segments?: readonly StrategySegment[];
  /** Replaces the champion's steps. */
  readonly steps: readonly StrategyStep[];
}

export interface StrategyExperiment {
  readonly name: string;
  /** Whole percent of borrowers (0–100) on the challenger arm. */
  readonly challengerPercent: number;
  readonly challenger: StrategyChallenger;
}

export interface Strategy {
  readonly name: string;
  readonly version: number;
  readonly description?: string;
  /** First match wins; borrowers matching none are in the implicit segment `all`. */
  readonly segments: readonly StrategySegment[];
  readonly steps: readonly StrategyStep[];
  readonly experiment?: StrategyExperiment;
}

// ---- JSON form ------------------------------------------------------------------------------------

export interface SegmentJson {
  name: string;
  when: {
    bucketIn?: string[];
    balanceAtLeast?: string;
    balanceBelow?: string;
    cooperative?: boolean;
    scoreAtLeast?: string;
    scoreBelow?: string;
  };
}

export interface StepJson {
  id: string;
  stage: ContactStage;
  dayOffset: number;
  anchor?: StepAnchor;
  segment?: string | string[];
  buckets?: string[];
  channel: ContactChannel;
  template: string;
  sendAt: string;
  validDays?: number;
  purpose?: ContactPurpose;
  fallback?: { channel: ContactChannel; template: string; when: FallbackWhen };
}

export interface StrategyJson {
  name: string;
  version: number;
  description?: string;
  segments?: SegmentJson[];
  steps: StepJson[];
  experiment?: {
    name: string;
    challengerPercent: number;
    challenger: { segments?: SegmentJson[]; steps: StepJson[] };
  };
}

// ---- the shape (zod) ------------------------------------------------------------------------------

const namePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const nameRule = 'must be 1-64 letters, digits, "_", "." or "-", starting with a letter or digit';
const decimalPattern = /^\d{1,15}(?:\.\d{1,6})?$/;
const scorePattern = /^(?:0(?:\.\d{1,6})?|1(?:\.0{1,6})?)$/;
const sendAtPattern = /^(?:[01]\d|2[0-3]):[0-5]\d$/;

export const nameSchema = z.string().regex(namePattern, { error: nameRule });
const nameListSchema = z.array(nameSchema).min(1).max(namesPerListMax);
/** Bucket names are whatever the servicing rules call them ("M7+"): short non-empty strings. */
const bucketNameSchema = z
  .string()
  .max(40)
  .regex(/^\S(?:.*\S)?$/, { error: 'must be a bucket name (no surrounding spaces)' });
const bucketListSchema = z.array(bucketNameSchema).min(1).max(namesPerListMax);
const decimalSchema = z
  .string()
  .regex(decimalPattern, { error: 'must be a non-negative decimal string like "5000.00"' });
const scoreSchema = z.string().regex(scorePattern, { error: 'must be a decimal string between 0 and 1 like "0.65"' });

const segmentSchema = z.strictObject({
  name: nameSchema,
  when: z.strictObject({
    bucketIn: bucketListSchema.optional(),
    balanceAtLeast: decimalSchema.optional(),
    balanceBelow: decimalSchema.optional(),
    cooperative: z.boolean().optional(),
    scoreAtLeast: scoreSchema.optional(),
    scoreBelow: scoreSchema.optional(),
  }),
});

const fallbackSchema = z.strictObject({
  channel: z.enum(contactChannels),
  template: nameSchema,
  when: z.enum(['undelivered', 'unanswered']),
});

export const stepSchema = z.strictObject({
  id: nameSchema,
  stage: z.enum(contactStages),
  dayOffset: z.number().int().min(dayOffsetMin).max(dayOffsetMax),
  anchor: z.enum(['grace_end']).optional(),
  segment: z
    .union([nameSchema, nameListSchema], { error: 'must be a segment name or a non-empty list of segment names' })
    .optional(),
  buckets: bucketListSchema.optional(),
  channel: z.enum(contactChannels),
  template: nameSchema,
  sendAt: z.string().regex(sendAtPattern, { error: 'must be a local time "HH:MM" from 00:00 to 23:59' }),
  validDays: z.number().int().min(1).max(validDaysMax).optional(),
  purpose: z.enum(['reminder', 'notice']).optional(),
  fallback: fallbackSchema.optional(),
});

export const segmentsSchema = z.array(segmentSchema).max(strategySegmentsMax);
export const stepsSchema = z.array(stepSchema).max(strategyStepsMax);

export const versionSchema = z.number().int().min(1).max(1_000_000);
export const descriptionSchema = z.string().max(1000);

export const experimentSchema = z.strictObject({
  name: nameSchema,
  challengerPercent: z.number().int().min(0).max(100),
  challenger: z.strictObject({ segments: segmentsSchema.optional(), steps: stepsSchema }),
});

export const strategySchema = z.strictObject({
  name: nameSchema,
  version: versionSchema,
  description: descriptionSchema.optional(),
  segments: segmentsSchema.optional(),
  steps: stepsSchema,
  experiment: experimentSchema.optional(),
});

type ParsedStep = z.output<typeof stepSchema>;
type ParsedSegment = z.output<typeof segmentSchema>;
/** A step or segment either fresh from zod or taken from a parsed Strategy (overrides mix both). */
export type StepLike = StrategyStep | ParsedStep;
export type SegmentLike = StrategySegment | ParsedSegment;
export type ExperimentLike = StrategyExperiment | z.output<typeof experimentSchema>;
type ParsedStrategy = z.output<typeof strategySchema>;

/** The strategy document's JSON Schema (for the API's OpenAPI description). */
export function strategyJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(strategySchema) as Record<string, unknown>;
}

// ---- turning zod issues into InputErrors ----------------------------------------------------------

/** `strategy` + ["steps", 3, "channel"] → "strategy.steps[3].channel". */
export function fieldPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

const typeNames: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
};

function entries(count: number): string {
  return `${count} ${count === 1 ? 'entry' : 'entries'}`;
}

/** One clear reason for the first problem zod found. */
function issueToError(issue: z.core.$ZodIssue, prefix: string): InputError {
  const field = fieldPath(prefix, issue.path) || 'strategy';
  const input = (issue as { input?: unknown }).input;
  const got = `, got ${quote(input)}`;
  switch (issue.code) {
    case 'unrecognized_keys':
      return new InputError(fieldPath(field, [issue.keys[0] ?? '?']), 'is not a known field here');
    case 'invalid_type':
      if (input === undefined) return new InputError(field, 'is required');
      return new InputError(field, `must be ${typeNames[issue.expected] ?? issue.expected}${got}`);
    case 'invalid_value':
      return new InputError(field, `must be one of ${issue.values.map(String).join(', ')}${got}`);
    case 'too_big':
      if (issue.origin === 'array') {
        const length = Array.isArray(input) ? input.length : '?';
        return new InputError(field, `allows at most ${entries(Number(issue.maximum))}, got ${length}`);
      }
      if (issue.origin === 'string') return new InputError(field, `must be at most ${issue.maximum} characters long`);
      return new InputError(field, `must be at most ${String(issue.maximum)}${got}`);
    case 'too_small':
      if (issue.origin === 'array')
        return new InputError(field, `must have at least ${entries(Number(issue.minimum))}`);
      return new InputError(field, `must be at least ${String(issue.minimum)}${got}`);
    default:
      return new InputError(field, `${issue.message}${got}`);
  }
}

/** Parses with a zod schema; the first problem becomes an InputError naming its field under `prefix`. */
export function parseShape<T extends z.ZodType>(schema: T, json: unknown, prefix: string): z.output<T> {
  const result = schema.safeParse(json, { reportInput: true });
  if (result.success) return result.data;
  throw issueToError(result.error.issues[0] as z.core.$ZodIssue, prefix);
}

// ---- checks across fields -------------------------------------------------------------------------

function scoreValue(text: string): number {
  return Number(text);
}

/** Compares two non-negative decimal strings exactly. */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  const [aWhole = '0', aFraction = ''] = a.split('.');
  const [bWhole = '0', bFraction = ''] = b.split('.');
  const digits = Math.max(aFraction.length, bFraction.length);
  const left = BigInt(aWhole + aFraction.padEnd(digits, '0'));
  const right = BigInt(bWhole + bFraction.padEnd(digits, '0'));
  return left < right ? -1 : left > right ? 1 : 0;
}

function checkSegments(segments: readonly SegmentLike[], fieldOf: (index: number) => string): void {
  const seen = new Set<string>();
  segments.forEach((segment, index) => {
    const at = fieldOf(index);
    if (segment.name === fallbackSegmentName) {
      throw new InputError(`${at}.name`, `"${fallbackSegmentName}" is the implicit last segment; pick another name`);
    }
    if (seen.has(segment.name)) throw new InputError(`${at}.name`, `repeats ${quote(segment.name)}`);
    seen.add(segment.name);
    const { when } = segment;
    if (
      when.balanceAtLeast !== undefined &&
      when.balanceBelow !== undefined &&
      compareDecimal(when.balanceAtLeast, when.balanceBelow) >= 0
    ) {
      throw new InputError(
        `${at}.when.balanceBelow`,
        `must be above balanceAtLeast ${when.balanceAtLeast} or the segment matches nobody, got ${quote(when.balanceBelow)}`,
      );
    }
    if (
      when.scoreAtLeast !== undefined &&
      when.scoreBelow !== undefined &&
      scoreValue(when.scoreAtLeast) >= scoreValue(when.scoreBelow)
    ) {
      throw new InputError(
        `${at}.when.scoreBelow`,
        `must be above scoreAtLeast ${when.scoreAtLeast} or the segment matches nobody, got ${quote(when.scoreBelow)}`,
      );
    }
  });
}

/** The day offsets a stage can reach: a step outside them could never fire. */
function offsetRange(step: StepLike): { min: number; max: number; why: string } {
  if (step.anchor === 'grace_end') return { min: dayOffsetMin, max: 0, why: 'counts days from the last grace day' };
  switch (step.stage) {
    case 'pre_due':
      return { min: dayOffsetMin, max: -1, why: 'counts days before the due date' };
    case 'due':
      return { min: 0, max: 0, why: 'fires on the due date itself' };
    case 'grace':
    case 'delinquent':
      return { min: 1, max: dayOffsetMax, why: 'counts days past due' };
    case 'hold':
    case 'hardship':
      return { min: 0, max: dayOffsetMax, why: 'counts days since it began' };
    case 'promise':
      return {
        min: dayOffsetMin,
        max: promiseStageDaysAfter,
        why: 'counts days from the promised date through the day after it',
      };
  }
}

function checkSteps(
  steps: readonly StepLike[],
  segmentNames: ReadonlySet<string>,
  fieldOf: (index: number) => string,
): void {
  const ids = new Set<string>();
  steps.forEach((step, index) => {
    const at = fieldOf(index);
    if (ids.has(step.id)) throw new InputError(`${at}.id`, `repeats ${quote(step.id)}`);
    ids.add(step.id);
    if (step.anchor !== undefined && step.stage !== 'grace') {
      throw new InputError(`${at}.anchor`, `is only for grace steps, got stage ${quote(step.stage)}`);
    }
    const range = offsetRange(step);
    if (step.dayOffset < range.min || step.dayOffset > range.max) {
      throw new InputError(
        `${at}.dayOffset`,
        `a ${step.stage} step ${range.why}, so it must be between ${range.min} and ${range.max}, got ${step.dayOffset}`,
      );
    }
    if (step.segment !== undefined) {
      const names = typeof step.segment === 'string' ? [step.segment] : step.segment;
      names.forEach((name, position) => {
        if (!segmentNames.has(name)) {
          const where = typeof step.segment === 'string' ? `${at}.segment` : `${at}.segment[${position}]`;
          throw new InputError(where, `names no segment (known: ${[...segmentNames].join(', ')}), got ${quote(name)}`);
        }
      });
    }
    if (step.fallback !== undefined) {
      const expected: FallbackWhen = step.channel === 'voice' ? 'unanswered' : 'undelivered';
      if (step.fallback.when !== expected) {
        throw new InputError(
          `${at}.fallback.when`,
          `must be ${quote(expected)} for a ${step.channel} step, got ${quote(step.fallback.when)}`,
        );
      }
    }
  });
}

export function namesOf(segments: readonly SegmentLike[]): Set<string> {
  return new Set([...segments.map((segment) => segment.name), fallbackSegmentName]);
}

// ---- building the frozen value -------------------------------------------------------------------

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A segment in canonical key order (the value and its JSON carry no undefined keys). */
function canonicalSegment(segment: SegmentLike): SegmentJson {
  const w = segment.when;
  const when: SegmentJson['when'] = {};
  if (w.bucketIn !== undefined) when.bucketIn = [...w.bucketIn];
  if (w.balanceAtLeast !== undefined) when.balanceAtLeast = w.balanceAtLeast;
  if (w.balanceBelow !== undefined) when.balanceBelow = w.balanceBelow;
  if (w.cooperative !== undefined) when.cooperative = w.cooperative;
  if (w.scoreAtLeast !== undefined) when.scoreAtLeast = w.scoreAtLeast;
  if (w.scoreBelow !== undefined) when.scoreBelow = w.scoreBelow;
  return { name: segment.name, when };
}

/** A step in canonical key order with its defaults filled in. */
function canonicalStep(step: StepLike): StepJson & Pick<StrategyStep, 'validDays' | 'purpose'> {
  const out = { id: step.id, stage: step.stage, dayOffset: step.dayOffset } as Mutable<StrategyStep> & StepJson;
  if (step.anchor !== undefined) out.anchor = step.anchor;
  if (step.segment !== undefined) out.segment = typeof step.segment === 'string' ? step.segment : [...step.segment];
  if (step.buckets !== undefined) out.buckets = [...step.buckets];
  out.channel = step.channel;
  out.template = step.template;
  out.sendAt = step.sendAt;
  out.validDays = step.validDays ?? 1;
  out.purpose = step.purpose ?? (noticeStages.has(step.stage) ? 'notice' : 'reminder');
  if (step.fallback !== undefined) {
    out.fallback = { channel: step.fallback.channel, template: step.fallback.template, when: step.fallback.when };
  }
  return out;
}

/** The parts of a strategy before the checks across fields, with where each step came from. */
export interface StrategyDraft {
  name: string;
  version: number;
  description?: string;
  segments: readonly SegmentLike[];
  segmentFieldOf: (index: number) => string;
  steps: readonly StepLike[];
  stepFieldOf: (index: number) => string;
  experiment?: ExperimentLike;
  experimentField: string;
}

/** Runs the checks across fields and builds the frozen Strategy. */
export function buildStrategy(draft: StrategyDraft): Strategy {
  checkSegments(draft.segments, draft.segmentFieldOf);
  checkSteps(draft.steps, namesOf(draft.segments), draft.stepFieldOf);
  const experiment = draft.experiment;
  if (experiment !== undefined) {
    const at = draft.experimentField;
    const challengerSegments = experiment.challenger.segments;
    if (challengerSegments !== undefined) {
      checkSegments(challengerSegments, (index) => `${at}.challenger.segments[${index}]`);
    }
    checkSteps(
      experiment.challenger.steps,
      namesOf(challengerSegments ?? draft.segments),
      (index) => `${at}.challenger.steps[${index}]`,
    );
  }
  const out = canonicalStrategy({
    name: draft.name,
    version: draft.version,
    description: draft.description,
    segments: draft.segments,
    steps: draft.steps,
    experiment,
  });
  return deepFreeze(out);
}

/**
 * Parses a strategy document (a JSON value, not text). Errors are InputErrors whose field is the path
 * under `field`: `strategy.steps[3].channel: must be one of sms, email, push, letter, voice, got "fax"`.
 */
export function parseStrategy(json: unknown, field = 'strategy'): Strategy {
  const parsed: ParsedStrategy = parseShape(strategySchema, json, field);
  return buildStrategy({
    name: parsed.name,
    version: parsed.version,
    description: parsed.description,
    segments: parsed.segments ?? [],
    segmentFieldOf: (index) => fieldPath(field, ['segments', index]),
    steps: parsed.steps,
    stepFieldOf: (index) => fieldPath(field, ['steps', index]),
    experiment: parsed.experiment,
    experimentField: fieldPath(field, ['experiment']),
  });
}

// ---- back to JSON ---------------------------------------------------------------------------------

export function stepToJson(step: StrategyStep): StepJson {
  return canonicalStep(step);
}

interface LooseStrategy {
  name: string;
  version: number;
  description?: string;
  segments: readonly SegmentLike[];
  steps: readonly StepLike[];
  experiment?: ExperimentLike;
}

function canonicalStrategy(strategy: LooseStrategy): StrategyJson & Strategy {
  const out = { name: strategy.name, version: strategy.version } as Mutable<StrategyJson & Strategy>;
  if (strategy.description !== undefined) out.description = strategy.description;
  out.segments = strategy.segments.map(canonicalSegment);
  out.steps = strategy.steps.map(canonicalStep);
  if (strategy.experiment !== undefined) {
    const { name, challengerPercent, challenger } = strategy.experiment;
    const arm = {} as { segments?: SegmentJson[]; steps: ReturnType<typeof canonicalStep>[] };
    if (challenger.segments !== undefined) arm.segments = challenger.segments.map(canonicalSegment);
    arm.steps = challenger.steps.map(canonicalStep);
    out.experiment = { name, challengerPercent, challenger: arm };
  }
  return out;
}

/** The strategy as JSON in one stable key order, defaults written out; `parseStrategy` reads it back equal. */
export function strategyToJson(strategy: Strategy): StrategyJson {
  return canonicalStrategy(strategy);
}
