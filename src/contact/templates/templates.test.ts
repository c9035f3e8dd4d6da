// Templates: the built-in catalogue is complete and well formed, renders every channel in both locales
// without gaps, carries the verification code and the opt-out sentence where required, reads well for one
// loan or several, stays kind, and custom templates are held to the same rules.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../errors/index.ts';
import { contactChannels, type ContactChannel } from '../model.ts';
import {
  builtInTemplates,
  countSmsSegments,
  defaultOptOutText,
  formatLoanList,
  getTemplate,
  parseTemplateOverrides,
  renderTemplate,
  resolveTemplateLocale,
  templateIds,
  templateLocales,
  templateVariables,
  templateVariablesOf,
  validateTemplates,
  type TemplateLocale,
  type TemplateVariables,
} from './index.ts';

function rejection(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

const requiredIds = [
  'due_soon',
  'due_today',
  'in_grace',
  'grace_ending',
  'overdue_1',
  'overdue_7',
  'overdue_15',
  'overdue_30',
  'overdue_60',
  'final_notice',
  'hold_confirmed',
  'hold_checkin',
  'promise_confirmed',
  'promise_reminder',
  'promise_broken',
  'plan_offer',
  'plan_confirmed',
  'payment_received',
  'payment_failed',
  'status_delayed',
  'sign_in_code',
  'lawyer_letter',
];

/** Realistic values; English ones are plain ASCII plus the GSM-7 yen sign. */
function sampleVariables(locale: TemplateLocale, loanLabels: string[] = ['KL-0001']): TemplateVariables {
  const english = locale === 'en';
  return {
    borrowerName: english ? 'Alex Chen' : '陈晓明',
    lenderName: english ? 'Kuan Finance' : '宽信金融',
    amount: english ? 'CN¥305.00' : '¥305.00',
    currency: 'CNY',
    dueDate: '2026-03-14',
    daysOverdue: 7,
    loanCount: loanLabels.length,
    loanList: formatLoanList({ locale, loanLabels }),
    portalUrl: 'https://kuan.example/p',
    verificationCode: 'K7Q2M9',
    holdUntil: '2026-04-03',
    promiseDate: '2026-03-25',
    promiseAmount: english ? 'CN¥305.00' : '¥305.00',
    eta: '2026-03-20',
    what: english ? 'refund of CN¥50.00' : '¥50.00退款',
    signInCode: '482913',
    graceEndDate: '2026-03-17',
  };
}

const hasScript = (id: string): boolean => getTemplate(id)?.locales.en.script !== undefined;

describe('the built-in catalogue', () => {
  it('passes validateTemplates: both locales, known variables, a code in every variant', () => {
    expect(validateTemplates()).toEqual([]);
  });

  it('has every template the contact strategies need', () => {
    expect(templateIds).toEqual(expect.arrayContaining(requiredIds));
    expect(new Set(templateIds).size).toBe(templateIds.length);
  });

  it('marks money reminders as reminders and the rest as notices', () => {
    const purpose = (id: string) => getTemplate(id)?.purpose;
    for (const id of ['due_soon', 'in_grace', 'overdue_30', 'final_notice', 'promise_broken', 'payment_failed']) {
      expect(purpose(id)).toBe('reminder');
    }
    for (const id of ['hold_confirmed', 'promise_confirmed', 'payment_received', 'status_delayed', 'sign_in_code']) {
      expect(purpose(id)).toBe('notice');
    }
  });

  it('never threatens, shames or mentions third parties', () => {
    const forbidden = [
      /arrest|police|jail|prison|criminal|court|sue\b|lawsuit|shame|family|employer|colleague|neighbou?r/i,
      /逮捕|拘留|公安|报警|坐牢|刑事|起诉|法院|曝光|通讯录|家人|亲友|单位|同事|后果自负|黑名单/,
    ];
    for (const template of builtInTemplates) {
      for (const locale of templateLocales) {
        const text = Object.values(template.locales[locale]).join('\n');
        for (const pattern of forbidden) expect(text, `${template.id} ${locale}`).not.toMatch(pattern);
      }
    }
  });

  it('keeps English SMS and push text inside GSM-7, so it is not billed as UCS-2', () => {
    for (const template of builtInTemplates) {
      expect(countSmsSegments(template.locales.en.short).encoding, template.id).toBe('GSM-7');
    }
  });
});

describe('renderTemplate over the whole catalogue', () => {
  const cases = templateIds.flatMap((id) =>
    templateLocales.flatMap((locale) => contactChannels.map((channel) => ({ id, locale, channel }))),
  );

  it.each(cases)('$id $locale $channel fills every placeholder and carries the code', ({ id, locale, channel }) => {
    if (channel === 'voice' && !hasScript(id)) {
      expect(rejection(() => renderTemplate({ templateId: id, channel, locale, variables: {} })).field).toBe('channel');
      return;
    }
    const message = renderTemplate({ templateId: id, channel, locale, variables: sampleVariables(locale) });
    expect(message).toMatchObject({ templateId: id, locale, channel });
    for (const text of [message.body, message.subject ?? '']) {
      expect(text).not.toMatch(/\{\{|\}\}/);
      expect(text).not.toContain('undefined');
    }
    expect(message.body).toContain('K7Q2M9');
    expect(message.subject !== undefined).toBe(['email', 'letter', 'push'].includes(channel));
    expect(message.segments !== undefined).toBe(channel === 'sms');
  });

  it('keeps every SMS within 3 segments, opt-out included, for one loan or three', () => {
    for (const id of templateIds) {
      for (const locale of templateLocales) {
        for (const labels of [['KL-0001'], ['KL-0001', 'KL-0002', 'KL-0003']]) {
          const message = renderTemplate({
            templateId: id,
            channel: 'sms',
            locale,
            variables: sampleVariables(locale, labels),
            optOutRequired: true,
          });
          expect(message.segments?.segments, `${id} ${locale} ${labels.length}`).toBeLessThanOrEqual(3);
          if (locale === 'en') expect(message.segments?.encoding).toBe('GSM-7');
        }
      }
    }
  });

  it('states amount, due date and portal in a due reminder, and the days past due once overdue', () => {
    const zh = renderTemplate({
      templateId: 'overdue_7',
      channel: 'sms',
      locale: 'zh-CN',
      variables: sampleVariables('zh-CN'),
    });
    expect(zh.body).toMatch(/^【宽信金融】陈晓明您好，您的借款KL-0001已逾期7天，应还¥305\.00。/);
    expect(zh.body).toContain('https://kuan.example/p');
    expect(zh.body).toContain('核验码K7Q2M9，可在官方App/门户核验本消息真伪。');
    const en = renderTemplate({
      templateId: 'due_soon',
      channel: 'email',
      locale: 'en',
      variables: sampleVariables('en'),
    });
    expect(en.subject).toBe('Reminder: CN¥305.00 due on 2026-03-14');
    expect(en.body).toContain('CN¥305.00 for loan KL-0001 is due on 2026-03-14.');
    expect(en.body).toContain('Verification code K7Q2M9: to confirm this message is genuine');
  });

  it('says kindly that paying inside the grace days costs no penalty', () => {
    const zh = renderTemplate({
      templateId: 'in_grace',
      channel: 'sms',
      locale: 'zh',
      variables: sampleVariables('zh-CN'),
    });
    expect(zh.body).toContain('2026-03-17前还款不收罚息、不计逾期');
    const en = renderTemplate({
      templateId: 'in_grace',
      channel: 'sms',
      locale: 'en-US',
      variables: sampleVariables('en'),
    });
    expect(en.body).toContain('pay by 2026-03-17 and there is no penalty and nothing is recorded as overdue');
  });

  it('reads well for several loans consolidated into one message', () => {
    const labels = ['KL-0001', 'KL-0002', 'KL-0003'];
    const en = renderTemplate({
      templateId: 'due_soon',
      channel: 'sms',
      locale: 'en',
      variables: sampleVariables('en', labels),
    });
    expect(en.body).toContain('CN¥305.00 for 3 loans (KL-0001, KL-0002 and KL-0003) is due on 2026-03-14');
    const zh = renderTemplate({
      templateId: 'due_soon',
      channel: 'sms',
      locale: 'zh-CN',
      variables: sampleVariables('zh-CN', labels),
    });
    expect(zh.body).toContain('您的3笔借款（KL-0001、KL-0002、KL-0003）将于2026-03-14到期');
    for (const id of templateIds) {
      for (const channel of ['sms', 'email'] as const) {
        const one = renderTemplate({ templateId: id, channel, locale: 'en', variables: sampleVariables('en') });
        expect(one.body, id).not.toMatch(/\b1 loans\b|\bloans KL|\b1 days\b/);
      }
    }
  });

  it('puts a space after the portal link in Chinese text, so phones do not swallow the next words into it', () => {
    for (const template of builtInTemplates) {
      const text = Object.values(template.locales['zh-CN']).join('\n');
      expect(text, template.id).not.toMatch(/\{\{portalUrl\}\}[^\s]/);
    }
  });
});

describe('renderTemplate inputs', () => {
  it('names a missing variable', () => {
    const variables = { ...sampleVariables('en') };
    delete variables.amount;
    const error = rejection(() => renderTemplate({ templateId: 'due_soon', channel: 'sms', locale: 'en', variables }));
    expect(error.field).toBe('variables.amount');
    expect(error.reason).toContain('due_soon');
    const blank = rejection(() =>
      renderTemplate({
        templateId: 'due_soon',
        channel: 'sms',
        locale: 'en',
        variables: { ...variables, amount: '  ' },
      }),
    );
    expect(blank.field).toBe('variables.amount');
  });

  it('only needs the variables the template uses', () => {
    const message = renderTemplate({
      templateId: 'status_delayed',
      channel: 'push',
      locale: 'en',
      variables: {
        borrowerName: 'Alex',
        lenderName: 'Kuan',
        what: 'refund',
        eta: '2026-03-20',
        portalUrl: 'https://k.example',
        verificationCode: 'K7Q2M9',
      },
    });
    expect(message.subject).toBe('Update: expected by 2026-03-20');
  });

  it('rejects an unknown template, an unknown channel, a malformed locale and a bad value', () => {
    const variables = sampleVariables('en');
    expect(rejection(() => renderTemplate({ templateId: 'nope', channel: 'sms', locale: 'en', variables })).field).toBe(
      'templateId',
    );
    expect(
      rejection(() =>
        renderTemplate({ templateId: 'due_soon', channel: 'fax' as ContactChannel, locale: 'en', variables }),
      ).field,
    ).toBe('channel');
    expect(
      rejection(() => renderTemplate({ templateId: 'due_soon', channel: 'sms', locale: '', variables })).field,
    ).toBe('locale');
    const bad = { ...variables, amount: { value: 1 } } as unknown as TemplateVariables;
    expect(
      rejection(() => renderTemplate({ templateId: 'due_soon', channel: 'sms', locale: 'en', variables: bad })).field,
    ).toBe('variables.amount');
    const long = { ...variables, borrowerName: 'x'.repeat(2001) };
    expect(
      rejection(() => renderTemplate({ templateId: 'due_soon', channel: 'sms', locale: 'en', variables: long })).field,
    ).toBe('variables.borrowerName');
  });

  it.each([
    ['zh', 'zh-CN'],
    ['zh-CN', 'zh-CN'],
    ['zh_CN', 'zh-CN'],
    ['zh-Hans', 'zh-CN'],
    ['zh-Hant-TW', 'zh-CN'],
    ['ZH-cn', 'zh-CN'],
    ['en', 'en'],
    ['en-US', 'en'],
    ['en-GB', 'en'],
    ['fr-FR', 'en'],
    ['es', 'en'],
    ['zha', 'en'],
  ] as const)('reads locale %s as %s', (locale, resolved) => {
    expect(resolveTemplateLocale(locale)).toBe(resolved);
    const message = renderTemplate({
      templateId: 'payment_received',
      channel: 'sms',
      locale,
      variables: sampleVariables(resolved),
    });
    expect(message.locale).toBe(resolved);
  });

  it('rejects what is not a language tag', () => {
    for (const locale of ['', 'z', '中文', 'en US', 42]) {
      expect(rejection(() => resolveTemplateLocale(locale)).field).toBe('locale');
    }
  });

  it('inserts values verbatim, never expanding a placeholder inside a value', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 50 }).filter((s) => s.trim() !== ''),
        (name) => {
          const message = renderTemplate({
            templateId: 'payment_received',
            channel: 'email',
            locale: 'en',
            variables: { ...sampleVariables('en'), borrowerName: `${name}{{amount}}` },
          });
          expect(message.body).toContain(`Dear ${name}{{amount}},`);
        },
      ),
    );
  });
});

