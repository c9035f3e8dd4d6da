// Products: named loan terms and servicing rules (grace days, penalty rate, allocation order, …) that
// loans are issued under. The store keeps terms and rules as JSON documents validated at the edge.
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
}

export interface ProductRow extends NewProduct {
  createdAt: string;
}

/** Creates a product or replaces its name, terms and rules. */
export async function upsertProduct(queryable: Queryable, product: NewProduct): Promise<void> {
  await executorOf(queryable)
    .insert(products)
    .values(product)
    .onConflictDoUpdate({
      target: products.productId,
      set: { name: sql`excluded.name`, terms: sql`excluded.terms`, rules: sql`excluded.rules` },
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
