import { describe, expect, it } from 'vitest';
import { msPerDay } from '../calendar/index.ts';
import { defaultPolicy, newBorrowerContactState, type BorrowerContactState } from '../contact/index.ts';
import {
  closeComplaint,
  complaintBreaches,
  defaultComplaintRules,
  openComplaint,
  parseComplaintRules,
  reviewComplaint,
  type Complaint,
  type OpenComplaintInput,
} from './complaints.ts';

const t0 = Date.UTC(2026, 3, 20, 2, 0);
const state = (): BorrowerContactState =>
  newBorrowerContactState({ borrowerId: 'B1', timezone: 'Asia/Shanghai', locale: 'zh-CN', addresses: {} });

function filed(input: Partial<OpenComplaintInput> = {}, base = state()) {
  return openComplaint(
    {
      complaintId: 'K1',
      borrowerId: 'B1',
      loanId: 'L1',
      caseId: 'C2026-04-01',
      source: 'borrower',
      raisedBy: 'B1',
      category: 'contact_conduct',
      text: ' Called me three times at dinner. ',
      atMs: t0,
      ...input,
    },
    { rules: defaultComplaintRules, policy: defaultPolicy, state: base },
  );
}

const context = (s: BorrowerContactState, others: Complaint[] = []) => ({ state: s, others, policy: defaultPolicy });

