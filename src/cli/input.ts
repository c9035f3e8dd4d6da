// Reading a command's JSON document from a file or standard input, with the CLI's error shapes:
// nothing to read, too large, not UTF-8, not JSON — each one line naming where the input came from.
import { readFile } from 'node:fs/promises';
import { InputError, quote } from '../errors/index.ts';
import { decodeUtf8, tooLarge, type CliIo } from './io.ts';

export interface InputSource {
  /** The file given by a flag, or undefined to read stdin. */
  file: string | undefined;
  /** The flag that names the file (`--input`), used in messages about the file. */
  flag: string;
  /** What the document is, for messages: "a LoanTerms JSON object". */
  expected: string;
  limitBytes: number;
}

const fileErrors: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
};

async function readText(io: CliIo, source: InputSource): Promise<string> {
  if (source.file === undefined) {
    if (io.stdin.isTerminal) {
      throw new InputError('input', `nothing piped in; pipe ${source.expected} on stdin or pass ${source.flag} FILE`);
    }
    return io.stdin.read(source.limitBytes);
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(source.file);
  } catch (error) {
    const code = String((error as { code?: unknown }).code ?? '');
    throw new InputError(
      source.flag,
      `cannot read ${quote(source.file)}: ${fileErrors[code] ?? (code || 'unreadable')}`,
    );
  }
  if (bytes.length > source.limitBytes) throw tooLarge(source.flag, source.limitBytes);
  return decodeUtf8(bytes, source.flag);
}

/** Reads and parses one JSON document; errors name `input` (stdin) or the file flag. */
export async function readJsonInput(io: CliIo, source: InputSource): Promise<unknown> {
  const text = await readText(io, source);
  const field = source.file === undefined ? 'input' : source.flag;
  if (text.trim() === '') throw new InputError(field, `is empty; expected ${source.expected}`);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new InputError(field, `not valid JSON (${detail})`);
  }
}
