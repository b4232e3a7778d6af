import {
  adminBulkCreateResultSchema,
  adminBulkCreateSchema,
  adminCreateUserSchema,
  adminDeleteUserQuerySchema,
  adminResetPasswordSchema,
  adminStatusChangeSchema,
  adminUpdateUserSchema,
  adminUserIdSchema,
  adminUserListQuerySchema,
  adminUserPageSchema,
  adminUserSchema,
  auditPageSchema,
  auditQuerySchema,
} from '../../../shared/src/schemas/admin.js';
import { readAudit } from '../admin/audit-trail.js';
import { changeUserStatus, type StatusChange } from '../admin/change-user-status.js';
import { createUser, createUsersInBulk } from '../admin/create-users.js';
import { deleteUser } from '../admin/delete-user.js';
import { getUser, listUsers } from '../admin/list-users.js';
import { resetPassword } from '../admin/reset-password.js';
import { updateUser } from '../admin/update-user.js';
import { operation } from './operation.js';

/** A bulk request of 1000 users is far larger than an ordinary body. */
export const BULK_BODY_LIMIT = '2mb';

const endsSessions =
  'Takes effect at once: refresh tokens are revoked and live sockets get `session:ended` and are closed. For a banned, disabled or deleted account, access tokens are refused on their next use; after a password reset, access tokens already issued stay valid until they expire (at most ACCESS_TOKEN_TTL_S).';

const statusChange = (change: StatusChange, summary: string, description: string) =>
  operation({
    name: `${change}User`,
    access: 'admin',
    target: adminUserIdSchema,
    input: adminStatusChangeSchema,
    output: adminUserSchema,
    rest: {
      method: 'post',
      path: `/api/admin/users/:id/${change}`,
      input: { from: 'raw-body', orEmpty: true, required: false, description: 'An optional reason, kept in the audit trail' },
      success: { 200: 'The account after the change' },
      errors: [404],
      tag: 'admin',
      summary,
      description,
    },
    run: changeUserStatus(change),
  });

/**
 * Account administration and the audit trail under /api/admin, for administrators' access
 * tokens and ADMIN_API_KEY. REST only; nothing here is rate-limited.
 */
export const adminOperations = [
  operation({
    name: 'adminCreateUser',
    access: 'admin',
    limits: ['password-work'],
    input: adminCreateUserSchema,
    output: adminUserSchema,
    rest: {
      method: 'post',
      path: '/api/admin/users',
      input: { from: 'raw-body', required: true },
      success: { 201: 'The new account' },
      errors: [409],
      tag: 'admin',
      summary: 'Create an account',
      description: 'Registration rules apply. `password` may be left out when `externalId` (the host id used by SSO) is given.',
    },
    run: createUser,
  }),
  operation({
    name: 'adminCreateUsers',
    access: 'admin',
    limits: ['password-work'],
    input: adminBulkCreateSchema,
    output: adminBulkCreateResultSchema,
    rest: {
      method: 'post',
      path: '/api/admin/users/bulk',
      input: { from: 'raw-body', required: true },
      bodyLimit: BULK_BODY_LIMIT,
      success: { 201: 'The new accounts, in request order' },
      errors: [409],
      tag: 'admin',
      summary: 'Create up to 1000 accounts, all or none',
      description:
        'Nothing is stored unless every item is fine. Problems are keyed by item: `fields["users.3.username"]`. ' +
        '400 for invalid items or a name repeated within the request, 409 for names or external ids that already exist. ' +
        'This route accepts bodies up to 2 MB.',
    },
    run: createUsersInBulk,
  }),
  operation({
    name: 'adminListUsers',
    access: 'admin',
    input: adminUserListQuerySchema,
    output: adminUserPageSchema,
    rest: {
      method: 'get',
      path: '/api/admin/users',
      input: { from: 'raw-query' },
      success: { 200: 'One page, alphabetically' },
      errors: [400],
      tag: 'admin',
      summary: 'List accounts by username prefix, with role and status',
    },
    run: listUsers,
  }),
  operation({
    name: 'adminGetUser',
    access: 'admin',
    target: adminUserIdSchema,
    input: undefined,
    output: adminUserSchema,
    rest: {
      method: 'get',
      path: '/api/admin/users/:id',
      input: { from: 'none' },
      success: { 200: 'The account' },
      errors: [400, 404],
      tag: 'admin',
      summary: 'One account',
    },
    run: getUser,
  }),
  operation({
    name: 'adminUpdateUser',
    access: 'admin',
    target: adminUserIdSchema,
    input: adminUpdateUserSchema,
    output: adminUserSchema,
    rest: {
      method: 'patch',
      path: '/api/admin/users/:id',
      input: { from: 'raw-body', required: true },
      success: { 200: 'The account after the change' },
      errors: [404, 409],
      tag: 'admin',
      summary: 'Change username, names, email, gender, picture or role',
    },
    run: updateUser,
  }),
  operation({
    name: 'adminResetPassword',
    access: 'admin',
    limits: ['password-work'],
    target: adminUserIdSchema,
    input: adminResetPasswordSchema,
    rest: {
      method: 'post',
      path: '/api/admin/users/:id/password',
      input: { from: 'raw-body', required: true },
      success: { 204: 'Changed' },
      errors: [404],
      tag: 'admin',
      summary: 'Set a new password',
      description: `The password policy applies. The user's sessions end. ${endsSessions}`,
    },
    run: resetPassword,
  }),
  statusChange('ban', 'Ban an account', `The account may not sign in until enabled. ${endsSessions}`),
  statusChange('disable', 'Disable an account', `Like a ban, without the sanction. ${endsSessions}`),
  statusChange('enable', 'Enable a banned or disabled account', 'The user may sign in again.'),
  operation({
    name: 'adminDeleteUser',
    access: 'admin',
    target: adminUserIdSchema,
    input: adminDeleteUserQuerySchema,
    rest: {
      method: 'delete',
      path: '/api/admin/users/:id',
      input: { from: 'raw-query' },
      success: { 204: 'Deleted' },
      errors: [400, 404],
      tag: 'admin',
      summary: 'Delete an account for good',
      description:
        '`messages=keep` (default) leaves the messages in their chats with `senderId: null`, shown as from a "deleted user"; ' +
        `\`messages=erase\` removes them. Memberships and blocks go with the account. ${endsSessions}`,
    },
    run: deleteUser,
  }),
  operation({
    name: 'adminReadAudit',
    access: 'admin',
    input: auditQuerySchema,
    output: auditPageSchema,
    rest: {
      method: 'get',
      path: '/api/admin/audit',
      input: { from: 'raw-query' },
      success: { 200: 'One page' },
      errors: [400],
      tag: 'admin',
      summary: 'The audit trail, newest first',
      description: "Every admin action, the start-up administrator and SSO provisioning. Page with `before` = the previous page's `nextBefore`.",
    },
    run: readAudit,
  }),
];
