import { z } from 'zod';
import { CHAT_VISIBILITIES } from '../domain.js';
import { idSchema } from './common.js';
import { bcryptLimitProblem, PASSWORD_MAX_BYTES, passwordToCheckSchema } from './password-policy.js';

/** A room password as it is set: at least 4 characters, and within bcrypt's limit of 72 UTF-8 bytes, no NUL. */
export const roomPasswordSchema = z
  .string()
  .min(4, 'must be at least 4 characters')
  .max(PASSWORD_MAX_BYTES, `must be at most ${PASSWORD_MAX_BYTES} bytes (UTF-8)`)
  .superRefine((password, ctx) => {
    const problem = bcryptLimitProblem(password);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
export const groupNameSchema = z.string().trim().min(1, 'is required').max(80, 'must be at most 80 characters');

/** `private` (only the people added; never searchable) or `public` (a room anyone signed in can find and join). */
export const chatVisibilitySchema = z.enum(CHAT_VISIBILITIES, { message: 'must be private or public' });

export const openDirectSchema = z.strictObject({ userId: idSchema });
export type OpenDirectRequest = z.infer<typeof openDirectSchema>;

export const createGroupSchema = z.strictObject({
  name: groupNameSchema,
  memberIds: z.array(idSchema).max(1000),
  password: roomPasswordSchema.optional(),
  /** Left out: `private`. Only a `public` room may have a password. */
  visibility: chatVisibilitySchema.optional(),
});
export type CreateGroupRequest = z.infer<typeof createGroupSchema>;

export const joinGroupSchema = z.strictObject({
  chatId: idSchema,
  password: passwordToCheckSchema().optional(),
});
export type JoinGroupRequest = z.infer<typeof joinGroupSchema>;

export const searchGroupsSchema = z.strictObject({
  query: z.string().trim().max(80),
});
export type SearchGroupsRequest = z.infer<typeof searchGroupsSchema>;

export const updateGroupSchema = z.strictObject({
  chatId: idSchema,
  name: groupNameSchema.optional(),
  /** A string sets or changes the password; null removes it. */
  password: roomPasswordSchema.nullable().optional(),
  /** Switches the group between private and public; a private group cannot keep a password. */
  visibility: chatVisibilitySchema.optional(),
  addMemberIds: z.array(idSchema).max(1000).optional(),
  removeMemberIds: z.array(idSchema).max(1000).optional(),
  promoteIds: z.array(idSchema).max(1000).optional(),
  demoteIds: z.array(idSchema).max(1000).optional(),
});
export type UpdateGroupRequest = z.infer<typeof updateGroupSchema>;

export const chatRefSchema = z.strictObject({ chatId: idSchema });
export type ChatRef = z.infer<typeof chatRefSchema>;

export const emptySchema = z.strictObject({}).optional();
