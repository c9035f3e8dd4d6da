// The architecture's boundaries are lint rules (eslint.config.js); this feeds the real configuration each
// forbidden import and call, as if written in a file of the named layer, and expects an error — so a rule
// that stops matching (a renamed folder, a loosened pattern) fails here rather than letting code through.
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

describe('the domain core stays pure', () => {
  const coreFile = 'src/servicing/example.ts';

  it.each([
    ['the store', "import { openDatabase } from '../store/index.ts';"],
    ['the importer', "import { importLoans } from '../importing/index.ts';"],
    ['the application layer', "import { postPayments } from '../app/loans.ts';"],
    ['the simulator', "import { simulate } from '../sim/index.ts';"],
    ['node built-ins', "import { readFileSync } from 'node:fs';"],
    ['bare crypto', "import { randomUUID } from 'crypto';"],
    ['an SMTP client', "import nodemailer from 'nodemailer';"],
    ['a database driver', "import pg from 'pg';"],
  ])('refuses an import of %s', async (_what, code) => {
    expect(await ruleIds(coreFile, `${code}\nexport const x = 1;\n`)).toContain('no-restricted-imports');
  });

  it.each([
    ['new Date()', 'export const x = new Date();'],
    ['Date.now()', 'export const x = Date.now();'],
    ['Temporal.Now', 'declare const Temporal: any;\nexport const x = Temporal.Now.plainDateISO();'],
    ['performance.now()', 'export const x = performance.now();'],
    ['Math.random()', 'export const x = Math.random();'],
    ['crypto.randomUUID()', 'export const x = crypto.randomUUID();'],
    ['process.env', 'export const x = process.env.KUAN_CODE_SECRET;'],
  ])('refuses a call of %s', async (_what, code) => {
    expect(await ruleIds(coreFile, `${code}\n`)).toContain('no-restricted-syntax');
  });

  it('accepts pure code', async () => {
    expect(await ruleIds(coreFile, "import { Money } from '../money/index.ts';\nexport type X = Money;\n")).toEqual([]);
  });
});

describe('the store does not import its callers', () => {
  it.each([
    ["import { postPayments } from '../app/loans.ts';"],
    ["import { buildApp } from '../api/app.ts';"],
    ["import { main } from '../cli/main.ts';"],
  ])('refuses %s', async (code) => {
    expect(await ruleIds('src/store/example.ts', `${code}\nexport const x = 1;\n`)).toContain('no-restricted-imports');
  });
});

describe('the console does not import the server', () => {
  it.each([["import { parseMoney } from '../../../src/money/index.ts';"], ["import { x } from 'kuan';"]])(
    'refuses %s',
    async (code) => {
      expect(await ruleIds('web/src/console/example.tsx', `${code}\nexport const y = 1;\n`)).toContain(
        'no-restricted-imports',
      );
    },
  );
});
