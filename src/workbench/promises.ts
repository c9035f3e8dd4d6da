// Promise-kept rates: of the promises to pay that have been judged (the day after their date), how many
// were kept, partly kept or broken — overall, per agent who took them, and per segment (the loan's
// delinquency bucket when the report is made). Pure counting over promise records.

export type PromiseOutcome = 'open' | 'kept' | 'partly_kept' | 'broken';

export interface PromiseRecord {
  takenBy: string;
  segment: string;
  status: PromiseOutcome;
}

export interface PromiseTally {
  made: number;
  kept: number;
  partlyKept: number;
  broken: number;
  open: number;
  /** kept ÷ judged (kept + partly kept + broken), to four decimals; null while none is judged. */
  keptRate: string | null;
}

function emptyTally(): PromiseTally {
  return { made: 0, kept: 0, partlyKept: 0, broken: 0, open: 0, keptRate: null };
}

function add(tally: PromiseTally, status: PromiseOutcome): void {
  tally.made += 1;
  if (status === 'kept') tally.kept += 1;
  else if (status === 'partly_kept') tally.partlyKept += 1;
  else if (status === 'broken') tally.broken += 1;
  else tally.open += 1;
}

function finish(tally: PromiseTally): PromiseTally {
  const judged = tally.kept + tally.partlyKept + tally.broken;
  // Rounded half-up to 4 decimals in integer arithmetic (no float in a reported rate).
  const scaled = judged === 0 ? null : Math.floor((tally.kept * 20_000 + judged) / (2 * judged));
  const keptRate =
    scaled === null ? null : `${Math.floor(scaled / 10_000)}.${String(scaled % 10_000).padStart(4, '0')}`;
  return { ...tally, keptRate };
}

export interface PromiseKeptRates extends PromiseTally {
  byAgent: (PromiseTally & { agent: string })[];
  bySegment: (PromiseTally & { segment: string })[];
}

export function promiseKeptRates(records: Iterable<PromiseRecord>): PromiseKeptRates {
  const overall = emptyTally();
  const byAgent = new Map<string, PromiseTally>();
  const bySegment = new Map<string, PromiseTally>();
  for (const record of records) {
    add(overall, record.status);
    const agent = byAgent.get(record.takenBy) ?? emptyTally();
    add(agent, record.status);
    byAgent.set(record.takenBy, agent);
    const segment = bySegment.get(record.segment) ?? emptyTally();
    add(segment, record.status);
    bySegment.set(record.segment, segment);
  }
  const sorted = <T>(map: Map<string, PromiseTally>, label: (key: string) => T) =>
    [...map]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, tally]) => ({ ...label(key), ...finish(tally) }));
  return {
    ...finish(overall),
    byAgent: sorted(byAgent, (agent) => ({ agent })),
    bySegment: sorted(bySegment, (segment) => ({ segment })),
  };
}
