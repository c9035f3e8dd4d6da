// Every route module of /api/v1, registered in one place (the OpenAPI document lists them in this order).
import type { RateLimits } from '../app.ts';
import type { Api, ApiContext } from '../context.ts';
import { registerApprovalRoutes } from './approvals.ts';
import { registerAuditLogRoutes } from './audit-log.ts';
import { registerAuthRoutes } from './auth.ts';
import { registerBorrowerRoutes } from './borrowers.ts';
import { registerCaseRoutes } from './cases.ts';
import { registerCloseRunRoutes } from './close-runs.ts';
import { registerComplaintRoutes } from './complaints.ts';
import { registerContactRoutes } from './contacts.ts';
import { registerDayRunRoutes } from './day-runs.ts';
import { registerEscalationRoutes } from './escalations.ts';
import { registerExperimentRoutes } from './experiments.ts';
import { registerLoanRoutes } from './loans.ts';
import { registerNoticeRoutes } from './notices.ts';
import { registerPlanRoutes } from './plans.ts';
import { registerPortalPaymentRoutes } from './portal-payments.ts';
import { registerProductRoutes } from './products.ts';
import { registerRefundsRoutes } from './refunds.ts';
import { registerReportsRoutes } from './reports.ts';
import { registerScheduleRoutes } from './schedules.ts';
import { registerStaffRoutes } from './staff.ts';
import { registerStrategyRoutes } from './strategies.ts';

export function registerRoutes(api: Api, ctx: ApiContext, limits: RateLimits): void {
  registerAuthRoutes(api, ctx, limits);
  registerStaffRoutes(api, ctx);
  registerProductRoutes(api, ctx);
  registerBorrowerRoutes(api, ctx);
  registerLoanRoutes(api, ctx);
  registerCloseRunRoutes(api, ctx);
  registerStrategyRoutes(api, ctx);
  registerScheduleRoutes(api);
  registerContactRoutes(api, ctx, limits);
  registerAuditLogRoutes(api, ctx);
  registerDayRunRoutes(api, ctx);
  registerPlanRoutes(api, ctx);
  registerCaseRoutes(api, ctx);
  registerComplaintRoutes(api, ctx);
  registerApprovalRoutes(api, ctx);
  registerReportsRoutes(api, ctx);
  registerRefundsRoutes(api, ctx);
  registerPortalPaymentRoutes(api, ctx);
  registerEscalationRoutes(api, ctx);
  registerNoticeRoutes(api, ctx);
  registerExperimentRoutes(api, ctx);
}
