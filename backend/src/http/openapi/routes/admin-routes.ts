import {
  adminBulkCreateResultSchema,
  adminBulkCreateSchema,
  adminCreateUserSchema,
  adminDeleteUserQuerySchema,
  adminResetPasswordSchema,
  adminStatusChangeSchema,
  adminUpdateUserSchema,
  adminUserListQuerySchema,
  adminUserPageSchema,
  adminUserSchema,
  auditPageSchema,
  auditQuerySchema,
} from '../../../../../shared/src/schemas/admin.js';
import { ADMIN_AUTH, errorResponses, type RouteSpec } from '../route-spec.js';
import { errorResponseSchema } from '../../../../../shared/src/schemas/errors.js';
import { userIdPathSchema } from './account-routes.js';

const errors = (...statuses: number[]) => errorResponses(errorResponseSchema, 401, ...statuses);

const statusChange = (action: 'ban' | 'disable' | 'enable', summary: string, description: string): RouteSpec => ({
  method: 'post',
  path: `/api/admin/users/{id}/${action}`,
  operationId: `${action}User`,
  tag: 'admin',
  summary,
  description,
  security: ADMIN_AUTH,
  pathParams: userIdPathSchema,
  body: { schema: adminStatusChangeSchema, required: false, description: 'An optional reason, kept in the audit trail' },
  responses: { 200: { description: 'The account after the change', schema: adminUserSchema }, ...errors(404) },
});

const endsSessions =
  'Takes effect at once: refresh tokens are revoked and live sockets get `session:ended` and are closed. For a banned, disabled or deleted account, access tokens are refused on their next use; after a password reset, access tokens already issued stay valid until they expire (at most ACCESS_TOKEN_TTL_S).';

/**
 * /api/admin: account administration and the audit trail. Callers present either the access
 * token of a user whose role is admin, or ADMIN_API_KEY, as `Authorization: Bearer ...`.
 */
export const adminRoutes: RouteSpec[] = [
  {
    method: 'post',
    path: '/api/admin/users',
    operationId: 'adminCreateUser',
    tag: 'admin',
    summary: 'Create an account',
    description: 'Registration rules apply. `password` may be left out when `externalId` (the host id used by SSO) is given.',
    security: ADMIN_AUTH,
    body: { schema: adminCreateUserSchema, required: true },
    responses: { 201: { description: 'The new account', schema: adminUserSchema }, ...errors(409) },
  },
  {
    method: 'post',
    path: '/api/admin/users/bulk',
    operationId: 'adminCreateUsers',
    tag: 'admin',
    summary: 'Create up to 1000 accounts, all or none',
    description:
      'Nothing is stored unless every item is fine. Problems are keyed by item: `fields["users.3.username"]`. ' +
      '400 for invalid items or a name repeated within the request, 409 for names or external ids that already exist. ' +
      'This route accepts bodies up to 2 MB.',
    security: ADMIN_AUTH,
    body: { schema: adminBulkCreateSchema, required: true },
    responses: { 201: { description: 'The new accounts, in request order', schema: adminBulkCreateResultSchema }, ...errors(409) },
  },
  {
    method: 'get',
    path: '/api/admin/users',
    operationId: 'adminListUsers',
    tag: 'admin',
    summary: 'List accounts by username prefix, with role and status',
    security: ADMIN_AUTH,
    query: adminUserListQuerySchema,
    responses: { 200: { description: 'One page, alphabetically', schema: adminUserPageSchema }, ...errors(400) },
  },
  {
    method: 'get',
    path: '/api/admin/users/{id}',
    operationId: 'adminGetUser',
    tag: 'admin',
    summary: 'One account',
    security: ADMIN_AUTH,
    pathParams: userIdPathSchema,
    responses: { 200: { description: 'The account', schema: adminUserSchema }, ...errors(400, 404) },
  },
  {
    method: 'patch',
    path: '/api/admin/users/{id}',
    operationId: 'adminUpdateUser',
    tag: 'admin',
    summary: 'Change username, names, email, gender, picture or role',
    security: ADMIN_AUTH,
    pathParams: userIdPathSchema,
    body: { schema: adminUpdateUserSchema, required: true },
    responses: { 200: { description: 'The account after the change', schema: adminUserSchema }, ...errors(404, 409) },
  },
  {
    method: 'post',
    path: '/api/admin/users/{id}/password',
    operationId: 'adminResetPassword',
    tag: 'admin',
    summary: 'Set a new password',
    description: `The password policy applies. The user's sessions end. ${endsSessions}`,
    security: ADMIN_AUTH,
    pathParams: userIdPathSchema,
    body: { schema: adminResetPasswordSchema, required: true },
    responses: { 204: { description: 'Changed' }, ...errors(404) },
  },
  statusChange('ban', 'Ban an account', `The account may not sign in until enabled. ${endsSessions}`),
  statusChange('disable', 'Disable an account', `Like a ban, without the sanction. ${endsSessions}`),
  statusChange('enable', 'Enable a banned or disabled account', 'The user may sign in again.'),
  {
    method: 'delete',
    path: '/api/admin/users/{id}',
    operationId: 'adminDeleteUser',
    tag: 'admin',
    summary: 'Delete an account for good',
    description:
      '`messages=keep` (default) leaves the messages in their chats with `senderId: null`, shown as from a "deleted user"; ' +
      `\`messages=erase\` removes them. Memberships and blocks go with the account. ${endsSessions}`,
    security: ADMIN_AUTH,
    pathParams: userIdPathSchema,
    query: adminDeleteUserQuerySchema,
    responses: { 204: { description: 'Deleted' }, ...errors(400, 404) },
  },
  {
    method: 'get',
    path: '/api/admin/audit',
    operationId: 'adminReadAudit',
    tag: 'admin',
    summary: 'The audit trail, newest first',
    description: 'Every admin action, the start-up administrator and SSO provisioning. Page with `before` = the previous page\'s `nextBefore`.',
    security: ADMIN_AUTH,
    query: auditQuerySchema,
    responses: { 200: { description: 'One page', schema: auditPageSchema }, ...errors(400) },
  },
];
