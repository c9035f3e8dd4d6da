export {
  builtInPolicies,
  defaultPolicy,
  isOptOutReply,
  parsePolicy,
  policyNames,
  quietHoursText,
  type CallLimits,
  type HoldRules,
  type PolicyPack,
} from './pack.ts';
