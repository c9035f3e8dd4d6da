// The application layer's front door: the one answer shape (Result) and the one command wrapper.
export * from './result.ts';
export * from './command.ts';
