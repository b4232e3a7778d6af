import { z } from 'zod';
import { named } from './wire-registry.js';

/** Plain data that crosses the wire. Dates are ISO-8601 strings. */

export const GENDERS = ['female', 'male', 'nonbinary', 'unspecified'] as const;
export const genderSchema = z.enum(GENDERS, { message: `must be one of ${GENDERS.join(', ')}` });
export type Gender = z.output<typeof genderSchema>;

export const USER_ROLES = ['user', 'admin'] as const;
export const userRoleSchema = z.enum(USER_ROLES, { message: `must be one of ${USER_ROLES.join(', ')}` });
export type UserRole = z.output<typeof userRoleSchema>;

export const USER_STATUSES = ['active', 'disabled', 'banned', 'deleted'] as const;
export const userStatusSchema = z.enum(USER_STATUSES);
export type UserStatus = z.output<typeof userStatusSchema>;

export const publicUserSchema = named(
  'PublicUser',
  z.strictObject({
    id: z.string(),
    username: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    gender: genderSchema,
    avatarUrl: z.string().nullable(),
    createdAt: z.string(),
  }),
);
export type PublicUser = z.output<typeof publicUserSchema>;

/** The signed-in user's own profile: the public fields plus private ones. */
export const selfUserSchema = named(
  'SelfUser',
  z.strictObject({ ...publicUserSchema.shape, email: z.string(), role: userRoleSchema }),
);
export type SelfUser = z.output<typeof selfUserSchema>;

export const userWithPresenceSchema = named(
  'UserWithPresence',
  z.strictObject({ ...publicUserSchema.shape, online: z.boolean() }),
);
export type UserWithPresence = z.output<typeof userWithPresenceSchema>;

/** A page of the user directory (GET /api/users). */
export const publicUserPageSchema = named(
  'UserPage',
  z.strictObject({ users: z.array(publicUserSchema), nextCursor: z.string().nullable() }),
);
export type PublicUserPage = z.output<typeof publicUserPageSchema>;

/** The signed-in user's list of everyone, with who is online (`users:list`). */
export const userListSchema = z.strictObject({ users: z.array(userWithPresenceSchema) });
export type UserList = z.output<typeof userListSchema>;

/** The ids of the users the signed-in user blocked. */
export const blockListSchema = named('BlockList', z.strictObject({ userIds: z.array(z.string()) }));
export type BlockList = z.output<typeof blockListSchema>;
