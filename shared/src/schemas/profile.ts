import { z } from 'zod';
import { registerSchema } from './accounts.js';
import { idSchema } from './common.js';
import { passwordToCheckSchema } from './password-policy.js';
import { genderSchema } from './users.js';

const accountFields = registerSchema.shape;

/**
 * The signed-in user's changes to their own profile: names, e-mail and gender, the rules of
 * registration; at least one field. The username and role are not the user's to change here.
 * `avatarAttachmentId`: an upload of the user's made with `purpose=avatar` becomes their picture
 * (`avatarUrl`); null removes the picture (the gender default shows again).
 */
export const updateProfileSchema = z
  .strictObject({
    firstName: accountFields.firstName.optional(),
    lastName: accountFields.lastName.optional(),
    email: accountFields.email.optional(),
    gender: genderSchema.optional(),
    avatarAttachmentId: idSchema.nullable().optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), 'must change at least one field');
export type UpdateProfileRequest = z.infer<typeof updateProfileSchema>;

/**
 * A new password for the signed-in user, who proves the current one. The current password is
 * checked like a sign-in (within bcrypt's 72 bytes); the new one's shape is checked here, and the
 * password policy (which also looks at the username) by the use case.
 */
export const changePasswordSchema = z
  .strictObject({
    currentPassword: passwordToCheckSchema(),
    newPassword: z.string().min(1, 'is required').max(1024, 'is too long'),
  })
  .superRefine((value, ctx) => {
    if (value.newPassword === value.currentPassword) {
      ctx.addIssue({ code: 'custom', path: ['newPassword'], message: 'must differ from the current password' });
    }
  });
export type ChangePasswordRequest = z.infer<typeof changePasswordSchema>;
