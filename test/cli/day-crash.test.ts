// `kuan day` killed (SIGKILL) at random points of every stage, on a database the demo did not build:
// the same imported book is run twice, once straight through (the reference) and once with the real
// binary killed inside each stage in turn and run again, three business dates in a row. At the end both
// databases hold the same book (loan documents, journal, transactions), the same contacts with the same
// outcomes, and each SMS provider received the same messages, each once.
//
// Where a kill lands: the reference run's stage lines say how long each stage took; the crashed run is
// killed a random time into stage k (after the line of stage k − 1, or after the reference's start-up
// time for the first stage). Timing differs between runs, so a kill may land in a neighbouring stage or
// after the run ended; the test records where each landed and requires that most kills hit a running run.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';
import { dayStages } from '../../src/app/index.ts';
import type { Database } from '../../src/store/index.ts';
import { startMessageProviderServer, type TestMessageProvider } from '../support/message-provider-server.ts';
import { freshDatabase, repoRoot } from './support.ts';

const borrowers = 24;
const dates = ['2026-02-28', '2026-03-01'];
const seed = Number(process.env.KUAN_CRASH_SEED ?? 20261207);

interface Book {
  env: Record<string, string>;
  provider: TestMessageProvider;
  channelsFile: string;
  open(): Promise<Database>;
  drop(): Promise<void>;
}

interface StageLine {
  stage: string;
  status: string;
  ms: number;
}

let folder: string;
const books: Book[] = [];

async function makeBook(name: string): Promise<Book> {
  const provider = await startMessageProviderServer();
  const channelsFile = join(folder, `${name}-channels.json`);
  writeFileSync(
    channelsFile,
    JSON.stringify({ sms: { webhook: { url: `${provider.url}/v1/messages`, apiKey: provider.genericApiKey } } }),
  );
  const database = await freshDatabase(`kuan_day_crash_${name}`, join(folder, name));
  return {
    env: { KUAN_CODE_SECRET: 'day-crash-test-secret-0123456789', KUAN_TIMEZONE: 'Asia/Shanghai', ...database.env },
    provider,
    channelsFile,
    open: database.open,
    drop: database.drop,
  };
}

/** `kuan <argv>` in this process on the book's database. */
async function kuan(book: Book, argv: string[]) {
  const io = memoryIo('', { env: book.env });
  const code = await main(argv, io);
  return { code, stdout: io.stdoutText(), stderr: io.stderrText() };
}

interface DayRun {
  lines: StageLine[];
  /** Milliseconds from spawn to each line. */
  at: number[];
  killed: boolean;
  code: number | null;
}

/**
 * `node bin/kuan.js day --date D …` on the book; with `kill`, SIGKILLed `delayMs` after it printed
 * `afterLines` stage lines (0: after the spawn).
 */
function dayBinary(book: Book, date: string, kill?: { afterLines: number; delayMs: number }): Promise<DayRun> {
  const child = spawn(
    process.execPath,
    ['bin/kuan.js', 'day', '--date', date, '--channels', book.channelsFile, '--policy', 'cn-2026'],
    { cwd: repoRoot, env: { ...process.env, ...book.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const started = performance.now();
  const run: DayRun = { lines: [], at: [], killed: false, code: null };
  let buffered = '';
  let stderr = '';
  const arm = () => {
    if (kill === undefined) return;
    setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) run.killed = child.kill('SIGKILL');
    }, kill.delayMs);
  };
  if (kill?.afterLines === 0) arm();
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      run.lines.push(JSON.parse(buffered.slice(0, newline)) as StageLine);
      run.at.push(performance.now() - started);
      buffered = buffered.slice(newline + 1);
      if (run.lines.length === kill?.afterLines) arm();
      newline = buffered.indexOf('\n');
    }
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      run.code = code;
      if (!run.killed && code !== 0) reject(new Error(`kuan day ${date} exited ${String(code)}: ${stderr}`));
      else resolve(run);
    });
  });
}

