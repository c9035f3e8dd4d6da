// Who works which case: the collections agents (skills, capacity, whether active), the one rule that says
// whether an agent may be handed a case now (poolFor; claimPoolOf is the same rule turned around, as the
// parameters the store applies over the many cases one agent may claim), and the assignment strategies.
// Pure: the shell reads agents and their open-case counts, this file decides.
//
// Invariants: an agent is in a case's pool only while active (account enabled and on shift), under
// capacity (open cases < capacity) and — by the match the strategy asks for — working the case's bucket
// and speaking the borrower's language (an empty skill list fits anything; languages match on the primary
// subtag); an assignment never takes an agent past capacity; cases are offered in the order given (the
// priority order), so when capacity runs short it is the lower-priority cases that wait; ties go to the
// lower agent id, so the same input assigns the same way on every run.
import { InputError, invariant, quote } from '../errors/index.ts';
import { compareText, objectOf, rejectUnknown, wholeNumber } from './json.ts';

// ---- agents -----------------------------------------------------------------------------------------

export interface AgentSkills {
  /** Language tags the agent works in ("zh-CN", "en"); matched on the primary subtag. Empty: any. */
  languages: string[];
  /** Buckets the agent works ("M1", "M2" …). Empty: any. */
  buckets: string[];
}

export interface Agent {
  agentId: string;
  name: string;
  skills: AgentSkills;
  /** Most open cases the agent holds at once. */
  capacity: number;
}

/** An agent as the pool sees them: not active while the account is disabled or the agent is off shift. */
export interface PoolAgent extends Agent {
  active: boolean;
}

export const agentCapacityMax = 10_000;
const skillsMax = 50;

/** Validates an agent given as JSON at the edge. */
export function parseAgent(json: unknown, field = 'agent'): Agent {
  const root = objectOf(json, field);
  rejectUnknown(root, ['agentId', 'name', 'skills', 'capacity'], field);
  const id = root.agentId;
  if (typeof id !== 'string' || !/^[\w.:@-]{1,64}$/.test(id)) {
    throw new InputError(`${field}.agentId`, `must be 1–64 letters, digits or . _ : @ -, got ${quote(id)}`);
  }
  const name = root.name;
  if (typeof name !== 'string' || name.trim().length === 0 || name.length > 200) {
    throw new InputError(`${field}.name`, `must be a name of 1–200 characters, got ${quote(name)}`);
  }
  const skills = root.skills === undefined ? {} : objectOf(root.skills, `${field}.skills`);
  rejectUnknown(skills, ['languages', 'buckets'], `${field}.skills`);
  const list = (value: unknown, at: string, pattern: RegExp): string[] => {
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.length > skillsMax) {
      throw new InputError(at, `must be a list of at most ${skillsMax}, got ${quote(value)}`);
    }
    return value.map((item, index) => {
      if (typeof item !== 'string' || !pattern.test(item)) {
        throw new InputError(`${at}[${index}]`, `is not valid, got ${quote(item)}`);
      }
      return item;
    });
  };
  return {
    agentId: id,
    name: name.trim(),
    skills: {
      languages: list(skills.languages, `${field}.skills.languages`, /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$/),
      buckets: list(skills.buckets, `${field}.skills.buckets`, /^[\w+.-]{1,16}$/),
    },
    capacity: wholeNumber(root.capacity, `${field}.capacity`, 0, agentCapacityMax),
  };
}

// ---- the pool: who may work a case ------------------------------------------------------------------

/** How much of an agent's skills a case must fit: nothing, its bucket, or its bucket and language. */
export const poolMatches = ['any', 'bucket', 'bucket_and_language'] as const;
export type PoolMatch = (typeof poolMatches)[number];

/** What of a case the pool is decided on. */
export interface PoolCase {
  bucket: string;
  locale: string;
}

function primaryLanguage(tag: string): string {
  return tag.split(/[-_]/)[0]?.toLowerCase() ?? '';
}

