// Helpers for CLI tests: run `main` in-process with a memory io, or spawn the real `bin/kuan.js`.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.ts';
import { memoryIo } from '../../src/cli/io.ts';
import { adminQuery, openDatabase, type Database } from '../../src/store/index.ts';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The PostgreSQL server the tests run on (DATABASE_URL), or undefined on PGlite. */
export const adminUrl = process.env.DATABASE_URL?.trim() || undefined;

export interface FreshDatabase {
  /** What points `kuan` at it: DATABASE_URL or KUAN_DATA_DIR, the other one empty. */
  env: { DATABASE_URL: string; KUAN_DATA_DIR: string };
  /** Opens it in the test process (on PGlite only while no `kuan` process holds the folder). */
  open(): Promise<Database>;
  /** Drops the PostgreSQL database; the PGlite folder is the caller's to remove. */
  drop(): Promise<void>;
}

/**
 * A database no test has touched, for `kuan` commands and binaries: with DATABASE_URL a new PostgreSQL
 * database `<prefix>_<random>` on that server, else an embedded one in `dataDir` (created on first open).
 */
export async function freshDatabase(prefix: string, dataDir: string): Promise<FreshDatabase> {
  if (adminUrl === undefined) {
    return {
      env: { DATABASE_URL: '', KUAN_DATA_DIR: dataDir },
      open: () => openDatabase({ dataDir }),
      drop: async () => undefined,
    };
  }
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  return {
    env: { DATABASE_URL: databaseUrl, KUAN_DATA_DIR: '' },
    open: () => openDatabase({ databaseUrl, poolSize: 2 }),
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `kuan <argv>` in this process, with `stdin` as standard input and `env` as its environment. */
export async function runInProcess(argv: string[], stdin = '', env: Record<string, string> = {}): Promise<CliResult> {
  const io = memoryIo(stdin, { env });
  const code = await main(argv, io);
  return { code, stdout: io.stdoutText(), stderr: io.stderrText() };
}

/** `node bin/kuan.js <argv>` as a child process: proves the real binary's wiring (slow, use sparingly). */
export function runBinary(argv: string[], stdin = ''): CliResult {
  const result = spawnSync(process.execPath, ['bin/kuan.js', ...argv], {
    cwd: repoRoot,
    input: stdin,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (result.error) throw result.error;
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** The contract for bad input: exit 2, one line on stderr starting with the field, no stack, no stdout. */
export function expectBadInput(result: CliResult, field: string, expect: typeof import('vitest').expect): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr.endsWith('\n')).toBe(true);
  expect(result.stderr.split('\n')).toHaveLength(2); // one line, then the final newline
  expect(result.stderr.startsWith(`${field}: `), result.stderr).toBe(true);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
}

export interface ServeBinary {
  /** http://host:port of the listening server. */
  url: string;
  /** What it wrote on stderr so far. */
  stderr(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * `node bin/kuan.js serve --port 0 --log-level silent …args` on the database `env` names (an embedded
 * data folder or DATABASE_URL, never the test process's own): resolves once it listens.
 */
export async function startServeBinary(env: Record<string, string>, args: string[] = []): Promise<ServeBinary> {
  const child = spawn(process.execPath, ['bin/kuan.js', 'serve', '--port', '0', '--log-level', 'silent', ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env, KUAN_DATA_DIR: env.KUAN_DATA_DIR ?? '', DATABASE_URL: env.DATABASE_URL ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code, signal) => {
      if (code === null) process.stderr.write(`serve died of ${String(signal)}; stderr: ${stderr.slice(-3000)}\n`);
      resolve(code);
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on (http:\/\/[^ ]+)/.exec(stdout);
      if (match) resolve(match[1] as string);
    });
    void exited.then(() => reject(new Error(`serve exited: ${stderr}`)));
  });
  return {
    url,
    stderr: () => stderr,
    stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
