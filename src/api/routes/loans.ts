// Loans: list, open, detail with its summary (DPD, bucket, overdue, next due), the installment schedule,
// the ledger (transactions and journal), payments (POST with an Idempotency-Key), payoff quotes and an
// ICS calendar of due dates. Invariants: a borrower reaches only their own loans (404 otherwise); a
// payment key names one payment forever — the same request again gets the same answer (status and
// body, with `Idempotency-Replayed: true`), another request under it 409; a refused payment changes
// nothing; dates a caller gives are bounded (at most 400 days past today or the loan's close), so no
// request can make the core replay a loan for centuries.
import ical from 'ical-generator';
import { z } from 'zod';
import { localDate, type IsoDate } from '../../calendar/index.ts';
import { InputError } from '../../errors/index.ts';
import { loanRateCapPolicy, openLoans, postPayments, type PostPaymentRequest } from '../../app/index.ts';
import { parseMoney } from '../../money/index.ts';
import { buildSchedule, parseLoanTerms, type LoanTerms } from '../../schedule/index.ts';
import {
  encodeCompactTerms,
  evaluateRateCaps,
  installmentViews,
  loanView,
  parseServicingRules,
  paymentSources,
  payoffQuote,
  penaltyRate,
  RATE_ABOVE_CAP,
  rateCapToJson,
  refusalMessage,
  unpaidInstallments,
  valueDate,
  valueDateFutureDaysMax,
  type InstallmentView,
  type LoanAmounts,
  type LoanState,
  type PaymentSource,
  type RateCapPolicy,
} from '../../servicing/index.ts';
import {
  getBorrower,
  getLoan,
  getProduct,
  IDEMPOTENCY_KEY_REUSED,
  isUniqueViolation,
  listLoanJournal,
  listLoanPayments,
  listLoanTransactions,
  type NewPayment,
} from '../../store/index.ts';
import { GroupCommitQueue } from '../../store/group-commit.ts';
import { listLoansPage } from '../../store/pages.ts';
import type { Api, ApiContext } from '../context.ts';
import { ApiProblem, notFound, problemSchema } from '../problem.ts';
import { payAsBorrower } from './borrower-payments.ts';
import {
  amountSchema,
  decodeCursor,
  domainDocument,
  idSchema,
  isoDateSchema,
  loanTermsDoc,
  page,
  pageOf,
  pageQuerySchema,
  rateCapSchema,
  servicingRulesDoc,
} from '../schemas.ts';
import {
  loadLoan,
  mayAccessBorrower,
  money,
  ownBorrowerId,
  rateText,
  refusal,
  requireBorrowerAccess,
} from './common.ts';

/** How far past today (or the loan's close) a payment or quote date may be. */
export const FUTURE_DAYS_MAX = valueDateFutureDaysMax;

const loanStatusSchema = z.enum(['active', 'overdue', 'closed', 'charged_off']);

export const loanListItemSchema = z.object({
  loanId: z.string(),
  borrowerId: z.string(),
  productId: z.string().nullable(),
  currency: z.string(),
  status: z.string(),
  dpd: z.number().int(),
  bucket: z.string(),
  nextEventDate: z.string().nullable(),
  closedThrough: z.string().nullable(),
});