describe('opt-out text (US Regulation F: every e-mail and SMS carries a simple way to opt out)', () => {
  const render = (
    channel: ContactChannel,
    locale: TemplateLocale,
    optOutRequired: boolean,
    extra: TemplateVariables = {},
  ) =>
    renderTemplate({
      templateId: 'overdue_1',
      channel,
      locale,
      variables: { ...sampleVariables(locale), ...extra },
      optOutRequired,
    }).body;

  it('is appended to SMS and e-mail when required', () => {
    expect(render('sms', 'en', true).endsWith(' Reply STOP to opt out.')).toBe(true);
    expect(render('sms', 'zh-CN', true).endsWith('真伪。回复TD退订')).toBe(true);
    expect(render('email', 'en', true).endsWith('\n\nReply STOP to opt out of these e-mails.')).toBe(true);
    expect(render('email', 'zh-CN', true).endsWith(defaultOptOutText.email['zh-CN'])).toBe(true);
  });

  it('is left out when not required, and never added to push, letters or calls', () => {
    for (const channel of contactChannels) {
      for (const locale of templateLocales) {
        const body = render(channel, locale, channel !== 'sms' && channel !== 'email');
        expect(body).not.toMatch(/STOP|退订/);
      }
    }
  });

  it("takes the lender's own wording from optOutText", () => {
    expect(
      render('sms', 'en', true, { optOutText: 'Text STOP to end texts.' }).endsWith(' Text STOP to end texts.'),
    ).toBe(true);
  });

  it('is placed once where a custom template asks for it', () => {
    const overrides = parseTemplateOverrides(customTemplates(), 'templates');
    const body = renderTemplate({
      templateId: 'friendly_nudge',
      channel: 'sms',
      locale: 'en',
      variables: sampleVariables('en'),
      optOutRequired: true,
      templates: overrides,
    }).body;
    expect(body).toBe('Kuan Finance: CN¥305.00 due 2026-03-14. Reply STOP to opt out. Code K7Q2M9');
  });
});

