import { DestroyRef, Injectable, inject } from '@angular/core';
import { CHAT_TIMING } from '../connection/chat-timing';
import { Connection } from '../connection/connection.service';
import { SessionStore } from '../session/session-store';
import type { PresenceEvent } from '@shared';
import { replaceBlocks, replaceUsers, setBlocked, setPresence, type People } from './state/people';

/** The people list and presence, kept live, and blocking. */
@Injectable()
export class PeopleService {
  private readonly connection = inject(Connection);
  private readonly store = inject(SessionStore);
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    inject(DestroyRef).onDestroy(() => clearTimeout(this.reloadTimer));
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
