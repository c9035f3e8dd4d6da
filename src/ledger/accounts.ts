// The chart of accounts of a loan's double-entry journal. Each account has a nature (asset, liability,
// income, expense), which decides the sign of its natural balance: assets and expenses carry debit
// balances, liabilities and income carry credit balances. The list is closed: postings name one of these.

export const accounts = [
  'cash',
  'principal_receivable',
  'interest_receivable',
  'fee_receivable',
  'penalty_receivable',
  'interest_income',
  'fee_income',
  'penalty_income',
  'borrower_credit',
  'waiver_expense',
  'credit_loss',
] as const;

export type Account = (typeof accounts)[number];

export type AccountNature = 'asset' | 'liability' | 'income' | 'expense';

export const accountNature: Readonly<Record<Account, AccountNature>> = {
  // Cash and clearing: what moves through the lender's bank and payment-provider accounts.
  cash: 'asset',
  principal_receivable: 'asset',
  interest_receivable: 'asset',
  fee_receivable: 'asset',
  penalty_receivable: 'asset',
  interest_income: 'income',
  fee_income: 'income',
  penalty_income: 'income',
  // Money the borrower paid that is not yet owed: a debt of the lender to the borrower.
  borrower_credit: 'liability',
  waiver_expense: 'expense',
  credit_loss: 'expense',
};

export function isAccount(value: unknown): value is Account {
  return typeof value === 'string' && (accounts as readonly string[]).includes(value);
}
