// Schedules: LoanTerms → Schedule, the same JSON contract as `kuan schedule` (CONTRACTS.md). Computes
// only: nothing is read or stored.
import { buildSchedule, parseLoanTerms, toScheduleJson } from '../../schedule/index.ts';
import type { Api } from '../context.ts';
import { domainDocument, loanTermsDoc, scheduleJsonSchema } from '../schemas.ts';
import { errorResponses } from './common.ts';

export function registerScheduleRoutes(api: Api): void {
  api.post(
    '/schedules',
    {
      config: { access: { kind: 'permission', permission: 'schedules:compute', borrower: true }, audit: 'none' },
      schema: {
        tags: ['schedules'],
        summary: 'LoanTerms → Schedule (the same JSON contract as `kuan schedule`)',
        body: domainDocument(loanTermsDoc, 'LoanTerms (CONTRACTS.md)'),
        response: { 200: scheduleJsonSchema, ...errorResponses },
      },
    },
    async (request) => toScheduleJson(buildSchedule(parseLoanTerms(request.body))),
  );
}
