// The HTTP API's front door: build the Fastify app over a database, and the access-control pieces other
// shells (the CLI, the demo, tests) need — password hashing, sign-in code senders, the permission matrix.
export {
  API_PREFIX,
  BODY_LIMIT_BYTES,
  buildApi,
  defaultRateLimits,
  type ApiOptions,
  type ApiRouteInfo,
  type KuanApi,
  type RateLimits,
} from './app.ts';
export type { ApiContext, RouteAccess } from './context.ts';
export {
  channelCodeSender,
  MemoryCodeSender,
  outboxCodeSender,
  signInCodeText,
  SIGN_IN_CODE_OUTBOX_KIND,
  type SignInCodeMessage,
  type SignInCodeSender,
} from './auth/codes.ts';
export {
  checkNewPassword,
  defaultPasswordHashing,
  hashPassword,
  passwordVerifier,
  testPasswordHashing,
  type PasswordHashing,
} from './auth/passwords.ts';
export {
  borrowerPermissions,
  permissions,
  rolePermissions,
  roleHas,
  staffRoles,
  type Permission,
  type StaffRole,
} from './auth/permissions.ts';
export { maskContacts, maskEmail, maskIdNumber, maskPhone } from './auth/masking.ts';
export type { Principal, SessionSettings } from './auth/sessions.ts';
export { SESSION_COOKIE } from './auth/tokens.ts';
export { problemTypes, problemTypeUri, type ProblemJson } from './problem.ts';
