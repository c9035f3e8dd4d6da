// Products: named loan terms and servicing rules, with where each product's APR stands against its
// pricing policy. Invariant: a product priced above its policy's refusal line is refused before it is
// saved (422); a warning is saved and shown on the product.
import { z } from 'zod';
import { productApr, productRateCapPolicy } from '../../app/index.ts';
import {
  evaluateRateCaps,
  parseRateCapPolicy,
  parseServicingRules,
  RATE_ABOVE_CAP,
  rateCapPolicySchema,
  rateCapPolicyToJson,
  rateCapToJson,
  refusalMessage,
  servicingRulesToJson,
} from '../../servicing/index.ts';
import { getProduct, listProducts, upsertProduct, type ProductRow } from '../../store/index.ts';
import type { Api, ApiContext } from '../context.ts';
import { notFound, problemSchema } from '../problem.ts';
import {
  decodeCursor,
  domainDocument,
  idSchema,
  loanTermsDoc,
  page,
  pageOf,
  pageQuerySchema,
  rateCapSchema,
  servicingRulesDoc,
  textSchema,
} from '../schemas.ts';
import { errorResponses, refusal } from './common.ts';

const productSchema = z
  .object({
    productId: z.string(),
    name: z.string(),
    terms: z.record(z.string(), z.unknown()).describe('LoanTerms fields every loan of the product starts from'),
    rules: z.record(z.string(), z.unknown()).describe('servicing rules'),
    rateCaps: z
      .unknown()
      .optional()
      .describe(
        'the pricing policy as saved ("cn-2026", "none" or its lines); absent: the default for the currency (docs/servicing.md, "Rate caps")',
      ),
    rateCap: rateCapSchema
      .optional()
      .describe("where the product's APR stands against its policy; absent when its terms do not price a loan yet"),
    createdAt: z.string(),
  })
  .meta({ id: 'Product' });

/** A product as the API shows it, with where its APR (at the reference principal and date) stands. */
function productView(row: ProductRow) {
  const terms = row.terms as Record<string, unknown>;
  const apr = productApr(terms);
  const currency = typeof terms.currency === 'string' ? terms.currency : 'CNY';
  const { rateCaps, ...rest } = row;
  return {
    ...rest,
    terms,
    rules: row.rules as Record<string, unknown>,
    ...(rateCaps === null ? {} : { rateCaps }),
    ...(apr === null ? {} : { rateCap: rateCapToJson(evaluateRateCaps(apr, productRateCapPolicy(row, currency))) }),
  };
}

/** Product terms: any LoanTerms fields but the dates, checked for shape (a loan checks the whole). */
const productTermsSchema = loanTermsDoc.partial().omit({ startDate: true, firstDueDate: true });

export function registerProductRoutes(api: Api, ctx: ApiContext): void {
  api.get(
    '/products',
    {
      config: { access: { kind: 'permission', permission: 'products:read', borrower: false } },
      schema: {
        tags: ['products'],
        summary: 'Products: named loan terms and servicing rules',
        querystring: pageQuerySchema,
        response: { 200: pageOf(productSchema), ...errorResponses },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const after = decodeCursor(cursor, z.object({ p: idSchema }));
      // A lender has a handful of products; the store lists them all.
      const all = await listProducts(ctx.db);
      const rows = all.filter((row) => after === undefined || row.productId > after.p).slice(0, limit);
      return page(rows.map(productView), limit, (last) => ({ p: last.productId }));
    },
  );

  api.get(
    '/products/:productId',
    {
      config: { access: { kind: 'permission', permission: 'products:read', borrower: false } },
      schema: {
        tags: ['products'],
        summary: 'One product',
        params: z.object({ productId: idSchema }),
        response: { 200: productSchema, ...errorResponses },
      },
    },
    async (request) => {
      const product = await getProduct(ctx.db, request.params.productId);
      if (product === undefined) throw notFound(`product ${request.params.productId}`);
      return productView(product);
    },
  );

  api.put(
    '/products/:productId',
    {
      config: { access: { kind: 'permission', permission: 'products:write', borrower: false } },
      schema: {
        tags: ['products'],
        summary: 'Create or replace a product',
        params: z.object({ productId: idSchema }),
        body: z.strictObject({
          name: textSchema(200).min(1),
          terms: productTermsSchema.default({}),
          rules: domainDocument(servicingRulesDoc, 'servicing rules (docs/servicing.md)').optional(),
          rateCaps: domainDocument(
            rateCapPolicySchema,
            'pricing policy: "cn-2026", "none", or {warnAprAbove, refuseAprAbove, lprLine}; default: by currency (docs/servicing.md, "Rate caps")',
          ).optional(),
        }),
        response: { 200: productSchema, 422: problemSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { productId } = request.params;
      const rules = servicingRulesToJson(parseServicingRules(request.body.rules ?? {}, { field: 'rules' }));
      const policy =
        request.body.rateCaps === undefined ? undefined : parseRateCapPolicy(request.body.rateCaps, 'rateCaps');
      const { terms } = request.body;
      // A product priced above its policy's refusal line is refused before it is saved; a warning is
      // saved and shown on the product (`rateCap`).
      const apr = productApr(terms);
      if (apr !== null) {
        const currency = terms.currency ?? 'CNY';
        const evaluation = evaluateRateCaps(apr, policy ?? productRateCapPolicy(undefined, currency));
        if (evaluation.level === 'refused') {
          throw refusal(RATE_ABOVE_CAP, `terms.annualRate: ${refusalMessage(evaluation)}`, 'terms.annualRate');
        }
      }
      request.auditNote!.detail = { productId };
      await upsertProduct(ctx.db, {
        productId,
        name: request.body.name,
        terms,
        rules,
        ...(policy === undefined ? {} : { rateCaps: rateCapPolicyToJson(policy) }),
      });
      const product = await getProduct(ctx.db, productId);
      if (product === undefined) throw new Error(`product ${productId} vanished after it was written`);
      return productView(product);
    },
  );
}
