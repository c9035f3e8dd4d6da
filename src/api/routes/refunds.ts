// Placeholder: filled in by the refunds work.
import type { Api, ApiContext } from '../context.ts';

export function registerRefundsRoutes(api: Api, ctx: ApiContext): void {
  void api;
  void ctx;
}
