// Option parsing for commands: node:util parseArgs in strict mode, with its errors turned into the
// CLI's one-line InputError that names the offending flag and repeats the command's usage.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError, quote } from '../errors/index.ts';

type Config = Omit<ParseArgsConfig, 'args' | 'strict' | 'tokens'>;

function flagIn(message: string): string {
  return /--[A-Za-z0-9][\w-]*/.exec(message)?.[0] ?? /'(-[A-Za-z0-9])/.exec(message)?.[1] ?? 'option';
}

/** Parses `argv` strictly; unknown flags, missing values and stray arguments become InputError. */
export function parseOptions<T extends Config>(argv: string[], config: T, usage: string) {
  try {
    return parseArgs({ ...config, args: argv, strict: true });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : String(error);
    const hint = `(usage: kuan ${usage})`;
    switch (code) {
      case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
        throw new InputError(flagIn(message), `unknown option ${hint}`);
      case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
        throw new InputError(
          flagIn(message),
          `${/does not take/.test(message) ? 'takes no value' : 'needs a value'} ${hint}`,
        );
      case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': {
        const extra = /'([^']*)'/.exec(message)?.[1] ?? '';
        throw new InputError('arguments', `unexpected ${quote(extra)} ${hint}`);
      }
      default:
        throw error;
    }
  }
}

/** A flag's value checked against a fixed list. */
export function choice<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new InputError(flag, `must be one of ${allowed.join(', ')}, got ${quote(value)}`);
}

/** A flag's whole-number value within bounds (inclusive); undefined when the flag is absent. */
export function wholeNumberOption(
  value: string | undefined,
  flag: string,
  { min, max }: { min: number; max: number },
): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new InputError(flag, `must be a whole number from ${min} to ${max}, got ${quote(value)}`);
  }
  return Number(value);
}

/** A comma-separated list (`zh-CN,en`), or undefined when the flag is not given. */
export function listOption(value: string | undefined, flag: string): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) throw new InputError(flag, 'must list at least one value, e.g. zh-CN,en');
  return items;
}
