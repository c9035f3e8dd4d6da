// The API's shared zod schemas: identifiers, dates, amounts, pagination, and the documents (LoanTerms,
// servicing rules, strategies) that the domain parsers validate. Invariants: every string that can reach
// SQL is bounded and shaped here (ids by pattern, free text without NUL or broken UTF-16), so bad input
// is a 400 and never a database error; a domain document is described for OpenAPI but validated by the
// same parser the CLI uses (so the API and `kuan schedule` give the same messages).
import { z } from 'zod';
import { parseIsoDate } from '../calendar/index.ts';
import { InputError } from '../errors/index.ts';

/** Borrower, loan, product and payment ids: letters, digits, `. _ : -`, 1–64 characters. */
export const idPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
export const idSchema = z
  .string()
  .regex(idPattern, { error: 'must be 1-64 letters, digits or . _ : - starting with a letter or digit' });

const isoDatePattern = /^\d{4}-\d{2}-\d{2}$/;
export const isoDateSchema = z
  .string()
  .regex(isoDatePattern, { error: 'must be a date YYYY-MM-DD' })
  .refine(
    (text) => {
      try {
        parseIsoDate(text);
        return true;
      } catch {
        return false;
      }
    },
    { error: 'must be a real calendar date' },
  )
  .meta({ format: 'date' });

/** A decimal string in major units ("5000.00"); its currency's decimals are checked by parseMoney. */
export const amountSchema = z
  .string()
  .regex(/^\d{1,15}(\.\d{1,6})?$/, { error: 'must be a decimal string like "100.00"' })
  .meta({ examples: ['305.00'] });

/** A decimal fraction string ("0.12" = 12 %). */
export const rateSchema = z.string().meta({ examples: ['0.12'] });

const unstorable = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Free text of at most `max` characters that PostgreSQL can store (no NUL, no lone surrogate). */
export function textSchema(max: number) {
  return z
    .string()
    .max(max)
    .refine((text) => !unstorable.test(text), { error: 'contains characters that cannot be stored' });
}

export const PAGE_LIMIT_MAX = 200;
export const PAGE_LIMIT_DEFAULT = 50;

export const pageQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(PAGE_LIMIT_MAX)
    .default(PAGE_LIMIT_DEFAULT)
    .describe(`items per page, 1-${PAGE_LIMIT_MAX}`),
  cursor: z
    .string()
    .max(512)
    .regex(/^[A-Za-z0-9_-]*$/, { error: 'must be a cursor this API returned' })
    .optional()
    .describe('the nextCursor of the previous page'),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().describe('pass as `cursor` for the next page; null on the last page'),
  });
}

/** Opaque cursors: base64url of a small JSON value. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** The cursor's value, checked against `shape`; InputError on `cursor` when it is not one we made. */
export function decodeCursor<T extends z.ZodType>(cursor: string | undefined, shape: T): z.output<T> | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InputError('cursor', 'is not a cursor this API returned');
  }
  const parsed = shape.safeParse(value);
  if (!parsed.success) throw new InputError('cursor', 'is not a cursor this API returned');
  return parsed.data;
}

/** Items and the cursor after the last of them when the page is full. */
export function page<T>(items: readonly T[], limit: number, cursorOf: (last: T) => unknown) {
  const last = items.at(-1);
  return {
    items: [...items],
    nextCursor: items.length === limit && last !== undefined ? encodeCursor(cursorOf(last)) : null,
  };
}

/**
 * A JSON document that a domain parser validates: accepted as is by the HTTP layer and described in
 * OpenAPI by `doc` (a zod schema used only for its JSON Schema).
 */
export function domainDocument(doc: z.ZodType | Record<string, unknown>, description: string) {
  const json = (doc instanceof z.ZodType ? z.toJSONSchema(doc, { io: 'input' }) : doc) as Record<string, unknown>;
  const { $schema: _schema, ...rest } = json;
  return z.unknown().meta({ ...rest, description });
}

const decimal = z.string().describe('decimal string');

