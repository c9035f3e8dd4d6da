// `kuan config check` through `main`: a valid configuration (environment, channels file, strategy, policy)
// prints one line per setting and exits 0; each kind of invalid setting exits 2 naming its field — a
// malformed DATABASE_URL, a channels file's field, a variable's format, a strategy or policy, a short secret — and
// --production refuses development defaults. `kuan serve --production` refuses --print-codes and a cookie
// without --secure-cookies before it opens anything. No database is opened: nothing here depends on the store.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectBadInput, runInProcess } from './support.ts';

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kuan-config-'));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

const kuan = (argv: string[], env: Record<string, string>) => runInProcess(argv, '', env);

const secret = 'a-lenders-own-secret-0123';
const production = {
  DATABASE_URL: 'postgres://kuan:pw@db.lender.example:5432/kuan',
  KUAN_CODE_SECRET: secret,
  KUAN_TIMEZONE: 'Asia/Shanghai',
  KUAN_DAY_CUTOFF: '05:30',
  KUAN_METRICS_TOKEN: 'scrape-token-0123456789',
  KUAN_REVERSAL_APPROVAL_ABOVE_MINOR: '500000',
  KUAN_PAYMENT_PROVIDER_URL: 'https://pay.lender.example',
  KUAN_PAYMENT_PROVIDER_KEY: 'provider-key',
  SMS_KEY: 'sms-api-key',
};

async function channelsFile(name: string, config: unknown): Promise<string> {
  const file = join(folder, name);
  await writeFile(file, JSON.stringify(config));
  return file;
}

