// The collections workbench: the work queue (cases ranked by a transparent priority and handed to
// agents), what a collector does on a case (call outcomes, callbacks, notes), promises to pay, the
// escalation ladder with the lawyer's letter, complaints, surveys and status notices. Pure: the shell
// (src/app/workbench.ts) gathers state, calls these and writes what they decided. The module's front door;
// see docs/workbench.md.
export * from './queue.ts';
export * from './assignment.ts';
export * from './calls.ts';
export * from './escalation.ts';
export * from './complaints.ts';
export * from './surveys.ts';
export * from './notices.ts';
export * from './promises.ts';
