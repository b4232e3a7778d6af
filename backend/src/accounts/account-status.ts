import { AppError } from '../app-error.js';
import type { UserRecord } from '../storage/storage.js';

const REFUSAL: Record<Exclude<UserRecord['status'], 'active'>, string> = {
  disabled: 'This account is disabled',
  banned: 'This account is banned',
  deleted: 'This account has been deleted',
};

/** Refuses (403) accounts that may not sign in or act: disabled, banned or deleted ones. */
export function assertAccountUsable(user: UserRecord): void {
  if (user.status !== 'active') throw new AppError('forbidden', REFUSAL[user.status]);
}
