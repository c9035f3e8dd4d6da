// Champion/challenger: which arm a borrower is on, and how the arms compare. The arm is a pure function of
// the experiment's name and the borrower's id (SHA-256, first four bytes, modulo 100), so it never depends
// on the order borrowers are planned in, survives restarts, and moves a borrower only when the experiment
// is renamed. Rates are decimal strings, as every rate in Kuan's JSON.
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { invariant } from '../../errors/index.ts';
import { divideRounded } from '../../money/index.ts';

export type Arm = 'champion' | 'challenger';

/** The borrower's slot 0..99 in an experiment: the same slot on every machine, for ever. */
export function armSlot(borrowerId: string, experimentName: string): number {
  // The separator keeps ("ab","c") and ("a","bc") apart.
  const digest = sha256(utf8ToBytes(`${experimentName}\u0000${borrowerId}`));
  const [b0 = 0, b1 = 0, b2 = 0, b3 = 0] = digest;
  // 2^32 mod 100 = 96: the bias towards low slots is below one in 40 million.
  return (((b0 << 24) | (b1 << 16) | (b2 << 8) | b3) >>> 0) % 100;
}

/** Challenger when the borrower's slot is below `challengerPercent` (0 → nobody, 100 → everybody). */
export function assignArm(borrowerId: string, experimentName: string, challengerPercent: number): Arm {
  invariant(
    Number.isInteger(challengerPercent) && challengerPercent >= 0 && challengerPercent <= 100,
    `challengerPercent ${challengerPercent} is not a whole percent`,
  );
  return armSlot(borrowerId, experimentName) < challengerPercent ? 'challenger' : 'champion';
}

/** One planned contact's outcome, as the console collects it. */
export interface ArmOutcome {
  arm: Arm;
  status: 'sent' | 'suppressed';
  /** Whether the borrower paid within the experiment's window; absent while not yet known. */
  paidWithinDays?: boolean;
}

export interface ArmSummary {
  arm: Arm;
  intents: number;
  sent: number;
  suppressed: number;
  /** sent / intents, 4 decimals; null without intents. */
  sentRate: string | null;
  /** Intents whose payment outcome is known. */
  outcomesKnown: number;
  paid: number;
  /** paid / outcomesKnown, 4 decimals; null while no outcome is known. */
  paidRate: string | null;
}

export interface ArmComparison {
  champion: ArmSummary;
  challenger: ArmSummary;
  /** challenger paidRate − champion paidRate, 4 decimals; null unless both are known. */
  paidRateLift: string | null;
}

/** numerator / denominator as a decimal string with 4 places, rounded half-up; null for 0/0. */
function rate(numerator: bigint, denominator: bigint): string | null {
  if (denominator === 0n) return null;
  const scaled = divideRounded(numerator * 10_000n, denominator, 'half_up');
  const negative = scaled < 0n;
  const text = (negative ? -scaled : scaled).toString().padStart(5, '0');
  return `${negative ? '-' : ''}${text.slice(0, -4)}.${text.slice(-4)}`;
}

function summarize(arm: Arm, records: readonly ArmOutcome[]): ArmSummary {
  let sent = 0;
  let outcomesKnown = 0;
  let paid = 0;
  for (const record of records) {
    if (record.status === 'sent') sent += 1;
    if (record.paidWithinDays !== undefined) {
      outcomesKnown += 1;
      if (record.paidWithinDays) paid += 1;
    }
  }
  return {
    arm,
    intents: records.length,
    sent,
    suppressed: records.length - sent,
    sentRate: rate(BigInt(sent), BigInt(records.length)),
    outcomesKnown,
    paid,
    paidRate: rate(BigInt(paid), BigInt(outcomesKnown)),
  };
}

/** Per-arm counts and rates of planned contacts and of payment after them, for the console. */
export function armResults(records: Iterable<ArmOutcome>): ArmComparison {
  const byArm: Record<Arm, ArmOutcome[]> = { champion: [], challenger: [] };
  for (const record of records) byArm[record.arm].push(record);
  const champion = summarize('champion', byArm.champion);
  const challenger = summarize('challenger', byArm.challenger);
  let paidRateLift: string | null = null;
  if (champion.outcomesKnown > 0 && challenger.outcomesKnown > 0) {
    // Exact: (p1·n0 − p0·n1) / (n0·n1), rounded once.
    const n0 = BigInt(champion.outcomesKnown);
    const n1 = BigInt(challenger.outcomesKnown);
    paidRateLift = rate(BigInt(challenger.paid) * n0 - BigInt(champion.paid) * n1, n0 * n1);
  }
  return { champion, challenger, paidRateLift };
}
