// Products: named loan terms and servicing rules (grace days, penalty rate, allocation order, …) that
// loans are issued under, and their pricing policy (rate caps). The store keeps terms, rules and the
// policy as JSON documents validated at the edge.
import { asc, eq, sql } from 'drizzle-orm';
import { executorOf, type Queryable } from './db.ts';
import { toInstant } from './rows.ts';
import { products } from './schema.ts';

export interface NewProduct {
  productId: string;
  name: string;
  /** JSON-serialisable. */
  terms: unknown;
  /** JSON-serialisable. */
  rules: unknown;
  /** JSON-serialisable rate caps policy (src/servicing/rate-caps.ts); absent or null: the currency's default. */
  rateCaps?: unknown;
}

export interface ProductRow extends NewProduct {
  rateCaps: unknown;
  createdAt: string;
}

/** Creates a product or replaces its name, terms, rules and rate caps (a product given without caps has none). */
export async function upsertProduct(queryable: Queryable, product: NewProduct): Promise<void> {
  await executorOf(queryable)
    .insert(products)
    .values({ ...product, rateCaps: product.rateCaps ?? null })
    .onConflictDoUpdate({
      target: products.productId,
      set: {
        name: sql`excluded.name`,
        terms: sql`excluded.terms`,
        rules: sql`excluded.rules`,
        rateCaps: sql`excluded.rate_caps`,
      },
    });
}

export async function getProduct(queryable: Queryable, productId: string): Promise<ProductRow | undefined> {
  const [row] = await executorOf(queryable).select().from(products).where(eq(products.productId, productId));
  return row ? { ...row, createdAt: toInstant(row.createdAt) } : undefined;
}

export async function listProducts(queryable: Queryable): Promise<ProductRow[]> {
  const rows = await executorOf(queryable).select().from(products).orderBy(asc(products.productId));
  return rows.map((row) => ({ ...row, createdAt: toInstant(row.createdAt) }));
}
