// The generated-scenario property test (issue 18): N seeded scenarios across time zones, both packs and
// both strategies, each run through the function `kuan simulate` uses (in process) and checked against
// every invariant of test/sim/invariants.ts. A failure names the seed and the scenario's index, which
// regenerate it exactly (KUAN_SIM_SEED=… KUAN_SIM_SCENARIOS=…). The default size keeps the suite quick;
// the nightly run sets KUAN_SIM_SCENARIOS=720.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/sim/index.ts';
import { generateScenario } from './generate.ts';
import { allInvariants, type Invariant, type OutputLine } from './invariants.ts';
import { pauseInvariants } from './invariants-pause.ts';

/** The engine's invariants and the pause rules' (holds, hardship requests, disputes, revocation words). */
const invariants: readonly Invariant[] = [...allInvariants, ...Object.values(pauseInvariants)];

const defaultSeed = 20260318;
const defaultScenarios = 100;

function envInteger(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got ${text}`);
  return value;
}

const seed = envInteger('KUAN_SIM_SEED', defaultSeed);
const scenarios = envInteger('KUAN_SIM_SCENARIOS', defaultScenarios);

describe('generated scenarios keep every contact invariant', () => {
  it(`${scenarios} scenarios from seed ${seed}`, async () => {
    const failures: string[] = [];
    const seen = { contacts: 0, sent: 0, zones: new Set<string>(), packs: new Set<string>() };
    for (let index = 0; index < scenarios; index += 1) {
      const scenario = generateScenario(seed, index);
      let lines: OutputLine[];
      try {
        const text = await simulate(scenario);
        lines = text
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as OutputLine);
      } catch (error) {
        failures.push(`seed ${seed} scenario ${index}: simulate threw ${String(error)}`);
        continue;
      }
      for (const borrower of scenario.borrowers) seen.zones.add(borrower.timezone);
      seen.packs.add(scenario.policy);
      for (const line of lines) {
        if (line.kind !== 'contact') continue;
        seen.contacts += 1;
        if (line.status === 'sent') seen.sent += 1;
      }
      for (const invariant of invariants) {
        for (const violation of invariant(scenario, lines).slice(0, 3)) {
          failures.push(`seed ${seed} scenario ${index}: ${invariant.name}: ${violation}`);
        }
      }
      if (failures.length > 30) break;
    }
    expect(failures).toEqual([]);
    // The run exercised something: contacts were decided and sent, in several zones, under both packs.
    if (scenarios >= 30) {
      expect(seen.sent).toBeGreaterThan(scenarios);
      expect(seen.zones.size).toBeGreaterThanOrEqual(8);
      expect(seen.packs.size).toBe(2);
    }
  }, 300_000);
});
