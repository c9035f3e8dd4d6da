// Golden schedules: installments and APRs published by independent sources (spreadsheet and calculator
// manuals, widely published Chinese mortgage figures), each cited with the numbers it prints. Every
// amount is compared to the cent, every APR to the precision it was published with.
import { describe, expect, it } from 'vitest';
import { aprUnits } from './apr.ts';
import { buildSchedule } from './engine.ts';
import { toScheduleJson, type ScheduleJson } from './json.ts';
import { parseLoanTerms } from './terms.ts';

function schedule(terms: Record<string, unknown>): ScheduleJson {
  return toScheduleJson(buildSchedule(parseLoanTerms({ startDate: '2024-01-15', currency: 'USD', ...terms })));
}

function row(result: ScheduleJson, number: number): ScheduleJson['installments'][number] {
  const found = result.installments.find((installment) => installment.number === number);
  if (!found) throw new Error(`no installment ${number}`);
  return found;
}

/** Sum of a field over installments first … last (inclusive), as a decimal string with two places. */
function sumOf(result: ScheduleJson, field: 'principal' | 'interest', first: number, last: number): string {
  let cents = 0n;
  for (let n = first; n <= last; n += 1) cents += BigInt(row(result, n)[field].replace('.', ''));
  const text = cents.toString().padStart(3, '0');
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
}

const yearly = { every: 12, unit: 'month' };

describe('Microsoft Excel function reference examples', () => {
  it('PMT: $10,000 at 8% over 10 months pays $1,037.03 a month', () => {
    // https://support.microsoft.com/en-US/excel/functions/pmt-function
    // "=PMT(A2/12,A3,A4) Monthly payment for a loan with terms specified as arguments in A2:A4. ($1,037.03)"
    const result = schedule({ principal: '10000.00', annualRate: '0.08', termCount: 10 });
    for (const installment of result.installments.slice(0, -1)) expect(installment.total).toBe('1037.03');
    expect(result.apr).toBe('0.0800');
  });

  it('PPMT: $2,000 at 10% over 2 years repays $75.62 of principal in the first month', () => {
    // https://support.microsoft.com/en-us/Excel/functions/ppmt-function
    // "=PPMT(A2/12, 1, A3*12, A4) Principal payment for month 1 of loan ($75.62)"
    expect(row(schedule({ principal: '2000.00', annualRate: '0.10', termCount: 24 }), 1).principal).toBe('75.62');
  });

  it('IPMT: $8,000 at 10% over 3 years: $66.67 interest in month 1, $292.45 in year 3 when paid yearly', () => {
    // https://support.microsoft.com/en-us/excel/ipmt-function
    // "=IPMT(A2/12, A3, A4*12, A5) Interest due in the first month ($66.67)"
    // "=IPMT(A2, 3, A4, A5) Interest due in the last year for a loan with the same terms, where payments
    //  are made yearly ($292.45)"
    expect(row(schedule({ principal: '8000.00', annualRate: '0.10', termCount: 36 }), 1).interest).toBe('66.67');
    expect(
      row(schedule({ principal: '8000.00', annualRate: '0.10', termCount: 3, frequency: yearly }), 3).interest,
    ).toBe('292.45');
  });

  it('RATE: $8,000 repaid by 48 monthly payments of $200 is 9.24% a year', () => {
    // https://support.microsoft.com/en-us/Excel/rate-function
    // "=RATE(A2*12, A3, A4)*12 Annual rate of the loan with the same terms. 9.24%"
    const units = aprUnits({
      netDisbursedMinor: 800000n,
      totalsMinor: Array<bigint>(48).fill(20000n),
      periodsPerYear: { numerator: 12n, denominator: 1n },
    });
    expect((units / 100).toFixed(2)).toBe('9.24');
  });
});

