// Locale resolution and the loan list: which of the catalogue's locales a borrower's locale reads, and the
// phrase naming one borrower's loans in a consolidated message. Invariants: any well-formed locale resolves
// (Chinese of any region or script to zh-CN, everything else to en); the loan list reads as a noun phrase
// for one loan or many, and lists at most `listedMax` labels.
import { InputError, quote } from '../../errors/index.ts';
import type { TemplateLocale } from './types.ts';

const localePattern = /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$/;

/**
 * zh, zh-CN, zh-Hans, zh_CN … → zh-CN (the catalogue's only Chinese, also the most readable choice for
 * zh-TW/zh-HK readers); en, en-US, en-GB … and every other language → en.
 */
export function resolveTemplateLocale(locale: unknown): TemplateLocale {
  if (typeof locale !== 'string' || !localePattern.test(locale)) {
    throw new InputError('locale', `must be a language tag such as "zh-CN" or "en", got ${quote(locale)}`);
  }
  return locale.slice(0, 2).toLowerCase() === 'zh' && !/^zh[a-z]/i.test(locale) ? 'zh-CN' : 'en';
}

export const loanListLabelsMax = 1000;

export interface LoanListInput {
  locale: string;
  /** How the borrower knows each loan (a contract number or its last digits), in the order to list them. */
  loanLabels: readonly string[];
  /** Labels listed before the rest is summarised; default 5. */
  listedMax?: number;
}

/**
 * en: "loan KL-0001" · "2 loans (KL-0001 and KL-0002)" · "7 loans (A, B, C, D, E and 2 more)".
 * zh-CN: "借款KL-0001" · "2笔借款（KL-0001、KL-0002）" · "7笔借款（A、B、C、D、E等）".
 */
export function formatLoanList({ locale, loanLabels, listedMax = 5 }: LoanListInput): string {
  const resolved = resolveTemplateLocale(locale);
  if (loanLabels.length === 0) throw new InputError('loanLabels', 'must name at least one loan');
  if (loanLabels.length > loanListLabelsMax) {
    throw new InputError('loanLabels', `must name at most ${loanListLabelsMax} loans`);
  }
  if (!Number.isInteger(listedMax) || listedMax < 1) {
    throw new InputError('listedMax', `must be a positive integer, got ${quote(listedMax)}`);
  }
  loanLabels.forEach((label, index) => {
    if (typeof label !== 'string' || label.trim() === '') {
      throw new InputError(`loanLabels[${index}]`, `must be a non-empty string, got ${quote(label)}`);
    }
  });
  const labels = loanLabels.map((label) => label.trim());
  const count = labels.length;
  const listed = labels.slice(0, listedMax);
  const rest = count - listed.length;
  if (resolved === 'zh-CN') {
    if (count === 1) return `借款${labels[0]}`;
    return `${count}笔借款（${listed.join('、')}${rest > 0 ? '等' : ''}）`;
  }
  if (count === 1) return `loan ${labels[0]}`;
  const items = rest > 0 ? [...listed, `${rest} more`] : listed;
  return `${count} loans (${items.slice(0, -1).join(', ')} and ${items.at(-1)})`;
}
