import { z } from 'zod';
import { idSchema } from '../../../../../shared/src/schemas/common.js';
import {
  authTokensSchema,
  loginSchema,
  refreshSchema,
  registerSchema,
  userSearchQuerySchema,
} from '../../../../../shared/src/schemas/accounts.js';
import { errorResponseSchema } from '../../../../../shared/src/schemas/errors.js';
import { ssoSignInSchema } from '../../../../../shared/src/schemas/sso.js';
import { publicUserPageSchema, selfUserSchema } from '../../../../../shared/src/schemas/users.js';
import { errorResponses, NO_AUTH, USER_AUTH, type ResponseSpec, type RouteSpec } from '../route-spec.js';

const setsRefreshCookie: ResponseSpec['headers'] = {
  'Set-Cookie': {
    description: 'refresh_token: httpOnly, SameSite=Strict, Path=/api/auth; Secure under SECURE_COOKIES or HTTPS',
    schema: { type: 'string' },
  },
};

const signedIn = (description: string): ResponseSpec => ({ description, schema: authTokensSchema, headers: setsRefreshCookie });

/** /api/auth (register, login, refresh, logout, SSO) and the user directory under /api/users. */
export const accountRoutes: RouteSpec[] = [
  {
    method: 'post',
    path: '/api/auth/register',
    operationId: 'register',
    tag: 'accounts',
    summary: 'Create an account',
    description: 'Usernames are unique in any letter case. The password must meet the policy (10+ characters, not common, not containing the username).',
    security: NO_AUTH,
    body: { schema: registerSchema, required: true },
    responses: { 201: { description: 'The new account', schema: selfUserSchema }, ...errorResponses(errorResponseSchema, 409, 429, 503) },
  },
  {
    method: 'post',
    path: '/api/auth/login',
    operationId: 'login',
    tag: 'accounts',
    summary: 'Sign in with a username and password',
    description: 'Credentials come as JSON, or (with an empty body) as `Authorization: Basic`. Failed attempts are throttled per username and per address.',
    security: NO_AUTH,
    body: { schema: loginSchema, required: false },
    responses: {
      200: signedIn('Tokens for the new session; the refresh token is also set as a cookie'),
      ...errorResponses(errorResponseSchema, 401, 429, 503),
    },
  },
  {
    method: 'post',
    path: '/api/auth/refresh',
    operationId: 'refresh',
    tag: 'accounts',
    summary: 'Trade a refresh token for new tokens',
    description: 'The refresh token comes from the body or the cookie. Each one works once; presenting a spent one ends the whole session.',
    security: [{ refreshCookie: [] }, {}],
    body: { schema: refreshSchema, required: false },
    responses: { 200: signedIn('New tokens; the old refresh token is spent'), ...errorResponses(errorResponseSchema, 401) },
  },
  {
    method: 'post',
    path: '/api/auth/logout',
    operationId: 'logout',
    tag: 'accounts',
    summary: 'End the session of a refresh token',
    security: [{ refreshCookie: [] }, {}],
    body: { schema: refreshSchema, required: false },
    responses: { 204: { description: 'Signed out (also when there was nothing to end); the cookie is cleared' } },
  },
  {
    method: 'post',
    path: '/api/auth/sso',
    operationId: 'signInWithSso',
    tag: 'accounts',
    summary: "Sign in with the host site's JWT",
    description:
      'The host site signs a short-lived JWT (HS256 with SSO_SECRET, or RS256/ES256 with the key whose public half is SSO_PUBLIC_KEY) ' +
      'carrying `sub`, `exp`, `iat` (at most SSO_MAX_AGE_S old), a unique `jti` (unless SSO_ALLOW_NO_JTI) and optionally ' +
      '`preferred_username`, `given_name`, `family_name`, `name`, `email`, `picture`; ' +
      '`iss` and `aud` must match SSO_ISSUER / SSO_AUDIENCE when those are set. Each token is accepted once (401 when presented again). ' +
      'The first sign-in of a `sub` creates the account; ' +
      'later ones reach the same account. Answers like login.',
    security: NO_AUTH,
    body: { schema: ssoSignInSchema, required: true },
    responses: {
      200: signedIn('Tokens for the new session; the refresh token is also set as a cookie'),
      ...errorResponses(errorResponseSchema, 401, 404, 409),
    },
  },
  {
    method: 'get',
    path: '/api/users/me',
    operationId: 'getOwnProfile',
    tag: 'users',
    summary: "The signed-in user's own profile",
    security: USER_AUTH,
    responses: { 200: { description: 'The profile', schema: selfUserSchema }, ...errorResponses(errorResponseSchema, 401) },
  },
  {
    method: 'get',
    path: '/api/users',
    operationId: 'searchUsers',
    tag: 'users',
    summary: 'Search the user directory by username prefix',
    security: USER_AUTH,
    query: userSearchQuerySchema,
    responses: {
      200: { description: 'One page, alphabetically', schema: publicUserPageSchema },
      ...errorResponses(errorResponseSchema, 400, 401),
    },
  },
];

/** `{id}` in user paths. */
export const userIdPathSchema = z.strictObject({ id: idSchema });
