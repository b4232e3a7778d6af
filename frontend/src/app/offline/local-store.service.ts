import { DestroyRef, Injectable, inject } from '@angular/core';
import type { SelfUser } from '@shared';
import type { OutboxEntry } from '../outbox/outbox-entry';
import { SessionStore } from '../session/session-store';
import type { SessionState } from '../session/state/session-state';
import { LocalAccounts } from './local-accounts';
import { LOCAL_DATABASE_PREFIX, openLocalDatabase, type LocalDatabase } from './local-database';
import { EMPTY_SNAPSHOT, savedTimeline, type Snapshot } from './state/snapshot';

/**
 * How long after a change the snapshot is written: changes come in bursts, and one write takes
 * in all of a burst. During a long burst it is written this often.
 */
export const SNAPSHOT_DELAY_MS = 500;


/** Everything the browser kept for the signed-in user. */
export interface LocalData {
  snapshot: Snapshot;
  /** chatId → the draft typed there. */
  drafts: Readonly<Record<string, string>>;
  outbox: readonly OutboxEntry[];
  /** The chat panels open at the last visit, in order. */
  panels: readonly string[];
}

const NOTHING: LocalData = { snapshot: EMPTY_SNAPSHOT, drafts: {}, outbox: [], panels: [] };

/**
 * The signed-in user's IndexedDB database (one per user): reads back what was kept, writes the
 * snapshot of the state a moment after it changes (at once when the page is hidden or closed),
 * and writes drafts, outbox entries and open panels when asked. Without IndexedDB every write
 * reports failure and nothing is read back. Errors never carry message text to a log.
 */
@Injectable()
export class LocalStore {
  private readonly prefix = inject(LOCAL_DATABASE_PREFIX);
  private readonly store = inject(SessionStore);
  private readonly database: Promise<LocalDatabase | null>;
  private written: SessionState | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopWatching: (() => void) | null = null;
  private ended = false;
  private readonly onPageHide = () => void this.flush();

  constructor() {
    const me = this.store.me();
    this.database = this.prefix ? openLocalDatabase(this.prefix, me.id).catch(() => null) : Promise.resolve(null);
    inject(LocalAccounts).remember(me.id);
    void this.saveProfile(me);
    window.addEventListener('pagehide', this.onPageHide);
    inject(DestroyRef).onDestroy(() => {
      this.ended = true;
      clearTimeout(this.timer);
      this.stopWatching?.();
      window.removeEventListener('pagehide', this.onPageHide);
      void this.database.then((db) => db?.close());
    });
  }

  /** Reads back everything kept; nothing when the browser keeps nothing. */
  async load(): Promise<LocalData> {
    const db = await this.database;
    if (!db) return NOTHING;
    try {
      const tx = db.transaction(['meta', 'chats', 'users', 'timelines', 'drafts', 'outbox']);
      const [blocked, panels, chats, users, timelines, drafts, outbox] = await Promise.all([
        tx.objectStore('meta').get('blocked'),
        tx.objectStore('meta').get('panels'),
        tx.objectStore('chats').getAll(),
        tx.objectStore('users').getAll(),
        tx.objectStore('timelines').getAll(),
        tx.objectStore('drafts').getAll(),
        tx.objectStore('outbox').getAll(),
      ]);
      return {
        snapshot: { chats, users, blocked: idList(blocked), timelines },
        drafts: Object.fromEntries(drafts.map((d) => [d.chatId, d.text])),
        outbox,
        panels: idList(panels),
      };
    } catch {
      return NOTHING;
    }
  }

  /** From now on the state's snapshot is kept: written a moment after each change. */
  follow(): void {
    if (this.ended || this.stopWatching) return;
    this.written = this.store.snapshot();
    this.stopWatching = this.store.onChange(({ before, after }) => {
      if (before.me !== after.me) void this.saveProfile(after.me);
      this.timer ??= setTimeout(() => void this.flush(), SNAPSHOT_DELAY_MS);
    });
  }

  /** Writes what changed in the state since the last write, now. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const before = this.written;
    const after = this.store.snapshot();
    if (!before || before === after) return;
    this.written = after;
    await this.write(async (db) => {
      const tx = db.transaction(['meta', 'chats', 'users', 'timelines'], 'readwrite');
      const writes: Promise<unknown>[] = [];
      if (before.chats !== after.chats) {
        const chats = tx.objectStore('chats');
        writes.push(chats.clear(), ...Object.values(after.chats.byId).map((chat) => chats.put(chat)));
      }
      if (before.people !== after.people) {
        const users = tx.objectStore('users');
        writes.push(users.clear(), ...[...after.people.users.values()].map((user) => users.put(user)));
        writes.push(tx.objectStore('meta').put([...after.people.blocked], 'blocked'));
      }
      if (before.timelines !== after.timelines || before.changePositions !== after.changePositions) {
        const timelines = tx.objectStore('timelines');
        const ids = new Set([...Object.keys(before.timelines), ...Object.keys(after.timelines)]);
        for (const chatId of ids) {
          const same =
            before.timelines[chatId] === after.timelines[chatId] && before.changePositions[chatId] === after.changePositions[chatId];
          if (same) continue;
          const saved = savedTimeline(chatId, after.timelines[chatId], after.changePositions[chatId]);
          writes.push(saved ? timelines.put(saved) : timelines.delete(chatId));
        }
      }
      await Promise.all([...writes, tx.done]);
    });
  }

  /** Keeps an outbox entry (a new one, or one whose state changed); true once it is stored. */
  saveEntry(entry: OutboxEntry): Promise<boolean> {
    return this.write((db) => db.put('outbox', entry));
  }

  deleteEntry(key: string): Promise<boolean> {
    return this.write((db) => db.delete('outbox', key));
  }

  saveDraft(chatId: string, text: string): Promise<boolean> {
    return this.write((db) => (text ? db.put('drafts', { chatId, text }) : db.delete('drafts', chatId)));
  }

  savePanels(chatIds: readonly string[]): Promise<boolean> {
    return this.write((db) => db.put('meta', [...chatIds], 'panels'));
  }

  private saveProfile(me: SelfUser): Promise<boolean> {
    return this.write((db) => db.put('meta', me, 'profile'));
  }

  /** Runs one write; false when nothing is kept (no IndexedDB, the session ended, or it failed). */
  private async write(operation: (db: LocalDatabase) => Promise<unknown>): Promise<boolean> {
    // Asked before the session ended (the page going away ends it at once): still written.
    if (this.ended) return false;
    const db = await this.database;
    if (!db) return false;
    try {
      await operation(db);
      return true;
    } catch {
      return false;
    }
  }
}

function idList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : [];
}
