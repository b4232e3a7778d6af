import type { PublicUser, SelfUser } from '../../../shared/src/schemas/users.js';
import type { UserRecord } from '../storage/storage.js';

/** What anyone signed in may see of a user. Never the password hash, email, role or status. */
export function toPublicUser(user: UserRecord): PublicUser {
  return {
    id: user.id,
    username: user.username,
    firstName: user.firstName,
    lastName: user.lastName,
    gender: user.gender,
    avatarUrl: user.avatarUrl,
    createdAt: user.createdAt,
  };
}

/** What the signed-in user sees of themselves: the public fields plus email and role. */
export function toSelfUser(user: UserRecord): SelfUser {
  return { ...toPublicUser(user), email: user.email, role: user.role };
}
