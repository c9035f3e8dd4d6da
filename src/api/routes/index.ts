// Every route module of /api/v1, registered in one place (the OpenAPI document lists them in this order).
import type { RateLimits } from '../app.ts';
import type { Api, ApiContext } from '../context.ts';
import { registerApprovalsRoutes } from './approvals.ts';
import { registerAuthRoutes } from './auth.ts';
import { registerDayRunRoutes } from './day-runs.ts';
import { registerEscalationRoutes } from './escalations.ts';
import { registerExperimentRoutes } from './experiments.ts';
import { registerHelpRoutes } from './help.ts';
import { registerLoanRoutes } from './loans.ts';
import { registerNoticeRoutes } from './notices.ts';
import { registerOperationRoutes } from './operations.ts';
import { registerPeopleRoutes } from './people.ts';
import { registerPortalPaymentRoutes } from './portal-payments.ts';
import { registerRefundsRoutes } from './refunds.ts';
import { registerReportsRoutes } from './reports.ts';
import { registerServiceRoutes } from './service.ts';

export function registerRoutes(api: Api, ctx: ApiContext, limits: RateLimits): void {
  registerAuthRoutes(api, ctx, limits);
  registerPeopleRoutes(api, ctx);
  registerLoanRoutes(api, ctx);
  registerOperationRoutes(api, ctx, limits);
  registerDayRunRoutes(api, ctx);
  registerHelpRoutes(api, ctx);
  registerServiceRoutes(api, ctx);
  registerApprovalsRoutes(api, ctx);
  registerReportsRoutes(api, ctx);
  registerRefundsRoutes(api, ctx);
  registerPortalPaymentRoutes(api, ctx);
  registerEscalationRoutes(api, ctx);
  registerNoticeRoutes(api, ctx);
  registerExperimentRoutes(api, ctx);
}
