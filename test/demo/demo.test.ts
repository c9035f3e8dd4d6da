import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

describe('kuan demo (through the real bin, on embedded PGlite)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kuan-demo-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('seeds a book, services it day by day and prints the book by bucket', () => {
    const { DATABASE_URL: _ignored, ...env } = process.env;
    const run = spawnSync('node', ['bin/kuan.js', 'demo', '--loans', '60', '--days', '5', '--no-serve'], {
      env: { ...env, KUAN_DATA_DIR: dataDir },
      encoding: 'utf8',
    });
    expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Kuan demo: 60 loans serviced/);
    expect(run.stdout).toMatch(/payments posted: [1-9]\d*/);
    expect(run.stdout).toMatch(/contacts: [1-9]\d* sent, \d+ held back by the compliance gate/);
    const loansInSummary = [...run.stdout.matchAll(/^\s+M\S+\s+\S+\s+(\d+)$/gm)].reduce(
      (sum, m) => sum + Number(m[1]),
      0,
    );
    expect(loansInSummary).toBe(60);
  });

  it('then serves the API (and the console when built) with staff and borrower logins', async () => {
    const { DATABASE_URL: _ignored, ...env } = process.env;
    const child = spawn('node', ['bin/kuan.js', 'demo', '--loans', '40', '--days', '3', '--port', '0'], {
      env: { ...env, KUAN_DATA_DIR: mkdtempSync(join(tmpdir(), 'kuan-demo-serve-')) },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    try {
      const url = await new Promise<string>((resolveUrl, reject) => {
        const timer = setInterval(() => {
          const match = /console: (http:\/\/\S+)\/console/.exec(stdout);
          if (match) {
            clearInterval(timer);
            resolveUrl(match[1] as string);
          }
        }, 100);
        child.on('exit', (code) => {
          clearInterval(timer);
          reject(new Error(`demo exited with ${code}: ${stdout}`));
        });
      });
      expect(stdout).toMatch(/staff logins \(password \S+\): admin, supervisor, collector, compliance/);
      const signIn = await fetch(`${url}/api/v1/auth/staff/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'supervisor', password: /password (\S+)\)/.exec(stdout)?.[1] }),
      });
      expect(signIn.status).toBe(200);
      // The book was built by the production day, one business date after another.
      const { token } = (await signIn.json()) as { token: string };
      const days = await fetch(`${url}/api/v1/day-runs?days=1000`, { headers: { authorization: `Bearer ${token}` } });
      const runs = ((await days.json()) as { items: { status: string; stages: unknown[] }[] }).items;
      expect(runs.length).toBeGreaterThanOrEqual(3);
      expect(runs.every((run) => run.status === 'completed' && run.stages.length === 7)).toBe(true);
      const openapi = await fetch(`${url}/openapi.json`);
      expect(openapi.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
  }, 120_000);

  it('refuses a bad option with exit code 2 and one line naming it', () => {
    const run = spawnSync('node', ['bin/kuan.js', 'demo', '--loans', 'many'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^--loans: /);
  });
});
