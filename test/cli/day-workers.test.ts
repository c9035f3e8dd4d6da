// `kuan day --workers 2` plans the same contacts as `kuan day --workers 1`: one book imported into two
// fresh databases, the same dates run on each — one in one process, the other with the close and contact
// planning split across two worker processes — and the contacts (ids, statuses, due instants, reasons),
// their decisions and the contacts stage's counts come out equal. Workers need PostgreSQL (the embedded
// database is one process per data folder, as for the close): on PGlite the flag is refused, naming it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/calendar/index.ts';
import { memoryIo } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';
import { adminUrl, freshDatabase, type FreshDatabase } from './support.ts';

const borrowers = 40;
const firstDate = '2026-02-26';
// Pre-due reminders, due dates 03-01 … 03-05 and the first overdue days.
const dates = Array.from({ length: 10 }, (_, index) => addDays(firstDate, index));

let folder: string;
let single: FreshDatabase;
let split: FreshDatabase;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'kuan-day-workers-'));
  single = await freshDatabase('kuan_day_one', join(folder, 'one'));
  split = await freshDatabase('kuan_day_two', join(folder, 'two'));
});
afterAll(async () => {
  await single.drop();
  await split.drop();
  rmSync(folder, { recursive: true, force: true });
});

async function kuan(database: FreshDatabase, argv: string[]) {
  const io = memoryIo('', { env: { KUAN_CODE_SECRET: 'day-workers-test-secret-0123', ...database.env } });
  const code = await main(argv, io);
  return { code, stdout: io.stdoutText(), stderr: io.stderrText() };
}

/** Every contact and every decision of the book, in a stable order, without who claimed what when. */
async function contactsOf(database: FreshDatabase) {
  const db = await database.open();
  try {
    const contacts = await db.query(
      sql`SELECT borrower_id, contact_id, business_date::text AS business_date, channel, template, status,
                 due_at, reasons, loan_ids
            FROM contacts ORDER BY borrower_id, contact_id`,
    );
    const decisions = await db.query(
      sql`SELECT borrower_id, contact_id, seq, phase, verdict, decided_at, reasons
            FROM contact_decisions ORDER BY borrower_id, contact_id, seq`,
    );
    return { contacts, decisions };
  } finally {
    await db.close();
  }
}

describe('kuan day --workers', () => {
  it.skipIf(adminUrl !== undefined)('is refused on the embedded database, naming the flag', async () => {
    const day = await kuan(single, ['day', '--date', firstDate, '--workers', '2']);
    expect(day.code).toBe(2);
    expect(day.stderr).toMatch(/^--workers: more than 1 needs PostgreSQL/);
    const plan = await kuan(single, ['contacts', 'plan', '--date', firstDate, '--worker', '1', '--workers', '2']);
    expect(plan.code).toBe(2);
    expect(plan.stderr).toMatch(/^--workers: more than 1 needs PostgreSQL/);
  });

  it.runIf(adminUrl !== undefined)(
    'plans the same contacts, decisions and stage counts with 2 workers as with 1',
    async () => {
      const csv = [
        'borrower_id,timezone,loan_id,principal,annual_rate,term_count,start_date,phone,locale',
        ...Array.from({ length: borrowers }, (_, index) => {
          const id = String(index + 1).padStart(2, '0');
          return `B${id},Asia/Shanghai,L${id},${3000 + index * 100}.00,0.12,6,2026-02-0${1 + (index % 5)},+86138000000${id},zh-CN`;
        }),
      ].join('\n');
      const csvFile = join(folder, 'loans.csv');
      writeFileSync(csvFile, `${csv}\n`);
      for (const database of [single, split]) {
        const imported = await kuan(database, ['import', 'loans', csvFile]);
        expect(imported.code, imported.stderr).toBe(0);
      }

      let intents = 0;
      for (const date of dates) {
        const args = ['day', '--date', date, '--policy', 'cn-2026', '--timezone', 'Asia/Shanghai'];
        const one = await kuan(single, [...args, '--workers', '1']);
        expect(one.code, one.stderr).toBe(0);
        const two = await kuan(split, [...args, '--workers', '2']);
        expect(two.code, two.stderr).toBe(0);
        // The same stage lines; the contacts stage's counts are the sum over both ranges, equal to one
        // process's except the pages (each range pages on its own).
        const stages = (stdout: string) =>
          stdout
            .trimEnd()
            .split('\n')
            .map((line) => JSON.parse(line) as { stage: string; status: string; counts: Record<string, unknown> });
        const [linesOne, linesTwo] = [stages(one.stdout), stages(two.stdout)];
        expect(linesTwo.map((line) => `${line.stage} ${line.status}`)).toEqual(
          linesOne.map((line) => `${line.stage} ${line.status}`),
        );
        const contactCounts = (lines: typeof linesOne) => {
          const { pages: _pages, ...counts } = lines.find((line) => line.stage === 'contacts')!.counts;
          return counts;
        };
        expect(contactCounts(linesTwo)).toEqual(contactCounts(linesOne));
        intents += Number(contactCounts(linesOne).intents);
        // Each worker planned its own share: its stats line (copied to stderr) counts some borrowers.
        const workerStats = two.stderr
          .split('\n')
          .filter((line) => line.startsWith(`{"date":"${date}","borrowers"`))
          .map((line) => JSON.parse(line) as { borrowers: number });
        expect(workerStats).toHaveLength(2);
        for (const stats of workerStats) expect(stats.borrowers).toBeGreaterThan(0);
      }
      expect(intents).toBeGreaterThan(borrowers);

      const [one, two] = [await contactsOf(single), await contactsOf(split)];
      expect(one.contacts.length).toBeGreaterThan(borrowers);
      expect(two.contacts).toEqual(one.contacts);
      expect(two.decisions).toEqual(one.decisions);
      // A date run again with workers skips the completed stage and plans nothing twice.
      const again = await kuan(split, ['day', '--date', dates.at(-1)!, '--workers', '2', '--policy', 'cn-2026']);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/"stage":"contacts","status":"skipped"/);
      expect((await contactsOf(split)).contacts).toEqual(one.contacts);
    },
    300_000,
  );
});
