import type { AdminUser } from '../../../shared/src/schemas/admin.js';
import type { UserRecord } from '../storage/storage.js';

/** Everything an administrator sees of an account: the record without its password hash. */
export function toAdminUser(user: UserRecord): AdminUser {
  return {
    id: user.id,
    username: user.username,
    firstName: user.firstName,
    lastName: user.lastName,
    email: user.email,
    gender: user.gender,
    avatarUrl: user.avatarUrl,
    role: user.role,
    status: user.status,
    externalId: user.externalId,
    hasPassword: user.passwordHash !== null,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}
