// What changed between two versions of a strategy, for a supervisor approving it, and a content digest
// that pins a version. Both work on the canonical JSON (`strategyToJson`): defaults written out and keys
// in one order, so a change is reported only when behaviour can differ, and equal strategies hash equal.
// Segment order is reported (first match wins); step order is not (it only picks which step names a
// consolidated intent).
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { strategyToJson, type SegmentJson, type StepJson, type Strategy } from './schema.ts';

export interface FieldChange {
  /** The field inside the strategy, segment, step or experiment, e.g. "sendAt", "when.scoreAtLeast". */
  field: string;
  /** JSON values; undefined when the field is absent on that side. */
  from: unknown;
  to: unknown;
}

export type StrategyChangeKind =
  | 'strategy_changed'
  | 'segment_added'
  | 'segment_removed'
  | 'segment_changed'
  | 'segments_reordered'
  | 'step_added'
  | 'step_removed'
  | 'step_changed'
  | 'experiment_added'
  | 'experiment_removed'
  | 'experiment_changed';

export interface StrategyChange {
  kind: StrategyChangeKind;
  /** The segment name, step id or experiment name the change is about. */
  id?: string;
  /** Present for segments and steps of the experiment's challenger arm. */
  arm?: 'challenger';
  fields: FieldChange[];
  /** One line for people: `step pre_due_3 changed: sendAt 09:00 → 08:30`. */
  text: string;
}

/** Hex SHA-256 of the canonical JSON: the same for equal strategies, different for any change. */
export function strategyDigest(strategy: Strategy): string {
  return bytesToHex(sha256(utf8ToBytes(JSON.stringify(strategyToJson(strategy)))));
}