export const loanDetailSchema = z
  .object({
    loanId: z.string(),
    borrowerId: z.string(),
    productId: z.string().nullable(),
    currency: z.string(),
    status: loanStatusSchema,
    disbursedOn: z.string(),
    closedThrough: z.string(),
    nextEventDate: z.string().nullable(),
    chargedOffOn: z.string().nullable(),
    closedOn: z.string().nullable(),
    terms: z.object({
      principal: z.string(),
      annualRate: z.string(),
      termCount: z.number().int(),
      method: z.string(),
      frequency: z.object({ every: z.number().int(), unit: z.string() }),
      startDate: z.string(),
      fees: z
        .array(
          z.object({
            kind: z.enum(['upfront', 'per_installment']),
            amount: z.string().optional(),
            rate: z.string().optional(),
            base: z.literal('principal').optional(),
          }),
        )
        .describe('every fee of the contract: an amount, or a rate of the principal per installment'),
    }),
    summary: z.object({
      asOf: z.string(),
      dpd: z.number().int(),
      delinquent: z.boolean(),
      inGrace: z.boolean(),
      bucket: z.string(),
      overdue: z.string().describe('principal, interest and fee of installments past their due date'),
      penalty: z.string(),
      penaltyInGrace: z.string(),
      creditBalance: z.string(),
      consecutiveOverdueCount: z.number().int(),
      cumulativeOverdueCount: z.number().int(),
    }),
    outstanding: z.object({
      principal: z.string(),
      interest: z.string(),
      fee: z.string(),
      penalty: z.string(),
      total: z.string(),
    }),
    nextDue: z
      .object({ number: z.number().int(), dueDate: z.string(), amount: z.string() })
      .nullable()
      .describe('the first unpaid installment not yet past due'),
    chargedOff: z
      .object({
        on: z.string().describe('the date the loan was charged off; penalty interest stopped that day'),
        owed: z
          .object({
            principal: z.string(),
            interest: z.string(),
            fee: z.string(),
            penalty: z.string(),
            total: z.string(),
          })
          .describe(
            'what the borrower still owes: all principal, interest and fee due by the charge-off, penalty charged until then',
          ),
        recovered: z.string().describe('paid since the charge-off'),
        paymentOrder: z
          .array(z.enum(['principal', 'interest', 'fee', 'penalty']))
          .describe('how a payment is applied (docs/decisions/0003): principal first, each oldest first'),
      })
      .optional()
      .describe('present while the loan is charged off: nothing accrues, there is no next due date'),
    graceDays: z.number().int(),
    apr: z.string().describe("the contract's annual percentage rate by the IRR method, fees included (CONTRACTS.md)"),
    rateCap: rateCapSchema
      .optional()
      .describe(
        'where the contract\'s APR stands against the product\'s pricing policy (docs/servicing.md, "Rate caps")',
      ),
    penaltyAnnualRate: z
      .string()
      .describe(
        'penalty interest per year on overdue amounts (0 when none); with penaltyRateMultiple, that multiple of the contract rate',
      ),
    penaltyRateMultiple: z
      .string()
      .optional()
      .describe('present when the penalty is a multiple of the contract rate (e.g. "1.5": 罚息 = 合同利率 × 1.5)'),
  })
  .meta({ id: 'Loan' });

const installmentSchema = z.object({
  number: z.number().int(),
  dueDate: z.string(),
  status: z.enum(['paid', 'overdue', 'due', 'upcoming']),
  principal: z.string(),
  interest: z.string(),
  fee: z.string(),
  total: z.string(),
  paid: z.string(),
  waived: z.string(),
  outstanding: z.string(),
  penaltyAccrued: z.string(),
  penaltyOutstanding: z.string(),
  paidOn: z.string().nullable(),
});

const allocationSchema = z.object({
  penalty: z.string(),
  fee: z.string(),
  interest: z.string(),
  principal: z.string(),
  credit: z.string(),
});

export const paymentSchema = z
  .object({
    paymentId: z.string(),
    loanId: z.string(),
    borrowerId: z.string(),
    amount: z.string(),
    currency: z.string(),
    on: z.string(),
    source: z.string(),
    status: z.string().describe('posted, or reversed (taken back: see `reversal`)'),
    allocation: allocationSchema,
    recovery: z.literal(true).optional().describe('present: paid on a charged-off loan (a recovery)'),
    reversal: z
      .object({ reversalId: z.string(), reason: z.string().nullable(), on: z.string() })
      .optional()
      .describe('present when the payment was reversed (POST /payments/{paymentId}/reversals)'),
  })
  .meta({ id: 'Payment' });

const transactionSchema = z.object({
  seq: z.number().int(),
  kind: z.string(),
  businessDate: z.string(),
  detail: z.record(z.string(), z.unknown()).describe('the transaction as recorded, amounts in major units'),
});

const journalEntrySchema = z.object({
  entryId: z.string(),
  businessDate: z.string(),
  kind: z.string(),
  currency: z.string(),
  postings: z.array(z.object({ account: z.string(), side: z.enum(['debit', 'credit']), amount: z.string() })),
});

const payoffSchema = z.object({
  loanId: z.string(),
  currency: z.string(),
  asOf: z.string(),
  total: z.string(),
  penalty: z.string(),
  fee: z.string(),
  interest: z.string(),
  principal: z.string(),
  creditApplied: z.string(),
  refund: z.string(),
});

const loanParams = z.object({ loanId: idSchema });
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };

const apiPaymentSources = paymentSources.filter((source) => source !== 'auto_debit');

