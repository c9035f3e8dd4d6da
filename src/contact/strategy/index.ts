// Contact strategies: the front door. Strategies as data (schema, built-ins, overrides, diff, digest),
// champion/challenger arms, and the pure planner that turns a borrower's day into ContactIntents.
export {
  dayOffsetMax,
  dayOffsetMin,
  fallbackSegmentName,
  namesPerListMax,
  parseStrategy,
  promiseStageDaysAfter,
  strategyJsonSchema,
  strategySegmentsMax,
  strategyStepsMax,
  strategyToJson,
  validDaysMax,
  type FallbackWhen,
  type SegmentJson,
  type SegmentWhen,
  type StepAnchor,
  type StepFallback,
  type StepJson,
  type Strategy,
  type StrategyChallenger,
  type StrategyExperiment,
  type StrategyJson,
  type StrategySegment,
  type StrategyStep,
} from './schema.ts';
export { builtInStrategies, builtInStrategyNames, templatesUsed } from './builtin.ts';
export { resolveStrategy, strategyOverrideFields } from './resolve.ts';
export { diffStrategies, strategyDigest, type FieldChange, type StrategyChange } from './diff.ts';
export {
  armResults,
  armSlot,
  assignArm,
  type Arm,
  type ArmComparison,
  type ArmOutcome,
  type ArmSummary,
} from './experiment.ts';
export {
  planBorrowerDay,
  planStageOf,
  type LoanStage,
  type PlanBorrower,
  type PlanInput,
  type PlanInstallment,
  type PlanLoanView,
  type PlanPromise,
} from './plan.ts';