function show(value: unknown): string {
  if (value === undefined) return '(none)';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(show).join(', ');
  if (typeof value === 'object' && value !== null) {
    const fallback = value as { channel?: unknown; template?: unknown; when?: unknown };
    if (fallback.channel !== undefined && fallback.template !== undefined && fallback.when !== undefined) {
      return `${show(fallback.channel)} ${show(fallback.template)} when ${show(fallback.when)}`;
    }
    return JSON.stringify(value);
  }
  return String(value);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Field-by-field changes between two flat-ish records (nested objects are compared one level down). */
function fieldChanges(a: Record<string, unknown>, b: Record<string, unknown>, prefix = ''): FieldChange[] {
  const keys = [...Object.keys(a), ...Object.keys(b).filter((key) => !(key in a))];
  const out: FieldChange[] = [];
  for (const key of keys) {
    const from = a[key];
    const to = b[key];
    if (same(from, to)) continue;
    const nested = (value: unknown): value is Record<string, unknown> =>
      typeof value === 'object' && value !== null && !Array.isArray(value);
    if (key === 'when' && nested(from) && nested(to)) out.push(...fieldChanges(from, to, `${prefix}${key}.`));
    else out.push({ field: `${prefix}${key}`, from, to });
  }
  return out;
}

function changesText(fields: readonly FieldChange[]): string {
  return fields.map((change) => `${change.field} ${show(change.from)} → ${show(change.to)}`).join('; ');
}

function describeStep(step: StepJson): string {
  const day = step.anchor === 'grace_end' ? `day ${step.dayOffset} from the last grace day` : `day ${step.dayOffset}`;
  let text = `${step.stage} ${day}: ${step.channel} ${step.template} at ${step.sendAt}`;
  if (step.segment !== undefined) text += ` (segment ${show(step.segment)})`;
  if (step.buckets !== undefined) text += ` (buckets ${show(step.buckets)})`;
  if (step.validDays !== undefined && step.validDays > 1) text += ` valid ${step.validDays} days`;
  if (step.fallback !== undefined) text += `, fallback ${show(step.fallback)}`;
  return text;
}

function describeSegment(segment: SegmentJson): string {
  const conditions = Object.entries(segment.when).map(([key, value]) => `${key} ${show(value)}`);
  return conditions.length === 0 ? 'matches everyone' : conditions.join(', ');
}

function label(kind: string, id: string, arm: 'challenger' | undefined): string {
  return arm === undefined ? `${kind} ${id}` : `challenger ${kind} ${id}`;
}

function withArm(change: StrategyChange, arm: 'challenger' | undefined): StrategyChange {
  return arm === undefined ? change : { ...change, arm };
}

function diffSegments(a: readonly SegmentJson[], b: readonly SegmentJson[], arm?: 'challenger'): StrategyChange[] {
  const out: StrategyChange[] = [];
  const before = new Map(a.map((segment) => [segment.name, segment]));
  const after = new Map(b.map((segment) => [segment.name, segment]));
  for (const segment of a) {
    const next = after.get(segment.name);
    if (next === undefined) {
      const text = `${label('segment', segment.name, arm)} removed (${describeSegment(segment)})`;
      out.push(withArm({ kind: 'segment_removed', id: segment.name, fields: [], text }, arm));
      continue;
    }
    const fields = fieldChanges({ when: segment.when }, { when: next.when });
    if (fields.length > 0) {
      const text = `${label('segment', segment.name, arm)} changed: ${changesText(fields)}`;
      out.push(withArm({ kind: 'segment_changed', id: segment.name, fields, text }, arm));
    }
  }
  for (const segment of b) {
    if (before.has(segment.name)) continue;
    const text = `${label('segment', segment.name, arm)} added (${describeSegment(segment)})`;
    out.push(withArm({ kind: 'segment_added', id: segment.name, fields: [], text }, arm));
  }
  // First match wins, so the order of the segments both versions keep is behaviour too.
  const keptBefore = a.map((segment) => segment.name).filter((name) => after.has(name));
  const keptAfter = b.map((segment) => segment.name).filter((name) => before.has(name));
  if (!same(keptBefore, keptAfter)) {
    const fields = [{ field: 'order', from: keptBefore, to: keptAfter }];
    const text = `${arm === undefined ? '' : 'challenger '}segments reordered: ${show(keptBefore)} → ${show(keptAfter)}`;
    out.push(withArm({ kind: 'segments_reordered', fields, text }, arm));
  }
  return out;
}

function diffSteps(a: readonly StepJson[], b: readonly StepJson[], arm?: 'challenger'): StrategyChange[] {
  const out: StrategyChange[] = [];
  const before = new Map(a.map((step) => [step.id, step]));
  const after = new Map(b.map((step) => [step.id, step]));
  for (const step of a) {
    const next = after.get(step.id);
    if (next === undefined) {
      const text = `${label('step', step.id, arm)} removed (${describeStep(step)})`;
      out.push(withArm({ kind: 'step_removed', id: step.id, fields: [], text }, arm));
      continue;
    }
    const fields = fieldChanges({ ...step }, { ...next });
    if (fields.length > 0) {
      const text = `${label('step', step.id, arm)} changed: ${changesText(fields)}`;
      out.push(withArm({ kind: 'step_changed', id: step.id, fields, text }, arm));
    }
  }
  for (const step of b) {
    if (before.has(step.id)) continue;
    const text = `${label('step', step.id, arm)} added (${describeStep(step)})`;
    out.push(withArm({ kind: 'step_added', id: step.id, fields: [], text }, arm));
  }
  return out;
}

/**
 * The changes from `a` to `b`: strategy fields, segments (added, removed, changed, reordered), steps
 * (added, removed, changed with each field), and the experiment (its own fields, then its challenger's
 * segments and steps, marked `arm: 'challenger'`). Empty when the two behave the same.
 */
export function diffStrategies(a: Strategy, b: Strategy): StrategyChange[] {
  const before = strategyToJson(a);
  const after = strategyToJson(b);
  const out: StrategyChange[] = [];
  const top = fieldChanges(
    { name: before.name, version: before.version, description: before.description },
    { name: after.name, version: after.version, description: after.description },
  );
  if (top.length > 0)
    out.push({ kind: 'strategy_changed', fields: top, text: `strategy changed: ${changesText(top)}` });
  out.push(...diffSegments(before.segments ?? [], after.segments ?? []));
  out.push(...diffSteps(before.steps, after.steps));

  const was = before.experiment;
  const now = after.experiment;
  if (was !== undefined && now === undefined) {
    const text = `experiment ${was.name} removed (${was.challengerPercent}% were on the challenger)`;
    out.push({ kind: 'experiment_removed', id: was.name, fields: [], text });
  } else if (was === undefined && now !== undefined) {
    const fields: FieldChange[] = [
      { field: 'name', from: undefined, to: now.name },
      { field: 'challengerPercent', from: undefined, to: now.challengerPercent },
    ];
    const own = now.challenger.segments === undefined ? "the champion's segments" : 'its own segments';
    const text = `experiment ${now.name} added: ${now.challengerPercent}% of borrowers on a challenger with ${now.challenger.steps.length} steps and ${own}`;
    out.push({ kind: 'experiment_added', id: now.name, fields, text });
  } else if (was !== undefined && now !== undefined) {
    const fields = fieldChanges(
      { name: was.name, challengerPercent: was.challengerPercent },
      { name: now.name, challengerPercent: now.challengerPercent },
    );
    const segmentsBefore = was.challenger.segments;
    const segmentsAfter = now.challenger.segments;
    if ((segmentsBefore === undefined) !== (segmentsAfter === undefined)) {
      const names = (list: SegmentJson[] | undefined): unknown =>
        list === undefined ? "(the champion's)" : list.map((segment) => segment.name);
      fields.push({ field: 'challenger.segments', from: names(segmentsBefore), to: names(segmentsAfter) });
    }
    if (fields.length > 0) {
      out.push({
        kind: 'experiment_changed',
        id: now.name,
        fields,
        text: `experiment changed: ${changesText(fields)}`,
      });
    }
    if (segmentsBefore !== undefined && segmentsAfter !== undefined) {
      out.push(...diffSegments(segmentsBefore, segmentsAfter, 'challenger'));
    }
    out.push(...diffSteps(was.challenger.steps, now.challenger.steps, 'challenger'));
  }
  return out;
}
