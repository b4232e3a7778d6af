import { AppError } from '../app-error.js';
import type { Storage } from '../storage/storage.js';

/**
 * The users behind a list of ids, deduplicated. Every one of them must be an active account.
 * @throws AppError validation_failed naming the field when some id is unknown, deleted, disabled or banned.
 */
export async function requireActiveUsers(storage: Storage, userIds: readonly string[], field: string): Promise<string[]> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return [];
  const found = await storage.users.byIds(unique);
  const active = new Set(found.filter((user) => user.status === 'active').map((user) => user.id));
  const unknown = unique.filter((id) => !active.has(id));
  if (unknown.length > 0) {
    throw new AppError('validation_failed', `Unknown user${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, {
      [field]: 'contains users who do not exist',
    });
  }
  return unique;
}

/** @throws AppError limit_exceeded when a group would grow past `max` members. */
export function assertGroupSize(memberCount: number, max: number): void {
  if (memberCount > max) {
    throw new AppError('limit_exceeded', `A group can have at most ${max} members`);
  }
}
