import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignCases, claimPoolOf, parseAgent, poolFor, speaks, worksBucket, type PoolAgent } from './assignment.ts';

describe('assignment', () => {
  const agents: PoolAgent[] = [
    { agentId: 'A3', name: 'C', skills: { languages: ['en'], buckets: ['M3', 'M4'] }, capacity: 2, active: true },
    { agentId: 'A1', name: 'A', skills: { languages: ['zh-CN'], buckets: ['M1', 'M2'] }, capacity: 2, active: true },
    { agentId: 'A2', name: 'B', skills: { languages: ['zh', 'en'], buckets: [] }, capacity: 1, active: true },
  ];
  const cases = [
    { borrowerId: 'B1', bucket: 'M1', locale: 'zh-CN' },
    { borrowerId: 'B2', bucket: 'M3', locale: 'en-US' },
    { borrowerId: 'B3', bucket: 'M3', locale: 'zh-CN' },
    { borrowerId: 'B4', bucket: 'M2', locale: 'zh-CN' },
    { borrowerId: 'B5', bucket: 'M1', locale: 'zh-CN' },
    { borrowerId: 'B6', bucket: 'M4', locale: 'en' },
  ];

  it('round robin rotates in agent id order after the last agent, skipping those at capacity', () => {
    const result = assignCases({
      cases,
      agents,
      openCases: new Map([['A1', 1]]),
      strategy: 'round_robin',
      lastAgentId: 'A1',
    });
    expect(result.assignments.map((a) => `${a.borrowerId}:${a.agentId}`)).toEqual(['B1:A2', 'B2:A3', 'B3:A1', 'B4:A3']);
    expect(result.unassigned.map((u) => u.borrowerId)).toEqual(['B5', 'B6']);
    expect(result.unassigned[0]?.reason).toBe('every suitable agent is at capacity');
    expect(result.lastAgentId).toBe('A3');
  });

  it('by bucket gives each case to the least loaded agent who works its bucket', () => {
    const result = assignCases({ cases, agents, openCases: new Map(), strategy: 'by_bucket' });
    expect(result.assignments.map((a) => `${a.borrowerId}:${a.agentId}`)).toEqual([
      'B1:A1',
      'B2:A2',
      'B3:A3',
      'B4:A1',
      'B6:A3',
    ]);
    expect(result.assignments[0]?.reason).toBe('works bucket M1; 1/2 open');
    expect(result.unassigned).toEqual([{ borrowerId: 'B5', reason: 'every suitable agent is at capacity' }]);
  });

  it('by skill also needs the borrower’s language', () => {
    const result = assignCases({ cases, agents, openCases: new Map(), strategy: 'by_skill' });
    expect(result.assignments.map((a) => `${a.borrowerId}:${a.agentId}`)).toEqual(['B1:A1', 'B2:A2', 'B4:A1', 'B6:A3']);
    expect(result.unassigned).toEqual([
      { borrowerId: 'B3', reason: 'every suitable agent is at capacity' },
      { borrowerId: 'B5', reason: 'every suitable agent is at capacity' },
    ]);
    const nobody = assignCases({
      cases: [{ borrowerId: 'B9', bucket: 'M7+', locale: 'fr' }],
      agents,
      openCases: new Map(),
      strategy: 'by_skill',
    });
    expect(nobody.unassigned).toEqual([{ borrowerId: 'B9', reason: 'no agent works bucket M7+ in fr' }]);
  });

  it('never takes an agent past capacity, assigns each case once, and is deterministic (property)', () => {
    const agentArb = fc.record({
      agentId: fc.constantFrom('A1', 'A2', 'A3', 'A4', 'A5'),
      capacity: fc.integer({ min: 0, max: 4 }),
      active: fc.boolean(),
      languages: fc.subarray(['zh', 'en']),
      buckets: fc.subarray(['M1', 'M2', 'M3']),
    });
    const caseArb = fc.record({ bucket: fc.constantFrom('M1', 'M2', 'M3'), locale: fc.constantFrom('zh-CN', 'en') });
    fc.assert(
      fc.property(
        fc.uniqueArray(agentArb, { selector: (a) => a.agentId, maxLength: 5 }),
        fc.array(caseArb, { maxLength: 30 }),
        fc.constantFrom('round_robin', 'by_bucket', 'by_skill') as fc.Arbitrary<
          'round_robin' | 'by_bucket' | 'by_skill'
        >,
        (rawAgents, rawCases, strategy) => {
          const list: PoolAgent[] = rawAgents.map((a) => ({
            agentId: a.agentId,
            name: a.agentId,
            capacity: a.capacity,
            active: a.active,
            skills: { languages: a.languages, buckets: a.buckets },
          }));
          const input = {
            cases: rawCases.map((c, i) => ({ borrowerId: `B${String(i).padStart(2, '0')}`, ...c })),
            agents: list,
            openCases: new Map<string, number>(),
            strategy,
          };
          const result = assignCases(input);
          expect(assignCases(input)).toEqual(result);
          const counts = new Map<string, number>();
          for (const a of result.assignments) counts.set(a.agentId, (counts.get(a.agentId) ?? 0) + 1);
          for (const agent of list) {
            expect(counts.get(agent.agentId) ?? 0).toBeLessThanOrEqual(agent.active ? agent.capacity : 0);
          }
          const ids = [...result.assignments.map((a) => a.borrowerId), ...result.unassigned.map((u) => u.borrowerId)];
          expect(ids.sort()).toEqual(input.cases.map((c) => c.borrowerId).sort());
        },
      ),
    );
  });

  it('validates agents given as JSON', () => {
    expect(parseAgent({ agentId: 'a.li', name: ' Li ', capacity: 30, skills: { languages: ['zh-CN'] } })).toEqual({
      agentId: 'a.li',
      name: 'Li',
      capacity: 30,
      skills: { languages: ['zh-CN'], buckets: [] },
    });
    expect(() => parseAgent({ agentId: 'a', name: 'A', capacity: -1 })).toThrow(
      'agent.capacity: must be a whole number 0–10000',
    );
    expect(() => parseAgent({ agentId: 'a b', name: 'A', capacity: 1 })).toThrow('agent.agentId');
  });
  it('the pool holds the active agents with room whose skills fit, and says why when nobody may', () => {
    const team: PoolAgent[] = [
      ...agents,
      { agentId: 'A0', name: 'Off', skills: { languages: [], buckets: [] }, capacity: 5, active: false },
    ];
    const zhM1 = { bucket: 'M1', locale: 'zh-CN' };
    const ids = (pool: { agents: PoolAgent[] }) => pool.agents.map((a) => a.agentId);
    expect(ids(poolFor(zhM1, team, { openCases: new Map(), match: 'bucket_and_language' }))).toEqual(['A1', 'A2']);
    expect(ids(poolFor(zhM1, team, { openCases: new Map(), match: 'any' }))).toEqual(['A1', 'A2', 'A3']);
    const full = new Map([
      ['A1', 2],
      ['A2', 1],
    ]);
    expect(poolFor(zhM1, team, { openCases: full, match: 'bucket_and_language' })).toEqual({
      agents: [],
      whyEmpty: 'every suitable agent is at capacity',
    });
    expect(poolFor(zhM1, [team[3]!], { openCases: new Map(), match: 'any' })).toEqual({
      agents: [],
      whyEmpty: 'no active agent',
    });
  });

  it('what an agent may claim is the pool’s rule turned around: the same cases, as store parameters', () => {
    // SQL LIKE on the lower-cased locale, as the store applies the patterns (backslash escapes).
    const like = (pattern: string, text: string): boolean => {
      let source = '';
      for (let i = 0; i < pattern.length; i += 1) {
        const ch = pattern[i]!;
        if (ch === '\\') source += (pattern[++i] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        else if (ch === '%') source += '.*';
        else if (ch === '_') source += '.';
        else source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      }
      return new RegExp(`^${source}$`, 's').test(text);
    };
    const agentArb = fc.record({
      languages: fc.subarray(['zh-CN', 'zh', 'en', 'en_GB', 'fr']),
      buckets: fc.subarray(['M1', 'M2', 'M3']),
      capacity: fc.integer({ min: 0, max: 2 }),
      open: fc.integer({ min: 0, max: 2 }),
      active: fc.boolean(),
    });
    const caseArb = fc.record({
      bucket: fc.constantFrom('M1', 'M2', 'M3'),
      locale: fc.constantFrom('zh-CN', 'zh', 'zh_TW', 'ZH-cn', 'en', 'en-US', 'fr', 'zhx', 'und', 'e'),
    });
    fc.assert(
      fc.property(agentArb, caseArb, (a, c) => {
        const agent: PoolAgent = {
          agentId: 'A',
          name: 'A',
          skills: { languages: a.languages, buckets: a.buckets },
          capacity: a.capacity,
          active: a.active,
        };
        const openCases = new Map([['A', a.open]]);
        const inPool = poolFor(c, [agent], { openCases, match: 'bucket_and_language' }).agents.length === 1;
        const claim = claimPoolOf(agent, openCases);
        const mayClaim =
          claim !== null &&
          (claim.buckets === null || claim.buckets.includes(c.bucket)) &&
          (claim.localePatterns === null || claim.localePatterns.some((p) => like(p, c.locale.toLowerCase())));
        expect(mayClaim).toBe(inPool);
        expect(inPool).toBe(a.active && a.open < a.capacity && worksBucket(agent, c.bucket) && speaks(agent, c.locale));
      }),
    );
  });
});
