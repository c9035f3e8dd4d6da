// `kuan contacts dispatch|verify` on a server database (DATABASE_URL) without KUAN_CODE_SECRET: exit 2 and
// one line naming KUAN_CODE_SECRET, before any database is opened — the development secret is public and
// contact ids are guessable, so codes signed with it could be forged. With the secret (or on the embedded
// database of a local trial, without it) they run.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kuan-code-secret-'));
});
afterAll(async () => rm(folder, { recursive: true, force: true }));

async function kuan(argv: string[], env: Record<string, string>) {
  const io = memoryIo('', { env });
  const code = await main(argv, io);
  return { code, stdout: io.stdoutText(), stderr: io.stderrText() };
}

// A server nobody listens on: the refusal must come before any connection is tried.
const serverDatabase = { DATABASE_URL: 'postgres://kuan@127.0.0.1:1/kuan' };

describe('the verification-code secret', () => {
  it.each([[['contacts', 'dispatch']], [['contacts', 'verify', 'K7Q2M9']]])(
    'is required by %j on a server database',
    async (argv) => {
      const result = await kuan(argv, serverDatabase);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^KUAN_CODE_SECRET: is required with DATABASE_URL/);
    },
  );

  it('must be at least 16 characters when given', async () => {
    const result = await kuan(['contacts', 'dispatch'], { ...serverDatabase, KUAN_CODE_SECRET: 'short' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^KUAN_CODE_SECRET: must be at least 16 characters/);
  });

  it('is optional on the embedded database of a local trial', async () => {
    const result = await kuan(['contacts', 'dispatch'], { KUAN_DATA_DIR: join(folder, 'data') });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});
