import { DestroyRef, Injectable, inject } from '@angular/core';
import { CHAT_TIMING } from '../connection/chat-timing';
import { Connection } from '../connection/connection.service';
import { SessionStore } from '../session/session-store';
import type { PresenceEvent } from '@shared';
import { addUsers, replaceBlocks, replaceUsers, setBlocked, setPresence, type People } from './state/people';
import { allUnknownUserIds, unknownUserIds } from './state/unknown-users';

/**
 * The people list and presence, kept live, and blocking. Someone the client does not know yet (a
 * sender, a member of a chat) is fetched as soon as they appear, so they show with their name and
 * picture and are listed in People without a reload.
 */
@Injectable()
export class PeopleService {
  private readonly connection = inject(Connection);
  private readonly store = inject(SessionStore);
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  /** The first people list came: from then on, anyone unknown is someone new. */
  private loaded = false;
  /** Unknown ids already asked for: an id the directory does not list (a disabled account) is asked once. */
  private readonly asked = new Set<string>();
  /** Unknown ids waiting for the request in flight to end. */
  private readonly waiting = new Set<string>();
  private fetching: Promise<void> | null = null;
  private ended = false;

  constructor() {
    const stop = this.store.onChange(({ before, after }) => {
      if (this.loaded) this.fetchUnknown(unknownUserIds(before, after));
    });
    inject(DestroyRef).onDestroy(() => {
      this.ended = true;
      stop();
      clearTimeout(this.reloadTimer);
    });
  }

  /** Someone came online or went offline; someone unknown is new, so the list is fetched again shortly. */
  onPresence({ userId, online }: PresenceEvent): void {
    if (this.store.userById(userId)) this.updatePeople((people) => setPresence(people, userId, online));
    else this.reloadSoon();
  }

  /** Fetches everyone and whom the user blocked. */
  async load(): Promise<void> {
    const [{ users }, { userIds }] = await Promise.all([
      this.connection.request('users:list', {}),
      this.connection.request('user:blocks', {}),
    ]);
    this.updatePeople((people) => replaceBlocks(replaceUsers(people, users), userIds));
    this.loaded = true;
    this.fetchUnknown(allUnknownUserIds(this.store.snapshot()));
  }

  /**
   * Fetches users the client does not know, in one request, not again for ids asked for already
   * or waiting for the request in flight. The protocol looks users up by no id: `users:list`
   * (everyone, with presence) is the one request that finds them.
   */
  private fetchUnknown(userIds: readonly string[]): void {
    const fresh = userIds.filter((id) => !this.asked.has(id));
    if (fresh.length === 0 || this.ended) return;
    if (this.fetching) {
      for (const id of fresh) this.waiting.add(id);
      return;
    }
    for (const id of fresh) this.asked.add(id);
    this.fetching = this.fetchUsers().finally(() => {
      this.fetching = null;
      const next = [...this.waiting].filter((id) => !this.store.userById(id));
      this.waiting.clear();
      this.fetchUnknown(next);
    });
  }

  private async fetchUsers(): Promise<void> {
    try {
      const { users } = await this.connection.request('users:list', {});
      if (!this.ended) this.updatePeople((people) => addUsers(people, users));
    } catch {
      // Offline or refused: the catch-up after the next connection lists everyone.
    }
  }

  async block(userId: string): Promise<void> {
    await this.connection.request('user:block', { userId });
    this.updatePeople((people) => setBlocked(people, userId, true));
  }

  async unblock(userId: string): Promise<void> {
    await this.connection.request('user:unblock', { userId });
    this.updatePeople((people) => setBlocked(people, userId, false));
  }

  private updatePeople(change: (people: People) => People): void {
    this.store.update((state) => ({ ...state, people: change(state.people) }));
  }

  private reloadSoon(): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(async () => {
      try {
        const { users } = await this.connection.request('users:list', {});
        this.updatePeople((people) => replaceUsers(people, users));
      } catch {
        // Presence for someone unknown can wait for the next sync.
      }
    }, CHAT_TIMING.reloadUsersMs);
  }
}
