import { InjectionToken } from '@angular/core';
import { deleteDB, openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ChatSummary, SelfUser, UserWithPresence } from '@shared';
import type { OutboxEntry } from '../outbox/outbox-entry';
import type { SavedTimeline } from './state/snapshot';

/**
 * What the browser keeps for one signed-in user, in an IndexedDB database of their own: their
 * profile (to start offline), the bounded snapshot of what they have seen, drafts, the outbox and
 * the chat panels they had open. Signing out (or a session the server refuses) deletes it.
 */
export interface LocalSchema extends DBSchema {
  /** 'profile' → SelfUser, 'blocked' → user ids, 'panels' → open chat ids. */
  meta: { key: 'profile' | 'blocked' | 'panels'; value: SelfUser | readonly string[] };
  chats: { key: string; value: ChatSummary };
  users: { key: string; value: UserWithPresence };
  timelines: { key: string; value: SavedTimeline };
  drafts: { key: string; value: { chatId: string; text: string } };
  outbox: { key: string; value: OutboxEntry };
}

export type LocalDatabase = IDBPDatabase<LocalSchema>;

/**
 * The prefix of this app's IndexedDB database names and localStorage keys; null keeps nothing in
 * the browser (the unit specs of other features run without it).
 */
export const LOCAL_DATABASE_PREFIX = new InjectionToken<string | null>('LOCAL_DATABASE_PREFIX', {
  providedIn: 'root',
  factory: () => 'parley',
});

const VERSION = 1;

export function localDatabaseName(prefix: string, userId: string): string {
  return `${prefix}-user-${userId}`;
}

/** The localStorage key naming the user whose profile an offline start uses. */
export function lastUserKey(prefix: string): string {
  return `${prefix}.last-user`;
}

/** Opens (creating on first use) the user's database; it closes itself when a sign-out elsewhere deletes it. */
export async function openLocalDatabase(prefix: string, userId: string): Promise<LocalDatabase> {
  const db = await openDB<LocalSchema>(localDatabaseName(prefix, userId), VERSION, {
    upgrade(database) {
      database.createObjectStore('meta');
      database.createObjectStore('chats', { keyPath: 'id' });
      database.createObjectStore('users', { keyPath: 'id' });
      database.createObjectStore('timelines', { keyPath: 'chatId' });
      database.createObjectStore('drafts', { keyPath: 'chatId' });
      database.createObjectStore('outbox', { keyPath: 'key' });
    },
    blocking() {
      db.close();
    },
  });
  return db;
}

/** Deletes the user's database; it waits for this tab's and other tabs' connections to close. */
export function deleteLocalDatabase(prefix: string, userId: string): Promise<void> {
  return deleteDB(localDatabaseName(prefix, userId));
}
