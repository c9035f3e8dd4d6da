// Placeholder: filled in by the approvals work.
import type { Api, ApiContext } from '../context.ts';

export function registerApprovalsRoutes(api: Api, ctx: ApiContext): void {
  void api;
  void ctx;
}
