// The permission matrix, as data: which staff role holds which permission, and which permissions a
// signed-in borrower holds over their own data. Every API route names the one permission it needs
// (src/api/routes/*), and the access hook checks it before anything else runs; docs/access.md shows this
// table. Invariants: admin holds every permission; `viewer` holds only reads and never `pii:read`;
// a borrower's permissions apply to their own records only (each route checks ownership, and answers
// 404 for anyone else's, so a guessed id reveals nothing).
import { staffRoles, type StaffRole } from '../../store/access.ts';

export { staffRoles, type StaffRole };

export const permissions = [
  'products:read',
  'products:write',
  'borrowers:read',
  'borrowers:write',
  /** Unmasked phone numbers, e-mail addresses and identity numbers. */
  'pii:read',
  'loans:read',
  'loans:write',
  'payments:read',
  'payments:write',
  /** Reversing posted payments and refunds (a bounced or mistaken payment); above the threshold, approval asked. */
  'payments:reverse',
  'messages:read',
  /** Holds, promises to pay, opt-outs, pauses lifted, new addresses. */
  'contacts:write',
  /** Overdue reasons and plan requests. */
  'plans:request',
  /** Deciding plans, within the approver role's limits in the hardship policy. */
  'plans:approve',
  /** The collection queue: next case, call outcomes. */
  'cases:work',
  'complaints:write',
  /** Reviewing and closing complaints. */
  'complaints:review',
  'eod:read',
  'eod:run',
  /** Closing a business date more than one day ahead (admin only: a deliberate jump, not a typo). */
  'eod:force',
  'strategies:read',
  /** Asking for a strategy to be activated (another member approves it). */
  'strategies:write',
  /** Deciding approval requests (never one's own). */
  'approvals:decide',
  'schedules:compute',
  'reports:read',
  'audit:read',
  'staff:read',
  'staff:write',
] as const;

export type Permission = (typeof permissions)[number];

const reads: readonly Permission[] = [
  'products:read',
  'borrowers:read',
  'loans:read',
  'payments:read',
  'eod:read',
  'strategies:read',
  'schedules:compute',
  'reports:read',
];

export const rolePermissions: Readonly<Record<StaffRole, readonly Permission[]>> = Object.freeze({
  admin: permissions,
  supervisor: [
    ...reads,
    'products:write',
    'borrowers:write',
    'pii:read',
    'loans:write',
    'payments:write',
    'payments:reverse',
    'messages:read',
    'contacts:write',
    'plans:request',
    'plans:approve',
    'cases:work',
    'complaints:write',
    'complaints:review',
    'eod:run',
    'strategies:write',
    'approvals:decide',
    'staff:read',
  ],
  collector: [
    ...reads,
    'pii:read',
    'payments:write',
    'messages:read',
    'contacts:write',
    'plans:request',
    'plans:approve',
    'cases:work',
    'complaints:write',
    'complaints:review',
  ],
  compliance: [
    ...reads,
    'pii:read',
    'messages:read',
    'contacts:write',
    'complaints:write',
    'complaints:review',
    'audit:read',
    'staff:read',
  ],
  viewer: reads,
});

/** What a signed-in borrower may do, on their own borrower record, loans and messages only. */
export const borrowerPermissions: readonly Permission[] = Object.freeze([
  'borrowers:read',
  'pii:read',
  'loans:read',
  'payments:read',
  /** Paying through the payment provider, on their own loans. */
  'payments:write',
  'messages:read',
  'contacts:write',
  'plans:request',
  'complaints:write',
  'schedules:compute',
]);

export function roleHas(role: StaffRole, permission: Permission): boolean {
  return rolePermissions[role].includes(permission);
}

export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === 'string' && (staffRoles as readonly string[]).includes(value);
}