describe('formatLoanList', () => {
  it.each([
    ['en', ['KL-1'], 'loan KL-1'],
    ['en', ['KL-1', 'KL-2'], '2 loans (KL-1 and KL-2)'],
    ['en', ['A', 'B', 'C'], '3 loans (A, B and C)'],
    ['en', ['A', 'B', 'C', 'D', 'E', 'F', 'G'], '7 loans (A, B, C, D, E and 2 more)'],
    ['zh-CN', ['KL-1'], '借款KL-1'],
    ['zh-CN', ['KL-1', 'KL-2'], '2笔借款（KL-1、KL-2）'],
    ['zh', ['A', 'B', 'C', 'D', 'E', 'F', 'G'], '7笔借款（A、B、C、D、E等）'],
  ])('%s %j → %s', (locale, loanLabels, text) => {
    expect(formatLoanList({ locale, loanLabels })).toBe(text);
  });

  it('rejects an empty list and blank labels', () => {
    expect(rejection(() => formatLoanList({ locale: 'en', loanLabels: [] })).field).toBe('loanLabels');
    expect(rejection(() => formatLoanList({ locale: 'en', loanLabels: ['A', ' '] })).field).toBe('loanLabels[1]');
    expect(rejection(() => formatLoanList({ locale: 'en', loanLabels: ['A'], listedMax: 0 })).field).toBe('listedMax');
  });
});

