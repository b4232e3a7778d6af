import { Injectable, inject } from '@angular/core';
import type { SelfUser } from '@shared';
import { LOCAL_DATABASE_PREFIX, deleteLocalDatabase, lastUserKey, openLocalDatabase } from './local-database';

/**
 * Which user's data this browser keeps: the one last signed in (an offline start uses their
 * profile), and deleting a user's data when they sign out or the server ends their session, so
 * the next person at a shared computer finds nothing of theirs.
 */
@Injectable({ providedIn: 'root' })
export class LocalAccounts {
  private readonly prefix = inject(LOCAL_DATABASE_PREFIX);

  /** The user signed in now: an offline start (after a reload without network) uses their profile. */
  remember(userId: string): void {
    if (this.prefix) storage()?.setItem(lastUserKey(this.prefix), userId);
  }

  /** The profile of the user last signed in here, or null when none is kept (or it cannot be read). */
  async cachedProfile(): Promise<SelfUser | null> {
    const userId = this.lastUserId();
    if (!this.prefix || !userId) return null;
    try {
      const db = await openLocalDatabase(this.prefix, userId);
      try {
        const profile = await db.get('meta', 'profile');
        return profile && !Array.isArray(profile) && (profile as SelfUser).id === userId ? (profile as SelfUser) : null;
      } finally {
        db.close();
      }
    } catch {
      return null;
    }
  }

  /** Deletes everything kept for the user (their database), and forgets them as the last user. */
  async forget(userId: string): Promise<void> {
    if (!this.prefix) return;
    if (this.lastUserId() === userId) storage()?.removeItem(lastUserKey(this.prefix));
    try {
      await deleteLocalDatabase(this.prefix, userId);
    } catch {
      // Nothing kept, or IndexedDB unavailable: nothing to delete.
    }
  }

  /** Deletes what is kept for the user last signed in here (a session the server no longer accepts). */
  async forgetLast(): Promise<void> {
    const userId = this.lastUserId();
    if (userId) await this.forget(userId);
  }

  private lastUserId(): string | null {
    return this.prefix ? (storage()?.getItem(lastUserKey(this.prefix)) ?? null) : null;
  }
}

/** localStorage, or null where the browser refuses it. */
function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
