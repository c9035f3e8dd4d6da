// Complaints. A complaint is a ticket from the borrower or from an agent on their
// behalf, with a category, a deadline per category, routed to a team and linked to the borrower (and a
// loan, and the open collection case). A complaint about contact conduct or a dispute of the debt pauses
// collection contact at once (a pause in the borrower's contact state, when the policy's
// pauseOnComplaint is on) until someone reviews it (a closed complaint offers a survey: surveys.ts).
// Pure: the shell stores the results.
//
// Invariants: open → reviewed → closed, or open → closed (closing reviews it); a review or close happens
// once; a pause is lifted only when no other complaint still waiting for review holds the same pause
// (a dispute recorded twice stays paused until both are reviewed); a complaint is in breach when its
// deadline has passed and it is not closed.
import { msPerDay } from '../calendar/index.ts';
import type { BorrowerContactState, PolicyPack } from '../contact/index.ts';
import { applyContactEvent } from '../contact/events.ts';
import { InputError, quote } from '../errors/index.ts';

export const complaintCategories = ['contact_conduct', 'fees', 'dispute', 'privacy', 'other'] as const;
export type ComplaintCategory = (typeof complaintCategories)[number];

export const complaintSources = ['borrower', 'agent'] as const;
export type ComplaintSource = (typeof complaintSources)[number];

export const complaintStatuses = ['open', 'reviewed', 'closed'] as const;
export type ComplaintStatus = (typeof complaintStatuses)[number];

export const complaintLimits = {
  textLengthMax: 4_000,
  resolutionLengthMax: 2_000,
  deadlineDaysMax: 90,
} as const;

export interface ComplaintRules {
  /** Calendar days from opening to the deadline, per category. */
  readonly deadlineDays: Readonly<Record<ComplaintCategory, number>>;
  /** Categories that pause collection contact until reviewed (if the policy pack's pauseOnComplaint is on). */
  readonly pausingCategories: readonly ComplaintCategory[];
  /** The team each category is routed to. */
  readonly teams: Readonly<Record<ComplaintCategory, string>>;
}

export const defaultComplaintRules: ComplaintRules = {
  deadlineDays: { contact_conduct: 15, fees: 15, dispute: 15, privacy: 15, other: 15 },
  pausingCategories: ['contact_conduct', 'dispute'],
  teams: {
    contact_conduct: 'complaints',
    fees: 'complaints',
    dispute: 'complaints',
    privacy: 'complaints',
    other: 'complaints',
  },
};

/** Validates complaint rules given as JSON (omitted parts keep the default); InputError names the field. */
export function parseComplaintRules(json: unknown, field = 'complaints'): ComplaintRules {
  if (json === undefined || json === null) return defaultComplaintRules;
  const root = objectOf(json, field);
  for (const key of Object.keys(root)) {
    if (!['deadlineDays', 'pausingCategories', 'teams'].includes(key)) {
      throw new InputError(`${field}.${key}`, 'is not a known setting (deadlineDays, pausingCategories, teams)');
    }
  }
  const deadlineDays = { ...defaultComplaintRules.deadlineDays };
  if (root.deadlineDays !== undefined) {
    for (const [category, days] of Object.entries(objectOf(root.deadlineDays, `${field}.deadlineDays`))) {
      const at = `${field}.deadlineDays.${category}`;
      parseComplaintCategory(category, at);
      if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > complaintLimits.deadlineDaysMax) {
        throw new InputError(
          at,
          `must be a whole number of days 1–${complaintLimits.deadlineDaysMax}, got ${quote(days)}`,
        );
      }
      deadlineDays[category as ComplaintCategory] = days;
    }
  }
  let pausingCategories = defaultComplaintRules.pausingCategories;
  if (root.pausingCategories !== undefined) {
    if (!Array.isArray(root.pausingCategories)) {
      throw new InputError(
        `${field}.pausingCategories`,
        `must be a list of categories, got ${quote(root.pausingCategories)}`,
      );
    }
    pausingCategories = root.pausingCategories.map((item, index) =>
      parseComplaintCategory(item, `${field}.pausingCategories[${index}]`),
    );
  }
  const teams = { ...defaultComplaintRules.teams };
  if (root.teams !== undefined) {
    for (const [category, team] of Object.entries(objectOf(root.teams, `${field}.teams`))) {
      const at = `${field}.teams.${category}`;
      parseComplaintCategory(category, at);
      if (typeof team !== 'string' || !/^[a-z][a-z0-9_]{0,31}$/.test(team)) {
        throw new InputError(at, `must be a team name in lower snake case, got ${quote(team)}`);
      }
      teams[category as ComplaintCategory] = team;
    }
  }
  return { deadlineDays, pausingCategories, teams };
}

