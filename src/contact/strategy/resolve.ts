// Choosing a strategy the way the contracts let a user write it (`"strategy": "default"` or an object of
// overrides on the default): a built-in name, or overrides applied to a built-in base in a fixed order —
// `steps` replaces, then `removeSteps` drops, then `addSteps` appends — and the result goes through the
// same checks as a parsed strategy. Every error names the override's own field.
import { z } from 'zod';
import { InputError, quote } from '../../errors/index.ts';
import { builtInStrategies, builtInStrategyNames } from './builtin.ts';
import {
  buildStrategy,
  descriptionSchema,
  experimentSchema,
  fieldPath,
  nameSchema,
  namesOf,
  parseShape,
  segmentsSchema,
  stepsSchema,
  strategyStepsMax,
  versionSchema,
  type StepLike,
  type Strategy,
} from './schema.ts';

const overrideSchema = z.strictObject({
  base: z.string().optional(),
  name: nameSchema.optional(),
  version: versionSchema.optional(),
  description: descriptionSchema.optional(),
  segments: segmentsSchema.optional(),
  steps: stepsSchema.optional(),
  removeSteps: z.array(nameSchema).max(strategyStepsMax).optional(),
  addSteps: stepsSchema.optional(),
  experiment: z.union([experimentSchema, z.null()]).optional(),
});

/** The fields an override object may set (besides `base`, the built-in it starts from; default `default`). */
export const strategyOverrideFields = [
  'base',
  'name',
  'version',
  'description',
  'segments',
  'steps',
  'removeSteps',
  'addSteps',
  'experiment',
] as const;

function builtIn(name: unknown, field: string, expected: string): Strategy {
  if (typeof name === 'string' && Object.hasOwn(builtInStrategies, name)) return builtInStrategies[name] as Strategy;
  throw new InputError(field, `must be ${expected}, got ${quote(name)}`);
}

const builtInList = builtInStrategyNames.join(', ');

/**
 * A strategy from a scenario's or a request's `strategy` field: undefined → `default`; a string → that
 * built-in; an object → overrides on the default (or on `base`).
 */
export function resolveStrategy(choice: unknown, field = 'strategy'): Strategy {
  if (choice === undefined || choice === null) return builtInStrategies.default as Strategy;
  if (typeof choice === 'string') {
    return builtIn(choice, field, `a built-in strategy (${builtInList}) or an object of overrides`);
  }
  if (typeof choice !== 'object' || Array.isArray(choice)) {
    throw new InputError(
      field,
      `must be a built-in strategy name or an object of overrides on the default, got ${quote(choice)}`,
    );
  }
  const override = parseShape(overrideSchema, choice, field);
  const base = builtIn(override.base ?? 'default', fieldPath(field, ['base']), `one of ${builtInList}`);

  let steps: { step: StepLike; field: string }[] =
    override.steps === undefined
      ? base.steps.map((step, index) => ({ step, field: `${base.name}.steps[${index}]` }))
      : override.steps.map((step, index) => ({ step, field: fieldPath(field, ['steps', index]) }));
  (override.removeSteps ?? []).forEach((id, index) => {
    const kept = steps.filter((entry) => entry.step.id !== id);
    if (kept.length === steps.length) {
      throw new InputError(fieldPath(field, ['removeSteps', index]), `names no step of the strategy, got ${quote(id)}`);
    }
    steps = kept;
  });
  (override.addSteps ?? []).forEach((step, index) => {
    steps.push({ step, field: fieldPath(field, ['addSteps', index]) });
  });
  if (steps.length > strategyStepsMax) {
    throw new InputError(
      fieldPath(field, [override.addSteps === undefined ? 'steps' : 'addSteps']),
      `would leave ${steps.length} steps; a strategy has at most ${strategyStepsMax}`,
    );
  }

  const segments = override.segments ?? base.segments;
  if (override.segments !== undefined) {
    // Steps inherited from the base may use a segment the override dropped: say so at `segments`.
    const known = namesOf(segments);
    for (const { step, field: origin } of steps) {
      if (!origin.startsWith(`${base.name}.`) || step.segment === undefined) continue;
      const names = typeof step.segment === 'string' ? [step.segment] : step.segment;
      const missing = names.find((name) => !known.has(name));
      if (missing !== undefined) {
        throw new InputError(
          fieldPath(field, ['segments']),
          `leaves out segment ${quote(missing)}, which step ${quote(step.id)} of ${base.name} uses; replace or remove that step too`,
        );
      }
    }
  }

  const experiment = override.experiment === null ? undefined : (override.experiment ?? base.experiment);
  return buildStrategy({
    name: override.name ?? base.name,
    version: override.version ?? base.version,
    description: override.description ?? base.description,
    segments,
    segmentFieldOf: (index) => fieldPath(field, ['segments', index]),
    steps: steps.map((entry) => entry.step),
    stepFieldOf: (index) => steps[index]?.field ?? fieldPath(field, ['steps', index]),
    experiment,
    experimentField: fieldPath(field, ['experiment']),
  });
}
