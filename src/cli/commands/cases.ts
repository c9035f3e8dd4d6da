// `kuan cases escalate|notice|breaches`: the collector workbench's commands that have no queue of their
// own, on the database the environment names. `escalate` moves a case up the ladder as an agent, with the
// lawyer's letter a stage sends (its PDF written to --letter FILE); `notice` queues a status notice with
// an ETA for the contact pipeline; `breaches` lists complaints whose deadline passed while not closed, as
// `kuan day` alerted them. Orchestration only (src/app/workbench.ts). Invariants: escalate and notice take
// --key (the same command again answers the first answer and writes nothing; another under the key is
// refused); a refusal is exit 2 and one line naming the flag and the stable code; stdout is written only
// once the command is done. The lender's letter settings come from the environment (lettersConfigOf).
import { writeFileSync } from 'node:fs';
import { InputError, quote } from '../../errors/index.ts';
import { escalate, jsonSafe, requestStatusNotice, type CaseServiceConfig } from '../../app/index.ts';
import { parseMoney } from '../../money/index.ts';
import { getEscalationLetter, getLoan, listComplaintsPage } from '../../store/index.ts';
import { contactChannels } from '../../contact/index.ts';
import { delayKinds } from '../../workbench/index.ts';
import type { Refusal } from '../../app/result.ts';
import { cliActorId } from '../audit.ts';
import type { Command } from '../command.ts';
import { withDatabase } from '../database.ts';
import { choice, parseOptions, wholeNumberOption } from '../options.ts';
import { codeSecretOf } from './contacts.ts';

const usage =
  'cases escalate --borrower B --case C --to STAGE --agent A [--supervisor] --key K [--dry-run] [--letter FILE] [--now INSTANT] | ' +
  'cases notice --loan L --kind disbursement|refund|payment_posting --amount X --eta INSTANT --reference R ' +
  '--channel C --key K [--now INSTANT] | cases breaches [--limit N]';

const BREACHES_LIMIT_MAX = 1000;

/**
 * The sender of lawyer's letters from the environment: KUAN_LENDER_NAME, KUAN_LENDER_ADDRESS and
 * KUAN_PORTAL_URL (all three, or none), and the verification-code secret (KUAN_CODE_SECRET; the
 * development secret only on the embedded database). Without them an escalation to a letter stage is
 * refused, naming the variable; every other escalation works.
 */
export function lettersConfigOf(env: Readonly<Record<string, string | undefined>>): CaseServiceConfig {
  const names = ['KUAN_LENDER_NAME', 'KUAN_LENDER_ADDRESS', 'KUAN_PORTAL_URL'] as const;
  const values = names.map((name) => env[name]?.trim() ?? '');
  const given = values.filter((value) => value !== '').length;
  if (given > 0 && given < names.length) {
    const missing = names[values.findIndex((value) => value === '')] as string;
    throw new InputError(missing, `is required with ${names.filter((_, i) => values[i] !== '').join(' and ')}`);
  }
  const [name, address, portalUrl] = values as [string, string, string];
  const secretKnown = (env.KUAN_CODE_SECRET ?? '') !== '' || !env.DATABASE_URL?.trim();
  return {
    ...(given === 0 ? {} : { lender: { name, address, portalUrl } }),
    ...(secretKnown ? { verificationSecret: codeSecretOf(env) } : {}),
  };
}

/** The flag each refused field was given as. */
const flagOfField: Readonly<Record<string, string>> = {
  toStage: '--to',
  letter: '--to',
  caseId: '--case',
  borrowerId: '--borrower',
  agentId: '--agent',
  idempotencyKey: '--key',
  loanId: '--loan',
};

/** A refusal as the CLI reports it: the flag at fault, the reason and the stable code (exit 2). */
function refused(result: Refusal, flagDefault: string): InputError {
  const flag = flagOfField[result.field ?? ''] ?? flagDefault;
  const reason = result.message.replace(/^[\w.]+: /, '');
  return new InputError(flag, `${reason} [${result.code}]`);
}

