// `kuan eod --payment-provider URL`: the command line presents due auto-debits to a real payment provider
// over HTTP (a local server speaking docs/payment-provider.md) and posts what it collects; a rerun of the
// date presents nothing twice.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePaymentProvider, type FakePaymentProvider } from '../support/payment-provider-server.ts';
import { runInProcess } from './support.ts';
import { main } from '../../src/cli/main.ts';
import { memoryIo } from '../../src/cli/io.ts';

let provider: FakePaymentProvider;
let folder: string;

beforeAll(async () => {
  provider = await startFakePaymentProvider();
  folder = await mkdtemp(join(tmpdir(), 'kuan-eod-provider-'));
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

describe('kuan eod --payment-provider', () => {
  it('presents auto-debits on the due date to the provider, once', async () => {
    const csv = [
      'borrower_id,timezone,loan_id,principal,annual_rate,term_count,start_date,auto_debit',
      'B1,Asia/Shanghai,L1,1200.00,0.12,12,2026-01-10,true',
      'B2,Asia/Shanghai,L2,1200.00,0.12,12,2026-01-10,true',
      'B3,Asia/Shanghai,L3,1200.00,0.12,12,2026-01-10,false',
    ].join('\n');
    const file = join(folder, 'loans.csv');
    await writeFile(file, `${csv}\n`);
    const env = { KUAN_DATA_DIR: join(folder, 'data') };
    const imported = await kuan(['import', 'loans', file], env);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    provider.setBalance('B1', 1_000_000n);
    provider.setBalance('B2', 0n);

    const close = await kuan(['eod', '--date', '2026-02-10', '--payment-provider', provider.url], env);
    expect(close.stderr).toBe('');
    expect(close.code).toBe(0);
    const accounts = provider.requests.map((request) => request.account).sort();
    expect(accounts).toEqual(['B1', 'B2']);
    expect(provider.requests.find((request) => request.account === 'B1')?.amount).toBe('106.62');

    const again = await kuan(['eod', '--date', '2026-02-10', '--payment-provider', provider.url], env);
    expect(again.code).toBe(0);
    expect(new Set(provider.requests.map((request) => request.idempotencyKey)).size).toBe(2);
  });

  it('names --payment-provider when it is not an http(s) URL', async () => {
    const result = await runInProcess(['eod', '--date', '2026-02-10', '--payment-provider', 'ftp://x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^--payment-provider: must be an http\(s\) URL/);
  });
});
