import { AppError } from '../app-error.js';
import type { UserRecord } from '../storage/storage.js';

/** Refuses accounts that may not act: 401 for deleted ones (as if gone), 403 for disabled or banned ones. */
export function assertAccountUsable(user: UserRecord): void {
  switch (user.status) {
    case 'active':
      return;
    case 'deleted':
      throw new AppError('unauthenticated', 'This account no longer exists');
    case 'disabled':
      throw new AppError('forbidden', 'This account is disabled');
    case 'banned':
      throw new AppError('forbidden', 'This account is banned');
  }
}
