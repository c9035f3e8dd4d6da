// `kuan payments reverse`: a payment taken back from the command line re-opens the installment it paid
// (the loan's DPD as of the reversal date), prints one JSON object, answers a repeat under the same key
// with the first answer, and refuses — exit 2, one line naming the flag and the code — another request
// under the key, a second reversal, an unknown payment and a reason outside the vocabulary. A dry run
// writes nothing.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';
import { postPayment, readLoanState } from '../../src/app/index.ts';
import { freshDatabase, type FreshDatabase } from './support.ts';

let folder: string;
let database: FreshDatabase;
let env: Record<string, string>;
let paymentId: string;

async function kuan(argv: string[]) {
  const io = memoryIo('', { env });
  const code = await main(argv, io);
  return { code, stdout: io.stdoutText(), stderr: io.stderrText() };
}

async function loanState() {
  const db = await database.open();
  try {
    return (await readLoanState(db, 'L1'))?.state;
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kuan-reverse-cli-'));
  database = await freshDatabase('kuan_reverse_cli', join(folder, 'data'));
  env = { ...database.env };
  const file = join(folder, 'loans.csv');
  await writeFile(
    file,
    'borrower_id,timezone,loan_id,principal,annual_rate,term_count,start_date\nB1,Asia/Shanghai,L1,1200.00,0.12,12,2026-01-10\n',
  );
  expect((await kuan(['import', 'loans', file])).code).toBe(0);
  const db = await database.open();
  try {
    const paid = await postPayment(db, {
      loanId: 'L1',
      amountMinor: 10_662n,
      on: '2026-02-05',
      source: 'manual',
      idempotencyKey: 'seed',
    });
    if (paid.outcome !== 'posted') throw new Error(JSON.stringify(paid));
    paymentId = paid.paymentId;
  } finally {
    await db.close();
  }
});

afterAll(async () => {
  await database?.drop();
  await rm(folder, { recursive: true, force: true });
});

describe('kuan payments reverse', () => {
  it('reverses a payment, re-opening the installment it paid, and answers a repeat with the first answer', async () => {
    const args = ['payments', 'reverse', '--payment', paymentId, '--reason', 'returned_nsf', '--on', '2026-03-01'];
    const dry = await kuan([...args, '--key', 'k1', '--dry-run']);
    expect(dry.stderr).toBe('');
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, status: 'reversed', after: { dpd: 19 } });
    expect((await loanState())?.dpd).toBe(0);

    const first = await kuan([...args, '--key', 'k1']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const receipt = JSON.parse(first.stdout) as Record<string, unknown>;
    expect(receipt).toMatchObject({
      status: 'reversed',
      paymentId,
      loanId: 'L1',
      reason: 'returned_nsf',
      on: '2026-03-01',
      replayed: false,
      before: { dpd: 0 },
      after: { dpd: 19, status: 'overdue' },
    });
    expect(await loanState()).toMatchObject({ dpd: 19, closedThrough: '2026-03-01' });

    const again = await kuan([...args, '--key', 'k1']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ ...receipt, replayed: true });
  });

  it('refuses with exit 2 and one line naming the flag and the code', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['--payment', paymentId, '--reason', 'duplicate', '--key', 'k1', '--on', '2026-03-01'],
        /^--key: .*\[idempotency_key_reused\]\n$/,
      ],
      [
        ['--payment', paymentId, '--reason', 'duplicate', '--key', 'k2'],
        /^--payment: .*\[payment_already_reversed\]\n$/,
      ],
      [['--payment', 'P-none', '--reason', 'duplicate', '--key', 'k3'], /^--payment: .*\[payment_not_found\]\n$/],
      [['--payment', paymentId, '--reason', 'because', '--key', 'k4'], /^--reason: /],
      [['--payment', paymentId, '--reason', 'duplicate'], /^--key: is required/],
    ];
    for (const [flags, line] of cases) {
      const refused = await kuan(['payments', 'reverse', ...flags]);
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toMatch(line);
    }
  });
});
