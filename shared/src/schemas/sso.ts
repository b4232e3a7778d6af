import { z } from 'zod';

/** POST /api/auth/sso: the host site's signed JWT, exchanged for our own tokens. */
export const ssoSignInSchema = z.strictObject({
  token: z.string().min(1, 'is required').max(8192, 'is too long'),
});
export type SsoSignInRequest = z.infer<typeof ssoSignInSchema>;
