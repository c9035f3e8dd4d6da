import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

describe('kuan demo (through the real bin, on embedded PGlite)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kuan-demo-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('seeds a book, services it day by day and prints the book by bucket', () => {
    const { DATABASE_URL: _ignored, ...env } = process.env;
    const run = spawnSync('node', ['bin/kuan.js', 'demo', '--loans', '60', '--days', '5'], {
      env: { ...env, KUAN_DATA_DIR: dataDir },
      encoding: 'utf8',
    });
    expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Kuan demo: 60 loans serviced/);
    expect(run.stdout).toMatch(/payments posted: [1-9]\d*/);
    const loansInSummary = [...run.stdout.matchAll(/^\s+M\S+\s+\S+\s+(\d+)$/gm)].reduce(
      (sum, m) => sum + Number(m[1]),
      0,
    );
    expect(loansInSummary).toBe(60);
  });

  it('refuses a bad option with exit code 2 and one line naming it', () => {
    const run = spawnSync('node', ['bin/kuan.js', 'demo', '--loans', 'many'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^--loans: /);
  });
});