/** Does the agent work in this language (empty list: any)? */
export function speaks(agent: Agent, locale: string): boolean {
  const wanted = primaryLanguage(locale);
  return agent.skills.languages.length === 0 || agent.skills.languages.some((tag) => primaryLanguage(tag) === wanted);
}

/** Does the agent work this bucket (empty list: any)? */
export function worksBucket(agent: Agent, bucket: string): boolean {
  return agent.skills.buckets.length === 0 || agent.skills.buckets.includes(bucket);
}

/** How many more cases the agent may be handed now: none while inactive or at capacity. */
export function roomOf(agent: PoolAgent, openCases: ReadonlyMap<string, number>): number {
  return agent.active ? Math.max(0, agent.capacity - (openCases.get(agent.agentId) ?? 0)) : 0;
}

function fits(agent: Agent, c: PoolCase, match: PoolMatch): boolean {
  return match === 'any' || (worksBucket(agent, c.bucket) && (match === 'bucket' || speaks(agent, c.locale)));
}

export interface CasePool {
  /** The agents who may be handed the case now, by agent id. */
  agents: PoolAgent[];
  /** Why nobody may, for the console; null when someone may. */
  whyEmpty: string | null;
}

/**
 * The agents who may be handed this case now: active, under capacity, and whose skills fit by `match`.
 * The one place that rule lives (assignment, complaint routing and claimPoolOf all use it).
 */
export function poolFor(
  c: PoolCase,
  agents: readonly PoolAgent[],
  options: { openCases: ReadonlyMap<string, number>; match: PoolMatch },
): CasePool {
  const active = agents.filter((agent) => agent.active).sort((a, b) => compareText(a.agentId, b.agentId));
  const skilled = active.filter((agent) => fits(agent, c, options.match));
  const pool = skilled.filter((agent) => roomOf(agent, options.openCases) > 0);
  if (pool.length > 0) return { agents: pool, whyEmpty: null };
  if (active.length === 0) return { agents: [], whyEmpty: 'no active agent' };
  if (skilled.length === 0) {
    const what = options.match === 'bucket' ? `bucket ${c.bucket}` : `bucket ${c.bucket} in ${c.locale}`;
    return { agents: [], whyEmpty: `no agent works ${what}` };
  }
  return { agents: [], whyEmpty: 'every suitable agent is at capacity' };
}

/**
 * The unassigned cases one agent may claim, as the parameters the store filters its many cases by — the
 * rule of poolFor turned around, so the database never decides it on its own: null while the agent may be
 * handed nothing (inactive or at capacity); `buckets` the case's bucket must be one of, and
 * `localePatterns` (SQL LIKE patterns, lower case, backslash escapes) the lower-cased locale must match
 * one of; a null list fits any case.
 */
export interface ClaimPool {
  buckets: readonly string[] | null;
  localePatterns: readonly string[] | null;
}

export function claimPoolOf(
  agent: PoolAgent,
  openCases: ReadonlyMap<string, number>,
  match: PoolMatch = 'bucket_and_language',
): ClaimPool | null {
  if (roomOf(agent, openCases) === 0) return null;
  const { buckets, languages } = agent.skills;
  return {
    buckets: match === 'any' || buckets.length === 0 ? null : [...buckets],
    localePatterns:
      match !== 'bucket_and_language' || languages.length === 0
        ? null
        : [...new Set(languages.map(primaryLanguage))].flatMap((language) => [
            // The locales whose primary subtag is `language` (what speaks() compares): "zh", "zh-…", "zh_…".
            language,
            `${language}-%`,
            `${language}\\_%`,
          ]),
  };
}

/** The agent with the lowest share of their capacity in use (open / capacity), ties to the lower id. */
export function leastLoaded(pool: readonly PoolAgent[], openCases: ReadonlyMap<string, number>): PoolAgent | undefined {
  let best: PoolAgent | undefined;
  for (const agent of pool) {
    if (best === undefined) {
      best = agent;
      continue;
    }
    // open_a / cap_a < open_b / cap_b, compared without division.
    const a = (openCases.get(agent.agentId) ?? 0) * best.capacity;
    const b = (openCases.get(best.agentId) ?? 0) * agent.capacity;
    if (a < b || (a === b && compareText(agent.agentId, best.agentId) < 0)) best = agent;
  }
  return best;
}

