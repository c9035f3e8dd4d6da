// Custom templates brought by a strategy as data: parsed once at the edge from JSON into immutable
// TemplateDefinitions, checked by the same rules as the built-in catalogue (validateTemplate). Every
// rejection is an InputError naming the field by its path under `field`, e.g.
// "strategy.templates.my_nudge.locales.en.short: uses unknown variable {{foo}}".
import { InputError, quote } from '../../errors/index.ts';
import { validateTemplate, templateLimits } from './render.ts';
import { type LocalizedTemplate, type TemplateDefinition, type TemplateOverrides } from './types.ts';

const localizedKeys = ['subject', 'short', 'long', 'script'] as const;
const templateKeys = ['purpose', 'kind', 'summary', 'locales'] as const;

/**
 * JSON shape (an object keyed by template id; a JSON string of it is parsed first):
 * `{ "my_nudge": { "purpose": "reminder", "kind": "collection", "summary": "…", "locales": {
 *     "zh-CN": { "subject": "…", "short": "…", "long": "…", "script": "…" }, "en": { … } } } }`.
 * `script` is optional (without it the template cannot go by voice); `summary` defaults to "" and `kind`
 * (collection · acknowledgement · service) to collection. A custom
 * template may reuse a built-in id to replace that template's wording.
 */
export function parseTemplateOverrides(json: unknown, field: string): TemplateOverrides {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json) as unknown;
    } catch {
      throw new InputError(field, 'must be valid JSON');
    }
  }
  const entries = Object.entries(record(value, field));
  if (entries.length > templateLimits.overridesMax) {
    throw new InputError(field, `must hold at most ${templateLimits.overridesMax} templates, got ${entries.length}`);
  }
  const result = new Map<string, TemplateDefinition>();
  for (const [id, raw] of entries) {
    const at = `${field}.${id}`;
    const body = record(raw, at);
    onlyKeys(body, templateKeys, at);
    const localesRaw = record(body.locales ?? {}, `${at}.locales`);
    // No prototype: a locale key such as "__proto__" stays a plain (and rejected) key.
    const locales = Object.create(null) as Partial<Record<string, LocalizedTemplate>>;
    for (const [locale, text] of Object.entries(localesRaw)) {
      const textAt = `${at}.locales.${locale}`;
      const parts = record(text, textAt);
      onlyKeys(parts, localizedKeys, textAt);
      locales[locale] = Object.freeze({ ...(parts as unknown as LocalizedTemplate) });
    }
    const template: TemplateDefinition = Object.freeze({
      id,
      purpose: body.purpose as TemplateDefinition['purpose'],
      // Undeclared: collection, so a pause or a hardship request holds it back (the safe side).
      kind: (body.kind ?? 'collection') as TemplateDefinition['kind'],
      summary: (body.summary ?? '') as string,
      locales: Object.freeze(locales) as TemplateDefinition['locales'],
    });
    const problem = validateTemplate(template)[0];
    if (problem !== undefined) {
      // Problem fields start with the id; the edge's path already names it.
      throw new InputError(`${field}.${problem.field}`, problem.reason);
    }
    result.set(id, template);
  }
  return result;
}

function record(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(field, `must be an object, got ${quote(value)}`);
  }
  return value as Record<string, unknown>;
}

function onlyKeys(value: Record<string, unknown>, allowed: readonly string[], field: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new InputError(`${field}.${key}`, `unknown field; expected one of ${allowed.join(', ')}`);
    }
  }
}
