// The contact engine's front door: the shared model, policy packs, the compliance gate, strategies and
// the planner, templates, verification codes and a borrower's contact state. All pure.
export * from './model.ts';
export * from './policy/index.ts';
export * from './gate/index.ts';
export * from './strategy/index.ts';
export * from './templates/index.ts';
export * from './codes.ts';
export * from './borrower.ts';
export * from './views.ts';
export * from './events.ts';
export * from './day-window.ts';
export * from './day-plan.ts';
export * from './dispatch.ts';
export * from './desk.ts';
