import { InjectionToken } from '@angular/core';

/** The name of the Web Lock every tab of this site takes around a token refresh. */
export const REFRESH_LOCK_NAME = new InjectionToken<string>('REFRESH_LOCK_NAME', {
  providedIn: 'root',
  factory: () => 'parley-token-refresh',
});

/**
 * Runs a token refresh while holding a lock shared by every tab of this site. Refresh tokens
 * are single-use: two tabs refreshing with the same cookie at once would look like a stolen
 * token and end the session. One at a time, each tab presents the cookie the previous left.
 */
export function withRefreshLock<T>(lockName: string, refresh: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  return locks ? (locks.request(lockName, () => refresh()) as Promise<T>) : refresh();
}