describe('other spreadsheet and language manuals', () => {
  it('MathWorks annurate: $5,000 repaid by 48 monthly payments of $130 is 11.32% a year', () => {
    // https://ww2.mathworks.cn/help/finance/annurate.html — "Rate = annurate(4*12, 130, 5000, 0, 0)
    // Rate = 0.0094 … 该利率乘以 12 得到该贷款的年利率为 11.32%。"
    const units = aprUnits({
      netDisbursedMinor: 500000n,
      totalsMinor: Array<bigint>(48).fill(13000n),
      periodsPerYear: { numerator: 12n, denominator: 1n },
    });
    expect((units / 100).toFixed(2)).toBe('11.32');
  });

  it('MESCIUS formula reference: PMT(6%/12, 15, 5000) is -346.82', () => {
    // https://developer.mescius.com/document-solutions/java-excel-api/docs/online/formula-reference/financial-functions/pmt
    expect(row(schedule({ principal: '5000.00', annualRate: '0.06', termCount: 15 }), 1).total).toBe('346.82');
  });

  it('Claris FileMaker PMT: a $21,000 car at 6.9% over 48 months is $501.90 a month', () => {
    // https://help.claris.com/en/pro-help/content/pmt.html — "PMT(21000;.069/12;48) returns the payment amount $501.90."
    expect(row(schedule({ principal: '21000.00', annualRate: '0.069', termCount: 48 }), 1).total).toBe('501.90');
  });

  it('Adobe FormCalc Pmt: $150,000 at 4.75% over 25 years monthly, and $25,000 at 8.5% over 12 years yearly', () => {
    // https://help.adobe.com/ja_JP/livecycle/10.0/DesignerFormCalcRef/WS92d06802c76abadb-32254d55129f5ee7c98-7fb0.html
    // "Pmt(150000, 0.0475 / 12, 25 * 12) 855.17604207164" and "Pmt(25000, 0.085, 12) 3403.82145169876"
    expect(row(schedule({ principal: '150000.00', annualRate: '0.0475', termCount: 300 }), 1).total).toBe('855.18');
    expect(
      row(schedule({ principal: '25000.00', annualRate: '0.085', termCount: 12, frequency: yearly }), 1).total,
    ).toBe('3403.82');
  });

  it('Math on Demand: a $5,000 loan at 4% over 30 months is $175.42 a month', () => {
    // https://mathondemand.com/solutions/monthly-loan-payment-on-a-5000-loan-for-30-months-with-a-4-interest-rate
    // "Monthly Loan Payment = $175.42 (rounded to two decimal places)"
    expect(row(schedule({ principal: '5000.00', annualRate: '0.04', termCount: 30 }), 1).total).toBe('175.42');
  });
});

describe('HP 12c financial calculator documentation', () => {
  it("Owner's Handbook: $50,000 over 25 years at 13.25% requires payments of $573.35", () => {
    // hp 12c Owner's Handbook, Section 3 "Amortization" (https://manualsdump.com/en/manuals/hp-12c_financial_0012c-90001-12c_financial_12caba-12c_financial_f2231aaaba/291580/54):
    // "a 25-year mortgage for $50,000 at 13 1/4% annual interest. This requires payments of $573.35 (at the
    // end of each month)."
    expect(row(schedule({ principal: '50000.00', annualRate: '0.1325', termCount: 300 }), 1).total).toBe('573.35');
  });

  it("Owner's Handbook: $250,000 at 5.25%, first payments split into interest and principal", () => {
    // hp 12c Owner's Handbook (HDPMF123E27), Section 3 p. 71
    // (http://compsource.manualsonline.com/user-manual/hewlettpackard_1/calculator/12c/page/71): 25 years — first payment interest –1,093.75,
    // principal –404.37; second payment interest –1,091.98, principal –406.14. 30 years — "P –1,380.51
    // Monthly payment", first payment interest –1,093.75, principal –286.76, remaining balance 249,713.24.
    const twentyFive = schedule({ principal: '250000.00', annualRate: '0.0525', termCount: 300 });
    expect([row(twentyFive, 1).interest, row(twentyFive, 1).principal]).toEqual(['1093.75', '404.37']);
    expect([row(twentyFive, 2).interest, row(twentyFive, 2).principal]).toEqual(['1091.98', '406.14']);
    const thirty = row(schedule({ principal: '250000.00', annualRate: '0.0525', termCount: 360 }), 1);
    expect([thirty.total, thirty.interest, thirty.principal, thirty.balance]).toEqual([
      '1380.51',
      '1093.75',
      '286.76',
      '249713.24',
    ]);
  });

  it('HP 12C Loan Amortizations (hp calculators learning module): $180,000, 30 years, 7.75%, two years', () => {
    // https://www.formsbirds.com/free-hp-12c-loan-amortizations-3 and -4:
    // "Answer: After one year, the loan balance is $178,420.18. The amount of principal paid so far is
    // $1,579.82 and $13,894.66 interest has been paid." … "After two years, the loan balance is
    // $176,713.49. The amount of principal repaid is $1,706.69 and the amount of interest paid is $13,767.79."
    const result = schedule({ principal: '180000.00', annualRate: '0.0775', termCount: 360 });
    expect([row(result, 12).balance, sumOf(result, 'principal', 1, 12), sumOf(result, 'interest', 1, 12)]).toEqual([
      '178420.18',
      '1579.82',
      '13894.66',
    ]);
    expect([row(result, 24).balance, sumOf(result, 'principal', 13, 24), sumOf(result, 'interest', 13, 24)]).toEqual([
      '176713.49',
      '1706.69',
      '13767.79',
    ]);
  });
});

