// `kuan simulate --scenario FILE` end to end: JSON Lines in time order through the real binary, the
// same bytes on a second run, and the bad-input contract (exit 2, one line naming the field's path).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectBadInput, runBinary, runInProcess } from '../cli/support.ts';

const dir = mkdtempSync(join(tmpdir(), 'kuan-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function scenarioFile(name: string, patch: (json: Record<string, unknown>) => void = () => undefined): string {
  const json: Record<string, unknown> = {
    start: '2026-03-01',
    days: 30,
    policy: 'cn-2026',
    strategy: 'default',
    borrowers: [{ id: 'B1', timezone: 'Asia/Shanghai', locale: 'zh-CN' }],
    loans: [
      {
        id: 'L1',
        borrowerId: 'B1',
        terms: { principal: '5000.00', currency: 'CNY', annualRate: '0.12', termCount: 18, startDate: '2026-02-15' },
        servicing: { graceDays: 3, penaltyAnnualRate: '0.18', autoDebit: false },
      },
    ],
    events: [
      { at: '2026-03-16T10:00:00+08:00', type: 'payment', loanId: 'L1', amount: '500.00' },
      { at: '2026-03-20T09:00:00+08:00', type: 'hold', borrowerId: 'B1', days: 14, reason: 'illness' },
      { at: '2026-03-22T09:00:00+08:00', type: 'promise_to_pay', loanId: 'L1', amount: '305.00', date: '2026-03-25' },
      { at: '2026-03-24T09:00:00+08:00', type: 'opt_out', borrowerId: 'B1', channel: 'email' },
    ],
  };
  patch(json);
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(json));
  return file;
}

describe('kuan simulate through the real binary', () => {
  it('prints valid JSON Lines in time order, the same bytes every run', () => {
    const file = scenarioFile('good.json');
    const result = runBinary(['simulate', '--scenario', file]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(result.stdout.endsWith('\n')).toBe(true);
    const objects = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(objects.filter((line) => line.kind === 'loan_day')).toHaveLength(30);
    const payment = objects.find((line) => line.kind === 'payment');
    expect(payment).toMatchObject({
      at: '2026-03-16T10:00:00+08:00',
      loanId: 'L1',
      amount: '500.00',
      result: 'posted',
    });
    // Time order: the payment on 2026-03-16 sits between that day's predecessor and its own loan_day
    // (contact lines of that day may come between them, in time order too).
    const ledger = objects.filter((line) => line.kind !== 'contact');
    const at = ledger.indexOf(payment as Record<string, unknown>);
    expect(ledger[at - 1]).toMatchObject({ kind: 'loan_day', date: '2026-03-15' });
    expect(ledger[at + 1]).toMatchObject({ kind: 'loan_day', date: '2026-03-16', dpd: 0, delinquent: false });
    // Every line with an instant is no earlier than the previous one's day.
    const dayOf = (line: Record<string, unknown>) => String(line.at ?? line.date).slice(0, 10);
    for (let index = 1; index < objects.length; index += 1) {
      expect(
        dayOf(objects[index] as Record<string, unknown>) >= dayOf(objects[index - 1] as Record<string, unknown>),
      ).toBe(true);
    }
    const again = runInProcess(['simulate', '--scenario', file]);
    return again.then((second) => expect(second.stdout).toBe(result.stdout));
  });

  it('rejects a bad scenario with exit 2 and one line naming the field', () => {
    const file = scenarioFile('bad.json', (json) => {
      ((json.loans as Record<string, Record<string, unknown>>[])[0]?.terms as Record<string, unknown>).principal = '-5';
    });
    expectBadInput(runBinary(['simulate', '--scenario', file]), 'loans[0].terms.principal', expect);
  });

  it('names the event whose type is unknown, and a missing --scenario', async () => {
    const file = scenarioFile('type.json', (json) => {
      (json.events as Record<string, unknown>[]).push({ at: '2026-03-24T09:00:00+08:00', type: 'teleport' });
    });
    expectBadInput(await runInProcess(['simulate', '--scenario', file]), 'events[4].type', expect);
    expectBadInput(await runInProcess(['simulate']), '--scenario', expect);
    expectBadInput(await runInProcess(['simulate', '--scenario', join(dir, 'missing.json')]), '--scenario', expect);
  });
});
