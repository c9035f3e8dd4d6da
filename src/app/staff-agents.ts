// Staff accounts as queue agents: a collector works collection cases and a compliance officer complaints,
// so creating or changing such an account creates or changes its agent (id = username) in the same
// call — skills (languages, buckets), capacity and whether they are on shift. Invariants: an agent is
// active only while its account is enabled and on shift; an account whose role works no queue keeps no
// active agent (its cases stay with it until the queue's refresh hands them on).
import { InputError } from '../errors/index.ts';
import { parseAgent } from '../workbench/index.ts';
import { getAgent, upsertAgents, type AgentRow, type Queryable } from '../store/index.ts';

/** The queue team each role works in; roles not listed work none. */
export const agentTeamByRole: Readonly<Record<string, string>> = { collector: 'collections', compliance: 'complaints' };

/** Open cases (or complaints) an agent holds at once when nobody said otherwise. */
export const agentCapacityDefault: Readonly<Record<string, number>> = { collections: 40, complaints: 20 };

export interface AgentSettings {
  languages?: readonly string[];
  buckets?: readonly string[];
  capacity?: number;
  /** Off shift: no new cases are handed to the agent (their open ones stay theirs). */
  onShift?: boolean;
}

export interface StaffAgentView {
  team: string;
  languages: string[];
  buckets: string[];
  capacity: number;
  onShift: boolean;
}

/**
 * Checks agent settings for a role before anything is written: InputError naming `agent.<field>` for
 * settings of a role that works no queue, or skills and capacity the queue would refuse.
 */
export function checkAgentSettings(role: string, settings: AgentSettings): void {
  const given = Object.keys(settings).filter((key) => key !== 'onShift');
  if (agentTeamByRole[role] === undefined) {
    if (given.length > 0) throw new InputError(`agent.${given[0]}`, `a ${role} works no queue`);
    return;
  }
  parseAgent(
    {
      agentId: 'check',
      name: 'check',
      skills: { languages: [...(settings.languages ?? [])], buckets: [...(settings.buckets ?? [])] },
      capacity: settings.capacity ?? 0,
    },
    'agent',
  );
}

/**
 * Brings the agent of a staff account in line with the account and the settings given (the agent's
 * stored settings where none are given). Returns the agent as shown with the account, or null when the
 * role works no queue. Bad settings are an InputError naming `agent.<field>`.
 */
export async function syncStaffAgent(
  queryable: Queryable,
  account: { username: string; role: string; disabled: boolean },
  settings: AgentSettings,
  nowMs: number,
): Promise<StaffAgentView | null> {
  const existing = await getAgent(queryable, account.username);
  const team = agentTeamByRole[account.role];
  checkAgentSettings(account.role, settings);
  if (team === undefined) {
    if (existing?.active) await upsertAgents(queryable, [{ ...existing, active: false }], nowMs);
    return null;
  }
  const agent = parseAgent(
    {
      agentId: account.username,
      name: existing?.name ?? account.username,
      skills: {
        languages: [...(settings.languages ?? existing?.skills.languages ?? [])],
        buckets: [...(settings.buckets ?? existing?.skills.buckets ?? [])],
      },
      capacity: settings.capacity ?? (existing?.team === team ? existing.capacity : agentCapacityDefault[team]),
    },
    'agent',
  );
  const onShift = settings.onShift ?? (existing === undefined || existing.team !== team ? true : existing.active);
  const row: AgentRow = {
    agentId: agent.agentId,
    name: agent.name,
    team,
    skills: { languages: [...agent.skills.languages], buckets: [...agent.skills.buckets] },
    capacity: agent.capacity,
    active: onShift && !account.disabled,
  };
  await upsertAgents(queryable, [row], nowMs);
  return agentView(row, onShift);
}

/** The agent of a staff account as shown with it (null: the account works no queue). */
export async function staffAgentOf(
  queryable: Queryable,
  account: { username: string; role: string; disabled: boolean },
): Promise<StaffAgentView | null> {
  const team = agentTeamByRole[account.role];
  if (team === undefined) return null;
  const agent = await getAgent(queryable, account.username);
  if (agent === undefined || agent.team !== team) return null;
  // A disabled account's agent is inactive whatever its shift; show the shift it keeps for re-enabling.
  return agentView(agent, account.disabled ? true : agent.active);
}

function agentView(row: AgentRow, onShift: boolean): StaffAgentView {
  return {
    team: row.team,
    languages: [...row.skills.languages],
    buckets: [...row.skills.buckets],
    capacity: row.capacity,
    onShift,
  };
}
