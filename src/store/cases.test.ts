// The workbench repositories on whichever database openTestDatabase picks (PGlite, or PostgreSQL with
// DATABASE_URL): one open case per borrower, the claim that never hands one case to two agents, numbering
// of notes and escalations, the letter's bytes, breach alerts taken once, surveys answered once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerSurvey,
  assignCaseRows,
  claimComplaintBreaches,
  claimNextCase,
  countOpenCasesByAgent,
  getCase,
  getEscalationLetter,
  getOpenCase,
  getSurvey,
  insertComplaint,
  insertEscalation,
  insertNote,
  lastAssignedAgent,
  listAgents,
  listCaseAssignments,
  listCaseBorrowers,
  listEscalations,
  listNotes,
  listQueue,
  offerSurveys,
  queuePosition,
  resolveCases,
  updateCase,
  upsertAgents,
  upsertCases,
  type CaseWrite,
  type ComplaintRow,
} from './cases.ts';
import { claimPoolOf } from '../workbench/index.ts';
import { upsertBorrowers } from './borrowers.ts';
import { openTestDatabase, type TestDatabase } from './testing.ts';

const t0 = Date.UTC(2026, 2, 20, 2, 0);
const onPostgres = Boolean(process.env.DATABASE_URL?.trim());

function caseWrite(borrowerId: string, priorityCenti: number, overrides: Partial<CaseWrite> = {}): CaseWrite {
  return {
    borrowerId,
    caseId: 'C2026-03-20',
    openedOn: '2026-03-20',
    stage: 'soft',
    locale: 'zh-CN',
    timezone: 'Asia/Shanghai',
    loanIds: [`L${borrowerId}`],
    dpd: 10,
    bucket: 'M1',
    chargedOff: false,
    facts: { score: null },
    priorityCenti,
    explanation: { score: priorityCenti / 100, scoreCenti: priorityCenti, terms: [] },
    refreshedOn: '2026-03-20',
    ...overrides,
  };
}

