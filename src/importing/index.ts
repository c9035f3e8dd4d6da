// Importing: loans from CSV — validation of every row (pure) and the all-or-nothing write through the
// store. The module's front door.
export {
  defaultLocale,
  importRowsMax,
  optionalColumns,
  problemReport,
  requiredColumns,
  validateLoansCsv,
  type ImportBorrower,
  type ImportColumn,
  type ImportLoan,
  type ImportPlan,
  type ImportProblem,
  type ValidationResult,
} from './loans-csv.ts';
export { importLoanPlan, importLoansCsv, type ImportSummary } from './import.ts';
