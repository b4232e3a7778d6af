import type { PublicUser } from '@shared';

/** "Ana Lima": how people are named throughout the app. */
export function fullName(user: Pick<PublicUser, 'firstName' | 'lastName'>): string {
  return `${user.firstName} ${user.lastName}`.trim();
}
