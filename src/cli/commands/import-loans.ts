// `kuan import loans FILE.csv`: loads borrowers and loans from a CSV (columns in the README, "Import CSV
// columns") into the database named by DATABASE_URL / KUAN_DATA_DIR. Every row is validated first; any
// bad row rejects the whole file with one line listing `row N column: reason` and imports nothing — a
// loan priced above its policy's refusal line (docs/servicing.md, "Rate caps") is such a row. Valid files
// are imported in one transaction, and one summary line is printed, followed by one line per loan imported
// above a warning line; the import appends a row to the audit chain (actor `cli:<os user>`, the file and
// the counts; src/cli/audit.ts).
import { basename } from 'node:path';
import { readFile } from 'node:fs/promises';
import { InputError, quote } from '../../errors/index.ts';
import { importLoanPlan, problemReport, validateLoansCsv } from '../../importing/index.ts';
import { databaseConfigFromEnv, migrate, openDatabase } from '../../store/index.ts';
import { recordCliAction } from '../audit.ts';
import type { Command } from '../command.ts';
import { decodeUtf8, tooLarge } from '../io.ts';
import { parseOptions } from '../options.ts';

const usage = 'import loans FILE.csv';

/** A hundred thousand loan rows fit well inside this. */
const inputLimitBytes = 64 * 1024 * 1024;

const fileErrors: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
};

async function readCsv(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = String((error as { code?: unknown }).code ?? '');
    throw new InputError(file, `cannot read: ${fileErrors[code] ?? (code || 'unreadable')}`);
  }
  if (bytes.length > inputLimitBytes) throw tooLarge(file, inputLimitBytes);
  return decodeUtf8(bytes, file);
}

export const importLoansCommand: Command = {
  name: 'import',
  summary: 'import loans from a CSV file (all rows or none; columns in the README)',
  usage,
  details: [
    'Validates every row (terms, servicing rules, duplicate loan ids in the file and in the database)',
    'before importing; any bad row rejects the whole file. Database: DATABASE_URL (PostgreSQL) or',
    'KUAN_DATA_DIR (embedded, default .kuan/data).',
    '',
    'example:',
    '  kuan import loans loans.csv',
  ].join('\n'),
  async run(argv, io) {
    const { positionals } = parseOptions(argv, { options: {}, allowPositionals: true }, usage);
    const [what, file, ...extra] = positionals;
    if (what !== 'loans') {
      throw new InputError('arguments', `expected "loans", got ${quote(what ?? '')} (usage: kuan ${usage})`);
    }
    if (file === undefined) throw new InputError('FILE.csv', `is required (usage: kuan ${usage})`);
    if (extra.length > 0) throw new InputError('arguments', `unexpected ${quote(extra[0])} (usage: kuan ${usage})`);
    // Validate before touching the database, so a bad file never creates or migrates one.
    const validated = validateLoansCsv(await readCsv(file), file);
    if (!validated.ok) throw problemReport(file, validated.problems);
    const db = await openDatabase(databaseConfigFromEnv(io.env));
    try {
      await migrate(db);
      const summary = await importLoanPlan(db, validated.plan, file);
      const { warnings } = summary;
      const warned =
        warnings.length === 0 ? '' : `; ${warnings.length} ${warnings.length === 1 ? 'warning' : 'warnings'}`;
      const done = `${file}: imported ${summary.loans} ${summary.loans === 1 ? 'loan' : 'loans'} of ${summary.borrowers} ${summary.borrowers === 1 ? 'borrower' : 'borrowers'}${warned}`;
      const unrecorded = await recordCliAction(db, io.env, {
        action: 'cli.import.loans',
        resource: `import/${basename(file)}`,
        detail: { file, loans: summary.loans, borrowers: summary.borrowers, warnings: warnings.length },
      });
      if (unrecorded !== undefined) {
        io.stderr.write(`${done}, but ${unrecorded}\n`);
        return 1;
      }
      io.stdout.write(`${done}\n`);
      for (const warning of warnings) {
        io.stdout.write(`${file}: warning: row ${warning.row} ${warning.column}: ${warning.reason}\n`);
      }
      return 0;
    } finally {
      await db.close();
    }
  },
};