const idempotencyKeySchema = z
  .string({ error: 'is required: one unique key per payment, 1-200 printable ASCII characters' })
  .regex(/^[\x21-\x7e]{1,200}$/, { error: 'must be 1-200 printable ASCII characters' });

/** The calendar date "today" in the API's zone. */
export function today(ctx: ApiContext): IsoDate {
  return localDate(ctx.timezone, ctx.clock());
}

/** A caller's date (or the default) against the loan, by servicing's value-date rule; refused naming `field`. */
function boundedDate(
  ctx: ApiContext,
  closedThrough: IsoDate,
  requestedOn: IsoDate | undefined,
  field: string,
): IsoDate {
  const dated = valueDate({ requestedOn, today: today(ctx), closedThrough, futureDaysMax: FUTURE_DAYS_MAX, field });
  if (!dated.ok) throw new InputError(dated.field, dated.message);
  return dated.on;
}

/** The loan as the API shows it; with its pricing policy, also where its APR stands against the caps. */
export function loanDetail(
  row: { productId: string | null },
  state: LoanState,
  rateCapPolicy?: RateCapPolicy,
): z.output<typeof loanDetailSchema> {
  const apr = contractApr(state);
  const c = state.currency;
  const { summary, outstanding, nextDue, chargedOff } = loanView(state);
  return {
    loanId: state.loanId,
    borrowerId: state.borrowerId,
    productId: row.productId,
    currency: c,
    status: state.status,
    disbursedOn: state.disbursedOn,
    closedThrough: state.closedThrough,
    nextEventDate: state.nextEventDate,
    chargedOffOn: state.chargedOffOn,
    closedOn: state.closedOn,
    terms: termsView(state.terms),
    summary: {
      asOf: summary.date,
      dpd: summary.dpd,
      delinquent: summary.delinquent,
      inGrace: summary.inGrace,
      bucket: summary.bucket,
      overdue: money(summary.overdueMinor, c),
      penalty: money(summary.penaltyMinor, c),
      penaltyInGrace: money(summary.penaltyInGraceMinor, c),
      creditBalance: money(summary.creditBalanceMinor, c),
      consecutiveOverdueCount: state.consecutiveOverdueCount,
      cumulativeOverdueCount: state.cumulativeOverdueCount,
    },
    outstanding: amountsView(outstanding, c),
    nextDue:
      nextDue === null
        ? null
        : { number: nextDue.number, dueDate: nextDue.dueDate, amount: money(nextDue.amountMinor, c) },
    ...(chargedOff === null
      ? {}
      : {
          chargedOff: {
            on: chargedOff.on,
            owed: amountsView(chargedOff.owed, c),
            recovered: money(chargedOff.recoveredMinor, c),
            paymentOrder: [...chargedOff.paymentOrder],
          },
        }),
    graceDays: state.rules.graceDays,
    apr,
    ...(rateCapPolicy === undefined ? {} : { rateCap: rateCapToJson(evaluateRateCaps(apr, rateCapPolicy)) }),
    // The rate the contract sets (a multiple is applied to the contract rate); a plan's freeze aside.
    penaltyAnnualRate: rateText(penaltyRate({ rules: state.rules, terms: state.terms })),
    ...(state.rules.penaltyRateMultiple === undefined
      ? {}
      : { penaltyRateMultiple: rateText(state.rules.penaltyRateMultiple) }),
  };
}

/**
 * APRs by contract terms (their compact text): the APR is a function of the terms alone, so each distinct
 * contract's schedule is built once per process, not on every read; many loans share one.
 */
const aprByTerms = new Map<string, string>();
const APRS_CACHED_MAX = 100_000;

function contractApr(state: LoanState): string {
  const key = encodeCompactTerms(state.terms);
  const cached = aprByTerms.get(key);
  if (cached !== undefined) return cached;
  const { apr } = buildSchedule(state.terms);
  if (aprByTerms.size >= APRS_CACHED_MAX) aprByTerms.clear();
  aprByTerms.set(key, apr);
  return apr;
}

function termsView(terms: LoanTerms) {
  return {
    principal: money(terms.principalMinor, terms.currency),
    annualRate: rateText(terms.annualRate),
    termCount: terms.termCount,
    method: terms.method,
    frequency: { every: terms.frequency.every, unit: terms.frequency.unit },
    startDate: terms.startDate,
    fees: terms.fees.map((fee) =>
      'rate' in fee
        ? { kind: fee.kind, rate: rateText(fee.rate), base: fee.base }
        : { kind: fee.kind, amount: money(fee.amountMinor, terms.currency) },
    ),
  };
}

