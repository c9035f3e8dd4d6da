// The strategy schema: every rejection names the field by its path, limits hold, the JSON form round-trips
// in one stable key order, and the built-ins are valid and use exactly the agreed template ids.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../errors/index.ts';
import { builtInStrategies, templatesUsed } from './builtin.ts';
import { parseStrategy, strategyJsonSchema, strategyToJson } from './schema.ts';

const step = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'a',
  stage: 'delinquent',
  dayOffset: 7,
  channel: 'sms',
  template: 'overdue_7',
  sendAt: '10:00',
  ...extra,
});

const strategy = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: 'test',
  version: 1,
  steps: [step()],
  ...extra,
});

function rejection(json: unknown, field?: string): { field: string; reason: string } {
  try {
    parseStrategy(json, field);
  } catch (error) {
    if (error instanceof InputError) return { field: error.field, reason: error.reason };
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('parseStrategy rejections name the field', () => {
  it('names a bad channel by its path', () => {
    const steps = [step({ id: 's0' }), step({ id: 's1' }), step({ id: 's2' }), step({ id: 's3', channel: 'fax' })];
    expect(rejection(strategy({ steps }))).toEqual({
      field: 'strategy.steps[3].channel',
      reason: 'must be one of sms, email, push, letter, voice, got "fax"',
    });
  });

  it('prefixes the field it is given', () => {
    expect(rejection(strategy({ version: 0 }), 'scenario.strategy').field).toBe('scenario.strategy.version');
  });

  it.each([
    [{ sendAt: '9:00' }, 'strategy.steps[0].sendAt', 'HH:MM'],
    [{ sendAt: '24:00' }, 'strategy.steps[0].sendAt', 'HH:MM'],
    [{ dayOffset: 401 }, 'strategy.steps[0].dayOffset', 'at most 400'],
    [{ dayOffset: 2.5 }, 'strategy.steps[0].dayOffset', 'whole number'],
    [{ stage: 'later' }, 'strategy.steps[0].stage', 'pre_due, due, grace'],
    [{ validDays: 0 }, 'strategy.steps[0].validDays', 'at least 1'],
    [{ colour: 'red' }, 'strategy.steps[0].colour', 'not a known field'],
    [{ id: 'a:b' }, 'strategy.steps[0].id', 'letters, digits'],
    [
      { fallback: { channel: 'sms', template: 'x', when: 'unanswered' } },
      'strategy.steps[0].fallback.when',
      'undelivered',
    ],
    [{ stage: 'pre_due', dayOffset: 0 }, 'strategy.steps[0].dayOffset', 'between -60 and -1'],
    [{ stage: 'due', dayOffset: 1 }, 'strategy.steps[0].dayOffset', 'between 0 and 0'],
    [{ stage: 'promise', dayOffset: 2 }, 'strategy.steps[0].dayOffset', 'between -60 and 1'],
    [{ stage: 'grace', dayOffset: 1, anchor: 'grace_end' }, 'strategy.steps[0].dayOffset', 'last grace day'],
    [{ anchor: 'grace_end' }, 'strategy.steps[0].anchor', 'only for grace'],
    [{ segment: 'vip' }, 'strategy.steps[0].segment', 'names no segment'],
    [{ segment: ['all', 'vip'] }, 'strategy.steps[0].segment[1]', 'names no segment'],
    [{ segment: 7 }, 'strategy.steps[0].segment', 'segment name or a non-empty list'],
    [{ buckets: [] }, 'strategy.steps[0].buckets', 'at least 1 entry'],
  ])('step %j → %s', (extra, field, reason) => {
    const found = rejection(strategy({ steps: [step(extra)] }));
    expect(found.field).toBe(field);
    expect(found.reason).toContain(reason);
  });

  it('requires the fields without defaults', () => {
    expect(rejection({ version: 1, steps: [] })).toEqual({ field: 'strategy.name', reason: 'is required' });
    const { template: _template, ...noTemplate } = step();
    expect(rejection(strategy({ steps: [noTemplate] })).field).toBe('strategy.steps[0].template');
    expect(rejection('default')).toEqual({ field: 'strategy', reason: 'must be an object, got "default"' });
  });

  it('refuses repeated step ids and segment names, and the reserved segment "all"', () => {
    expect(rejection(strategy({ steps: [step(), step({ dayOffset: 8 })] }))).toEqual({
      field: 'strategy.steps[1].id',
      reason: 'repeats "a"',
    });
    const segment = { name: 'vip', when: {} };
    expect(rejection(strategy({ segments: [segment, segment] })).field).toBe('strategy.segments[1].name');
    expect(rejection(strategy({ segments: [{ name: 'all', when: {} }] })).field).toBe('strategy.segments[0].name');
  });

  it('checks segment conditions', () => {
    const at = (when: Record<string, unknown>) => rejection(strategy({ segments: [{ name: 's', when }] }));
    expect(at({ balanceAtLeast: '5000', balanceBelow: '100.00' }).field).toBe('strategy.segments[0].when.balanceBelow');
    expect(at({ scoreAtLeast: '1.5' }).field).toBe('strategy.segments[0].when.scoreAtLeast');
    expect(at({ scoreAtLeast: '0.7', scoreBelow: '0.3' }).field).toBe('strategy.segments[0].when.scoreBelow');
    expect(at({ balanceAtLeast: '-5' }).reason).toContain('non-negative decimal');
    expect(at({ cooperative: 'yes' }).reason).toBe('must be true or false, got "yes"');
    expect(at({ age: 3 }).field).toBe('strategy.segments[0].when.age');
  });

  it('limits steps, segments and the challenger percent', () => {
    const steps = Array.from({ length: 501 }, (_, index) => step({ id: `s${index}` }));
    expect(rejection(strategy({ steps }))).toEqual({
      field: 'strategy.steps',
      reason: 'allows at most 500 entries, got 501',
    });
    const segments = Array.from({ length: 51 }, (_, index) => ({ name: `g${index}`, when: {} }));
    expect(rejection(strategy({ segments })).field).toBe('strategy.segments');
    const experiment = { name: 'e', challengerPercent: 101, challenger: { steps: [] } };
    expect(rejection(strategy({ experiment })).field).toBe('strategy.experiment.challengerPercent');
  });

  it('checks the challenger arm like the champion', () => {
    const experiment = { name: 'e', challengerPercent: 10, challenger: { steps: [step({ segment: 'vip' })] } };
    expect(rejection(strategy({ experiment })).field).toBe('strategy.experiment.challenger.steps[0].segment');
    const withOwnSegments = {
      ...experiment,
      challenger: { ...experiment.challenger, segments: [{ name: 'vip', when: {} }] },
    };
    expect(() => parseStrategy(strategy({ experiment: withOwnSegments }))).not.toThrow();
  });
});

describe('the parsed strategy', () => {
  it('fills defaults: validDays 1, purpose notice for hold/promise/hardship and reminder otherwise', () => {
    const parsed = parseStrategy(
      strategy({
        steps: [
          step(),
          step({ id: 'h', stage: 'hold', dayOffset: 0, template: 'hold_confirmed' }),
          step({ id: 'p', stage: 'promise', dayOffset: -1, template: 'promise_reminder', purpose: 'reminder' }),
        ],
      }),
    );
    expect(parsed.steps.map((s) => [s.validDays, s.purpose])).toEqual([
      [1, 'reminder'],
      [1, 'notice'],
      [1, 'reminder'],
    ]);
    expect(parsed.segments).toEqual([]);
  });

  it('is frozen', () => {
    const parsed = parseStrategy(strategy());
    expect(Object.isFrozen(parsed)).toBe(true);
    expect(Object.isFrozen(parsed.steps[0])).toBe(true);
  });

  it('round-trips through strategyToJson in a stable key order', () => {
    for (const builtIn of Object.values(builtInStrategies)) {
      const json = strategyToJson(builtIn);
      const again = parseStrategy(JSON.parse(JSON.stringify(json)));
      expect(again).toEqual(builtIn);
      expect(JSON.stringify(strategyToJson(again))).toBe(JSON.stringify(json));
    }
    // Key order in the input does not matter.
    const shuffled = {
      steps: [{ sendAt: '10:00', template: 't', channel: 'sms', dayOffset: 1, stage: 'grace', id: 'g' }],
      version: 3,
      name: 'x',
    };
    expect(Object.keys(strategyToJson(parseStrategy(shuffled)).steps[0] as object)).toEqual([
      'id',
      'stage',
      'dayOffset',
      'channel',
      'template',
      'sendAt',
      'validDays',
      'purpose',
    ]);
  });

  it('offers its JSON Schema', () => {
    const schema = strategyJsonSchema();
    expect(schema.type).toBe('object');
    expect(JSON.stringify(schema)).toContain('sendAt');
  });
});

describe('the built-in strategies', () => {
  it('use only the agreed template ids', () => {
    const agreed = [
      'due_soon',
      'due_today',
      'in_grace',
      'grace_ending',
      'overdue_1',
      'overdue_7',
      'overdue_15',
      'overdue_30',
      'overdue_60',
      'final_notice',
      'hold_confirmed',
      'hold_checkin',
      // No promise_confirmed on the promised date: an open promise gets no message until its date passes.
      'promise_reminder',
      'promise_broken',
      'plan_offer',
    ];
    expect(templatesUsed(builtInStrategies.default!)).toEqual([...agreed].sort());
    for (const template of templatesUsed(builtInStrategies.gentle!)) expect(agreed).toContain(template);
  });

  it('default: smart frequency — cooperative borrowers get fewer steps, long-overdue ones more', () => {
    const steps = builtInStrategies.default!.steps;
    const forSegment = (segment: string) =>
      steps.filter(
        (s) =>
          s.segment === undefined || s.segment === segment || (Array.isArray(s.segment) && s.segment.includes(segment)),
      );
    expect(forSegment('cooperative').length).toBeLessThan(forSegment('all').length);
    expect(forSegment('long_overdue').length).toBeGreaterThan(forSegment('all').length);
  });

  it('gentle has fewer steps than default and no calls', () => {
    const gentle = builtInStrategies.gentle!;
    expect(gentle.steps.length).toBeLessThan(builtInStrategies.default!.steps.length);
    expect(gentle.steps.some((s) => s.channel === 'voice')).toBe(false);
  });
});
