// Placeholder: filled in by the reports work.
import type { Api, ApiContext } from '../context.ts';

export function registerReportsRoutes(api: Api, ctx: ApiContext): void {
  void api;
  void ctx;
}