function amountsView(amounts: LoanAmounts, currency: string) {
  return {
    principal: money(amounts.principalMinor, currency),
    interest: money(amounts.interestMinor, currency),
    fee: money(amounts.feeMinor, currency),
    penalty: money(amounts.penaltyMinor, currency),
    total: money(amounts.totalMinor, currency),
  };
}

function installmentJson(row: InstallmentView, currency: string): z.output<typeof installmentSchema> {
  return {
    number: row.number,
    dueDate: row.dueDate,
    status: row.status,
    principal: money(row.principalMinor, currency),
    interest: money(row.interestMinor, currency),
    fee: money(row.feeMinor, currency),
    total: money(row.totalMinor, currency),
    paid: money(row.paidMinor, currency),
    waived: money(row.waivedMinor, currency),
    outstanding: money(row.outstandingMinor, currency),
    penaltyAccrued: money(row.penaltyAccruedMinor, currency),
    penaltyOutstanding: money(row.penaltyOutstandingMinor, currency),
    paidOn: row.paidOn,
  };
}

/** Amount fields (`…Minor`, whole minor units as strings) in major units, recursively. */
function inMajorUnits(value: unknown, currency: string): unknown {
  if (Array.isArray(value)) return value.map((item) => inMajorUnits(item, currency));
  if (value === null || typeof value !== 'object') return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key.endsWith('Minor') && typeof item === 'string' && /^-?\d+$/.test(item)) {
      result[key.slice(0, -'Minor'.length)] = money(BigInt(item), currency);
    } else {
      result[key] = inMajorUnits(item, currency);
    }
  }
  return result;
}

function allocationView(result: unknown, currency: string): z.output<typeof allocationSchema> {
  const allocation = ((result as { allocation?: Record<string, unknown> } | null)?.allocation ?? {}) as Record<
    string,
    unknown
  >;
  const part = (key: string): string => {
    const value = allocation[key];
    return money(typeof value === 'string' && /^-?\d+$/.test(value) ? BigInt(value) : 0n, currency);
  };
  return {
    penalty: part('penaltyMinor'),
    fee: part('feeMinor'),
    interest: part('interestMinor'),
    principal: part('principalMinor'),
    credit: part('creditBalanceMinor'),
  };
}

function paymentView(payment: NewPayment): z.output<typeof paymentSchema> {
  return {
    paymentId: payment.paymentId,
    loanId: payment.loanId,
    borrowerId: payment.borrowerId,
    amount: money(payment.amountMinor, payment.currency),
    currency: payment.currency,
    on: payment.receivedAt.slice(0, 10),
    source: payment.source,
    status: payment.status,
    allocation: allocationView(payment.result, payment.currency),
    ...paymentMarks(payment.result),
  };
}

/** What a stored payment result says beyond the allocation: a recovery, a reversal. */
function paymentMarks(result: unknown): Pick<z.output<typeof paymentSchema>, 'recovery' | 'reversal'> {
  if (!isObject(result)) return {};
  const reversal = result.reversal;
  return {
    ...(result.recovery === true ? { recovery: true as const } : {}),
    ...(isObject(reversal)
      ? {
          reversal: {
            reversalId: String(reversal.reversalId),
            reason: typeof reversal.reason === 'string' ? reversal.reason : null,
            on: String(reversal.on),
          },
        }
      : {}),
  };
}

/**
 * Payment batches written at once: while one commits, the next is read and computed. More would mostly
 * wait on each other's row locks and the pool.
 */
const PAYMENT_BATCHES_AT_ONCE = 2;

/** Loans cached: the most a process remembers the borrower and currency of (a few MB). */
const LOAN_IDENTITIES_MAX = 100_000;

/**
 * Loans' borrowers and currencies, which never change once a loan exists, so the payment route checks
 * access and parses the amount without a database round trip for a loan this process has seen (opened
 * by the detail page, say); `of` answers undefined when there is no such loan (not remembered, so a
 * loan opened later is found).
 */
function loanIdentities(ctx: ApiContext) {
  const known = new Map<string, { borrowerId: string; currency: string }>();
  const remember = (row: { loanId: string; borrowerId: string; currency: string }) => {
    if (known.size >= LOAN_IDENTITIES_MAX) known.clear();
    const identity = { borrowerId: row.borrowerId, currency: row.currency };
    known.set(row.loanId, identity);
    return identity;
  };
  return {
    remember,
    async of(loanId: string) {
      const cached = known.get(loanId);
      if (cached) return cached;
      const row = await getLoan(ctx.db, loanId);
      return row === undefined ? undefined : remember(row);
    },
  };
}