describe('kuan config check', () => {
  it('prints one line per setting and exits 0 on a valid production configuration, never echoing a secret', async () => {
    const channels = await channelsFile('channels.json', {
      sms: { webhook: { url: 'https://sms.lender.example/v1/messages', apiKey: { env: 'SMS_KEY' } } },
      voice: { tasks: { outputFile: join(folder, 'calls.jsonl') } },
    });
    const result = await kuan(
      ['config', 'check', '--production', '--channels', channels, '--strategy', 'gentle', '--policy', 'cn-2026'],
      production,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.every((line) => line.startsWith('ok  '))).toBe(true);
    const names = lines.map((line) => line.split(/\s+/)[1]);
    expect(names).toEqual([
      'DATABASE_URL',
      'KUAN_CODE_SECRET',
      'KUAN_TIMEZONE',
      'KUAN_DAY_CUTOFF',
      'KUAN_EVENTS_FILE',
      'KUAN_METRICS_TOKEN',
      'KUAN_REVERSAL_APPROVAL_ABOVE_MINOR',
      'KUAN_LENDER_NAME',
      'KUAN_PAYMENT_PROVIDER_URL',
      '--production',
      '--channels',
      '--strategy',
      '--policy',
    ]);
    expect(result.stdout).toMatch(/DATABASE_URL\s+PostgreSQL at db\.lender\.example:5432/);
    expect(result.stdout).toMatch(/KUAN_TIMEZONE\s+Asia\/Shanghai/);
    expect(result.stdout).toMatch(/--channels\s+.*: sms, voice/);
    for (const hidden of [secret, 'pw', 'scrape-token-0123456789', 'provider-key', 'sms-api-key']) {
      expect(result.stdout).not.toContain(hidden);
    }
  });

  it('accepts an empty environment (a local trial) without --production', async () => {
    const result = await kuan(['config', 'check'], {});
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/KUAN_CODE_SECRET\s+unset: the development secret/);
  });

  it('names a malformed DATABASE_URL (exit 2) without echoing it', async () => {
    const result = await kuan(['config', 'check'], { ...production, DATABASE_URL: 'mysql://kuan:pw@db/kuan' });
    expectBadInput(result, 'DATABASE_URL', expect);
    expect(result.stderr).not.toContain('pw@');
  });

  it('names the channels file field that is invalid', async () => {
    const port = await channelsFile('bad-port.json', {
      email: { smtp: { host: 'smtp.lender.example', port: 0, from: 'notices@lender.example' } },
    });
    expectBadInput(await kuan(['config', 'check', '--channels', port], production), 'channels.email.smtp.port', expect);
    const unsetKey = await channelsFile('unset-key.json', {
      sms: { webhook: { url: 'https://sms.lender.example', apiKey: { env: 'NOT_SET_ANYWHERE' } } },
    });
    expectBadInput(
      await kuan(['config', 'check', '--channels', unsetKey], production),
      'channels.sms.webhook.apiKey',
      expect,
    );
  });

  it('names a bad variable, strategy or policy', async () => {
    expectBadInput(await kuan(['config', 'check'], { KUAN_DAY_CUTOFF: '25:00' }), 'KUAN_DAY_CUTOFF', expect);
    expectBadInput(await kuan(['config', 'check'], { KUAN_TIMEZONE: 'Mars/Olympus' }), 'KUAN_TIMEZONE', expect);
    expectBadInput(await kuan(['config', 'check'], { KUAN_METRICS_TOKEN: 'short' }), 'KUAN_METRICS_TOKEN', expect);
    expectBadInput(
      await kuan(['config', 'check'], { KUAN_PAYMENT_PROVIDER_URL: 'ftp://pay' }),
      'KUAN_PAYMENT_PROVIDER_URL',
      expect,
    );
    expectBadInput(await kuan(['config', 'check'], { KUAN_LENDER_NAME: 'Kuan' }), 'KUAN_LENDER_ADDRESS', expect);
    expectBadInput(await kuan(['config', 'check', '--strategy', 'nope'], {}), '--strategy', expect);
    expectBadInput(await kuan(['config', 'check', '--policy', 'nope'], {}), '--policy', expect);
    expectBadInput(await kuan(['config', 'validate'], {}), 'subcommand', expect);
  });

  it('refuses a short secret, and under --production a missing one or the default data folder', async () => {
    expectBadInput(
      await kuan(['config', 'check'], { ...production, KUAN_CODE_SECRET: 'short' }),
      'KUAN_CODE_SECRET',
      expect,
    );
    expectBadInput(
      await kuan(['config', 'check', '--production'], { KUAN_DATA_DIR: folder, KUAN_CODE_SECRET: 'short' }),
      'KUAN_CODE_SECRET',
      expect,
    );
    expectBadInput(
      await kuan(['config', 'check', '--production'], { KUAN_DATA_DIR: folder }),
      'KUAN_CODE_SECRET',
      expect,
    );
    expectBadInput(
      await kuan(['config', 'check', '--production'], { KUAN_CODE_SECRET: 'kuan-development-secret-change-me' }),
      'KUAN_DATA_DIR',
      expect,
    );
    expectBadInput(
      await kuan(['config', 'check', '--production'], {
        KUAN_DATA_DIR: folder,
        KUAN_CODE_SECRET: 'kuan-development-secret-change-me',
      }),
      'KUAN_CODE_SECRET',
      expect,
    );
    // The same embedded configuration passes without --production.
    expect((await kuan(['config', 'check'], { KUAN_DATA_DIR: folder })).code).toBe(0);
  });
});

describe('kuan serve --production', () => {
  const env = { KUAN_DATA_DIR: join(tmpdir(), 'kuan-never-opened'), KUAN_CODE_SECRET: secret };

  it('refuses --print-codes and a cookie without --secure-cookies, before opening anything', async () => {
    expectBadInput(
      await kuan(['serve', '--production', '--secure-cookies', '--print-codes'], env),
      '--print-codes',
      expect,
    );
    expectBadInput(await kuan(['serve', '--production', '--port', '0'], env), '--secure-cookies', expect);
    expectBadInput(
      await kuan(['serve', '--production', '--secure-cookies'], { KUAN_DATA_DIR: env.KUAN_DATA_DIR }),
      'KUAN_CODE_SECRET',
      expect,
    );
  });
});
