import { z } from 'zod';
import { idSchema } from './common.js';

export const roomPasswordSchema = z.string().min(4, 'must be at least 4 characters').max(72, 'must be at most 72 characters');
export const groupNameSchema = z.string().trim().min(1, 'is required').max(80, 'must be at most 80 characters');

export const openDirectSchema = z.strictObject({ userId: idSchema });
export type OpenDirectRequest = z.infer<typeof openDirectSchema>;

export const createGroupSchema = z.strictObject({
  name: groupNameSchema,
  memberIds: z.array(idSchema).max(1000),
  password: roomPasswordSchema.optional(),
});
export type CreateGroupRequest = z.infer<typeof createGroupSchema>;

export const joinGroupSchema = z.strictObject({
  chatId: idSchema,
  password: z.string().max(72).optional(),
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
  addMemberIds: z.array(idSchema).max(1000).optional(),
  removeMemberIds: z.array(idSchema).max(1000).optional(),
  promoteIds: z.array(idSchema).max(1000).optional(),
  demoteIds: z.array(idSchema).max(1000).optional(),
});
export type UpdateGroupRequest = z.infer<typeof updateGroupSchema>;

export const chatRefSchema = z.strictObject({ chatId: idSchema });
export type ChatRef = z.infer<typeof chatRefSchema>;

export const emptySchema = z.strictObject({}).optional();
