// Simulation: a Scenario replayed through the production servicing core with a virtual clock. The
// module's front door; the CLI (`kuan simulate`) parses, runs and prints.
export {
  contactEventTypes,
  ledgerEventTypes,
  parseScenario,
  scenarioDaysMax,
  scenarioEnd,
  scenarioEventTypes,
  type PolicyChoice,
  type Scenario,
  type ScenarioBorrower,
  type ScenarioEvent,
  type ScenarioEventType,
  type ScenarioLoan,
} from './scenario.ts';
export {
  runScenario,
  simulationSecret,
  toJsonLines,
  type LoanDayLine,
  type PaymentLine,
  type RunScenarioOptions,
  type SimulationLine,
} from './run.ts';
export { ContactDesk, type ContactLine } from './contacts.ts';

import { parseScenario } from './scenario.ts';
import { runScenario, toJsonLines, type RunScenarioOptions } from './run.ts';

/** Scenario JSON (already parsed from text) → the JSON Lines output text. */
export async function simulate(input: unknown, options: RunScenarioOptions = {}): Promise<string> {
  return toJsonLines(await runScenario(parseScenario(input), options));
}
