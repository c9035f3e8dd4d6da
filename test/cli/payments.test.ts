// `kuan payments reconcile|unapplied`: a portal payment whose provider answer was lost (the process died
// after the debit) is finished from the command line — posted once, never debited twice — and the
// unapplied-money listing shows nothing owed back; reconcile without a provider is bad input naming it.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpPaymentProvider, type PaymentProvider } from '../../src/channels/payments/index.ts';
import { memoryIo } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';
import { payByBorrower } from '../../src/app/portal-payments.ts';
import { listLoanPayments, openDatabase } from '../../src/store/index.ts';
import { startFakePaymentProvider, type FakePaymentProvider } from '../support/payment-provider-server.ts';

let provider: FakePaymentProvider;
let folder: string;

beforeAll(async () => {
  provider = await startFakePaymentProvider();
  folder = await mkdtemp(join(tmpdir(), 'kuan-payments-cli-'));
});

afterAll(async () => {
  await provider.close();
  await rm(folder, { recursive: true, force: true });
});

async function kuan(argv: string[], env: Record<string, string>) {
  const io = memoryIo('', { env });
  const code = await main(argv, io);
  return { code, stdout: io.stdoutText(), stderr: io.stderrText() };
}

describe('kuan payments', () => {
  it('reconcile posts a portal payment whose debit answer was lost, once; unapplied lists nothing owed', async () => {
    const file = join(folder, 'loans.csv');
    await writeFile(
      file,
      'borrower_id,timezone,loan_id,principal,annual_rate,term_count,start_date\nB1,Asia/Shanghai,L1,1200.00,0.12,12,2026-01-10\n',
    );
    const env = { KUAN_DATA_DIR: join(folder, 'data') };
    expect((await kuan(['import', 'loans', file], env)).code).toBe(0);
    provider.setBalance('B1', 1_000_000n);
    const http = createHttpPaymentProvider({ baseUrl: provider.url });
    const lostAnswer: PaymentProvider = {
      async debit(request) {
        await http.debit(request);
        throw new Error('process killed');
      },
    };
    const db = await openDatabase({ dataDir: env.KUAN_DATA_DIR });
    try {
      const first = await payByBorrower(lostAnswer)(
        { db, actor: { kind: 'borrower', id: 'B1' }, nowMs: 0 },
        {
          idempotencyKey: 'api:B1:k1',
          input: { borrowerId: 'B1', loanId: 'L1', amountMinor: 5_000n, today: '2026-02-10' },
        },
      );
      expect(first).toMatchObject({ ok: true, value: { outcome: 'unknown' } });
    } finally {
      await db.close();
    }

    const reconciled = await kuan(
      ['payments', 'reconcile', '--older-than', '0', '--payment-provider', provider.url],
      env,
    );
    expect(reconciled.stderr).toBe('');
    expect(reconciled.stdout).toMatch(/1 open, 1 posted/);
    expect(reconciled.code).toBe(0);
    const again = await kuan(['payments', 'reconcile', '--older-than', '0', '--payment-provider', provider.url], env);
    expect(again.stdout).toMatch(/0 open/);
    expect(provider.balanceOf('B1')).toBe(995_000n);

    const listed = await kuan(['payments', 'unapplied', '--format', 'json'], env);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([]);
    const check = await openDatabase({ dataDir: env.KUAN_DATA_DIR });
    try {
      expect(await listLoanPayments(check, { borrowerId: 'B1', loanId: 'L1' })).toHaveLength(1);
    } finally {
      await check.close();
    }
  });

  it('refuses reconcile without a provider, naming the flag', async () => {
    const result = await kuan(['payments', 'reconcile'], { KUAN_DATA_DIR: join(folder, 'data') });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^--payment-provider: is required/);
  });
});