// ---- assignment -------------------------------------------------------------------------------------

export const assignmentStrategies = ['round_robin', 'by_bucket', 'by_skill'] as const;
export type AssignmentStrategy = (typeof assignmentStrategies)[number];

/** What of an agent's skills each strategy asks a case to fit. */
export function matchOf(strategy: AssignmentStrategy): PoolMatch {
  return strategy === 'round_robin' ? 'any' : strategy === 'by_bucket' ? 'bucket' : 'bucket_and_language';
}

export interface CaseToAssign extends PoolCase {
  borrowerId: string;
}

export interface AssignmentInput {
  /** In priority order (highest first): when capacity runs short, the later cases wait. */
  cases: readonly CaseToAssign[];
  agents: readonly PoolAgent[];
  /** Open cases each agent holds already (absent: 0). */
  openCases: ReadonlyMap<string, number>;
  strategy: AssignmentStrategy;
  /** Round robin: the agent who got the previous case; the rotation continues after them. */
  lastAgentId?: string | null;
}

export interface CaseAssignment {
  borrowerId: string;
  agentId: string;
  reason: string;
}

export interface AssignmentResult {
  assignments: CaseAssignment[];
  unassigned: { borrowerId: string; reason: string }[];
  /** The last agent given a case (the next round robin continues after them). */
  lastAgentId: string | null;
}

/**
 * Assigns cases to agents, each case to one agent of its pool (poolFor, with the strategy's match):
 * - `round_robin`: the next agent in id order after the one who got the previous case;
 * - `by_bucket`: among agents who work the case's bucket, the least loaded (open / capacity);
 * - `by_skill`: among agents who work the bucket and speak the borrower's language, the least loaded.
 */
export function assignCases(input: AssignmentInput): AssignmentResult {
  const ids = new Set<string>();
  for (const agent of input.agents) {
    invariant(!ids.has(agent.agentId), `agent ${agent.agentId} appears once`);
    ids.add(agent.agentId);
  }
  const match = matchOf(input.strategy);
  const load = new Map<string, number>(input.agents.map((a) => [a.agentId, input.openCases.get(a.agentId) ?? 0]));
  const assignments: CaseAssignment[] = [];
  const unassigned: AssignmentResult['unassigned'] = [];
  let lastAgentId = input.lastAgentId ?? null;

  for (const c of input.cases) {
    const pool = poolFor(c, input.agents, { openCases: load, match });
    let chosen: PoolAgent | undefined;
    let reason: string;
    if (input.strategy === 'round_robin') {
      const after = lastAgentId;
      chosen =
        (after === null ? undefined : pool.agents.find((a) => compareText(a.agentId, after) > 0)) ?? pool.agents[0];
      reason = 'round robin';
    } else {
      chosen = leastLoaded(pool.agents, load);
      reason =
        input.strategy === 'by_bucket' ? `works bucket ${c.bucket}` : `works bucket ${c.bucket} and speaks ${c.locale}`;
    }
    if (chosen === undefined) {
      unassigned.push({ borrowerId: c.borrowerId, reason: pool.whyEmpty ?? 'no agent' });
      continue;
    }
    const open = (load.get(chosen.agentId) ?? 0) + 1;
    invariant(open <= chosen.capacity, `agent ${chosen.agentId} stays within capacity`);
    load.set(chosen.agentId, open);
    lastAgentId = chosen.agentId;
    assignments.push({
      borrowerId: c.borrowerId,
      agentId: chosen.agentId,
      reason: `${reason}; ${open}/${chosen.capacity} open`,
    });
  }
  return { assignments, unassigned, lastAgentId };
}
