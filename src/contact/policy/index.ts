export {
  builtInPolicies,
  defaultPolicy,
  isOptOutReply,
  optOutReplyCharactersMax,
  optOutReplyWordsMax,
  revocationOf,
  parsePolicy,
  policyNames,
  quietHoursText,
  type CallLimits,
  type HoldRules,
  type PolicyPack,
} from './pack.ts';
