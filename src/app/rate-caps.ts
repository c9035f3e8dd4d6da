// Rate caps between the store and the core: which pricing policy applies to a loan or product (the
// product's own, else the default for the currency), and the APR a product's partial terms imply. The
// evaluation itself is the pure `evaluateRateCaps` (src/servicing/rate-caps.ts).
import { InputError } from '../errors/index.ts';
import { buildSchedule, parseLoanTerms } from '../schedule/index.ts';
import { defaultRateCapPolicy, parseRateCapPolicy, type RateCapPolicy } from '../servicing/index.ts';
import { getProduct, type Queryable } from '../store/index.ts';

/** Where a product's terms leave them out, its APR is computed at these (a loan is checked on its own). */
export const referencePrincipal = '10000.00';
export const referenceStartDate = '2026-01-01';

/** The policy of a product as stored (null: none named), else the currency's default. */
export function productRateCapPolicy(
  product: { productId: string; rateCaps: unknown } | undefined,
  currency: string,
): RateCapPolicy {
  if (product === undefined || product.rateCaps === null || product.rateCaps === undefined) {
    return defaultRateCapPolicy(currency);
  }
  return parseRateCapPolicy(product.rateCaps, `products[${product.productId}].rateCaps`);
}

/** The policy a loan of this product (or of none) is priced under. */
export async function loanRateCapPolicy(
  queryable: Queryable,
  loan: { productId: string | null | undefined; currency: string },
): Promise<RateCapPolicy> {
  const product = loan.productId ? await getProduct(queryable, loan.productId) : undefined;
  return productRateCapPolicy(product, loan.currency);
}

/**
 * The APR of a product's terms, with the reference principal and start date where the product leaves
 * them to the loan; null when the terms do not price a loan yet (no annualRate or termCount, or they do
 * not form a schedule on their own — each loan is still checked when it opens).
 */
export function productApr(terms: Record<string, unknown>): string | null {
  if (terms.annualRate === undefined || terms.termCount === undefined) return null;
  try {
    const full = parseLoanTerms({ principal: referencePrincipal, startDate: referenceStartDate, ...terms });
    return buildSchedule(full).apr;
  } catch (error) {
    if (error instanceof InputError) return null;
    throw error;
  }
}
