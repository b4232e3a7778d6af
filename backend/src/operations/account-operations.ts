import { authTokensSchema, loginSchema, refreshSchema, registerSchema, userSearchQuerySchema } from '../../../shared/src/schemas/accounts.js';
import { ssoSignInSchema } from '../../../shared/src/schemas/sso.js';
import { changePasswordSchema, updateProfileSchema } from '../../../shared/src/schemas/profile.js';
import { publicUserPageSchema, selfUserSchema } from '../../../shared/src/schemas/users.js';
import { logIn, logOut, ownProfile, refreshSession, register } from '../accounts/account-use-cases.js';
import { changeOwnPassword } from '../accounts/change-own-password.js';
import { searchUsers } from '../accounts/search-users.js';
import { updateOwnProfile } from '../accounts/update-own-profile.js';
import { configuredSso, signInWithSso } from '../sso/sso-sign-in.js';
import { operation } from './operation.js';

const newSession = 'Tokens for the new session; the refresh token is also set as a cookie';

/**
 * Accounts and sessions under /api/auth (single sign-on included), the own profile and the user
 * directory. REST only, but for changing the own profile and password (`profile:update`, `profile:password`).
 */
export const accountOperations = [
  operation({
    name: 'register',
    access: 'public',
    limits: ['password-work'],
    input: registerSchema,
    output: selfUserSchema,
    rest: {
      method: 'post',
      path: '/api/auth/register',
      input: { from: 'raw-body', required: true },
      success: { 201: 'The new account' },
      errors: [409, 429, 503],
      tag: 'accounts',
      summary: 'Create an account',
      description: 'Usernames are unique in any letter case. The password must meet the policy (10+ characters, not common, not containing the username).',
    },
    run: register,
  }),
  operation({
    name: 'login',
    access: 'public',
    limits: ['sign-in'],
    input: loginSchema,
    output: authTokensSchema,
    rest: {
      method: 'post',
      path: '/api/auth/login',
      input: { from: 'credentials' },
      success: { 200: newSession },
      errors: [401, 429, 503],
      refreshCookie: 'set',
      tag: 'accounts',
      summary: 'Sign in with a username and password',
      description: 'Credentials come as JSON, or (with an empty body) as `Authorization: Basic`. Failed attempts are throttled per username and per address.',
    },
    run: logIn,
  }),
  operation({
    name: 'refresh',
    access: 'public',
    input: refreshSchema,
    output: authTokensSchema,
    rest: {
      method: 'post',
      path: '/api/auth/refresh',
      input: { from: 'raw-body', orEmpty: true, required: false },
      success: { 200: 'New tokens; the old refresh token is spent' },
      errors: [401],
      refreshCookie: 'rotate',
      tag: 'accounts',
      summary: 'Trade a refresh token for new tokens',
      description: 'The refresh token comes from the body or the cookie. Each one works once; presenting a spent one ends the whole session.',
    },
    run: refreshSession,
  }),
  operation({
    name: 'logout',
    access: 'public',
    input: refreshSchema,
    rest: {
      method: 'post',
      path: '/api/auth/logout',
      input: { from: 'raw-body', orEmpty: true, required: false },
      success: { 204: 'Signed out (also when there was nothing to end); the cookie is cleared' },
      refreshCookie: 'end',
      tag: 'accounts',
      summary: 'End the session of a refresh token',
    },
    run: logOut,
  }),
  operation({
    name: 'signInWithSso',
    access: 'public',
    available: configuredSso,
    input: ssoSignInSchema,
    output: authTokensSchema,
    rest: {
      method: 'post',
      path: '/api/auth/sso',
      input: { from: 'raw-body', required: true },
      success: { 200: newSession },
      errors: [401, 404, 409],
      refreshCookie: 'set',
      tag: 'accounts',
      summary: "Sign in with the host site's JWT",
      description:
        'The host site signs a short-lived JWT (HS256 with SSO_SECRET, or RS256/ES256 with the key whose public half is SSO_PUBLIC_KEY) ' +
        'carrying `sub`, `exp`, `iat` (at most SSO_MAX_AGE_S old), a unique `jti` (unless SSO_ALLOW_NO_JTI) and optionally ' +
        '`preferred_username`, `given_name`, `family_name`, `name`, `email`, `picture`; ' +
        '`iss` and `aud` must match SSO_ISSUER / SSO_AUDIENCE when those are set. Each token is accepted once (401 when presented again). ' +
        'The first sign-in of a `sub` creates the account; ' +
        'later ones reach the same account. Answers like login.',
    },
    run: signInWithSso,
  }),
  operation({
    name: 'getOwnProfile',
    access: 'user',
    input: undefined,
    output: selfUserSchema,
    rest: {
      method: 'get',
      path: '/api/users/me',
      input: { from: 'none' },
      success: { 200: 'The profile' },
      tag: 'users',
      summary: "The signed-in user's own profile",
    },
    run: ownProfile,
  }),
  operation({
    name: 'updateOwnProfile',
    access: 'user',
    limits: ['write'],
    input: updateProfileSchema,
    output: selfUserSchema,
    event: 'profile:update',
    rest: {
      method: 'patch',
      path: '/api/users/me',
      input: { from: 'body', required: true },
      success: { 200: 'The profile after the change' },
      errors: [400, 429],
      tag: 'users',
      summary: 'Change your own names, e-mail, gender or picture',
      description:
        'At least one field; the rules of registration. When a name, the gender or the picture changed, every signed-in client gets `user:updated`. ' +
        'E-mail addresses need not be unique. `avatarAttachmentId`: an upload of yours made with `POST /api/uploads?purpose=avatar` ' +
        'becomes your picture (`avatarUrl`, a 256-pixel square WebP); null removes it.',
    },
    run: updateOwnProfile,
  }),
  operation({
    name: 'changeOwnPassword',
    access: 'user',
    limits: ['write', 'password-work'],
    input: changePasswordSchema,
    event: 'profile:password',
    rest: {
      method: 'post',
      path: '/api/users/me/password',
      input: { from: 'body', required: true },
      success: { 204: 'Changed; your other sessions are signed out' },
      errors: [403, 429, 503],
      tag: 'users',
      summary: 'Change your own password',
      description:
        'Needs the current password. The new one must meet the password policy. Both checks are bcrypt work, rate-limited per user ' +
        '(BCRYPT_PER_USER_PER_MINUTE) and queued fairly. Every other session of the user ends: its refresh tokens are revoked and its sockets ' +
        'get `session:ended` (`password_changed`) and are closed; the session of the calling access token stays.',
    },
    run: changeOwnPassword,
  }),
  operation({
    name: 'searchUsers',
    access: 'user',
    input: userSearchQuerySchema,
    output: publicUserPageSchema,
    rest: {
      method: 'get',
      path: '/api/users',
      input: { from: 'raw-query' },
      success: { 200: 'One page, alphabetically' },
      errors: [400],
      tag: 'users',
      summary: 'Search the user directory by username prefix',
    },
    run: searchUsers,
  }),
];
