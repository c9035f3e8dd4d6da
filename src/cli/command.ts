// What a `kuan` subcommand is: a name, a one-line summary for `kuan --help`, a usage line, and a run
// function over its own arguments and a `CliIo`. Commands are listed in commands/index.ts; adding one
// is one module plus one line there.
//
// Contract every command keeps (CONTRACTS.md "CLI"): bad input throws InputError (the runner prints
// one line and exits 2); stdout is written only once the result is complete, so a failure never leaves
// partial output that looks like success; the exit code is returned, never set on `process`.
import type { CliIo } from './io.ts';

export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Synopsis after `kuan `, e.g. `schedule [--input FILE] [--format json|table]`. */
  readonly usage: string;
  /** Longer help shown by `kuan help <name>` and `kuan <name> --help`; optional. */
  readonly details?: string;
  run(argv: string[], io: CliIo): Promise<number>;
}
