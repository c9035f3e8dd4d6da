// The CLI's only contact with the process: standard input, output and error, and the environment.
// Commands receive a `CliIo` instead of touching `process`, so tests run `main` in-process with a
// memory buffer and the real binary differs only in this one object.
import { InputError } from '../errors/index.ts';

export interface TextSink {
  write(text: string): void;
  /** True on an interactive terminal: where a progress bar may redraw itself. */
  readonly isTerminal?: boolean;
}

export interface TextSource {
  /** True when nothing is piped in: an interactive terminal would wait forever for input. */
  readonly isTerminal: boolean;
  /** All of standard input as UTF-8 text (a leading BOM removed); refuses more than `limitBytes`. */
  read(limitBytes: number): Promise<string>;
}

export interface CliIo {
  readonly stdin: TextSource;
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Decodes bytes strictly, so a file in a legacy encoding is reported instead of read as mojibake. */
export function decodeUtf8(bytes: Uint8Array, field: string): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(field, 'is not valid UTF-8 text');
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function tooLarge(field: string, limitBytes: number): InputError {
  return new InputError(field, `is larger than the ${Math.round(limitBytes / 1024)} KiB this command accepts`);
}

/** The real process. A closed pipe on stdout (`kuan schedule | head`) ends output quietly. */
export function processIo(): CliIo {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  return {
    stdin: {
      isTerminal: process.stdin.isTTY === true,
      async read(limitBytes) {
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (size > limitBytes) throw tooLarge('input', limitBytes);
          chunks.push(chunk);
        }
        return decodeUtf8(Buffer.concat(chunks), 'input');
      },
    },
    stdout: { write: (text) => void process.stdout.write(text) },
    stderr: { write: (text) => void process.stderr.write(text), isTerminal: process.stderr.isTTY === true },
    env: process.env,
  };
}

export interface MemoryIo extends CliIo {
  /** Everything written to stdout so far. */
  stdoutText(): string;
  /** Everything written to stderr so far. */
  stderrText(): string;
}

/** An in-memory `CliIo` for tests and for embedding commands: stdin is the given text. */
export function memoryIo(
  stdinText = '',
  options: { isTerminal?: boolean; env?: Record<string, string> } = {},
): MemoryIo {
  let out = '';
  let err = '';
  return {
    stdin: {
      isTerminal: options.isTerminal ?? false,
      async read(limitBytes) {
        const bytes = new TextEncoder().encode(stdinText);
        if (bytes.length > limitBytes) throw tooLarge('input', limitBytes);
        return decodeUtf8(bytes, 'input');
      },
    },
    stdout: { write: (text) => void (out += text) },
    stderr: { write: (text) => void (err += text) },
    env: options.env ?? {},
    stdoutText: () => out,
    stderrText: () => err,
  };
}