/** What must come out the same: the book, the contacts and their outcomes. */
async function snapshot(book: Book) {
  const db = await book.open();
  try {
    const rows = (statement: ReturnType<typeof sql>) => db.query<Record<string, unknown>>(statement);
    return {
      loans: await rows(sql`SELECT loan_id, state::text AS state, status, dpd, closed_through::text AS through
                            FROM loans ORDER BY loan_id`),
      journal: await rows(sql`SELECT entry_id, postings::text AS postings FROM journal_entries ORDER BY entry_id`),
      transactions: await rows(sql`SELECT loan_id, seq, kind, body::text AS body FROM loan_transactions
                                   ORDER BY loan_id, seq`),
      contacts: await rows(sql`SELECT contact_id, channel, template, status, verification_code, attempts > 0 AS tried
                               FROM contacts ORDER BY contact_id`),
      stages: await rows(sql`SELECT business_date::text AS date, stage, status FROM day_runs ORDER BY 1, 2`),
    };
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'kuan-day-crash-'));
  const csv = [
    'borrower_id,timezone,loan_id,principal,annual_rate,term_count,start_date,phone,locale',
    ...Array.from({ length: borrowers }, (_, index) => {
      const id = String(index + 1).padStart(2, '0');
      const start = index % 2 === 0 ? `2026-01-2${6 + (index % 4)}` : `2026-02-0${1 + (index % 3)}`;
      return `B${id},Asia/Shanghai,L${id},${3000 + index * 100}.00,0.12,6,${start},+86138000000${id},zh-CN`;
    }),
  ].join('\n');
  const csvFile = join(folder, 'loans.csv');
  writeFileSync(csvFile, `${csv}\n`);
  for (const name of ['reference', 'crashed']) {
    const book = await makeBook(name);
    const imported = await kuan(book, ['import', 'loans', csvFile]);
    expect(imported.code, imported.stderr).toBe(0);
    books.push(book);
  }
}, 120_000);

afterAll(async () => {
  for (const book of books) {
    await book.drop();
    await book.provider.close();
  }
  rmSync(folder, { recursive: true, force: true });
});

describe('kuan day killed at random points', () => {
  it('finishes after each crash with the same book, the same contacts and no duplicate message', async () => {
    const [reference, crashed] = books as [Book, Book];
    const delays = fc.sample(fc.double({ min: 0, max: 1, noNaN: true }), {
      seed,
      numRuns: dates.length * dayStages.length,
    });
    const landed: string[] = [];
    for (const date of dates) {
      const straight = await dayBinary(reference, date);
      expect(straight.lines.map((line) => line.status)).toEqual(dayStages.map(() => 'completed'));
      // When each stage began, from the spawn: its line's time less its own duration.
      const began = straight.lines.map((line, index) => Math.max(0, (straight.at[index] ?? 0) - line.ms));
      for (let stage = 0; stage < dayStages.length; stage += 1) {
        const fraction = delays.pop() ?? 0.5;
        const ms = straight.lines[stage]?.ms ?? 0;
        const kill =
          stage === 0
            ? { afterLines: 0, delayMs: (began[0] ?? 0) + fraction * ms }
            : { afterLines: stage, delayMs: fraction * ms };
        const run = await dayBinary(crashed, date, kill);
        landed.push(run.killed ? `${date} ${dayStages[run.lines.length] ?? 'after'}` : `${date} missed`);
      }
      // The run after the last kill finishes the date; every stage then reads completed.
      const finish = await kuan(crashed, [
        'day',
        '--date',
        date,
        '--channels',
        crashed.channelsFile,
        '--policy',
        'cn-2026',
      ]);
      expect(finish.code, finish.stderr).toBe(0);
    }

    const hits = landed.filter((where) => !where.endsWith('missed'));
    expect(hits.length, landed.join('\n')).toBeGreaterThanOrEqual(Math.ceil(landed.length / 2));
    expect(new Set(hits.map((where) => where.split(' ')[1])).size, landed.join('\n')).toBeGreaterThanOrEqual(3);

    const [expected, actual] = [await snapshot(reference), await snapshot(crashed)];
    expect(actual.stages).toEqual(expected.stages);
    expect(actual.loans).toEqual(expected.loans);
    expect(actual.journal).toEqual(expected.journal);
    expect(actual.transactions).toEqual(expected.transactions);
    expect(actual.contacts).toEqual(expected.contacts);
    expect(expected.contacts.filter((contact) => contact.status === 'sent').length).toBeGreaterThan(0);

    // Each message reached the borrower once, and the crashed book sent what the reference sent.
    const messages = (provider: TestMessageProvider) =>
      provider.deliveries.map((delivery) => `${delivery.to} ${delivery.text}`).sort();
    expect(new Set(messages(crashed.provider)).size).toBe(crashed.provider.deliveries.length);
    expect(messages(crashed.provider)).toEqual(messages(reference.provider));
  }, 600_000);
});
