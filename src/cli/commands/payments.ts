// `kuan payments reconcile|unapplied|reverse`: the portal-payment safety net and payment reversals from
// the command line, on the database the environment names. `reverse` takes back one posted payment with a
// reason (src/app/reversals.ts: idempotent by --key, --dry-run writes nothing; above
// KUAN_REVERSAL_APPROVAL_ABOVE_MINOR it asks for approval instead, exit 0 with status pending_approval); a
// refusal is exit 2 and one line `--flag: why [code]`. `reconcile` finishes portal payments a crash or a lost provider answer
// left open (presents each open debit again under its own key — never debiting twice — then posts it or
// refunds it, and retries refunds still due); `unapplied` lists portal money debited and not applied:
// owed back (`refund_due`) or returned (`refunded`). Idempotent; one summary line or one table on stdout.
import { InputError } from '../../errors/index.ts';
import {
  listUnappliedPortalPayments,
  RECONCILE_OLDER_THAN_SECONDS_DEFAULT,
  reconcilePortalPayments,
} from '../../app/portal-payments.ts';
import {
  jsonSafe,
  reversalApprovalAboveMinorOf,
  reversePostedPayment,
  type PaymentReversalReceipt,
} from '../../app/index.ts';
import { formatMinor } from '../../money/index.ts';
import { reversalReasons, valueDate, valueDateFutureDaysMax } from '../../servicing/index.ts';
import { findPaymentById, getLoan } from '../../store/index.ts';
import { cliActorId } from '../audit.ts';
import type { Command } from '../command.ts';
import { withDatabase } from '../database.ts';
import { choice, parseOptions, wholeNumberOption } from '../options.ts';
import { httpPaymentProviderAt, paymentProviderUrl } from '../payment-provider.ts';
import { renderTable } from '../table.ts';

const usage =
  'payments reconcile [--payment-provider URL] [--older-than SECONDS] | unapplied [--status refund_due|refunded] [--format table|json] | ' +
  `reverse --payment ID --reason ${reversalReasons.join('|')} --key K [--on DATE] [--dry-run]`;

/** A reversal refusal's field as a flag. */
const flagOfField: Readonly<Record<string, string>> = { paymentId: '--payment', on: '--on', idempotencyKey: '--key' };

/** Rows `unapplied` prints at most. */
const UNAPPLIED_LIMIT_MAX = 1000;