/** An instant with its offset, e.g. 2026-03-14T18:00:00+08:00, as epoch milliseconds. */
function instantOf(text: string, flag: string): number {
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(text) || Number.isNaN(ms)) {
    throw new InputError(flag, `must be an instant with its offset like 2026-03-14T18:00:00+08:00, got ${quote(text)}`);
  }
  return ms;
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new InputError(flag, `is required (usage: kuan ${usage})`);
  return value;
}

/** An escalation's InputError as the command line names it: the flag, or the environment variable. */
function flagOfError(error: unknown): unknown {
  if (!(error instanceof InputError)) return error;
  if (error.field === 'config.lender') {
    return new InputError(
      'KUAN_LENDER_NAME',
      'with KUAN_LENDER_ADDRESS and KUAN_PORTAL_URL is needed to send a lawyer letter',
    );
  }
  if (error.field === 'agentId') return new InputError('--agent', error.reason);
  if (error.field === 'config.verificationSecret') {
    return new InputError('KUAN_CODE_SECRET', 'is needed with DATABASE_URL to send a lawyer letter');
  }
  return error;
}

export const casesCommand: Command = {
  name: 'cases',
  summary: "escalate a case (with the lawyer's letter), queue a status notice, list complaint deadline breaches",
  usage,
  details: [
    'subcommands:',
    '  escalate --borrower B --case C --to STAGE --agent A [--supervisor] --key K [--dry-run] [--letter FILE]',
    '        move the case up the ladder (soft, hard, legal) as agent A (the case must be theirs or nobody’s;',
    '        --supervisor: A is a supervisor, any open case); refused unless the DPD and the notices',
    '        sent meet the stage and contact is not paused. A letter stage records the lawyer’s letter as a sent',
    '        message and stores its PDF (--letter FILE writes it). --dry-run prints the decision and the letter',
    '        text and writes nothing. Letters need KUAN_LENDER_NAME, KUAN_LENDER_ADDRESS, KUAN_PORTAL_URL and,',
    '        with DATABASE_URL, KUAN_CODE_SECRET.',
    '  notice --loan L --kind K --amount X --eta INSTANT --reference R --channel C --key K',
    '        queue a status notice (a disbursement, refund or payment posting delayed until INSTANT, e.g.',
    '        2026-03-14T18:00:00+08:00) for the contact pipeline to send',
    '  breaches [--limit N]  complaints whose deadline passed while not closed (alerted by `kuan day`; closed',
    '        since or not: see status), one JSON line each, soonest deadline first',
    '',
    '--now INSTANT: act as of that instant (default: now), e.g. to finish a day replayed with `kuan day`.',
    '--key: the same command again answers the first answer and writes nothing; another command under the',
    'same key is refused. Output: one JSON object (breaches: one per line). Refusals: exit 2, `--flag: why [code]`.',
  ].join('\n'),
  async run(argv, io) {
    const [sub, ...rest] = argv;
    const { values } = parseOptions(
      rest,
      {
        options: {
          borrower: { type: 'string' },
          case: { type: 'string' },
          to: { type: 'string' },
          agent: { type: 'string' },
          key: { type: 'string' },
          'dry-run': { type: 'boolean', default: false },
          supervisor: { type: 'boolean', default: false },
          letter: { type: 'string' },
          loan: { type: 'string' },
          kind: { type: 'string' },
          amount: { type: 'string' },
          eta: { type: 'string' },
          reference: { type: 'string' },
          channel: { type: 'string' },
          limit: { type: 'string' },
          now: { type: 'string' },
        },
      },
      usage,
    );
    const nowMs = values.now === undefined ? Date.now() : instantOf(values.now, '--now');
    if (sub === 'escalate') {
      const request = {
        borrowerId: required(values.borrower, '--borrower'),
        caseId: required(values.case, '--case'),
        toStage: required(values.to, '--to'),
        agentId: required(values.agent, '--agent'),
        idempotencyKey: required(values.key, '--key'),
        ...(values['dry-run'] === true ? { dryRun: true } : {}),
        ...(values.supervisor === true ? { supervisor: true } : {}),
      };
      if (values.letter !== undefined && values['dry-run'] === true) {
        throw new InputError('--letter', 'writes the letter sent; a dry run sends none');
      }
      const config = lettersConfigOf(io.env);
      return withDatabase(io, async (db) => {
        const result = await escalate({ db, config, request: { ...request, nowMs } }).catch((error: unknown) => {
          throw flagOfError(error);
        });
        if (!result.ok) throw refused(result, '--case');
        const seq = result.value.seq;
        if (values.letter !== undefined && result.value.letter !== null && seq !== null) {
          const pdf = await getEscalationLetter(db, { borrowerId: request.borrowerId, caseId: request.caseId, seq });
          if (pdf !== undefined) writeFileSync(values.letter, pdf);
        }
        io.stdout.write(`${JSON.stringify(jsonSafe(result.value))}\n`);
        return 0;
      });
    }
    if (sub === 'notice') {
      const loanId = required(values.loan, '--loan');
      const kind = choice(required(values.kind, '--kind'), delayKinds, '--kind');
      const channel = choice(required(values.channel, '--channel'), contactChannels, '--channel');
      const etaMs = instantOf(required(values.eta, '--eta'), '--eta');
      const reference = required(values.reference, '--reference');
      if (reference.length > 64) throw new InputError('--reference', 'must be at most 64 characters');
      const key = required(values.key, '--key');
      const amount = required(values.amount, '--amount');
      return withDatabase(io, async (db) => {
        const loan = await getLoan(db, loanId);
        if (loan === undefined) throw new InputError('--loan', `no loan ${quote(loanId)}`);
        const amountMinor = parseMoney(amount, loan.currency, { field: '--amount', allowZero: false }).amountMinor;
        const result = await requestStatusNotice(
          { db, actor: { kind: 'system', id: cliActorId(io.env) }, nowMs },
          { idempotencyKey: `cli:${key}`, input: { loanId, kind, amountMinor, etaMs, reference, channel } },
        ).catch((error: unknown) => {
          // The notice's own checks name request fields; on the command line they are flags.
          if (error instanceof InputError && ['eta', 'reference', 'amount'].includes(error.field)) {
            throw new InputError(`--${error.field}`, error.reason);
          }
          throw error;
        });
        if (!result.ok) throw refused(result, '--loan');
        io.stdout.write(`${JSON.stringify({ ...result.value, replayed: result.replayed })}\n`);
        return 0;
      });
    }
    if (sub === 'breaches') {
      const limit = wholeNumberOption(values.limit, '--limit', { min: 1, max: BREACHES_LIMIT_MAX }) ?? 100;
      return withDatabase(io, async (db) => {
        const rows = await listComplaintsPage(db, { breached: true, limit });
        const lines = rows.map((row) =>
          JSON.stringify({
            complaintId: row.complaintId,
            borrowerId: row.borrowerId,
            loanId: row.loanId,
            category: row.category,
            status: row.status,
            team: row.team,
            assignedAgentId: row.assignedAgentId,
            deadlineAt: new Date(row.deadlineAtMs).toISOString(),
            breachAlertedAt: row.breachAlertedAtMs === null ? null : new Date(row.breachAlertedAtMs).toISOString(),
          }),
        );
        io.stdout.write(lines.length === 0 ? '' : `${lines.join('\n')}\n`);
        return 0;
      });
    }
    throw new InputError(
      'subcommand',
      `must be escalate, notice or breaches, got ${quote(sub ?? '')} (usage: kuan ${usage})`,
    );
  },
};
