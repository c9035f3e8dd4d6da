// Writing a validated loans CSV into the store: in ONE database transaction, check that no loan id
// already exists, upsert the borrowers, and open the loans through the runner's openLoans (opening
// state, opening journal entries and the opening transaction, seq 1). Any failure rolls back everything,
// so a file is imported whole or not at all.
import { openLoans } from '../jobs/index.ts';
import { getLoan, getProduct, upsertBorrowers, type Database, type Transaction } from '../store/index.ts';
import { problemReport, validateLoansCsv, type ImportPlan, type ImportProblem } from './loans-csv.ts';

export interface ImportSummary {
  borrowers: number;
  loans: number;
}

/**
 * openLoans runs its own `db.transaction`; this view of the database turns that into a savepoint inside
 * the import's transaction, so borrowers and loans commit or roll back together.
 */
function inside(db: Database, tx: Transaction): Database {
  return { ...db, transaction: (fn) => tx.transaction(fn) };
}

async function storeProblems(tx: Transaction, plan: ImportPlan): Promise<ImportProblem[]> {
  const problems: ImportProblem[] = [];
  const products = new Map<string, boolean>();
  for (const loan of plan.loans) {
    if (await getLoan(tx, loan.loanId)) {
      problems.push({ row: loan.row, column: 'loan_id', reason: `${loan.loanId} already exists in the database` });
    }
    if (loan.productId !== undefined) {
      if (!products.has(loan.productId))
        products.set(loan.productId, (await getProduct(tx, loan.productId)) !== undefined);
      if (!products.get(loan.productId)) {
        problems.push({ row: loan.row, column: 'product_id', reason: `no product ${loan.productId} in the database` });
      }
    }
  }
  return problems;
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
    const problems = await storeProblems(tx, plan);
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
    return { borrowers: plan.borrowers.length, loans };
  });
}