function customTemplates(): Record<string, unknown> {
  const text = (short: string) => ({ subject: 'Due {{dueDate}}', short, long: `${short}\n\nThanks.` });
  return {
    friendly_nudge: {
      purpose: 'reminder',
      summary: 'A short nudge.',
      locales: {
        'zh-CN': text('【{{lenderName}}】{{amount}}，{{dueDate}}到期。{{optOutText}} 核验码{{verificationCode}}'),
        en: text('{{lenderName}}: {{amount}} due {{dueDate}}. {{optOutText}} Code {{verificationCode}}'),
      },
    },
  };
}

describe('parseTemplateOverrides', () => {
  it('accepts custom templates as an object or JSON text, frozen', () => {
    const fromObject = parseTemplateOverrides(customTemplates(), 'strategy.templates');
    const fromJson = parseTemplateOverrides(JSON.stringify(customTemplates()), 'strategy.templates');
    expect([...fromObject.keys()]).toEqual(['friendly_nudge']);
    expect(fromJson.get('friendly_nudge')).toEqual(fromObject.get('friendly_nudge'));
    const template = fromObject.get('friendly_nudge');
    expect(Object.isFrozen(template)).toBe(true);
    expect(templateVariablesOf(template!)).toEqual([
      'lenderName',
      'amount',
      'dueDate',
      'verificationCode',
      'optOutText',
    ]);
  });

  it('can replace the wording of a built-in template', () => {
    const json = { due_soon: (customTemplates() as Record<string, unknown>).friendly_nudge };
    const overrides = parseTemplateOverrides(json, 'templates');
    const message = renderTemplate({
      templateId: 'due_soon',
      channel: 'sms',
      locale: 'zh-CN',
      variables: sampleVariables('zh-CN'),
      templates: overrides,
    });
    expect(message.body).toBe('【宽信金融】¥305.00，2026-03-14到期。回复TD退订 核验码K7Q2M9');
    expect(
      rejection(() =>
        renderTemplate({ templateId: 'due_soon', channel: 'voice', locale: 'en', variables: {}, templates: overrides }),
      ).field,
    ).toBe('channel');
  });

  interface TextJson {
    subject: string;
    short: string;
    long: string;
    [key: string]: string;
  }
  interface TemplateJson {
    purpose: unknown;
    locales: { 'zh-CN': TextJson; en: TextJson; [locale: string]: TextJson };
    [key: string]: unknown;
  }
  /** The custom templates with `change` applied to their one template, `friendly_nudge`. */
  const mutate = (change: (nudge: TemplateJson, all: Record<string, unknown>) => void): unknown => {
    const templates = structuredClone(customTemplates());
    change(templates.friendly_nudge as TemplateJson, templates);
    return templates;
  };

  it.each([
    ['not an object', () => [], 'strategy.templates'],
    ['not JSON', () => '{', 'strategy.templates'],
    ['a template not an object', () => ({ x: 1 }), 'strategy.templates.x'],
    ['a bad id', () => mutate((nudge, all) => (all['Bad-Id'] = nudge)), 'strategy.templates.Bad-Id.id'],
    ['a bad purpose', () => mutate((t) => (t.purpose = 'threat')), 'strategy.templates.friendly_nudge.purpose'],
    ['an unknown field', () => mutate((t) => (t.colour = 'red')), 'strategy.templates.friendly_nudge.colour'],
    [
      'a missing locale',
      () => mutate((t) => delete (t.locales as Partial<TemplateJson['locales']>)['zh-CN']),
      'strategy.templates.friendly_nudge.locales.zh-CN',
    ],
    [
      'an unknown locale',
      () => mutate((t) => (t.locales.fr = t.locales.en)),
      'strategy.templates.friendly_nudge.locales.fr',
    ],
    [
      'an unknown variable',
      () => mutate((t) => (t.locales.en.short += ' {{balance}}')),
      'strategy.templates.friendly_nudge.locales.en.short',
    ],
    [
      'a malformed placeholder',
      () => mutate((t) => (t.locales.en.long += ' {{amount}')),
      'strategy.templates.friendly_nudge.locales.en.long',
    ],
    [
      'no verification code',
      () => mutate((t) => (t.locales.en.short = '{{amount}} due {{dueDate}}.')),
      'strategy.templates.friendly_nudge.locales.en.short',
    ],
    [
      'a translation that drops a variable',
      () => mutate((t) => (t.locales['zh-CN'].long = '核验码{{verificationCode}}')),
      'strategy.templates.friendly_nudge.locales.long',
    ],
    [
      'a too-long text',
      () => mutate((t) => (t.locales.en.short += 'x'.repeat(1000))),
      'strategy.templates.friendly_nudge.locales.en.short',
    ],
    [
      'an unknown text field',
      () => mutate((t) => (t.locales.en.footer = 'x')),
      'strategy.templates.friendly_nudge.locales.en.footer',
    ],
  ])('rejects %s, naming %s', (_what, input, field) => {
    expect(rejection(() => parseTemplateOverrides(input(), 'strategy.templates')).field).toBe(field);
  });

  it('puts a limit on how many templates a strategy may bring', () => {
    const many = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`t${i}`, customTemplates().friendly_nudge]));
    expect(rejection(() => parseTemplateOverrides(many, 'templates')).field).toBe('templates');
  });
});

describe('docs/templates.md', () => {
  const docs = readFileSync(new URL('../../../docs/templates.md', import.meta.url), 'utf8');

  it('lists every template and every variable', () => {
    for (const id of templateIds) expect(docs, id).toContain(`\`${id}\``);
    for (const name of templateVariables) expect(docs, name).toContain(`\`${name}\``);
  });

  it('states the variables and purpose each template really uses', () => {
    const usual = ['borrowerName', 'lenderName', 'portalUrl', 'verificationCode'];
    for (const template of builtInTemplates) {
      const row = docs.split('\n').find((line) => line.startsWith(`| \`${template.id}\` |`));
      expect(row, template.id).toBeDefined();
      const cells = (row as string).split('|').map((cell) => cell.trim());
      expect(cells[2], template.id).toBe(template.purpose);
      const documented = [...(cells[4] ?? '').matchAll(/`(\w+)`/g)].map((match) => match[1]);
      const used = templateVariablesOf(template).filter((name) => !usual.includes(name));
      expect(documented.sort(), template.id).toEqual(used.sort());
    }
  });
});
