/** The user record both adapters store: built from a NewUser, and changed by a UserPatch. */
import { newId } from '../ids.js';
import type { NewUser, UserPatch, UserRecord } from '../storage.js';

/** A new user with a fresh id, the defaults of the optional fields, and `now` as both dates. */
export function newUserRecord(user: NewUser, now: string): UserRecord {
  return {
    id: newId(),
    username: user.username,
    firstName: user.firstName,
    lastName: user.lastName,
    email: user.email,
    gender: user.gender,
    avatarUrl: user.avatarUrl ?? null,
    passwordHash: user.passwordHash,
    role: user.role ?? 'user',
    status: user.status ?? 'active',
    externalId: user.externalId ?? null,
    createdAt: now,
    updatedAt: now,
  };
}

const PATCHABLE_FIELDS = [
  'username',
  'firstName',
  'lastName',
  'email',
  'gender',
  'avatarUrl',
  'passwordHash',
  'role',
  'status',
] as const satisfies ReadonlyArray<keyof UserPatch>;

/** Only the fields a patch may change; an undefined value leaves the stored one alone. */
export function patchedUserFields(patch: UserPatch): UserPatch {
  return Object.fromEntries(
    PATCHABLE_FIELDS.filter((field) => patch[field] !== undefined).map((field) => [field, patch[field]]),
  ) as UserPatch;
}
