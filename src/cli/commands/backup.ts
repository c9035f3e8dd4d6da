// `kuan backup --out FILE` and `kuan restore FILE`: the embedded database (PGlite in KUAN_DATA_DIR) as
// one gzipped tar, and back into an empty folder. The backup holds the folder's lock while it dumps, so
// nothing writes meanwhile (stop `kuan serve` first; the lock says so). A restore never overwrites a
// database. PostgreSQL is backed up with its own tools (pg_dump / pg_restore, docs/operations.md): both
// commands refuse it, naming DATABASE_URL.
import { readFile, writeFile, rename } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../../errors/index.ts';
import {
  databaseConfigFromEnv,
  DEFAULT_DATA_DIR,
  MEMORY_DATA_DIR,
  openDatabase,
  restoreEmbedded,
} from '../../store/index.ts';
import type { Command } from '../command.ts';
import type { CliIo } from '../io.ts';
import { parseOptions } from '../options.ts';

/** A backup larger than this is not read back into memory (PGlite loads an archive whole). */
const ARCHIVE_BYTES_MAX = 4 * 1024 ** 3;

function embeddedFolder(io: CliIo, command: string): string {
  const config = databaseConfigFromEnv(io.env);
  if (config.databaseUrl !== undefined) {
    throw new InputError(
      'DATABASE_URL',
      `kuan ${command} is for the embedded database; back up PostgreSQL with pg_dump and pg_restore (docs/operations.md)`,
    );
  }
  const dataDir = config.dataDir ?? DEFAULT_DATA_DIR;
  if (dataDir === MEMORY_DATA_DIR)
    throw new InputError('KUAN_DATA_DIR', 'an in-memory database has nothing to back up');
  return resolve(dataDir);
}

const backupUsage = 'backup --out FILE';

export const backupCommand: Command = {
  name: 'backup',
  summary: 'write the embedded database (KUAN_DATA_DIR) to one file; restore it with kuan restore',
  usage: backupUsage,
  details: [
    'options:',
    '  --out FILE   where the backup goes (a gzipped tar of the database; written whole, then renamed)',
    '',
    'Stop a running `kuan serve` first: it holds the database. PostgreSQL: use pg_dump (docs/operations.md).',
  ].join('\n'),
  async run(argv, io) {
    const { values } = parseOptions(argv, { options: { out: { type: 'string' } } }, backupUsage);
    if (values.out === undefined) throw new InputError('--out', `is required (usage: kuan ${backupUsage})`);
    const out = resolve(values.out);
    const folder = embeddedFolder(io, 'backup');
    if (!existsSync(resolve(folder, 'pgdata')))
      throw new InputError('KUAN_DATA_DIR', `no embedded database in ${folder}`);
    const db = await openDatabase({ dataDir: folder });
    let archive: Uint8Array;
    try {
      archive = await db.dumpEmbedded!();
    } finally {
      await db.close();
    }
    // Written beside the target and renamed: a crash never leaves a half backup under the name.
    const partial = `${out}.partial`;
    await writeFile(partial, archive);
    await rename(partial, out);
    io.stdout.write(`backup of ${folder}: ${out} (${archive.length} bytes)\n`);
    return 0;
  },
};

const restoreUsage = 'restore FILE';

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'make an empty KUAN_DATA_DIR the embedded database a kuan backup file holds',
  usage: restoreUsage,
  details: 'Refuses a folder that already holds a database. PostgreSQL: use pg_restore (docs/operations.md).',
  async run(argv, io) {
    const { positionals } = parseOptions(argv, { options: {}, allowPositionals: true }, restoreUsage);
    const [file] = positionals;
    if (file === undefined || positionals.length > 1) {
      throw new InputError('FILE', `is one backup file (usage: kuan ${restoreUsage})`);
    }
    const folder = embeddedFolder(io, 'restore');
    let archive: Buffer;
    try {
      archive = await readFile(resolve(file));
    } catch {
      throw new InputError('FILE', `cannot read ${file}`);
    }
    if (archive.length === 0 || archive.length > ARCHIVE_BYTES_MAX) {
      throw new InputError('FILE', `is not a backup (${archive.length} bytes)`);
    }
    await restoreEmbedded(folder, new Uint8Array(archive));
    io.stdout.write(`restored ${file} into ${folder}\n`);
    return 0;
  },
};
