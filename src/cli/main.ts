// The `kuan` entry point: picks the subcommand, answers --help and --version, and leaves everything
// else to the command through the runner (which owns the exit-code and one-line-error contract).
// bin/kuan.js calls `main` with the real process io; tests call it with `memoryIo`.
import { readFileSync } from 'node:fs';
import { InputError, quote } from '../errors/index.ts';
import type { Command } from './command.ts';
import { commands as registeredCommands } from './commands/index.ts';
import { processIo, type CliIo } from './io.ts';
import { commandHelp, exitCodes, reportError, runCommand } from './runner.ts';

export function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version?: string;
  };
  return manifest.version ?? 'unknown';
}

export function usageLine(commands: readonly Command[]): string {
  return `usage: kuan <command> [options]; commands: ${commands.map((c) => c.name).join(', ')}; kuan --help for more`;
}

export function generalHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'kuan (宽) — loan servicing and humane collections',
    '',
    'usage: kuan <command> [options]',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'options:',
    '  -h, --help      this help; `kuan help <command>` or `kuan <command> --help` for one command',
    '  -v, --version   print the version',
    '',
    'Bad input exits with code 2 and one line on stderr naming the field; an internal error exits 1.',
    '',
  ].join('\n');
}

/** Runs one `kuan` invocation and returns its exit code; never throws. */
export async function main(
  argv: string[],
  io: CliIo = processIo(),
  commands: readonly Command[] = registeredCommands,
): Promise<number> {
  try {
    const [name, ...rest] = argv;
    const find = (wanted: string): Command | undefined => commands.find((c) => c.name === wanted);
    if (name === undefined) throw new InputError('command', `missing (${usageLine(commands)})`);
    if (name === '--help' || name === '-h' || name === 'help') {
      const topic = rest[0];
      if (topic === undefined) {
        io.stdout.write(generalHelp(commands));
        return exitCodes.ok;
      }
      const command = find(topic);
      if (!command) throw new InputError('command', `unknown ${quote(topic)} (${usageLine(commands)})`);
      io.stdout.write(commandHelp(command));
      return exitCodes.ok;
    }
    if (name === '--version' || name === '-v') {
      io.stdout.write(`kuan ${version()}\n`);
      return exitCodes.ok;
    }
    if (name.startsWith('-')) throw new InputError(name, `unknown option (${usageLine(commands)})`);
    const command = find(name);
    if (!command) throw new InputError('command', `unknown ${quote(name)} (${usageLine(commands)})`);
    return await runCommand(command, rest, io);
  } catch (error) {
    return reportError(error, io);
  }
}
