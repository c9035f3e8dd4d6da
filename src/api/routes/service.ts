// Placeholder: filled in by the service work.
import type { Api, ApiContext } from '../context.ts';

export function registerServiceRoutes(api: Api, ctx: ApiContext): void {
  void api;
  void ctx;
}
