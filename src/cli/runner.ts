// Runs a command and turns whatever it throws into the CLI contract: InputError → exit 2 and exactly
// one line `field: reason` on stderr; anything else is a bug in Kuan → exit 1 and one line
// `internal error: …` (the stack only with KUAN_DEBUG=1). Nothing a user typed can print a stack.
import { InputError } from '../errors/index.ts';
import type { Command } from './command.ts';
import type { CliIo } from './io.ts';

export const exitCodes = { ok: 0, internal: 1, badInput: 2 } as const;

/** Collapses whitespace runs that contain line breaks, so a message is always one line. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

export function reportError(error: unknown, io: CliIo): number {
  if (error instanceof InputError) {
    io.stderr.write(`${oneLine(error.message)}\n`);
    return exitCodes.badInput;
  }
  io.stderr.write(`internal error: ${internalMessage(error)}\n`);
  if (io.env.KUAN_DEBUG === '1' && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return exitCodes.internal;
}

/**
 * The innermost cause's message, shortened: a driver's wrapper repeats the whole query and its
 * parameters, which helps nobody reading a terminal.
 */
function internalMessage(error: unknown): string {
  let innermost = error;
  while (innermost instanceof Error && innermost.cause instanceof Error) innermost = innermost.cause;
  const message = oneLine(innermost instanceof Error ? innermost.message : String(innermost)) || 'unknown';
  return message.length > 300 ? `${message.slice(0, 297)}...` : message;
}

export function commandHelp(command: Command): string {
  const lines = [`usage: kuan ${command.usage}`, '', command.summary];
  if (command.details) lines.push('', command.details);
  return `${lines.join('\n')}\n`;
}

/** `--help`/`-h` before a `--` separator shows the command's help instead of running it. */
function wantsHelp(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

export async function runCommand(command: Command, argv: string[], io: CliIo): Promise<number> {
  if (wantsHelp(argv)) {
    io.stdout.write(commandHelp(command));
    return exitCodes.ok;
  }
  try {
    return await command.run(argv, io);
  } catch (error) {
    return reportError(error, io);
  }
}
