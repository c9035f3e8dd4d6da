// The demo's sample book, generated deterministically from a seed: borrowers with names, zones and
// contacts; loans of a few realistic products; and for every installment the day its borrower will pay
// (or not), drawn from a lateness distribution. Pure: the caller passes the seed and the distribution
// (built-in, or calibrated on the Home Credit data when the shell finds it).
import { addDays, type IsoDate } from '../calendar/index.ts';
import { invariant } from '../errors/index.ts';
import { buildSchedule, parseLoanTerms, type LoanTerms } from '../schedule/index.ts';
import { parseServicingRules, type ServicingRules } from '../servicing/index.ts';

/** Days between due date and payment (≤ 0 = on time or early), with weights; `null` = never pays. */
export interface LatenessDistribution {
  source: string;
  outcomes: { daysLate: number | null; weight: number }[];
}

/** Used when no real data is at hand: 85 % on time, a tail of late payers, 3 % who stop paying. */
export const builtInLateness: LatenessDistribution = {
  source: 'built-in parameters',
  outcomes: [
    { daysLate: -3, weight: 20 },
    { daysLate: -1, weight: 15 },
    { daysLate: 0, weight: 50 },
    { daysLate: 1, weight: 3 },
    { daysLate: 2, weight: 2 },
    { daysLate: 3, weight: 1.5 },
    { daysLate: 7, weight: 2 },
    { daysLate: 15, weight: 1.5 },
    { daysLate: 35, weight: 1 },
    { daysLate: 70, weight: 1 },
    { daysLate: null, weight: 3 },
  ],
};

/** mulberry32: a tiny seeded generator; the demo must replay identically from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  invariant(item !== undefined, 'pick from an empty list');
  return item;
}

function draw(random: () => number, distribution: LatenessDistribution): number | null {
  const total = distribution.outcomes.reduce((sum, outcome) => sum + outcome.weight, 0);
  let point = random() * total;
  for (const outcome of distribution.outcomes) {
    point -= outcome.weight;
    if (point <= 0) return outcome.daysLate;
  }
  return distribution.outcomes.at(-1)?.daysLate ?? 0;
}

export interface DemoBorrower {
  borrowerId: string;
  name: string;
  timezone: string;
  locale: string;
  contacts: { sms: string; email: string; push: string; voice: string };
}

export interface DemoLoan {
  loanId: string;
  borrowerId: string;
  productId: string;
  terms: LoanTerms;
  rules: ServicingRules;
  disbursedOn: IsoDate;
}

export interface DemoPayment {
  loanId: string;
  on: IsoDate;
  amountMinor: bigint;
  idempotencyKey: string;
}

export interface DemoProduct {
  productId: string;
  name: string;
  /** LoanTerms defaults and servicing rules, as the contract's JSON. */
  terms: Record<string, unknown>;
  rules: Record<string, unknown>;
}

export interface DemoBook {
  products: DemoProduct[];
  borrowers: DemoBorrower[];
  loans: DemoLoan[];
  /** Every payment the borrowers will make, in date order. */
  payments: DemoPayment[];
}

const products = [
  {
    productId: 'cash-12m',
    name: 'Cash loan, 12 months',
    principals: [3000, 5000, 8000, 12000],
    rate: '0.18',
    terms: 12,
    method: 'equal_installment',
    grace: 3,
  },
  {
    productId: 'cash-6m',
    name: 'Cash loan, 6 months',
    principals: [1000, 2000, 3000],
    rate: '0.24',
    terms: 6,
    method: 'equal_principal',
    grace: 3,
  },
  {
    productId: 'bnpl-3m',
    name: 'Instalment purchase, 3 months',
    principals: [600, 1200, 2400],
    rate: '0.12',
    terms: 3,
    method: 'equal_installment',
    grace: 5,
  },
] as const;

const penaltyAnnualRate = '0.18';

const surnames = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭'];
const givenNames = ['伟', '芳', '娜', '敏', '静', '磊', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞'];

export interface DemoBookOptions {
  seed: number;
  loanCount: number;
  /** First business date the demo reports on; loans are disbursed over the 60 days before it. */
  startDate: IsoDate;
  lateness: LatenessDistribution;
}

export function generateDemoBook({ seed, loanCount, startDate, lateness }: DemoBookOptions): DemoBook {
  const random = seededRandom(seed);
  const borrowers: DemoBorrower[] = [];
  const loans: DemoLoan[] = [];
  const payments: DemoPayment[] = [];
  for (let index = 0; index < loanCount; index += 1) {
    // About one borrower in six holds a second loan.
    const reuse = borrowers.length > 0 && random() < 1 / 6;
    let borrower = reuse ? pick(random, borrowers) : undefined;
    if (!borrower) {
      const number = String(borrowers.length + 1).padStart(5, '0');
      const english = random() < 0.1;
      borrower = {
        borrowerId: `B${number}`,
        name: english ? `Borrower ${number}` : `${pick(random, surnames)}${pick(random, givenNames)}`,
        timezone: english ? 'Asia/Singapore' : 'Asia/Shanghai',
        locale: english ? 'en' : 'zh-CN',
        contacts: {
          sms: `+86138${number.padStart(8, '0')}`,
          email: `b${number}@example.com`,
          push: `device-b${number}`,
          voice: `+86138${number.padStart(8, '0')}`,
        },
      };
      borrowers.push(borrower);
    }
    const product = pick(random, products);
    const disbursedOn = addDays(startDate, -Math.floor(random() * 60) - 1);
    const terms = parseLoanTerms({
      principal: `${pick(random, product.principals)}.00`,
      annualRate: product.rate,
      termCount: product.terms,
      startDate: disbursedOn,
      method: product.method,
    });
    const rules = parseServicingRules({ graceDays: product.grace, penaltyAnnualRate });
    const loanId = `L${String(index + 1).padStart(6, '0')}`;
    loans.push({ loanId, borrowerId: borrower.borrowerId, productId: product.productId, terms, rules, disbursedOn });
    const stopsAfter = random() < 0.04 ? Math.floor(random() * product.terms) : Infinity;
    for (const installment of buildSchedule(terms).installments) {
      if (installment.number > stopsAfter) break;
      const daysLate = draw(random, lateness);
      if (daysLate === null) break;
      payments.push({
        loanId,
        on: addDays(installment.dueDate, daysLate),
        amountMinor: installment.totalMinor,
        idempotencyKey: `demo:${loanId}:${installment.number}`,
      });
    }
  }
  payments.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : a.loanId < b.loanId ? -1 : 1));
  const productRows = products.map((product) => ({
    productId: product.productId,
    name: product.name,
    terms: { annualRate: product.rate, termCount: product.terms, method: product.method, currency: 'CNY' },
    rules: { graceDays: product.grace, penaltyAnnualRate },
  }));
  return { products: productRows, borrowers, loans, payments };
}

/** The business dates a demo of `days` days runs, from its start. */
export function demoDates(startDate: IsoDate, days: number): IsoDate[] {
  return Array.from({ length: days }, (_, offset) => addDays(startDate, offset));
}
