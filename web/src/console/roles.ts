// Which console pages and actions a staff member gets. The API enforces its permission matrix on every
// request (src/api/auth/permissions.ts); this only keeps the menus to what a role works with: a page is
// shown when the role uses it and the member holds the permission its data needs, an action when the
// member holds the permission the API checks for it (a call it cannot make would be answered 403 anyway).
import type { Permission, Role } from '../api/types.ts';

export const consolePages = [
  'dashboard',
  'loans',
  'workbench',
  'strategies',
  'approvals',
  'complaints',
  'day',
  'audit',
] as const;
export type ConsolePage = (typeof consolePages)[number];

export type ConsoleAction =
  | 'recordCall'
  | 'offerPlan'
  | 'decidePlan'
  | 'recordForBorrower'
  | 'addNote'
  | 'activateStrategy'
  | 'decideApproval'
  | 'handleComplaint'
  | 'verifyAudit'
  | 'escalateCase'
  | 'sendStatusNotice'
  | 'reversePayment';

export interface Member {
  role: Role;
  /** The permissions the API's session answer lists (empty when it lists none: then the role decides). */
  permissions: readonly Permission[];
}

/** The pages each role works with. */
const pagesOf: Record<Role, readonly ConsolePage[]> = {
  admin: consolePages,
  supervisor: ['dashboard', 'loans', 'workbench', 'strategies', 'approvals', 'complaints', 'day'],
  collector: ['dashboard', 'loans', 'workbench', 'complaints'],
  compliance: ['dashboard', 'loans', 'strategies', 'complaints', 'audit'],
  viewer: ['dashboard', 'loans'],
};

/** The permission a page's data needs. */
const pagePermission: Partial<Record<ConsolePage, Permission>> = {
  dashboard: 'reports:read',
  loans: 'loans:read',
  workbench: 'cases:work',
  strategies: 'strategies:read',
  day: 'eod:read',
  audit: 'audit:read',
};

/** The permission the API checks for an action; actions without one (wanted routes) go by role. */
const actionPermission: Partial<Record<ConsoleAction, Permission>> = {
  recordCall: 'cases:work',
  offerPlan: 'plans:request',
  decidePlan: 'plans:approve',
  recordForBorrower: 'contacts:write',
  addNote: 'cases:work',
  handleComplaint: 'complaints:review',
  verifyAudit: 'audit:read',
  escalateCase: 'cases:work',
  sendStatusNotice: 'contacts:write',
  reversePayment: 'payments:reverse',
};

const actionRoles: Partial<Record<ConsoleAction, readonly Role[]>> = {
  activateStrategy: ['admin', 'supervisor'],
  decideApproval: ['admin', 'supervisor'],
  reversePayment: ['admin', 'supervisor'],
};

function holds(member: Member, permission: Permission | undefined): boolean {
  return permission === undefined || member.permissions.length === 0 || member.permissions.includes(permission);
}

export function canSee(member: Member, page: ConsolePage): boolean {
  return (pagesOf[member.role] ?? []).includes(page) && holds(member, pagePermission[page]);
}

export function canDo(member: Member, action: ConsoleAction): boolean {
  const roles = actionRoles[action];
  if (roles) return roles.includes(member.role) && holds(member, actionPermission[action]);
  return member.role !== 'viewer' && holds(member, actionPermission[action]);
}