/** A payment key as stored: namespaced by the loan's borrower, so one borrower's keys never meet another's. */
export function storedPaymentKey(borrowerId: string, key: string): string {
  return `api:${borrowerId}:${key}`;
}

/** parseLoanTerms with its field names placed under `terms`. */
function parseTermsField(input: unknown): LoanTerms {
  try {
    return parseLoanTerms(input);
  } catch (error) {
    if (error instanceof InputError) {
      throw new InputError(error.field === 'terms' ? 'terms' : `terms.${error.field}`, error.reason);
    }
    throw error;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function registerLoanRoutes(api: Api, ctx: ApiContext): void {
  // Payments from concurrent requests are posted together, one transaction per group (group commit).
  const payments = new GroupCommitQueue((requests: readonly PostPaymentRequest[]) => postPayments(ctx.db, requests), {
    concurrency: PAYMENT_BATCHES_AT_ONCE,
  });
  const identities = loanIdentities(ctx);
  api.get(
    '/loans',
    {
      config: { access: { kind: 'permission', permission: 'loans:read', borrower: true } },
      schema: {
        tags: ['loans'],
        summary: 'List loans (a borrower sees only their own)',
        querystring: pageQuerySchema.extend({
          borrowerId: idSchema.optional(),
          status: loanStatusSchema.optional(),
          bucket: z
            .string()
            .regex(/^[A-Za-z0-9+_-]{1,16}$/)
            .optional(),
        }),
        response: { 200: pageOf(loanListItemSchema), ...errors },
      },
    },
    async (request) => {
      const { limit, cursor, status, bucket } = request.query;
      const own = ownBorrowerId(request);
      if (own !== undefined && request.query.borrowerId !== undefined && request.query.borrowerId !== own) {
        return { items: [], nextCursor: null };
      }
      const after = decodeCursor(cursor, z.object({ l: idSchema }));
      const rows = await listLoansPage(ctx.db, {
        limit,
        ...(after ? { after: after.l } : {}),
        ...((own ?? request.query.borrowerId) === undefined ? {} : { borrowerId: own ?? request.query.borrowerId }),
        ...(status === undefined ? {} : { status }),
        ...(bucket === undefined ? {} : { bucket }),
      });
      return page(
        rows.map(({ createdAt: _createdAt, ...row }) => row),
        limit,
        (last) => ({ l: last.loanId }),
      );
    },
  );

  api.post(
    '/loans',
    {
      config: { access: { kind: 'permission', permission: 'loans:write', borrower: false } },
      schema: {
        tags: ['loans'],
        summary: 'Open a loan (disburse it): its schedule, opening journal and state',
        body: z.strictObject({
          loanId: idSchema,
          borrowerId: idSchema,
          productId: idSchema.optional(),
          terms: domainDocument(
            loanTermsDoc,
            "LoanTerms (CONTRACTS.md); with productId, merged over the product's terms",
          ),
          rules: domainDocument(
            servicingRulesDoc,
            "servicing rules; default: the product's, else the defaults",
          ).optional(),
          disbursedOn: isoDateSchema.optional().describe('default: terms.startDate'),
        }),
        response: { 201: loanDetailSchema, 409: problemSchema, 422: problemSchema, ...errors },
      },
    },
    async (request, reply) => {
      const body = request.body;
      request.auditNote!.subjectBorrowerId = body.borrowerId;
      request.auditNote!.detail = { loanId: body.loanId };
      if ((await getBorrower(ctx.db, body.borrowerId)) === undefined) {
        throw refusal('borrower_not_found', `borrowerId: no borrower ${body.borrowerId}`, 'borrowerId');
      }
      let termsInput: unknown = body.terms;
      let rulesInput: unknown = body.rules;
      if (body.productId !== undefined) {
        const product = await getProduct(ctx.db, body.productId);
        if (product === undefined) {
          throw refusal('product_not_found', `productId: no product ${body.productId}`, 'productId');
        }
        if (isObject(product.terms) && isObject(termsInput)) termsInput = { ...product.terms, ...termsInput };
        rulesInput ??= product.rules;
      }
      const terms = parseTermsField(termsInput);
      const rules = parseServicingRules(rulesInput ?? {}, { field: 'rules' });
      // Priced above the product's refusal line (or the currency's default policy's): refused, nothing opened.
      const rateCapPolicy = await loanRateCapPolicy(ctx.db, { productId: body.productId, currency: terms.currency });
      const priced = evaluateRateCaps(buildSchedule(terms).apr, rateCapPolicy);
      if (priced.level === 'refused') {
        throw refusal(RATE_ABOVE_CAP, `terms.annualRate: ${refusalMessage(priced)}`, 'terms.annualRate');
      }
      if ((await getLoan(ctx.db, body.loanId)) !== undefined) {
        throw new ApiProblem('conflict', `loan ${body.loanId} exists already`, {
          code: 'loan_exists',
          field: 'loanId',
        });
      }
      try {
        await openLoans(ctx.db, [
          {
            loanId: body.loanId,
            borrowerId: body.borrowerId,
            ...(body.productId === undefined ? {} : { productId: body.productId }),
            terms,
            rules,
            disbursedOn: body.disbursedOn ?? terms.startDate,
          },
        ]);
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new ApiProblem('conflict', `loan ${body.loanId} exists already`, {
            code: 'loan_exists',
            field: 'loanId',
          });
        }
        throw error;
      }
      const loan = await loadLoan(ctx, request, body.loanId);
      void reply.code(201).header('location', `/api/v1/loans/${encodeURIComponent(body.loanId)}`);
      return loanDetail(loan.row, loan.state, rateCapPolicy);
    },
  );

  api.get(
    '/loans/:loanId',
    {
      config: { access: { kind: 'permission', permission: 'loans:read', borrower: true } },
      schema: {
        tags: ['loans'],
        summary: 'A loan with its summary: DPD, bucket, overdue amount, next due',
        params: loanParams,
        response: { 200: loanDetailSchema, ...errors },
      },
    },
    async (request) => {
      const loan = await loadLoan(ctx, request, request.params.loanId);
      identities.remember(loan.row);
      const rateCapPolicy = await loanRateCapPolicy(ctx.db, loan.row);
      return loanDetail(loan.row, loan.state, rateCapPolicy);
    },
  );

  api.get(
    '/loans/:loanId/schedule',
    {
      config: { access: { kind: 'permission', permission: 'loans:read', borrower: true } },
      schema: {
        tags: ['loans'],
        summary: "The loan's installments with what is paid, waived and outstanding",
        params: loanParams,
        response: {
          200: z.object({
            loanId: z.string(),
            currency: z.string(),
            asOf: z.string(),
            installments: z.array(installmentSchema),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { state } = await loadLoan(ctx, request, request.params.loanId);
      return {
        loanId: state.loanId,
        currency: state.currency,
        asOf: state.closedThrough,
        installments: installmentViews(state).map((row) => installmentJson(row, state.currency)),
      };
    },
  );

  api.get(
    '/loans/:loanId/transactions',
    {
      config: { access: { kind: 'permission', permission: 'loans:read', borrower: true } },
      schema: {
        tags: ['loans'],
        summary: "The loan's ledger: its transactions in order (opening, closes, payments, waivers, …)",
        params: loanParams,
        querystring: pageQuerySchema,
        response: { 200: pageOf(transactionSchema), ...errors },
      },
    },
    async (request) => {
      const { row, state } = await loadLoan(ctx, request, request.params.loanId);
      const { limit, cursor } = request.query;
      const after = decodeCursor(cursor, z.object({ s: z.number().int().min(0) }));
      const rows = await listLoanTransactions(ctx.db, {
        borrowerId: row.borrowerId,
        loanId: row.loanId,
        afterSeq: after?.s ?? 0,
      });
      const items = rows.slice(0, limit).map((tx) => ({
        seq: tx.seq,
        kind: tx.kind,
        businessDate: tx.businessDate,
        // The opening holds the whole opening state (see /schedule); the rest are small records.
        detail: tx.seq === 1 ? {} : (inMajorUnits(tx.body, state.currency) as Record<string, unknown>),
      }));
      return page(items, limit, (last) => ({ s: last.seq }));
    },
  );

  api.get(
    '/loans/:loanId/journal',
    {
      config: { access: { kind: 'permission', permission: 'loans:read', borrower: true } },
      schema: {
        tags: ['loans'],
        summary: "The loan's double-entry journal, in business-date order",
        params: loanParams,
        querystring: pageQuerySchema,
        response: { 200: pageOf(journalEntrySchema), ...errors },
      },
    },
    async (request) => {
      const { row } = await loadLoan(ctx, request, request.params.loanId);
      const { limit, cursor } = request.query;
      const after = decodeCursor(cursor, z.object({ i: z.number().int().min(0) }));
      const entries = await listLoanJournal(ctx.db, { borrowerId: row.borrowerId, loanId: row.loanId });
      const start = after?.i ?? 0;
      const items = entries.slice(start, start + limit).map((entry, offset) => ({
        index: start + offset,
        view: {
          entryId: entry.entryId,
          businessDate: entry.businessDate,
          kind: entry.kind,
          currency: entry.currency,
          postings: entry.postings.map((posting) => ({
            account: posting.account,
            side: posting.side,
            amount: money(posting.amountMinor, entry.currency),
          })),
        },
      }));
      const result = page(items, limit, (last) => ({ i: last.index + 1 }));
      return { items: result.items.map((item) => item.view), nextCursor: result.nextCursor };
    },
  );

  api.get(
    '/loans/:loanId/payments',
    {
      config: { access: { kind: 'permission', permission: 'payments:read', borrower: true } },
      schema: {
        tags: ['payments'],
        summary: "The loan's payments in the order received",
        params: loanParams,
        response: { 200: z.object({ items: z.array(paymentSchema) }), ...errors },
      },
    },
    async (request) => {
      const { row } = await loadLoan(ctx, request, request.params.loanId);
      const payments = await listLoanPayments(ctx.db, { borrowerId: row.borrowerId, loanId: row.loanId });
      return { items: payments.map(paymentView) };
    },
  );

  api.post(
    '/loans/:loanId/payments',
    {
      config: { access: { kind: 'permission', permission: 'payments:write', borrower: true } },
      schema: {
        tags: ['payments'],
        summary: 'Post a payment (idempotent by the Idempotency-Key header)',
        description:
          'The same key with the same body returns the first answer again (header Idempotency-Replayed: true); ' +
          'the same key with a different body is refused with 409 idempotency_key_reused. Without `on`, the ' +
          "payment is dated today (or the loan's last closed date, if later); a replay keeps the first date. " +
          'A borrower pays their own loan from their bound account through the payment provider (no `on`, source ' +
          'portal): posted only once the debit succeeded; a decline is 422 with the decline code (e.g. ' +
          'insufficient_funds); an unknown outcome is 503 payment_outcome_unknown — retry with the same key; no ' +
          'provider configured is 503 payments_unavailable.',
        params: loanParams,
        headers: z.object({ 'idempotency-key': idempotencyKeySchema }),
        body: z.strictObject({
          amount: amountSchema,
          on: isoDateSchema.optional(),
          source: z
            .enum(apiPaymentSources as [string, ...string[]])
            .optional()
            .describe('default manual'),
        }),
        response: { 201: paymentSchema, 409: problemSchema, 422: problemSchema, 503: problemSchema, ...errors },
      },
    },
    async (request, reply) => {
      const identity = await identities.of(request.params.loanId);
      if (identity === undefined || !mayAccessBorrower(request, identity.borrowerId)) {
        throw notFound(`loan ${request.params.loanId}`);
      }
      const { borrowerId, currency } = identity;
      const body = request.body;
      const headerKey = request.headers['idempotency-key'];
      request.auditNote!.subjectBorrowerId = borrowerId;
      request.auditNote!.detail = { loanId: request.params.loanId, amount: body.amount, idempotencyKey: headerKey };
      if (ownBorrowerId(request) !== undefined) {
        const paid = await payAsBorrower(ctx, request, {
          loan: { loanId: request.params.loanId, ...identity },
          body,
          paymentKey: storedPaymentKey(borrowerId, headerKey),
          today: today(ctx),
        });
        if (paid.replayed) void reply.header('idempotency-replayed', 'true');
        void reply.code(201).header('location', `/api/v1/loans/${encodeURIComponent(request.params.loanId)}/payments`);
        return paymentView(paid.payment);
      }
      const amountMinor = parseMoney(body.amount, currency, { field: 'amount', allowZero: false }).amountMinor;
      const result = await payments.submit({
        loanId: request.params.loanId,
        amountMinor,
        on: body.on,
        today: today(ctx),
        futureDaysMax: FUTURE_DAYS_MAX,
        source: (body.source ?? 'manual') as PaymentSource,
        idempotencyKey: storedPaymentKey(borrowerId, headerKey),
      });
      if (result.outcome === 'rejected') {
        if (result.field !== undefined) throw new InputError(result.field, result.message);
        if (result.code === IDEMPOTENCY_KEY_REUSED) {
          throw refusal('idempotency_key_reused', 'Idempotency-Key: already used for a different payment');
        }
        throw refusal(result.code, result.message);
      }
      request.auditNote!.detail = {
        ...request.auditNote!.detail,
        paymentId: result.paymentId,
        replayed: result.outcome === 'replayed',
      };
      if (result.outcome === 'replayed') void reply.header('idempotency-replayed', 'true');
      void reply.code(201).header('location', `/api/v1/loans/${encodeURIComponent(request.params.loanId)}/payments`);
      return paymentView(result.payment);
    },
  );

  api.get(
    '/loans/:loanId/payoff',
    {
      config: { access: { kind: 'permission', permission: 'loans:read', borrower: true } },
      schema: {
        tags: ['payments'],
        summary: 'What pays the loan off on a date: penalty, fee and interest due, running interest, principal',
        params: loanParams,
        querystring: z.object({
          asOf: isoDateSchema.optional().describe("default: today, or the loan's last closed date if later"),
        }),
        response: { 200: payoffSchema, 422: problemSchema, ...errors },
      },
    },
    async (request) => {
      const { state } = await loadLoan(ctx, request, request.params.loanId);
      const asOf = boundedDate(ctx, state.closedThrough, request.query.asOf, 'asOf');
      const quoted = payoffQuote(state, asOf);
      if (!quoted.ok) throw refusal(quoted.code, quoted.message, 'asOf');
      const q = quoted.quote;
      const c = state.currency;
      return {
        loanId: state.loanId,
        currency: c,
        asOf: q.asOf,
        total: money(q.totalMinor, c),
        penalty: money(q.penaltyMinor, c),
        fee: money(q.feeMinor, c),
        interest: money(q.interestMinor, c),
        principal: money(q.principalMinor, c),
        creditApplied: money(q.creditAppliedMinor, c),
        refund: money(q.refundMinor, c),
      };
    },
  );

  api.get(
    '/loans/:loanId/calendar.ics',
    {
      config: { access: { kind: 'permission', permission: 'loans:read', borrower: true } },
      schema: {
        tags: ['loans'],
        summary: "The loan's unpaid due dates as an iCalendar (ICS) document",
        params: loanParams,
        response: { 200: z.string().describe('text/calendar'), ...errors },
      },
    },
    async (request, reply) => {
      const { state } = await loadLoan(ctx, request, request.params.loanId);
      const calendar = ical({ name: `Kuan loan ${state.loanId}`, prodId: { company: 'kuan', product: 'kuan' } });
      const stamp = new Date(ctx.clock());
      for (const row of unpaidInstallments(state)) {
        const [year, month, day] = row.dueDate.split('-').map(Number) as [number, number, number];
        calendar.createEvent({
          id: `${state.loanId}-${row.number}@kuan`,
          start: new Date(Date.UTC(year, month - 1, day)),
          allDay: true,
          stamp,
          summary: `Loan ${state.loanId}: installment ${row.number} of ${state.installments.length}, ${money(row.amountMinor, state.currency)} ${state.currency} due`,
        });
      }
      void reply.type('text/calendar; charset=utf-8');
      return calendar.toString();
    },
  );

  api.get(
    '/borrowers/:borrowerId/loans',
    {
      config: { access: { kind: 'permission', permission: 'loans:read', borrower: true } },
      schema: {
        tags: ['loans'],
        summary: "A borrower's loans",
        params: z.object({ borrowerId: idSchema }),
        querystring: pageQuerySchema,
        response: { 200: pageOf(loanListItemSchema), ...errors },
      },
    },
    async (request) => {
      const { borrowerId } = request.params;
      requireBorrowerAccess(request, borrowerId);
      const { limit, cursor } = request.query;
      const after = decodeCursor(cursor, z.object({ l: idSchema }));
      const rows = await listLoansPage(ctx.db, { borrowerId, limit, ...(after ? { after: after.l } : {}) });
      return page(
        rows.map(({ createdAt: _createdAt, ...row }) => row),
        limit,
        (last) => ({ l: last.loanId }),
      );
    },
  );
}
