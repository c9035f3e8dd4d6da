// Choosing a strategy: built-in names, and override objects on the default applied in a fixed order
// (steps replace, removeSteps drop, addSteps append), with errors named by the override's own fields.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../errors/index.ts';
import { builtInStrategies } from './builtin.ts';
import { resolveStrategy } from './resolve.ts';

const extra = {
  id: 'delinquent_5',
  stage: 'delinquent',
  dayOffset: 5,
  channel: 'sms',
  template: 'overdue_1',
  sendAt: '11:00',
};

function rejection(choice: unknown): { field: string; reason: string } {
  try {
    resolveStrategy(choice);
  } catch (error) {
    if (error instanceof InputError) return { field: error.field, reason: error.reason };
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('resolveStrategy', () => {
  it('gives the default for undefined and a built-in by name', () => {
    expect(resolveStrategy(undefined)).toBe(builtInStrategies.default);
    expect(resolveStrategy('gentle')).toBe(builtInStrategies.gentle);
  });

  it('refuses unknown names and other types', () => {
    expect(rejection('aggressive')).toEqual({
      field: 'strategy',
      reason: 'must be a built-in strategy (default, gentle) or an object of overrides, got "aggressive"',
    });
    expect(rejection(['default']).field).toBe('strategy');
    expect(rejection('toString').field).toBe('strategy');
    expect(rejection({ base: 'nope' }).field).toBe('strategy.base');
    expect(rejection({ colour: 'red' })).toEqual({ field: 'strategy.colour', reason: 'is not a known field here' });
  });

  it('an empty override is the default', () => {
    expect(resolveStrategy({})).toEqual(builtInStrategies.default);
  });

  it('sets name and version, appends and removes steps', () => {
    const resolved = resolveStrategy({
      name: 'firm',
      version: 3,
      removeSteps: ['delinquent_3', 'pre_due_3_email'],
      addSteps: [extra],
    });
    const ids = resolved.steps.map((step) => step.id);
    const defaultIds = builtInStrategies.default!.steps.map((step) => step.id);
    expect(resolved.name).toBe('firm');
    expect(resolved.version).toBe(3);
    expect(ids).toEqual([
      ...defaultIds.filter((id) => id !== 'delinquent_3' && id !== 'pre_due_3_email'),
      'delinquent_5',
    ]);
    expect(resolved.segments).toEqual(builtInStrategies.default!.segments);
  });

  it('replaces the steps, and lets a removed id come back as a new step', () => {
    expect(resolveStrategy({ steps: [] }).steps).toEqual([]);
    const replaced = resolveStrategy({
      removeSteps: ['due_0'],
      addSteps: [{ ...extra, id: 'due_0', stage: 'due', dayOffset: 0 }],
    });
    expect(replaced.steps.filter((step) => step.id === 'due_0')).toHaveLength(1);
    expect(replaced.steps.at(-1)?.channel).toBe('sms');
  });

  it('builds on another built-in with base', () => {
    const resolved = resolveStrategy({ base: 'gentle', version: 2 });
    expect(resolved.name).toBe('gentle');
    expect(resolved.steps).toEqual(builtInStrategies.gentle!.steps);
  });

  it('adds and removes an experiment', () => {
    const experiment = { name: 'spring', challengerPercent: 25, challenger: { steps: [extra] } };
    const withExperiment = resolveStrategy({ experiment });
    expect(withExperiment.experiment?.challengerPercent).toBe(25);
    expect(withExperiment.experiment?.challenger.steps[0]?.purpose).toBe('reminder');
    expect(resolveStrategy({ experiment: null }).experiment).toBeUndefined();
  });

  it('names the override field that is wrong', () => {
    expect(rejection({ addSteps: [{ ...extra, channel: 'fax' }] }).field).toBe('strategy.addSteps[0].channel');
    expect(rejection({ addSteps: [{ ...extra, id: 'due_0' }] })).toEqual({
      field: 'strategy.addSteps[0].id',
      reason: 'repeats "due_0"',
    });
    expect(rejection({ steps: [extra, extra] }).field).toBe('strategy.steps[1].id');
    expect(rejection({ removeSteps: ['due_0', 'nope'] })).toEqual({
      field: 'strategy.removeSteps[1]',
      reason: 'names no step of the strategy, got "nope"',
    });
    expect(rejection({ version: -1 }).field).toBe('strategy.version');
    // Dropping a segment that inherited steps use is reported at `segments`.
    const dropped = rejection({ segments: [{ name: 'cooperative', when: { cooperative: true } }] });
    expect(dropped.field).toBe('strategy.segments');
    expect(dropped.reason).toContain('"long_overdue"');
    expect(rejection({ addSteps: [{ ...extra, segment: 'vip' }] }).field).toBe('strategy.addSteps[0].segment');
  });

  it('limits the merged strategy to 500 steps', () => {
    const many = Array.from({ length: 480 }, (_, index) => ({ ...extra, id: `x${index}` }));
    expect(rejection({ addSteps: many })).toEqual({
      field: 'strategy.addSteps',
      reason: `would leave ${builtInStrategies.default!.steps.length + 480} steps; a strategy has at most 500`,
    });
  });
});
