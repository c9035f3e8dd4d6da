// The templates module's front door: the built-in catalogue of messages in zh-CN and en, rendering with
// locale fallback and opt-out text, custom templates parsed from data, and SMS segment counting.
// Other modules import from here, never from the files behind it.
export { builtInTemplates } from './catalogue.ts';
export { formatLoanList, loanListLabelsMax, resolveTemplateLocale, type LoanListInput } from './locale.ts';
export { parseTemplateOverrides } from './overrides.ts';
export {
  defaultOptOutText,
  getTemplate,
  placeholdersOf,
  renderTemplate,
  templateIds,
  templateKindOf,
  templateLimits,
  templateVariablesOf,
  validateTemplate,
  validateTemplates,
  type RenderTemplateInput,
  type RenderedMessage,
  type TemplateProblem,
} from './render.ts';
export {
  countSmsSegments,
  isGsm7Character,
  isGsm7Text,
  smsLimits,
  type SmsEncoding,
  type SmsSegmentInfo,
} from './sms-segments.ts';
export {
  channelVariant,
  subjectChannels,
  templateKinds,
  templateLocales,
  templateVariables,
  templateVariants,
  type LocalizedTemplate,
  type TemplateDefinition,
  type TemplateKind,
  type TemplateLocale,
  type TemplateOverrides,
  type TemplateVariable,
  type TemplateVariables,
  type TemplateVariant,
} from './types.ts';