describe('complaints', () => {
  it('a complaint about contact pauses collection contact until reviewed, with a deadline and a team', () => {
    const { complaint, state: paused, paused: didPause } = filed();
    expect(didPause).toBe(true);
    expect(complaint).toMatchObject({
      status: 'open',
      text: 'Called me three times at dinner.',
      team: 'complaints',
      deadlineAtMs: t0 + 15 * msPerDay,
      pauseReason: 'complaint:K1',
      loanId: 'L1',
      caseId: 'C2026-04-01',
    });
    expect(paused.pauses).toEqual([{ fromMs: t0, untilMs: null, reason: 'complaint:K1' }]);

    const reviewed = reviewComplaint(
      complaint,
      { by: 'S1', atMs: t0 + 3_600_000, note: 'Listened to the calls.' },
      context(paused),
    );
    expect(reviewed.ok && reviewed.complaint).toMatchObject({
      status: 'reviewed',
      reviewedBy: 'S1',
      reviewNote: 'Listened to the calls.',
    });
    expect(reviewed.ok && reviewed.lifted).toBe(true);
    expect(reviewed.ok && reviewed.state.pauses).toEqual([
      { fromMs: t0, untilMs: t0 + 3_600_000, reason: 'complaint:K1' },
    ]);
  });

  it('a complaint about fees pauses nothing; nor does any when the policy does not pause on complaints', () => {
    expect(filed({ category: 'fees' })).toMatchObject({ paused: false, complaint: { pauseReason: null } });
    const lenient = openComplaint(
      {
        complaintId: 'K2',
        borrowerId: 'B1',
        source: 'agent',
        raisedBy: 'A1',
        category: 'dispute',
        text: 'x',
        atMs: t0,
      },
      { rules: defaultComplaintRules, policy: { ...defaultPolicy, pauseOnComplaint: false }, state: state() },
    );
    expect(lenient.paused).toBe(false);
    expect(lenient.state.pauses).toEqual([]);
  });

  it('a pause shared by two disputes stays until both are reviewed', () => {
    let s = state();
    const first = filed({ complaintId: 'K1', category: 'dispute', pauseReason: 'dispute' }, s);
    s = first.state;
    const second = filed({ complaintId: 'K2', category: 'dispute', pauseReason: 'dispute', atMs: t0 + 1000 }, s);
    s = second.state;
    expect(s.pauses).toHaveLength(1);
    const one = reviewComplaint(
      first.complaint,
      { by: 'S1', atMs: t0 + 5000 },
      context(s, [first.complaint, second.complaint]),
    );
    expect(one.ok && one.lifted).toBe(false);
    const reviewedFirst = one.ok ? one.complaint : first.complaint;
    const two = reviewComplaint(
      second.complaint,
      { by: 'S1', atMs: t0 + 6000 },
      context(s, [reviewedFirst, second.complaint]),
    );
    expect(two.ok && two.lifted).toBe(true);
  });

  it('closing reviews first if needed, lifts the pause, and happens once', () => {
    const { complaint, state: paused } = filed();
    const closed = closeComplaint(
      complaint,
      { by: 'S1', atMs: t0 + 7200_000, resolution: 'Apologised; agent retrained.' },
      context(paused),
    );
    expect(closed.ok && closed.complaint).toMatchObject({
      status: 'closed',
      reviewedBy: 'S1',
      closedBy: 'S1',
      resolution: 'Apologised; agent retrained.',
    });
    expect(closed.ok && closed.lifted).toBe(true);
    const again = closeComplaint(
      closed.ok ? closed.complaint : complaint,
      { by: 'S1', atMs: t0, resolution: 'x' },
      context(paused),
    );
    expect(again).toEqual({ ok: false, code: 'complaint_closed', reason: 'complaint K1 is closed already' });
    expect(
      reviewComplaint(closed.ok ? closed.complaint : complaint, { by: 'S1', atMs: t0 }, context(paused)),
    ).toMatchObject({
      ok: false,
      code: 'complaint_not_open',
    });
    expect(() => closeComplaint(complaint, { by: 'S1', atMs: t0, resolution: ' ' }, context(paused))).toThrow(
      'resolution',
    );
  });

  it('is in breach once its deadline passed while not closed', () => {
    const a = filed({ complaintId: 'K1' }).complaint;
    const b = filed({ complaintId: 'K2', category: 'privacy', atMs: t0 - msPerDay }).complaint;
    const c = { ...filed({ complaintId: 'K3', atMs: t0 - 30 * msPerDay }).complaint, status: 'closed' as const };
    expect(complaintBreaches([a, b, c], t0 + 15 * msPerDay)).toEqual([
      {
        borrowerId: 'B1',
        complaintId: 'K2',
        team: 'complaints',
        category: 'privacy',
        deadlineAtMs: t0 + 14 * msPerDay,
        overdueHours: 24,
      },
    ]);
    expect(complaintBreaches([a, b, c], t0 + 15 * msPerDay + 1).map((x) => x.complaintId)).toEqual(['K2', 'K1']);
  });

  it('takes deadlines, pausing categories and teams as data', () => {
    const rules = parseComplaintRules({
      deadlineDays: { privacy: 5 },
      pausingCategories: ['dispute'],
      teams: { privacy: 'privacy_office' },
    });
    expect(rules.deadlineDays).toEqual({ contact_conduct: 15, fees: 15, dispute: 15, privacy: 5, other: 15 });
    expect(rules.teams.privacy).toBe('privacy_office');
    const privacy = openComplaint(
      {
        complaintId: 'K9',
        borrowerId: 'B1',
        source: 'borrower',
        raisedBy: 'B1',
        category: 'privacy',
        text: 'x',
        atMs: t0,
      },
      { rules, policy: defaultPolicy, state: state() },
    );
    expect(privacy.complaint).toMatchObject({
      team: 'privacy_office',
      deadlineAtMs: t0 + 5 * msPerDay,
      pauseReason: null,
    });
    expect(() => parseComplaintRules({ deadlineDays: { noise: 3 } })).toThrow(
      'complaints.deadlineDays.noise: must be one of',
    );
    expect(() => parseComplaintRules({ deadlineDays: { fees: 0 } })).toThrow(
      'complaints.deadlineDays.fees: must be a whole number of days 1–90, got 0',
    );
    expect(() => filed({ category: 'rudeness' as never })).toThrow(
      'category: must be one of contact_conduct, fees, dispute, privacy, other',
    );
    expect(() => filed({ text: 'x'.repeat(4001) })).toThrow('text: must be at most 4000 characters');
  });
});