export function parseComplaintCategory(value: unknown, field = 'category'): ComplaintCategory {
  if (typeof value !== 'string' || !(complaintCategories as readonly string[]).includes(value)) {
    throw new InputError(field, `must be one of ${complaintCategories.join(', ')}, got ${quote(value)}`);
  }
  return value as ComplaintCategory;
}

export interface Complaint {
  borrowerId: string;
  complaintId: string;
  loanId: string | null;
  /** The collection case open when it was raised, if any. */
  caseId: string | null;
  source: ComplaintSource;
  /** The borrower's id, or the agent's who recorded it. */
  raisedBy: string;
  category: ComplaintCategory;
  text: string;
  status: ComplaintStatus;
  team: string;
  openedAtMs: number;
  deadlineAtMs: number;
  /** The reason of the contact pause this complaint holds until reviewed; null when it pauses nothing. */
  pauseReason: string | null;
  reviewedAtMs: number | null;
  reviewedBy: string | null;
  reviewNote: string | null;
  closedAtMs: number | null;
  closedBy: string | null;
  resolution: string | null;
}

export interface OpenComplaintInput {
  complaintId: string;
  borrowerId: string;
  loanId?: string | null;
  caseId?: string | null;
  source: ComplaintSource;
  raisedBy: string;
  category: ComplaintCategory;
  text: string;
  atMs: number;
  /** The pause this complaint holds; default `complaint:<complaintId>` (a disputed call passes "dispute"). */
  pauseReason?: string;
}

function text(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.trim().length === 0)
    throw new InputError(field, `must be some text, got ${quote(value)}`);
  const trimmed = value.trim();
  if (trimmed.length > max) throw new InputError(field, `must be at most ${max} characters, got ${trimmed.length}`);
  return trimmed;
}

function isActivePause(state: BorrowerContactState, reason: string, atMs: number): boolean {
  return state.pauses.some((p) => p.reason === reason && p.fromMs <= atMs && (p.untilMs === null || atMs < p.untilMs));
}

/**
 * Opens a complaint: deadline and team from the rules, and a pause of collection contact when the
 * category pauses and the policy says so (not added twice when the same pause is active already).
 */
export function openComplaint(
  input: OpenComplaintInput,
  context: { rules: ComplaintRules; policy: PolicyPack; state: BorrowerContactState },
): { complaint: Complaint; state: BorrowerContactState; paused: boolean } {
  const { rules, policy } = context;
  const category = parseComplaintCategory(input.category);
  if (!(complaintSources as readonly string[]).includes(input.source)) {
    throw new InputError('source', `must be one of ${complaintSources.join(', ')}, got ${quote(input.source)}`);
  }
  const body = text(input.text, 'text', complaintLimits.textLengthMax);
  const pauses = policy.pauseOnComplaint && rules.pausingCategories.includes(category);
  const pauseReason = pauses ? (input.pauseReason ?? `complaint:${input.complaintId}`) : null;
  let state = context.state;
  if (pauseReason !== null && !isActivePause(state, pauseReason, input.atMs)) {
    state = applyContactEvent(state, { type: 'complaint', reason: pauseReason }, { atMs: input.atMs, policy }).state;
  }
  return {
    complaint: {
      borrowerId: input.borrowerId,
      complaintId: input.complaintId,
      loanId: input.loanId ?? null,
      caseId: input.caseId ?? null,
      source: input.source,
      raisedBy: input.raisedBy,
      category,
      text: body,
      status: 'open',
      team: rules.teams[category],
      openedAtMs: input.atMs,
      deadlineAtMs: input.atMs + rules.deadlineDays[category] * msPerDay,
      pauseReason,
      reviewedAtMs: null,
      reviewedBy: null,
      reviewNote: null,
      closedAtMs: null,
      closedBy: null,
      resolution: null,
    },
    state,
    paused: pauseReason !== null,
  };
}

