export { evaluateContact, gateRuleOf, type GateInput } from './gate.ts';
