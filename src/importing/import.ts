// Writing a validated loans CSV into the store: in ONE database transaction, check that no loan id
// already exists, that each product exists, and that each loan's APR is not above its pricing policy's
// refusal line (the product's rate caps, else the currency's default); upsert the borrowers, and open the
// loans through the runner's openLoans (opening state, opening journal entries and the opening
// transaction, seq 1). Any failure rolls back everything, so a file is imported whole or not at all; a
// loan above a warning line imports, and the summary lists it.
import { openLoans, productRateCapPolicy } from '../app/index.ts';
import { evaluateRateCaps, refusalMessage } from '../servicing/index.ts';
import {
  getLoan,
  getProduct,
  upsertBorrowers,
  type Database,
  type ProductRow,
  type Transaction,
} from '../store/index.ts';
import { problemReport, validateLoansCsv, type ImportPlan, type ImportProblem } from './loans-csv.ts';

export interface ImportSummary {
  borrowers: number;
  loans: number;
  /** Loans imported above a warning line of their pricing policy, each naming its row and column. */
  warnings: ImportProblem[];
}

/** The column a rate cap finding names: the price is the annual rate (with the fees, which the CSV does not set). */
const rateCapColumn = 'annual_rate';

/**
 * openLoans runs its own `db.transaction`; this view of the database turns that into a savepoint inside
 * the import's transaction, so borrowers and loans commit or roll back together.
 */
function inside(db: Database, tx: Transaction): Database {
  return { ...db, transaction: (fn) => tx.transaction(fn) };
}

async function storeProblems(
  tx: Transaction,
  plan: ImportPlan,
): Promise<{ problems: ImportProblem[]; warnings: ImportProblem[] }> {
  const problems: ImportProblem[] = [];
  const warnings: ImportProblem[] = [];
  const products = new Map<string, ProductRow | undefined>();
  for (const loan of plan.loans) {
    if (await getLoan(tx, loan.loanId)) {
      problems.push({ row: loan.row, column: 'loan_id', reason: `${loan.loanId} already exists in the database` });
    }
    let product: ProductRow | undefined;
    if (loan.productId !== undefined) {
      if (!products.has(loan.productId)) products.set(loan.productId, await getProduct(tx, loan.productId));
      product = products.get(loan.productId);
      if (product === undefined) {
        problems.push({ row: loan.row, column: 'product_id', reason: `no product ${loan.productId} in the database` });
        continue;
      }
    }
    const priced = evaluateRateCaps(loan.apr, productRateCapPolicy(product, loan.terms.currency));
    if (priced.level === 'refused') {
      problems.push({ row: loan.row, column: rateCapColumn, reason: refusalMessage(priced) });
    } else if (priced.level === 'warning') {
      const reason = priced.reasons.find((item) => item.level === 'warning')?.message ?? priced.level;
      warnings.push({ row: loan.row, column: rateCapColumn, reason });
    }
  }
  return { problems, warnings };
}

/** Validates the CSV text and imports it whole; throws InputError (naming `file`) and imports nothing on any problem. */
export async function importLoansCsv(db: Database, text: string, file: string): Promise<ImportSummary> {
  const validated = validateLoansCsv(text, file);
  if (!validated.ok) throw problemReport(file, validated.problems);
  return importLoanPlan(db, validated.plan, file);
}

/** Imports a validated plan in one transaction, after checking its loan ids and products against the database. */
export async function importLoanPlan(db: Database, plan: ImportPlan, file: string): Promise<ImportSummary> {
  return db.transaction(async (tx) => {
    const { problems, warnings } = await storeProblems(tx, plan);
    if (problems.length > 0) throw problemReport(file, problems);
    await upsertBorrowers(tx, plan.borrowers);
    const loans = await openLoans(
      inside(db, tx),
      plan.loans.map((loan) => ({
        loanId: loan.loanId,
        borrowerId: loan.borrowerId,
        ...(loan.productId === undefined ? {} : { productId: loan.productId }),
        terms: loan.terms,
        rules: loan.rules,
        disbursedOn: loan.terms.startDate,
      })),
    );
    return { borrowers: plan.borrowers.length, loans, warnings };
  });
}