export type ComplaintRejectionCode = 'complaint_not_open' | 'complaint_closed';

export type ComplaintTransition =
  | { ok: true; complaint: Complaint; state: BorrowerContactState; lifted: boolean }
  | { ok: false; code: ComplaintRejectionCode; reason: string };

/** Lifts the complaint's pause unless another complaint still waiting for review holds the same one. */
function liftIfLast(
  complaint: Complaint,
  state: BorrowerContactState,
  others: readonly Complaint[],
  atMs: number,
  policy: PolicyPack,
): { state: BorrowerContactState; lifted: boolean } {
  const reason = complaint.pauseReason;
  if (reason === null) return { state, lifted: false };
  const stillHeld = others.some(
    (other) => other.complaintId !== complaint.complaintId && other.status === 'open' && other.pauseReason === reason,
  );
  if (stillHeld || !isActivePause(state, reason, atMs)) return { state, lifted: false };
  return { state: applyContactEvent(state, { type: 'pause_lifted', reason }, { atMs, policy }).state, lifted: true };
}

/** Someone reviewed the complaint: its pause of collection contact is lifted. */
export function reviewComplaint(
  complaint: Complaint,
  review: { by: string; atMs: number; note?: string },
  context: { state: BorrowerContactState; others: readonly Complaint[]; policy: PolicyPack },
): ComplaintTransition {
  if (complaint.status !== 'open') {
    return {
      ok: false,
      code: 'complaint_not_open',
      reason: `complaint ${complaint.complaintId} is ${complaint.status} already`,
    };
  }
  const note = review.note === undefined ? null : text(review.note, 'note', complaintLimits.resolutionLengthMax);
  const lifted = liftIfLast(complaint, context.state, context.others, review.atMs, context.policy);
  return {
    ok: true,
    complaint: { ...complaint, status: 'reviewed', reviewedAtMs: review.atMs, reviewedBy: review.by, reviewNote: note },
    ...lifted,
  };
}

/** Closes the complaint with its resolution (reviewing it first if nobody had). */
export function closeComplaint(
  complaint: Complaint,
  close: { by: string; atMs: number; resolution: string },
  context: { state: BorrowerContactState; others: readonly Complaint[]; policy: PolicyPack },
): ComplaintTransition {
  if (complaint.status === 'closed') {
    return { ok: false, code: 'complaint_closed', reason: `complaint ${complaint.complaintId} is closed already` };
  }
  const resolution = text(close.resolution, 'resolution', complaintLimits.resolutionLengthMax);
  let reviewed = complaint;
  let state = context.state;
  let lifted = false;
  if (complaint.status === 'open') {
    const review = reviewComplaint(complaint, { by: close.by, atMs: close.atMs }, context);
    if (!review.ok) return review;
    ({ complaint: reviewed, state, lifted } = review);
  }
  return {
    ok: true,
    complaint: { ...reviewed, status: 'closed', closedAtMs: close.atMs, closedBy: close.by, resolution },
    state,
    lifted,
  };
}

export interface ComplaintBreach {
  borrowerId: string;
  complaintId: string;
  team: string;
  category: ComplaintCategory;
  deadlineAtMs: number;
  /** Whole hours past the deadline. */
  overdueHours: number;
}

/** Complaints past their deadline and not closed, most overdue first (then by borrower and id). */
export function complaintBreaches(complaints: readonly Complaint[], nowMs: number): ComplaintBreach[] {
  return complaints
    .filter((c) => c.status !== 'closed' && c.deadlineAtMs < nowMs)
    .map((c) => ({
      borrowerId: c.borrowerId,
      complaintId: c.complaintId,
      team: c.team,
      category: c.category,
      deadlineAtMs: c.deadlineAtMs,
      overdueHours: Math.floor((nowMs - c.deadlineAtMs) / 3_600_000),
    }))
    .sort(
      (a, b) =>
        a.deadlineAtMs - b.deadlineAtMs ||
        (a.borrowerId < b.borrowerId ? -1 : a.borrowerId > b.borrowerId ? 1 : 0) ||
        (a.complaintId < b.complaintId ? -1 : a.complaintId > b.complaintId ? 1 : 0),
    );
}

function objectOf(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(field, `must be an object, got ${quote(value)}`);
  }
  return value as Record<string, unknown>;
}
