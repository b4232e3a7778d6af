import type { PublicUser } from '@shared';
import { fullName } from '../../core/full-name';

/** How a mention names its user: their current full name; undefined when the client does not know them. */
export function mentionNameOf(userById: (userId: string) => Pick<PublicUser, 'firstName' | 'lastName'> | undefined): (userId: string) => string | undefined {
  return (userId) => {
    const user = userById(userId);
    return user ? fullName(user) : undefined;
  };
}
