// `kuan audit verify`: walks the audit chain (every staff action and every read of borrower personal
// data, hash-chained; see docs/access.md) and recomputes each row's hash. Exit 0 and one line when the
// chain is intact; exit 1 and one line naming the first broken row otherwise.
import { InputError, quote } from '../../errors/index.ts';
import { databaseConfigFromEnv, migrate, openDatabase } from '../../store/index.ts';
import { verifyAuditChain } from '../../store/audit.ts';
import type { Command } from '../command.ts';
import { parseOptions } from '../options.ts';

const usage = 'audit verify';

export const auditCommand: Command = {
  name: 'audit',
  summary: 'audit verify: check the hash chain of the audit log (exit 1 naming the first broken row)',
  usage,
  details: [
    'The audit log records every staff action and every read of borrower personal data; each row holds',
    'the SHA-256 of the previous row and of its own content. `kuan audit verify` recomputes every hash.',
  ].join('\n'),
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub !== 'verify')
      throw new InputError('subcommand', `must be verify, got ${quote(sub ?? '')} (usage: kuan ${usage})`);
    parseOptions(rest, { options: {} }, usage);
    const db = await openDatabase(databaseConfigFromEnv(io.env));
    try {
      await migrate(db);
      const result = await verifyAuditChain(db);
      if (result.ok) {
        io.stdout.write(`audit chain intact: ${result.rowsChecked} rows, head ${result.headHash}\n`);
        return 0;
      }
      io.stderr.write(
        `audit chain broken at row ${result.brokenSeq}: ${result.reason} (${result.rowsChecked} rows before it are intact)\n`,
      );
      return 1;
    } finally {
      await db.close();
    }
  },
};
