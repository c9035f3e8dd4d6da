// Rendering and checking templates: fills `{{variable}}` placeholders in the variant a channel reads, adds
// the opt-out sentence where a policy requires it, and counts SMS segments. validateTemplates states what a
// good template is, for the built-in catalogue (run as a test) and for custom templates (parsed at the edge).
// Invariants: a rendered text has no placeholder left; a value is inserted verbatim, never expanded again;
// a used placeholder without a value is an InputError naming that variable, never an empty gap.
import { InputError, quote } from '../../errors/index.ts';
import { contactChannels, type ContactChannel, type ContactPurpose } from '../model.ts';
import { builtInTemplates } from './catalogue.ts';
import { resolveTemplateLocale } from './locale.ts';
import { countSmsSegments, type SmsSegmentInfo } from './sms-segments.ts';
import {
  channelVariant,
  subjectChannels,
  templateLocales,
  templateVariables,
  templateKinds,
  templateVariants,
  type LocalizedTemplate,
  type TemplateKind,
  type TemplateDefinition,
  type TemplateLocale,
  type TemplateOverrides,
  type TemplateVariable,
  type TemplateVariables,
} from './types.ts';

/** Limits on template text and values, so a bad template or value cannot produce a runaway message. */
export const templateLimits = {
  idLengthMax: 64,
  summaryLengthMax: 200,
  subjectLengthMax: 200,
  shortLengthMax: 1000,
  longLengthMax: 10_000,
  scriptLengthMax: 10_000,
  valueLengthMax: 2000,
  overridesMax: 200,
} as const;

const templateIdPattern = /^[a-z][a-z0-9_]*$/;
const placeholderPattern = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;
const knownVariables: ReadonlySet<string> = new Set(templateVariables);

const builtInById: ReadonlyMap<string, TemplateDefinition> = new Map(builtInTemplates.map((t) => [t.id, t]));

/** Ids of the built-in catalogue, in catalogue order. */
export const templateIds: readonly string[] = builtInTemplates.map((t) => t.id);

/** A template by id: a custom one from `overrides` first, then the built-in catalogue; undefined if neither. */
export function getTemplate(id: string, overrides?: TemplateOverrides): TemplateDefinition | undefined {
  return overrides?.get(id) ?? builtInById.get(id);
}

/**
 * What a template's message is (collection, acknowledgement, service), from the custom templates first,
 * then the catalogue. An unknown template is `collection`: when in doubt, a pause holds it back.
 */
export function templateKindOf(id: string, overrides?: TemplateOverrides): TemplateKind {
  return getTemplate(id, overrides)?.kind ?? 'collection';
}

