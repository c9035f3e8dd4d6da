// Champion/challenger arms: stable per borrower and experiment, close to the asked percentage, and the
// per-arm counts the console shows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { armResults, armSlot, assignArm, type ArmOutcome } from './experiment.ts';

describe('assignArm', () => {
  it('is a pure function of (borrower, experiment, percent)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.integer({ min: 0, max: 100 }), (borrowerId, name, percent) => {
        expect(assignArm(borrowerId, name, percent)).toBe(assignArm(borrowerId, name, percent));
      }),
    );
  });

  it('pins known slots (the hash must never change, or borrowers would switch arms)', () => {
    // Checked against node:crypto: sha256("spring\0B1") read as a big-endian uint32, modulo 100.
    expect([armSlot('B1', 'spring'), armSlot('B2', 'spring'), armSlot('B1', 'autumn')]).toEqual([75, 77, 52]);
  });

  it('sends 0 % to the champion, 100 % to the challenger, and is monotone in the percent', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 0, max: 99 }), (borrowerId, percent) => {
        expect(assignArm(borrowerId, 'e', 0)).toBe('champion');
        expect(assignArm(borrowerId, 'e', 100)).toBe('challenger');
        if (assignArm(borrowerId, 'e', percent) === 'challenger') {
          expect(assignArm(borrowerId, 'e', percent + 1)).toBe('challenger');
        }
      }),
    );
  });

  it('puts about the asked share on the challenger, independently per experiment', () => {
    const ids = Array.from({ length: 20_000 }, (_, index) => `B${index}`);
    for (const percent of [5, 20, 50]) {
      const share = ids.filter((id) => assignArm(id, 'exp', percent) === 'challenger').length / ids.length;
      expect(Math.abs(share - percent / 100)).toBeLessThan(0.015);
    }
    // A second experiment re-draws: its challengers are not the first one's.
    const both = ids.filter(
      (id) => assignArm(id, 'exp', 50) === 'challenger' && assignArm(id, 'exp2', 50) === 'challenger',
    );
    expect(Math.abs(both.length / ids.length - 0.25)).toBeLessThan(0.015);
  });

  it('does not depend on the order borrowers are seen in', () => {
    const ids = Array.from({ length: 200 }, (_, index) => `borrower-${index}`);
    const forward = new Map(ids.map((id) => [id, assignArm(id, 'x', 30)]));
    for (const id of [...ids].reverse()) expect(assignArm(id, 'x', 30)).toBe(forward.get(id));
  });
});

describe('armResults', () => {
  it('counts sent, suppressed and paid per arm, with rates as decimal strings', () => {
    const records: ArmOutcome[] = [
      { arm: 'champion', status: 'sent', paidWithinDays: true },
      { arm: 'champion', status: 'sent', paidWithinDays: false },
      { arm: 'champion', status: 'suppressed' },
      { arm: 'challenger', status: 'sent', paidWithinDays: true },
      { arm: 'challenger', status: 'suppressed', paidWithinDays: true },
      { arm: 'challenger', status: 'sent', paidWithinDays: false },
    ];
    const results = armResults(records);
    expect(results.champion).toEqual({
      arm: 'champion',
      intents: 3,
      sent: 2,
      suppressed: 1,
      sentRate: '0.6667',
      outcomesKnown: 2,
      paid: 1,
      paidRate: '0.5000',
    });
    expect(results.challenger.paidRate).toBe('0.6667');
    expect(results.paidRateLift).toBe('0.1667');
    expect(armResults([...records].reverse())).toEqual(results);
  });

  it('has null rates without data', () => {
    const results = armResults([{ arm: 'champion', status: 'sent' }]);
    expect(results.champion.paidRate).toBeNull();
    expect(results.challenger.sentRate).toBeNull();
    expect(results.paidRateLift).toBeNull();
  });

  it('gives a negative lift when the challenger does worse', () => {
    const results = armResults([
      { arm: 'champion', status: 'sent', paidWithinDays: true },
      { arm: 'challenger', status: 'sent', paidWithinDays: false },
      { arm: 'challenger', status: 'sent', paidWithinDays: true },
    ]);
    expect(results.paidRateLift).toBe('-0.5000');
  });
});