/** LoanTerms as CONTRACTS.md describes it: for the API description only (parseLoanTerms validates). */
export const loanTermsDoc = z.strictObject({
  principal: decimal.describe('decimal string in major units, e.g. "5000.00"'),
  currency: z.string().optional().describe('ISO 4217 code; default CNY'),
  annualRate: decimal.describe('decimal fraction, e.g. "0.12"'),
  termCount: z.number().int().min(1).max(1200),
  frequency: z
    .object({ every: z.number().int().min(1).max(366).optional(), unit: z.enum(['day', 'week', 'month']).optional() })
    .optional(),
  startDate: z.string().meta({ format: 'date' }),
  firstDueDate: z.string().meta({ format: 'date' }).optional(),
  method: z.enum(['equal_installment', 'equal_principal', 'interest_only', 'bullet']).optional(),
  interestType: z.enum(['declining', 'flat']).optional(),
  interestBasis: z.enum(['periodic', 'daily']).optional(),
  daysInYear: z.union([z.literal(360), z.literal(364), z.literal(365), z.literal('actual')]).optional(),
  principalGraceTerms: z.number().int().min(0).optional(),
  rounding: z
    .object({
      mode: z.enum(['half_up', 'half_even', 'up', 'down']).optional(),
      installmentMultiple: decimal.optional(),
      interestMode: z.enum(['half_up', 'half_even', 'up', 'down']).optional(),
    })
    .optional(),
  fees: z
    .array(
      z.union([
        z.object({ kind: z.literal('per_installment'), rate: decimal, base: z.literal('principal').optional() }),
        z.object({ kind: z.literal('per_installment'), amount: decimal }),
        z.object({ kind: z.literal('upfront'), amount: decimal }),
      ]),
    )
    .optional(),
  businessDay: z
    .object({
      convention: z.enum(['following', 'modified_following', 'preceding']).optional(),
      calendar: z.string(),
    })
    .optional(),
});

/** Servicing rules (docs/servicing.md): every field optional; parseServicingRules validates. */
export const servicingRulesDoc = z.object({
  graceDays: z.number().int().min(0).max(90).optional(),
  penaltyAnnualRate: decimal.optional(),
  penaltyRateMultiple: decimal
    .optional()
    .describe('penalty as a multiple of the contract rate, e.g. "1.5"; excludes penaltyAnnualRate'),
  penaltyBase: z.enum(['overdue_principal', 'overdue_principal_interest']).optional(),
  penaltyStart: z.enum(['due_date', 'retroactive', 'grace_end']).optional(),
  penaltyDaysInYear: z.union([z.literal(360), z.literal(365)]).optional(),
  allocation: z.unknown().optional(),
  chargeOffDpd: z.number().int().min(1).max(3650).optional(),
  buckets: z.unknown().optional(),
  overpayment: z.enum(['prepay_next', 'credit_balance']).optional(),
  prepayment: z.enum(['shorten_term', 'lower_installment']).optional(),
  dueSoonDays: z.number().int().min(0).max(60).optional(),
  autoDebit: z.unknown().optional(),
});

export const scheduleJsonSchema = z
  .object({
    installments: z.array(
      z.object({
        number: z.number().int(),
        dueDate: z.string(),
        principal: z.string(),
        interest: z.string(),
        fee: z.string(),
        total: z.string(),
        balance: z.string(),
      }),
    ),
    totals: z.object({ principal: z.string(), interest: z.string(), fee: z.string(), total: z.string() }),
    apr: z.string(),
    aprEffective: z.string().optional(),
    currency: z.string().optional(),
    netDisbursed: z.string().optional(),
  })
  .meta({ id: 'Schedule' });

/** Where a contract's APR stands against its pricing policy's rate caps (src/servicing/rate-caps.ts). */
export const rateCapSchema = z
  .object({
    level: z.enum(['ok', 'warning', 'refused']),
    policy: z.string().describe('the pricing policy evaluated, e.g. "cn-2026"'),
    apr: z.string().describe("the contract's APR by the IRR method, fees included"),
    line: z.string().nullable().describe('the binding line crossed (decimal fraction, "0.24"); null when ok'),
    reasons: z.array(
      z.object({
        code: z.enum(['apr_above_warning_line', 'apr_above_refusal_line', 'apr_above_lpr_line']),
        level: z.enum(['warning', 'refusal']),
        line: z.string(),
        message: z.string(),
      }),
    ),
  })
  .meta({ id: 'RateCap' });
