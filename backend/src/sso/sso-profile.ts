import { createHash } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { z } from 'zod';
import { usernameSchema } from '../../../shared/src/schemas/accounts.js';
import { avatarUrlSchema, externalIdSchema } from '../../../shared/src/schemas/admin.js';
import { AppError } from '../app-error.js';

/** What we take from the host's claims to provision or refresh an account. */
export interface SsoProfile {
  externalId: string;
  /** Null when the token carries no username claim; the account then gets a derived one. */
  username: string | null;
  /** The claim the username came from, named in errors. */
  usernameClaim: 'preferred_username' | 'username' | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  avatarUrl: string | null;
}

/** A claim of the wrong type counts as absent rather than failing the sign-in. */
const optionalText = z.string().trim().max(2048).optional().catch(undefined);

const claimsSchema = z.object({
  sub: externalIdSchema,
  preferred_username: optionalText,
  username: optionalText,
  given_name: optionalText,
  family_name: optionalText,
  name: optionalText,
  email: optionalText,
  picture: optionalText,
});

const NAME_MAX = 64;

/**
 * Reads the OpenID-style claims: `sub` (required) becomes the external id; `preferred_username`
 * or `username`, `given_name` / `family_name` (or `name`, split at its last space), `email` and
 * `picture` are used when present and well-formed.
 * @throws AppError 400 naming the claim when `sub` is unusable or the username claim breaks our username rules.
 */
export function profileFromClaims(payload: JWTPayload): SsoProfile {
  const parsed = claimsSchema.safeParse(payload);
  if (!parsed.success) {
    throw new AppError('validation_failed', 'The SSO token\'s "sub" claim must be a string of 1 to 255 characters', { sub: 'is invalid' });
  }
  const claims = parsed.data;
  const usernameClaim = claims.preferred_username ? 'preferred_username' : claims.username ? 'username' : null;
  const username = usernameClaim ? claims[usernameClaim]! : null;
  if (username !== null) {
    const valid = usernameSchema.safeParse(username);
    if (!valid.success) {
      const message = valid.error.issues[0]?.message ?? 'is invalid';
      throw new AppError('validation_failed', `The SSO token's "${usernameClaim}" claim ${message}`, { [usernameClaim!]: message });
    }
  }
  const [nameFirst, nameLast] = splitName(claims.name);
  return {
    externalId: claims.sub,
    username,
    usernameClaim,
    firstName: clip(claims.given_name || nameFirst),
    lastName: clip(claims.family_name || nameLast),
    email: claims.email && z.email().max(254).safeParse(claims.email).success ? claims.email : null,
    avatarUrl: claims.picture && avatarUrlSchema.safeParse(claims.picture).success ? claims.picture : null,
  };
}

/**
 * A username for a token without a username claim: the email's local part when it is a valid
 * username, otherwise `user-` and a digest of the external id, the same for every sign-in.
 */
export function derivedUsername(profile: SsoProfile): string {
  const localPart = profile.email?.split('@')[0] ?? '';
  if (usernameSchema.safeParse(localPart).success) return localPart;
  const digest = createHash('sha256').update(profile.externalId, 'utf8').digest('hex').slice(0, 12);
  return `user-${digest}`;
}

function splitName(name: string | undefined): [string | undefined, string | undefined] {
  if (!name) return [undefined, undefined];
  const space = name.lastIndexOf(' ');
  return space < 0 ? [name, undefined] : [name.slice(0, space).trim(), name.slice(space + 1).trim()];
}

function clip(value: string | undefined): string | null {
  return value ? value.slice(0, NAME_MAX) : null;
}