describe('widely published Chinese mortgage figures (人行5年期以上贷款基准利率)', () => {
  const cny = { currency: 'CNY' };

  it('等额本息 1,000,000 over 30 years at 4.90% is 5,307.27 a month; at 5.90% 5,931.37', () => {
    // http://m.372181.com/baike/97208.html and http://www.ccv168.com/baike/99999.html: "每月应还:5307.27元 若贷款
    // 本金:100万 期限:30年 按照人行5年期以上贷款基准年利率:4.90% … 采用等额本息还款法" and, at 5.90%,
    // "等额本息还款 … 每月还款 5,931.37元"
    const at490 = schedule({ ...cny, principal: '1000000.00', annualRate: '0.049', termCount: 360 });
    expect(at490.installments.slice(0, -1).every((installment) => installment.total === '5307.27')).toBe(true);
    expect(row(schedule({ ...cny, principal: '1000000.00', annualRate: '0.059', termCount: 360 }), 1).total).toBe(
      '5931.37',
    );
  });

  it('等额本金 1,000,000 over 30 years at 5.90% falls by 13.66 a month', () => {
    // Same pages: "等额本金还款 … 还款月数:360月 … 每月递减:13.66元"
    const result = schedule({
      ...cny,
      principal: '1000000.00',
      annualRate: '0.059',
      termCount: 360,
      method: 'equal_principal',
    });
    const drop = (n: number): number =>
      Math.round(Number(row(result, n).total) * 100 - Number(row(result, n + 1).total) * 100);
    expect([drop(1), drop(2), drop(100)]).toEqual([1366, 1366, 1366]);
  });

  it('630,000 over 30 years at 4.90%: 等额本息 3,343.58; 等额本金 first month 4,322.50, then 7.15 less each month', () => {
    // http://vdgb.cn/wenda/220578.html: "若貸款本金:63萬,期限:30年 … 4.90% 采用等額本息還款法,月供:3343.58 …
    // 采用等額本金還款法,月供是逐筆遞減的,如第一期:4322.50,隨後每期逐筆遞減金額:7.15"
    expect(row(schedule({ ...cny, principal: '630000.00', annualRate: '0.049', termCount: 360 }), 1).total).toBe(
      '3343.58',
    );
    const declining = schedule({
      ...cny,
      principal: '630000.00',
      annualRate: '0.049',
      termCount: 360,
      method: 'equal_principal',
    });
    expect(row(declining, 1).total).toBe('4322.50');
    expect(row(declining, 2).total).toBe('4315.35');
  });

  it('1,000,000 over 20 years at 4.90%: 6,544.44 a month, the first with 4,083.33 interest and 2,461.11 principal', () => {
    // http://372181.com/wenda/229816.html: "贷款本金:1000000,假定年利率:4.900%,贷款年限:20 年 : 每月应交月供还款本息额
    // 是: 6544.44元 … 第1个月还利息为:4083.33 ;第1个月还本金为:2461.11"
    const first = row(schedule({ ...cny, principal: '1000000.00', annualRate: '0.049', termCount: 240 }), 1);
    expect([first.total, first.interest, first.principal]).toEqual(['6544.44', '4083.33', '2461.11']);
  });

  it('300,000 at 4.90%: 1,592.18 a month over 30 years, 3,167.32 over 10 years', () => {
    // https://13l.net/index.php/l/1771868819402209700.html: "若贷款本金:30万,期限:30年 … 4.90% … 采用等额本息还款法,
    // 月供:1592.18"; http://372181.com/wenda/220224.html: "商業貸款30萬10年還清,按最新基準利率4.9,等額本息還款
    // 方式,月供3167.32元"
    expect(row(schedule({ ...cny, principal: '300000.00', annualRate: '0.049', termCount: 360 }), 1).total).toBe(
      '1592.18',
    );
    expect(row(schedule({ ...cny, principal: '300000.00', annualRate: '0.049', termCount: 120 }), 1).total).toBe(
      '3167.32',
    );
  });
});

