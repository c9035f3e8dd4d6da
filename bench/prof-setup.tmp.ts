import { encodeLoanDocument, loanContractOf } from '../src/app/index.ts';
import { buildSchedule, parseLoanTerms } from '../src/schedule/index.ts';
import { openLoan, parseServicingRules } from '../src/servicing/index.ts';
import { insertLoans, migrate, openDatabase, upsertBorrowers } from '../src/store/index.ts';
const n = Number(process.argv[2]);
const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL!, poolSize: 1 });
await migrate(db);
const startDate = '2026-02-20';
const terms = parseLoanTerms({ principal: '5000.00', currency: 'CNY', annualRate: '0.12', termCount: 12, startDate });
const opened = openLoan({ loanId: 'T', borrowerId: 'T', schedule: buildSchedule(terms), terms, rules: parseServicingRules({}), disbursedOn: startDate });
const doc = encodeLoanDocument(opened.state, 1);
const contract = loanContractOf(opened.state);
for (let start = 0; start < n; start += 5000) {
  const ids = Array.from({ length: Math.min(5000, n - start) }, (_, i) => String(start + i).padStart(8, '0'));
  await upsertBorrowers(db, ids.map((id) => ({ borrowerId: `B${id}`, name: id, timezone: 'Asia/Shanghai', locale: 'zh-CN', contacts: {} })));
  await insertLoans(db, ids.map((id) => ({ borrowerId: `B${id}`, loanId: `L${id}`, currency: 'CNY', status: opened.state.status, bucket: opened.state.bucket, nextEventDate: opened.state.nextEventDate, closedThrough: opened.state.closedThrough, state: doc, contract })));
}
console.log(opened.state.installments[0]!.dueDate);
await db.close();