/** The distinct variable names a text uses, in order of first use. */
export function placeholdersOf(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(placeholderPattern)) {
    const name = match[1] as string;
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** Every variable a template uses in any locale, variant or subject. */
export function templateVariablesOf(template: TemplateDefinition): TemplateVariable[] {
  const used = new Set<string>();
  for (const locale of templateLocales) {
    const text = template.locales[locale];
    for (const part of [text.subject, text.short, text.long, text.script ?? '']) {
      for (const name of placeholdersOf(part)) used.add(name);
    }
  }
  return templateVariables.filter((name) => used.has(name));
}

/** Default opt-out sentence per channel and locale (US Regulation F: a simple way to opt out). */
export const defaultOptOutText: Readonly<Record<'sms' | 'email', Readonly<Record<TemplateLocale, string>>>> = {
  sms: { 'zh-CN': '回复TD退订', en: 'Reply STOP to opt out.' },
  email: { 'zh-CN': '如不想再收到此类邮件，请回复“退订”。', en: 'Reply STOP to opt out of these e-mails.' },
};

export interface RenderTemplateInput {
  templateId: string;
  channel: ContactChannel;
  /** The borrower's locale; resolved by `resolveTemplateLocale` (zh* → zh-CN, else en). */
  locale: string;
  variables: TemplateVariables;
  /** The policy requires a way to opt out in every e-mail and SMS (us-regf). */
  optOutRequired?: boolean;
  /** Custom templates of the strategy, consulted before the built-in catalogue. */
  templates?: TemplateOverrides;
}

export interface RenderedMessage {
  templateId: string;
  /** The locale the text is in (after fallback). */
  locale: TemplateLocale;
  channel: ContactChannel;
  purpose: ContactPurpose;
  /** E-mail subject, letter heading or push title; absent for SMS and voice. */
  subject?: string;
  body: string;
  /** SMS only: encoding, units and billed segments of `body`. */
  segments?: SmsSegmentInfo;
}

export function renderTemplate(input: RenderTemplateInput): RenderedMessage {
  const { templateId, channel, variables, optOutRequired = false, templates } = input;
  if (typeof templateId !== 'string') throw new InputError('templateId', `must be a string, got ${quote(templateId)}`);
  const template = getTemplate(templateId, templates);
  if (template === undefined) throw new InputError('templateId', `unknown template ${quote(templateId)}`);
  if (!(contactChannels as readonly unknown[]).includes(channel)) {
    throw new InputError('channel', `must be one of ${contactChannels.join(', ')}, got ${quote(channel)}`);
  }
  const locale = resolveTemplateLocale(input.locale);
  const text = template.locales[locale];
  const variant = channelVariant[channel];
  const source = text[variant];
  if (source === undefined) {
    throw new InputError('channel', `template ${templateId} has no ${variant} text, so it cannot go by ${channel}`);
  }
  const optOutChannel = channel === 'sms' || channel === 'email' ? channel : undefined;
  const fill = (part: string): string =>
    part.replace(placeholderPattern, (_whole, name: string) => {
      if (name === 'optOutText' && optOutChannel !== undefined) {
        return valueOf(variables, 'optOutText', templateId, true) ?? defaultOptOutText[optOutChannel][locale];
      }
      return valueOf(variables, name, templateId, false) as string;
    });
  let body = fill(source);
  if (optOutRequired && optOutChannel !== undefined && !placeholdersOf(source).includes('optOutText')) {
    const optOut = valueOf(variables, 'optOutText', templateId, true) ?? defaultOptOutText[optOutChannel][locale];
    const separator = optOutChannel === 'email' ? '\n\n' : locale === 'zh-CN' ? '' : ' ';
    body = `${body}${separator}${optOut}`;
  }
  const message: RenderedMessage = { templateId, locale, channel, purpose: template.purpose, body };
  if (subjectChannels.includes(channel)) message.subject = fill(text.subject);
  if (channel === 'sms') message.segments = countSmsSegments(body);
  return message;
}

function valueOf(
  variables: TemplateVariables,
  name: string,
  templateId: string,
  optional: boolean,
): string | undefined {
  const field = `variables.${name}`;
  if (!knownVariables.has(name)) throw new InputError('templateId', `template ${templateId} uses unknown {{${name}}}`);
  const raw: unknown = (variables as Record<string, unknown>)[name];
  if (raw === undefined || raw === null || raw === '') {
    if (optional) return undefined;
    throw new InputError(field, `missing (template ${templateId} uses {{${name}}})`);
  }
  let value: string;
  if (typeof raw === 'string') value = raw;
  else if (typeof raw === 'number' && Number.isFinite(raw)) value = String(raw);
  else throw new InputError(field, `must be a string or a finite number, got ${quote(raw)}`);
  if (value.trim() === '') {
    if (optional) return undefined;
    throw new InputError(field, `missing (template ${templateId} uses {{${name}}}); got only spaces`);
  }
  if (value.length > templateLimits.valueLengthMax) {
    throw new InputError(field, `must be at most ${templateLimits.valueLengthMax} characters, got ${value.length}`);
  }
  return value;
}

export interface TemplateProblem {
  /** Where in the template, e.g. `due_soon.locales.en.short`. */
  field: string;
  reason: string;
}

const lengthMax: Readonly<Record<'subject' | 'short' | 'long' | 'script', number>> = {
  subject: templateLimits.subjectLengthMax,
  short: templateLimits.shortLengthMax,
  long: templateLimits.longLengthMax,
  script: templateLimits.scriptLengthMax,
};

/**
 * The problems of one template (empty when it is good): id shape, purpose, both locales with a subject,
 * short and long text (a script in both or in neither), lengths within `templateLimits`, placeholders that
 * are known variables with no stray braces, {{verificationCode}} in every variant, and both locales of a
 * variant using the same variables (a translation that drops the amount is caught here).
 */
export function validateTemplate(template: TemplateDefinition): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const id = template.id;
  const at = (path: string): string => `${id}.${path}`;
  if (typeof id !== 'string' || !templateIdPattern.test(id) || id.length > templateLimits.idLengthMax) {
    problems.push({ field: at('id'), reason: `must be lower snake case of at most 64 characters, got ${quote(id)}` });
  }
  if (template.purpose !== 'reminder' && template.purpose !== 'notice') {
    problems.push({ field: at('purpose'), reason: `must be "reminder" or "notice", got ${quote(template.purpose)}` });
  }
  if (!(templateKinds as readonly unknown[]).includes(template.kind)) {
    problems.push({
      field: at('kind'),
      reason: `must be one of ${templateKinds.join(', ')}, got ${quote(template.kind)}`,
    });
  }
  if (typeof template.summary !== 'string' || template.summary.length > templateLimits.summaryLengthMax) {
    problems.push({ field: at('summary'), reason: `must be a string of at most ${templateLimits.summaryLengthMax}` });
  }
  const locales = (template.locales ?? {}) as Partial<Record<string, LocalizedTemplate>>;
  for (const key of Object.keys(locales)) {
    if (!(templateLocales as readonly string[]).includes(key)) {
      problems.push({ field: at(`locales.${key}`), reason: `unknown locale; use ${templateLocales.join(', ')}` });
    }
  }
  const scriptPresence = new Set<boolean>();
  for (const locale of templateLocales) {
    const text = locales[locale];
    if (text === undefined || text === null || typeof text !== 'object') {
      problems.push({ field: at(`locales.${locale}`), reason: 'missing: every template needs zh-CN and en text' });
      continue;
    }
    scriptPresence.add(text.script !== undefined);
    for (const part of ['subject', ...templateVariants] as const) {
      const value: unknown = text[part];
      const field = at(`locales.${locale}.${part}`);
      if (value === undefined && part === 'script') continue;
      if (typeof value !== 'string' || value.trim() === '') {
        problems.push({ field, reason: 'must be a non-empty string' });
        continue;
      }
      if (value.length > lengthMax[part]) {
        problems.push({ field, reason: `must be at most ${lengthMax[part]} characters, got ${value.length}` });
      }
      for (const name of placeholdersOf(value)) {
        if (!knownVariables.has(name)) {
          problems.push({ field, reason: `uses unknown variable {{${name}}}; known: ${templateVariables.join(', ')}` });
        }
      }
      const stray = value.replace(placeholderPattern, '');
      if (stray.includes('{{') || stray.includes('}}')) {
        problems.push({ field, reason: 'has a malformed placeholder; write {{variableName}}' });
      }
      if (part !== 'subject' && !placeholdersOf(value).includes('verificationCode')) {
        problems.push({ field, reason: 'must carry {{verificationCode}} so the borrower can check the message' });
      }
    }
  }
  if (scriptPresence.size > 1) {
    problems.push({ field: at('locales'), reason: 'a script must be given in every locale or in none' });
  }
  const zh = locales['zh-CN'];
  const en = locales.en;
  if (zh && en && typeof zh === 'object' && typeof en === 'object') {
    for (const part of templateVariants) {
      const zhText = zh[part];
      const enText = en[part];
      if (typeof zhText !== 'string' || typeof enText !== 'string') continue;
      const zhNames = [...placeholdersOf(zhText)].sort();
      const enNames = [...placeholdersOf(enText)].sort();
      if (zhNames.join() !== enNames.join()) {
        problems.push({
          field: at(`locales.${part}`),
          reason: `zh-CN uses {${zhNames.join(', ')}} but en uses {${enNames.join(', ')}}`,
        });
      }
    }
  }
  return problems;
}

/** Problems across a set of templates (default: the built-in catalogue), including repeated ids. */
export function validateTemplates(templates: readonly TemplateDefinition[] = builtInTemplates): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const seen = new Set<string>();
  for (const template of templates) {
    if (seen.has(template.id)) problems.push({ field: `${template.id}.id`, reason: 'repeated template id' });
    seen.add(template.id);
    problems.push(...validateTemplate(template));
  }
  return problems;
}
