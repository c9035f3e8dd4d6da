// Strategy diffs read by a supervisor, and the digest that pins a version.
import { describe, expect, it } from 'vitest';
import { builtInStrategies } from './builtin.ts';
import { diffStrategies, strategyDigest } from './diff.ts';
import { resolveStrategy } from './resolve.ts';
import { parseStrategy, strategyToJson } from './schema.ts';

const base = builtInStrategies.default!;

describe('strategyDigest', () => {
  it('is stable for equal content, whatever the key order or written defaults', () => {
    const json = strategyToJson(base);
    const reverseKeys = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(reverseKeys);
      if (typeof value !== 'object' || value === null) return value;
      return Object.fromEntries(
        Object.entries(value)
          .reverse()
          .map(([key, inner]) => [key, reverseKeys(inner)]),
      );
    };
    const reordered = reverseKeys(json) as typeof json;
    // Defaults left out are the same as defaults written out.
    const steps = reordered.steps.map(({ validDays, ...step }) => (validDays === 1 ? step : { ...step, validDays }));
    const again = parseStrategy({ ...reordered, steps });
    expect(strategyDigest(again)).toBe(strategyDigest(base));
    expect(strategyDigest(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with any change', () => {
    const changed = resolveStrategy({ removeSteps: ['hold_14'] });
    expect(strategyDigest(changed)).not.toBe(strategyDigest(base));
    expect(strategyDigest(resolveStrategy({ version: 2 }))).not.toBe(strategyDigest(base));
  });
});

describe('diffStrategies', () => {
  it('finds nothing between equal strategies', () => {
    expect(diffStrategies(base, resolveStrategy({}))).toEqual([]);
  });

  it('reports strategy fields, added, removed and changed steps with their fields', () => {
    const next = parseStrategy({
      ...strategyToJson(base),
      version: 2,
      steps: [
        ...strategyToJson(base)
          .steps.filter((step) => step.id !== 'hold_14')
          .map((step) => (step.id === 'pre_due_3' ? { ...step, sendAt: '08:30', channel: 'push' as const } : step)),
        {
          id: 'delinquent_5',
          stage: 'delinquent',
          dayOffset: 5,
          channel: 'sms',
          template: 'overdue_1',
          sendAt: '11:00',
        },
      ],
    });
    const changes = diffStrategies(base, next);
    expect(changes.map((change) => [change.kind, change.id])).toEqual([
      ['strategy_changed', undefined],
      ['step_changed', 'pre_due_3'],
      ['step_removed', 'hold_14'],
      ['step_added', 'delinquent_5'],
    ]);
    expect(changes[0]?.fields).toEqual([{ field: 'version', from: 1, to: 2 }]);
    expect(changes[1]?.fields).toEqual([
      { field: 'channel', from: 'sms', to: 'push' },
      { field: 'sendAt', from: '09:00', to: '08:30' },
    ]);
    expect(changes[1]?.text).toBe('step pre_due_3 changed: channel sms → push; sendAt 09:00 → 08:30');
    expect(changes[2]?.text).toBe('step hold_14 removed (hold day 14: sms hold_checkin at 10:00)');
    expect(changes[3]?.text).toBe('step delinquent_5 added (delinquent day 5: sms overdue_1 at 11:00)');
  });

  it('reports segment changes, including a new order (first match wins)', () => {
    const next = resolveStrategy({
      segments: [
        { name: 'cooperative', when: { cooperative: true, scoreAtLeast: '0.7' } },
        { name: 'long_overdue', when: { bucketIn: ['M2', 'M3', 'M4', 'M5', 'M6', 'M7+'] } },
        { name: 'large', when: { balanceAtLeast: '50000' } },
      ],
    });
    const changes = diffStrategies(base, next);
    expect(changes.map((change) => change.kind)).toEqual(['segment_changed', 'segment_added', 'segments_reordered']);
    expect(changes[0]?.fields).toEqual([{ field: 'when.scoreAtLeast', from: undefined, to: '0.7' }]);
    expect(changes[0]?.text).toBe('segment cooperative changed: when.scoreAtLeast (none) → 0.7');
    expect(changes[2]?.text).toBe('segments reordered: long_overdue, cooperative → cooperative, long_overdue');
  });

  it('reports the experiment and its challenger steps', () => {
    const step = {
      id: 'c1',
      stage: 'delinquent',
      dayOffset: 5,
      channel: 'sms',
      template: 'overdue_1',
      sendAt: '11:00',
    };
    const a = resolveStrategy({ experiment: { name: 'e1', challengerPercent: 10, challenger: { steps: [step] } } });
    const b = resolveStrategy({
      experiment: { name: 'e1', challengerPercent: 30, challenger: { steps: [{ ...step, sendAt: '12:00' }] } },
    });
    expect(diffStrategies(base, a).map((change) => change.kind)).toEqual(['experiment_added']);
    expect(diffStrategies(a, base).map((change) => change.kind)).toEqual(['experiment_removed']);
    const changes = diffStrategies(a, b);
    expect(changes.map((change) => [change.kind, change.arm])).toEqual([
      ['experiment_changed', undefined],
      ['step_changed', 'challenger'],
    ]);
    expect(changes[0]?.text).toBe('experiment changed: challengerPercent 10 → 30');
    expect(changes[1]?.text).toBe('challenger step c1 changed: sendAt 11:00 → 12:00');
  });
});