describe('corrections reported from outside (issue 13, "Money, compliance and safety corrections")', () => {
  const issue = { startDate: '2026-01-01', currency: 'CNY' };

  it('flat interest totals principal × rate × term exactly: 1,250.00 at 15% over 4 months is 62.50, not 4 × 15.63', () => {
    // Issue 13's reproduction: Kuan charged 15.63 four times (62.52); 1,250.00 × 0.15 × 4/12 = 62.50, the
    // last period absorbing the rounding: 15.63 + 15.63 + 15.63 + 15.61.
    const result = schedule({ ...issue, principal: '1250.00', annualRate: '0.15', termCount: 4, interestType: 'flat' });
    expect(result.installments.map((installment) => installment.interest)).toEqual([
      '15.63',
      '15.63',
      '15.63',
      '15.61',
    ]);
    expect(result.totals.interest).toBe('62.50');
    expect(result.totals.principal).toBe('1250.00');
  });

  it('APR on the actual dates: a 5-day first period costs 27.34% nominal (31.04% effective), not 23.53%', () => {
    // Issue 13's reproduction: 12,000.00 at 0% with a 1.1% monthly fee on the principal over 12 months,
    // started 2026-01-01, first due 2026-01-06; IRR on the actual dates = 31.04% effective, 27.34% nominal
    // (12 × ((1 + r)^(1/12) − 1)). Kuan reported 23.53% by equal periods. PBoC announcement 〔2021〕第3号
    // requires the annualised rate by IRR.
    const result = schedule({
      ...issue,
      principal: '12000.00',
      annualRate: '0',
      termCount: 12,
      firstDueDate: '2026-01-06',
      fees: [{ kind: 'per_installment', rate: '0.011', base: 'principal' }],
    });
    expect(row(result, 1).total).toBe('1132.00');
    expect([result.apr, result.aprEffective]).toEqual(['0.2734', '0.3104']);
  });

  it('APR on the actual dates: a 45-day first period no longer overstates the cost (11.99%, not 12.81%)', () => {
    // Issue 13's reproduction: 12,000.00 at 12% on the daily basis, first due 45 days after the start.
    const result = schedule({
      ...issue,
      principal: '12000.00',
      annualRate: '0.12',
      termCount: 12,
      firstDueDate: '2026-02-15',
      interestBasis: 'daily',
    });
    expect([result.apr, result.aprEffective]).toEqual(['0.1199', '0.1268']);
  });

  it('interest rounded half-even as Apache Fineract does: 15.625 → 15.62 (half-up keeps 15.63)', () => {
    // Issue 13's reproduction against Apache Fineract: 1,250.00 at 15% over 4 months, the first period's
    // 15.625 booked as 15.62. Fineract's "rounding-mode" global configuration defaults to 6,
    // java.math.RoundingMode.HALF_EVEN (https://issues.apache.org/jira/browse/FINERACT-1540: "Rounding
    // mode is currently a default of 6 in Global configurations").
    const loan = { ...issue, principal: '1250.00', annualRate: '0.15', termCount: 4 };
    expect(row(schedule({ ...loan, rounding: { interestMode: 'half_even' } }), 1).interest).toBe('15.62');
    expect(row(schedule(loan), 1).interest).toBe('15.63');
    const flat = schedule({ ...loan, interestType: 'flat', rounding: { interestMode: 'half_even' } });
    expect(flat.installments.map((installment) => installment.interest)).toEqual(['15.62', '15.62', '15.62', '15.64']);
  });

  it('equal principal keeps its principal part to the cent whatever the installment multiple (Fineract: 277.78)', () => {
    // Issue 13's reproduction against Apache Fineract: its equal-principal schedules with an installment
    // multiple of 1 still carry principal parts like 277.78 (10,000.00 / 36); Kuan rounded them to 278.00.
    const result = schedule({
      ...issue,
      principal: '10000.00',
      annualRate: '0.12',
      termCount: 36,
      method: 'equal_principal',
      rounding: { mode: 'half_even', installmentMultiple: '1' },
    });
    expect(row(result, 1).principal).toBe('277.78');
    expect(row(result, 35).principal).toBe('277.78');
    expect(row(result, 36).principal).toBe('277.70');
    expect(result.totals.principal).toBe('10000.00');
  });

  describe('refuses schedules that rounding has made degenerate (issue 13 reproductions)', () => {
    const build = (terms: Record<string, unknown>) => () => buildSchedule(parseLoanTerms({ ...issue, ...terms }));

    it('9,417.58 at 34.42% over 244 months, whole units half-even: 270 against 270.13 of interest', () => {
      expect(
        build({
          principal: '9417.58',
          annualRate: '0.3442',
          termCount: 244,
          rounding: { mode: 'half_even', installmentMultiple: '1' },
        }),
      ).toThrow(
        "rounding.installmentMultiple: rounds the installment to 270.00, below the first period's interest of 270.13, " +
          'so the loan never amortises (its last installment would be 9687.71)',
      );
    });

    it('683,168.78 at 32.91% over 348 months, whole units down: a final balloon of 210,842.80', () => {
      expect(
        build({
          principal: '683168.78',
          annualRate: '0.3291',
          termCount: 348,
          rounding: { mode: 'down', installmentMultiple: '1' },
        }),
      ).toThrow(
        'rounding.installmentMultiple: leaves a final installment of 210842.80, more than twice the regular 18737.00',
      );
    });

    it('37,073.00 at 24.31% over 249 months, whole units up: installments 243–249 at 0.00', () => {
      expect(
        build({
          principal: '37073.00',
          annualRate: '0.2431',
          termCount: 249,
          rounding: { mode: 'up', installmentMultiple: '1' },
        }),
      ).toThrow(
        'rounding.installmentMultiple: repays the loan by installment 242 and leaves installments 243–249 at 0.00',
      );
    });
  });
});
