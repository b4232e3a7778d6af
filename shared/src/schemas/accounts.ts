import { z } from 'zod';
import { passwordProblem, passwordToCheckSchema } from './password-policy.js';
import { genderSchema, selfUserSchema } from './users.js';
import { named } from './wire-registry.js';

export const usernameSchema = z
  .string()
  .min(3, 'must be at least 3 characters')
  .max(32, 'must be at most 32 characters')
  .regex(/^[A-Za-z0-9_.-]+$/, 'may contain only letters, digits, _ . and -');

const nameSchema = z.string().trim().min(1, 'is required').max(64, 'must be at most 64 characters');

export const registerSchema = z
  .strictObject({
    username: usernameSchema,
    password: z.string().max(1024, 'is too long'),
    email: z.email('must be a valid email address').max(254),
    firstName: nameSchema,
    lastName: nameSchema,
    gender: genderSchema,
  })
  .superRefine((value, ctx) => {
    const problem = passwordProblem(value.password, value.username);
    if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
  });
export type RegisterRequest = z.infer<typeof registerSchema>;

export const loginSchema = z.strictObject({
  username: z.string().min(1, 'is required').max(64, 'is too long'),
  password: passwordToCheckSchema(),
});
export type LoginRequest = z.infer<typeof loginSchema>;

/** The refresh token may come from the httpOnly cookie instead of the body. */
export const refreshSchema = z.strictObject({
  refreshToken: z.string().min(1).max(512).optional(),
});
export type RefreshRequest = z.infer<typeof refreshSchema>;

export const userSearchQuerySchema = z.strictObject({
  query: z.string().max(64).optional(),
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
export type UserSearchQuery = z.infer<typeof userSearchQuerySchema>;

/** The answer to login, refresh and single sign-on: a new session. */
export const authTokensSchema = named(
  'AuthTokens',
  z.strictObject({
    accessToken: z.string(),
    /** Seconds until the access token expires. */
    expiresIn: z.number().int(),
    refreshToken: z.string(),
    user: selfUserSchema,
  }),
);
export type AuthTokens = z.output<typeof authTokensSchema>;