export const paymentsCommand: Command = {
  name: 'payments',
  summary: 'finish portal payments left open (post or refund), list money debited and not applied',
  usage,
  details: [
    'subcommands:',
    '  reconcile            finish portal payments a crash or a lost provider answer left open: present the',
    '                       debit again under its own key (never twice), post it or refund it; retry refunds due',
    '  unapplied            list portal money debited and not applied: refund_due (owed back) and refunded',
    '  reverse              take back one posted payment (it bounced, was posted to the wrong loan or twice,',
    '                       was disputed, or was keyed wrongly): the loan is replayed without it, so the DPD,',
    '                       bucket and penalty it re-opens show; prints one JSON object (the reversal, with the',
    '                       loan before and after). Above KUAN_REVERSAL_APPROVAL_ABOVE_MINOR minor units (default',
    '                       1000000) it is not applied but asked for as an approval (status pending_approval)',
    'options:',
    '  --payment ID         reverse: the payment',
    `  --reason R           reverse: ${reversalReasons.join(', ')}`,
    '  --key K              reverse: its idempotency key (the same key and options answer the first answer)',
    "  --on DATE            reverse: its date (default today, or the loan's last closed date if later)",
    '  --dry-run            reverse: print what it would do, write nothing',
    '  --payment-provider URL  the provider (docs/payment-provider.md); default KUAN_PAYMENT_PROVIDER_URL,',
    '                       its API key from KUAN_PAYMENT_PROVIDER_KEY (reconcile requires one)',
    `  --older-than SECONDS only payments untouched this long, so requests in flight are left alone (default ${RECONCILE_OLDER_THAN_SECONDS_DEFAULT})`,
    '  --status S           unapplied: only refund_due or only refunded (default both)',
    '  --format table|json  unapplied: a table (default) or one JSON array',
    '',
    'The database is DATABASE_URL (PostgreSQL) or else the embedded one in KUAN_DATA_DIR (default ./.kuan).',
  ].join('\n'),
  async run(argv, io) {
    const { values, positionals } = parseOptions(
      argv,
      {
        allowPositionals: true,
        options: {
          'payment-provider': { type: 'string' },
          'older-than': { type: 'string' },
          status: { type: 'string' },
          format: { type: 'string' },
          payment: { type: 'string' },
          reason: { type: 'string' },
          key: { type: 'string' },
          on: { type: 'string' },
          'dry-run': { type: 'boolean', default: false },
        },
      },
      usage,
    );
    const [subcommand, extra] = positionals;
    if (extra !== undefined) throw new InputError('argument', `unexpected "${extra}" (usage: kuan ${usage})`);
    if (subcommand === 'reconcile') {
      const url = paymentProviderUrl(values['payment-provider'], io.env);
      if (url === undefined) {
        throw new InputError(
          '--payment-provider',
          'is required (or KUAN_PAYMENT_PROVIDER_URL): reconcile talks to the provider',
        );
      }
      const provider = httpPaymentProviderAt(url, io.env.KUAN_PAYMENT_PROVIDER_KEY);
      const olderThanSeconds =
        wholeNumberOption(values['older-than'], '--older-than', { min: 0, max: 86_400 * 30 }) ??
        RECONCILE_OLDER_THAN_SECONDS_DEFAULT;
      const summary = await withDatabase(io, (db) => reconcilePortalPayments(db, provider, { olderThanSeconds }));
      io.stdout.write(
        `payments reconcile: ${summary.examined} open, ${summary.posted} posted, ${summary.released} released, ` +
          `${summary.refunded} refunded, ${summary.refundQueued} refunds still due, ${summary.unknown} without an answer\n`,
      );
      return summary.refundQueued > 0 || summary.unknown > 0 ? 1 : 0;
    }
    if (subcommand === 'unapplied') {
      const status = values.status;
      if (status !== undefined && status !== 'refund_due' && status !== 'refunded') {
        throw new InputError('--status', `must be refund_due or refunded, got "${status}"`);
      }
      const format = values.format ?? 'table';
      if (format !== 'table' && format !== 'json') {
        throw new InputError('--format', `must be table or json, got "${format}"`);
      }
      const rows = await withDatabase(io, (db) =>
        listUnappliedPortalPayments(db, { ...(status ? { status } : {}), limit: UNAPPLIED_LIMIT_MAX }),
      );
      const views = rows.map((row) => ({
        paymentKey: row.paymentKey,
        loanId: row.loanId,
        borrowerId: row.borrowerId,
        amount: formatMinor(row.amountMinor, row.currency),
        currency: row.currency,
        on: row.onDate,
        status: row.status,
        providerRef: row.providerRef,
        refundRef: row.refundRef,
        reason: row.reason,
      }));
      if (format === 'json') {
        io.stdout.write(`${JSON.stringify(views)}\n`);
        return 0;
      }
      io.stdout.write(
        renderTable(
          ['loan', 'borrower', 'amount', 'status', 'debit', 'refund', 'reason'].map((header) => ({
            header,
            align: header === 'amount' ? ('right' as const) : ('left' as const),
          })),
          views.map((view) => [
            view.loanId,
            view.borrowerId,
            `${view.amount} ${view.currency}`,
            view.status,
            view.providerRef ?? '',
            view.refundRef ?? '',
            view.reason ?? '',
          ]),
        ) + '\n',
      );
      return 0;
    }
    if (subcommand === 'reverse') {
      const required = (value: string | undefined, flag: string): string => {
        if (value === undefined || value === '') throw new InputError(flag, `is required (usage: kuan ${usage})`);
        return value;
      };
      const paymentId = required(values.payment, '--payment');
      const reason = choice(required(values.reason, '--reason'), reversalReasons, '--reason');
      const key = required(values.key, '--key');
      const approvalAboveMinor = reversalApprovalAboveMinorOf(io.env);
      return withDatabase(io, async (db) => {
        const payment = await findPaymentById(db, paymentId);
        if (payment === undefined) throw new InputError('--payment', `no payment "${paymentId}" [payment_not_found]`);
        const nowMs = Date.now();
        const today = new Date(nowMs).toISOString().slice(0, 10);
        const dated = valueDate({
          requestedOn: values.on,
          today,
          closedThrough: (await getLoan(db, payment.loanId))?.closedThrough ?? today,
          futureDaysMax: valueDateFutureDaysMax,
        });
        if (!dated.ok) throw new InputError('--on', dated.message.replace(/^[\w.]+: /, ''));
        const result = await reversePostedPayment(
          { db, actor: { kind: 'system', id: cliActorId(io.env) }, nowMs },
          {
            idempotencyKey: `cli:${key}`,
            dryRun: values['dry-run'] === true,
            input: { paymentId, reason, on: dated.on, onGiven: values.on !== undefined, approvalAboveMinor },
          },
        );
        if (!result.ok) {
          const reasonText = result.message.replace(/^[\w.]+: /, '');
          throw new InputError(flagOfField[result.field ?? ''] ?? '--payment', `${reasonText} [${result.code}]`);
        }
        const receipt: PaymentReversalReceipt & { replayed: boolean; dryRun: boolean } = {
          ...result.value,
          replayed: result.replayed,
          dryRun: result.dryRun,
        };
        io.stdout.write(`${JSON.stringify(jsonSafe(receipt))}\n`);
        return 0;
      });
    }
    throw new InputError('subcommand', `must be reconcile, unapplied or reverse (usage: kuan ${usage})`);
  },
};
