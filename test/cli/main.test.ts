// The `kuan` front door in-process: help, version, unknown commands and flags, the command registry,
// and the runner's mapping of errors to exit codes (2 for bad input, 1 for bugs, never a stack).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Command } from '../../src/cli/command.ts';
import { memoryIo } from '../../src/cli/io.ts';
import { main, version } from '../../src/cli/main.ts';
import { InputError } from '../../src/errors/index.ts';
import { expectBadInput, runInProcess } from './support.ts';

describe('kuan help and version', () => {
  it.each([['--help'], ['-h'], ['help']])('%s lists every command with its summary', async (flag) => {
    const result = await runInProcess([flag]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('usage: kuan <command> [options]');
    // Names are padded to the longest (experiments), then two spaces before the summary.
    expect(result.stdout).toMatch(/^ {2}schedule {5}LoanTerms JSON/m);
    expect(result.stdout).toMatch(/^ {2}experiments {2}champion\/challenger/m);
  });

  it('help for one command shows its usage and options', async () => {
    for (const argv of [
      ['help', 'schedule'],
      ['schedule', '--help'],
      ['schedule', '-h'],
    ]) {
      const result = await runInProcess(argv);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('usage: kuan schedule [--input FILE] [--format json|table] [--locale en|zh-CN]');
      expect(result.stdout).toContain('--locale en|zh-CN');
    }
  });

  it('--version prints the package version', async () => {
    const result = await runInProcess(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`kuan ${version()}\n`);
    expect(version()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('kuan usage errors', () => {
  it('no command at all', async () => {
    const result = await runInProcess([]);
    expectBadInput(result, 'command', expect);
    expect(result.stderr).toContain('usage: kuan <command> [options]; commands: demo, schedule');
  });

  it('an unknown command, also as a help topic', async () => {
    expectBadInput(await runInProcess(['frobnicate']), 'command', expect);
    expectBadInput(await runInProcess(['help', 'frobnicate']), 'command', expect);
  });

  it('an unknown global flag', async () => {
    expectBadInput(await runInProcess(['--verbose', 'schedule']), '--verbose', expect);
  });

  it('nothing piped into an interactive terminal', async () => {
    const io = memoryIo('', { isTerminal: true });
    const code = await main(['schedule'], io);
    expect(code).toBe(2);
    expect(io.stderrText()).toMatch(
      /^input: nothing piped in; pipe one LoanTerms JSON object on stdin or pass --input FILE\n$/,
    );
  });
});

describe('the command registry and runner', () => {
  const fake = (run: Command['run']): Command => ({ name: 'fake', summary: 'a test command', usage: 'fake', run });

  it('runs a registered command with its own arguments and returns its exit code', async () => {
    let seen: string[] = [];
    const io = memoryIo('hello');
    const command = fake(async (argv, commandIo) => {
      seen = argv;
      commandIo.stdout.write(`read ${await commandIo.stdin.read(100)}\n`);
      return 0;
    });
    expect(await main(['fake', '--x', '1'], io, [command])).toBe(0);
    expect(seen).toEqual(['--x', '1']);
    expect(io.stdoutText()).toBe('read hello\n');
  });

  it('maps an InputError to exit 2 and one line, even when its reason spans lines', async () => {
    const io = memoryIo();
    const code = await main(['fake'], io, [
      fake(() => Promise.reject(new InputError('amount', 'is wrong\n  because'))),
    ]);
    expect(code).toBe(2);
    expect(io.stderrText()).toBe('amount: is wrong because\n');
  });

  it('maps any other error to exit 1 and one "internal error" line without a stack', async () => {
    const io = memoryIo();
    const code = await main(['fake'], io, [
      fake(() => {
        const value = undefined as unknown as { field: string };
        return Promise.resolve(value.field.length);
      }),
    ]);
    expect(code).toBe(1);
    const stderr = io.stderrText();
    expect(stderr).toMatch(/^internal error: Cannot read properties of undefined \(reading 'field'\)\n$/);
    expect(io.stdoutText()).toBe('');
  });

  it('shows the stack of an internal error only when KUAN_DEBUG=1', async () => {
    const io = memoryIo('', { env: { KUAN_DEBUG: '1' } });
    const code = await main(['fake'], io, [fake(() => Promise.reject(new Error('boom')))]);
    expect(code).toBe(1);
    expect(io.stderrText()).toMatch(/^internal error: boom\nError: boom\n\s+at /);
  });

  it('refuses stdin larger than the command allows', async () => {
    const io = memoryIo('x'.repeat(2048));
    const code = await main(['fake'], io, [
      fake(async (_argv, commandIo) => (await commandIo.stdin.read(1024)).length),
    ]);
    expect(code).toBe(2);
    expect(io.stderrText()).toBe('input: is larger than the 1 KiB this command accepts\n');
  });
});

describe('a database folder another process holds', () => {
  it('is refused as input, naming KUAN_DATA_DIR and saying what to do (exit 2, not an internal error)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'kuan-held-'));
    try {
      // Our parent process stands in for a running `kuan serve` or `kuan demo` that holds the folder.
      writeFileSync(join(folder, 'lock'), `${process.ppid}\n`);
      const io = memoryIo('', { env: { KUAN_DATA_DIR: folder } });
      const code = await main(['eod', '--date', '2026-03-10'], io);
      const result = { code, stdout: io.stdoutText(), stderr: io.stderrText() };
      expectBadInput(result, 'KUAN_DATA_DIR', expect);
      expect(result.stderr).toContain(`in use by process ${process.ppid}`);
      expect(result.stderr).toContain('DATABASE_URL');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
