import { z } from 'zod';
import { registerSchema, userSearchQuerySchema, usernameSchema } from './accounts.js';
import { idSchema } from './common.js';
import { passwordProblem } from './password-policy.js';
import { genderSchema, userRoleSchema, userStatusSchema } from './users.js';
import { named } from './wire-registry.js';

/** Payloads of the admin API (/api/admin/...) and the shapes it answers with. */

/** The most users one bulk request may create. */
export const MAX_BULK_USERS = 1000;

/** An http(s) address of a picture; null removes it. */
export const avatarUrlSchema = z.url({ protocol: /^https?$/, message: 'must be an http or https URL' }).max(2048);

const accountFields = registerSchema.shape;

function passwordMeetsPolicy(value: { password: string; username: string }, ctx: z.RefinementCtx): void {
  const problem = passwordProblem(value.password, value.username);
  if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
}

/** The host site's id for a user (the `sub` of its single-sign-on tokens). */
export const externalIdSchema = z.string().min(1, 'is required').max(255, 'must be at most 255 characters');

/**
 * The same fields and rules as self-registration, plus the role and a picture. The password
 * may be left out for users of the host site who sign in only through single sign-on: give
 * their host id as `externalId`, and their first SSO sign-in lands on this account.
 */
export const adminCreateUserSchema = z
  .strictObject({
    ...accountFields,
    password: accountFields.password.optional(),
    role: userRoleSchema.optional(),
    avatarUrl: avatarUrlSchema.nullable().optional(),
    externalId: externalIdSchema.optional(),
  })
  .superRefine((value, ctx) => {
    if (value.password !== undefined) passwordMeetsPolicy({ password: value.password, username: value.username }, ctx);
    else if (value.externalId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['password'], message: 'is required unless externalId is given' });
    }
  });
export type AdminCreateUserRequest = z.infer<typeof adminCreateUserSchema>;

/** All or nothing: one bad item fails the request with fields keyed `users.<index>.<field>`. */
export const adminBulkCreateSchema = z.strictObject({
  users: z.array(adminCreateUserSchema).min(1, 'must hold at least one user').max(MAX_BULK_USERS, `must hold at most ${MAX_BULK_USERS} users`),
});
export type AdminBulkCreateRequest = z.infer<typeof adminBulkCreateSchema>;

export const adminUpdateUserSchema = z
  .strictObject({
    username: usernameSchema.optional(),
    firstName: accountFields.firstName.optional(),
    lastName: accountFields.lastName.optional(),
    email: accountFields.email.optional(),
    gender: genderSchema.optional(),
    avatarUrl: avatarUrlSchema.nullable().optional(),
    role: userRoleSchema.optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), 'must change at least one field');
export type AdminUpdateUserRequest = z.infer<typeof adminUpdateUserSchema>;

/** The password policy (which also looks at the username) is applied by the use case. */
export const adminResetPasswordSchema = z.strictObject({
  password: z.string().min(1, 'is required').max(1024, 'is too long'),
});
export type AdminResetPasswordRequest = z.infer<typeof adminResetPasswordSchema>;

/** Body of ban / disable / enable; it may be empty. The reason goes to the audit trail. */
export const adminStatusChangeSchema = z.strictObject({
  reason: z.string().trim().max(500, 'must be at most 500 characters').optional(),
});
export type AdminStatusChangeRequest = z.infer<typeof adminStatusChangeSchema>;

/**
 * What happens to a deleted user's messages: `keep` leaves them in their chats with no sender
 * (clients show "deleted user"); `erase` removes them.
 */
export const DELETED_USER_MESSAGES = ['keep', 'erase'] as const;
export type DeletedUserMessages = (typeof DELETED_USER_MESSAGES)[number];
export const adminDeleteUserQuerySchema = z.strictObject({
  messages: z.enum(DELETED_USER_MESSAGES, { message: 'must be keep or erase' }).default('keep'),
});
export type AdminDeleteUserQuery = z.infer<typeof adminDeleteUserQuerySchema>;

export const adminUserListQuerySchema = userSearchQuerySchema;
export type AdminUserListQuery = z.infer<typeof adminUserListQuerySchema>;

export const DEFAULT_AUDIT_PAGE_SIZE = 50;
export const MAX_AUDIT_PAGE_SIZE = 200;
export const auditQuerySchema = z.strictObject({
  before: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_AUDIT_PAGE_SIZE).optional(),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const adminUserIdSchema = z.strictObject({ id: idSchema });

/** Everything an administrator sees of an account; never the password hash. */
export const adminUserSchema = named('AdminUser', z.strictObject({
  id: z.string(),
  username: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string(),
  gender: genderSchema,
  avatarUrl: z.string().nullable(),
  role: userRoleSchema,
  status: userStatusSchema,
  /** The host site's user id for accounts created by single sign-on. */
  externalId: z.string().nullable(),
  /** False for single-sign-on accounts that cannot log in with a password. */
  hasPassword: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
}));
export type AdminUser = z.output<typeof adminUserSchema>;

export const adminUserPageSchema = named('AdminUserPage', z.strictObject({
  users: z.array(adminUserSchema),
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
}));
export type AdminUserPage = z.output<typeof adminUserPageSchema>;

export const adminBulkCreateResultSchema = named('AdminBulkCreateResult', z.strictObject({
  users: z.array(adminUserSchema),
}));
export type AdminBulkCreateResult = z.output<typeof adminBulkCreateResultSchema>;

export const auditEntrySchema = named('AuditEntry', z.strictObject({
  id: z.string(),
  /** The administrator who acted; null for the API key, start-up and single sign-on (`details.via` says which). */
  actorId: z.string().nullable(),
  /** e.g. `user.create`, `user.ban`. */
  action: z.string(),
  targetId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.string(),
}));
export type AuditEntry = z.output<typeof auditEntrySchema>;

export const auditPageSchema = named('AuditPage', z.strictObject({
  entries: z.array(auditEntrySchema),
  /** Pass back as `before` for older entries; null when there are none. */
  nextBefore: z.string().nullable(),
}));
export type AuditPage = z.output<typeof auditPageSchema>;
