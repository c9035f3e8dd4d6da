export { evaluateContact, type GateInput } from './gate.ts';