describe('workbench store', () => {
  let test: TestDatabase;
  const borrowers = ['B1', 'B2', 'B3', 'B4', 'B5', 'B6'];

  beforeAll(async () => {
    test = await openTestDatabase({ poolSize: 6 });
    await upsertBorrowers(
      test.db,
      borrowers.map((id) => ({
        borrowerId: id,
        name: id,
        timezone: 'Asia/Shanghai',
        locale: id === 'B6' ? 'en' : 'zh-CN',
        contacts: {},
      })),
    );
    await upsertAgents(
      test.db,
      [
        {
          agentId: 'A1',
          name: 'Li',
          team: 'collections',
          skills: { languages: ['zh-CN'], buckets: [] },
          capacity: 10,
          active: true,
        },
        {
          agentId: 'A2',
          name: 'Wu',
          team: 'collections',
          skills: { languages: [], buckets: ['M2'] },
          capacity: 10,
          active: true,
        },
        {
          agentId: 'S1',
          name: 'Zhao',
          team: 'complaints',
          skills: { languages: [], buckets: [] },
          capacity: 10,
          active: true,
        },
      ],
      t0,
    );
  });
  afterAll(async () => test.dispose());

  it('keeps agents with their team and skills, and updates them in place', async () => {
    await upsertAgents(
      test.db,
      [
        {
          agentId: 'A2',
          name: 'Wu Min',
          team: 'collections',
          skills: { languages: ['zh'], buckets: ['M2', 'M3'] },
          capacity: 12,
          active: true,
        },
      ],
      t0 + 1,
    );
    expect(await listAgents(test.db, { team: 'collections' })).toEqual([
      {
        agentId: 'A1',
        name: 'Li',
        team: 'collections',
        skills: { languages: ['zh-CN'], buckets: [] },
        capacity: 10,
        active: true,
      },
      {
        agentId: 'A2',
        name: 'Wu Min',
        team: 'collections',
        skills: { languages: ['zh'], buckets: ['M2', 'M3'] },
        capacity: 12,
        active: true,
      },
    ]);
  });

  it('holds one open case per borrower, refreshed in place, in queue order', async () => {
    await upsertCases(
      test.db,
      [caseWrite('B1', 3000), caseWrite('B2', 5000, { bucket: 'M2' }), caseWrite('B3', 3000), caseWrite('B6', 1000)],
      t0,
    );
    await upsertCases(test.db, [caseWrite('B1', 4000, { stage: 'ignored on update', dpd: 11 })], t0 + 1);
    const b1 = await getOpenCase(test.db, 'B1');
    expect(b1).toMatchObject({ caseId: 'C2026-03-20', status: 'open', stage: 'soft', dpd: 11, priorityCenti: 4000 });
    await expect(upsertCases(test.db, [caseWrite('B1', 1, { caseId: 'C2026-03-21' })], t0)).rejects.toThrow();
    expect((await listQueue(test.db, { limit: 10 })).map((c) => c.borrowerId)).toEqual(['B2', 'B1', 'B3', 'B6']);
    expect(await queuePosition(test.db, { priorityCenti: 3000, borrowerId: 'B3' })).toBe(3);
    expect(await listCaseBorrowers(test.db, { limit: 10, after: 'B1' })).toEqual(['B2', 'B3', 'B6']);
  });

  it('records assignments with their history and where a round robin stopped', async () => {
    expect(
      await assignCaseRows(test.db, [
        {
          borrowerId: 'B2',
          caseId: 'C2026-03-20',
          agentId: 'A2',
          strategy: 'round_robin',
          reason: 'round robin; 1/12 open',
          assignedAtMs: t0,
        },
        {
          borrowerId: 'B3',
          caseId: 'C2026-03-20',
          agentId: 'A1',
          strategy: 'round_robin',
          reason: 'round robin; 1/10 open',
          assignedAtMs: t0 + 1,
        },
      ]),
    ).toBe(2);
    expect(await lastAssignedAgent(test.db, 'round_robin')).toBe('A1');
    expect(await countOpenCasesByAgent(test.db)).toEqual(
      new Map([
        ['A1', 1],
        ['A2', 1],
      ]),
    );
    expect(await listCaseAssignments(test.db, { borrowerId: 'B2', caseId: 'C2026-03-20' })).toEqual([
      {
        borrowerId: 'B2',
        caseId: 'C2026-03-20',
        seq: 1,
        agentId: 'A2',
        strategy: 'round_robin',
        reason: 'round robin; 1/12 open',
        assignedAtMs: t0,
      },
    ]);
  });

  it('hands an agent their own case first, then the pool their skills fit, never one case to two agents', async () => {
    // The parameters the workbench's rule decides for an agent working M2 and M3 in Chinese.
    const zhM2M3 = claimPoolOf(
      { agentId: 'A2', name: 'A2', skills: { languages: ['zh-CN'], buckets: ['M2', 'M3'] }, capacity: 5, active: true },
      new Map(),
    );
    const lease = 60_000;
    const own = await claimNextCase(test.db, {
      agentId: 'A2',
      nowMs: t0,
      leaseMs: lease,
      pool: zhM2M3,
    });
    expect(own?.borrowerId).toBe('B2');
    // B1 (zh-CN, M1) is outside A2's buckets; B6 speaks English.
    expect(
      await claimNextCase(test.db, {
        agentId: 'A2',
        nowMs: t0,
        leaseMs: lease,
        pool: zhM2M3,
      }),
    ).toBeUndefined();
    const pool = { buckets: null, localePatterns: null };
    const claims = await Promise.all(
      ['A1', 'S1', 'A1', 'S1'].map((agentId) => claimNextCase(test.db, { agentId, nowMs: t0, leaseMs: lease, pool })),
    );
    const got = claims.filter((c) => c !== undefined).map((c) => c.borrowerId);
    expect(got.sort()).toEqual(['B1', 'B3', 'B6']);
    expect(new Set(got).size).toBe(got.length);
    // A lapsed claim can be taken over; a released one at once.
    const later = await claimNextCase(test.db, { agentId: 'A2', nowMs: t0 + lease, leaseMs: lease, pool: null });
    expect(later?.borrowerId).toBe('B2');
    await updateCase(
      test.db,
      { borrowerId: 'B2', caseId: 'C2026-03-20' },
      { releaseClaim: true, lastCallAtMs: t0 + lease },
      t0 + lease,
    );
    const b2 = await getCase(test.db, { borrowerId: 'B2', caseId: 'C2026-03-20' });
    expect(b2).toMatchObject({ claimedBy: null, lastCallAtMs: t0 + lease });
    if (onPostgres) {
      // A locked row is skipped, not waited for: a claim inside an open transaction hides B2 from another.
      await test.db.transaction(async (tx) => {
        const held = await claimNextCase(tx, { agentId: 'A2', nowMs: t0 + 2 * lease, leaseMs: lease, pool: null });
        expect(held?.borrowerId).toBe('B2');
        const other = await claimNextCase(test.db, {
          agentId: 'A2',
          nowMs: t0 + 2 * lease,
          leaseMs: lease,
          pool: null,
        });
        expect(other).toBeUndefined();
      });
    }
  });

  it('resolves a case once and opens a new one later', async () => {
    const key = { borrowerId: 'B3', caseId: 'C2026-03-20' };
    expect(await resolveCases(test.db, [{ ...key, resolvedOn: '2026-03-22', resolution: 'cured' }], t0)).toEqual([key]);
    expect(await resolveCases(test.db, [{ ...key, resolvedOn: '2026-03-23', resolution: 'cured' }], t0)).toEqual([]);
    expect(await getOpenCase(test.db, 'B3')).toBeUndefined();
    await upsertCases(test.db, [caseWrite('B3', 100, { caseId: 'C2026-04-01', openedOn: '2026-04-01' })], t0);
    expect((await getOpenCase(test.db, 'B3'))?.caseId).toBe('C2026-04-01');
  });

  it('numbers notes per borrower and escalations per case, and keeps the letter’s bytes', async () => {
    const note = { borrowerId: 'B1', caseId: 'C2026-03-20', complaintId: null, author: 'A1', createdAtMs: t0 };
    expect(await insertNote(test.db, { ...note, text: 'first' })).toBe(1);
    expect(await insertNote(test.db, { ...note, text: 'second' })).toBe(2);
    expect((await listNotes(test.db, { borrowerId: 'B1' })).map((n) => [n.noteId, n.text])).toEqual([
      [1, 'first'],
      [2, 'second'],
    ]);
    const pdf = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x0a]);
    const key = { borrowerId: 'B1', caseId: 'C2026-03-20' };
    const base = {
      ...key,
      fromStage: 'soft',
      toStage: 'hard',
      agentId: 'A1',
      escalatedAtMs: t0,
      reasons: ['DPD 40 ≥ 31'],
    };
    expect(await insertEscalation(test.db, { ...base, letter: null })).toBe(1);
    expect(
      await insertEscalation(test.db, {
        ...base,
        fromStage: 'hard',
        toStage: 'legal',
        letter: { contactId: 'B1:x:letter', address: 'Addr 1', code: 'K7Q2M9', pdf },
      }),
    ).toBe(2);
    const list = await listEscalations(test.db, key);
    expect(list.map((e) => [e.seq, e.toStage, e.letter])).toEqual([
      [1, 'hard', null],
      [2, 'legal', { contactId: 'B1:x:letter', address: 'Addr 1', code: 'K7Q2M9', bytes: 7 }],
    ]);
    expect(await getEscalationLetter(test.db, { ...key, seq: 2 })).toEqual(pdf);
    expect(await getEscalationLetter(test.db, { ...key, seq: 1 })).toBeUndefined();
  });

  it('alerts on a complaint past its deadline once, and answers a survey once', async () => {
    const complaint: ComplaintRow = {
      borrowerId: 'B4',
      complaintId: 'K1',
      loanId: null,
      caseId: null,
      source: 'borrower',
      raisedBy: 'B4',
      category: 'fees',
      text: 'A fee I did not expect.',
      status: 'open',
      team: 'complaints',
      assignedAgentId: 'S1',
      openedAtMs: t0,
      deadlineAtMs: t0 + 1000,
      pauseReason: null,
      reviewedAtMs: null,
      reviewedBy: null,
      reviewNote: null,
      closedAtMs: null,
      closedBy: null,
      resolution: null,
      breachAlertedAtMs: null,
    };
    expect(await insertComplaint(test.db, complaint)).toBe(true);
    expect(await insertComplaint(test.db, complaint)).toBe(false);
    expect(await claimComplaintBreaches(test.db, { nowMs: t0 + 1000, limit: 10 })).toEqual([]);
    const alerted = await claimComplaintBreaches(test.db, { nowMs: t0 + 2000, limit: 10 });
    expect(alerted.map((c) => [c.complaintId, c.breachAlertedAtMs])).toEqual([['K1', t0 + 2000]]);
    expect(await claimComplaintBreaches(test.db, { nowMs: t0 + 3000, limit: 10 })).toEqual([]);

    const offer = {
      borrowerId: 'B4',
      surveyId: 'complaint:K1',
      subjectKind: 'complaint' as const,
      subjectId: 'K1',
      offeredAtMs: t0,
    };
    expect(await offerSurveys(test.db, [offer])).toBe(1);
    expect(await offerSurveys(test.db, [offer])).toBe(0);
    const answer = {
      borrowerId: 'B4',
      surveyId: 'complaint:K1',
      score: 4,
      comment: '处理及时',
      answeredAtMs: t0 + 5000,
    };
    expect(await answerSurvey(test.db, answer)).toBe(true);
    expect(await answerSurvey(test.db, { ...answer, score: 1 })).toBe(false);
    expect(await getSurvey(test.db, offer)).toMatchObject({
      status: 'answered',
      score: 4,
      comment: '处理及时',
      answeredAtMs: t0 + 5000,
    });
  });
});
