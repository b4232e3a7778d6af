import { ChangeDetectionStrategy, Component, computed, inject, model, output, signal } from '@angular/core';
import type { UserWithPresence } from '@shared';
import { fullName } from '../core/full-name';
import { Connection } from '../connection/connection.service';
import { SessionStore } from '../session/session-store';
import { RovingFocus } from './roving-focus';
import { UserAvatar } from './user-avatar';

/** People to talk to: avatar buttons open a direct chat, '+' picks them for a new group. */
@Component({
  selector: 'app-users-list',
  imports: [UserAvatar, RovingFocus],
  templateUrl: './users-list.html',
  styleUrl: './users-list.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UsersList {
  private readonly store = inject(SessionStore);
  private readonly connection = inject(Connection);

  /** Ids picked for a new group. */
  readonly selected = model<readonly string[]>([]);
  readonly openUser = output<string>();
  readonly startGroup = output<void>();

  protected readonly query = signal('');
  /** Presence is only known while we are connected; offline, nobody is shown online. */
  protected readonly presenceKnown = computed(() => this.connection.state() === 'online');
  protected readonly onlineCount = computed(() => this.store.users().filter((u) => u.online).length);
  protected readonly visibleUsers = computed(() => {
    const words = this.query().trim().toLowerCase().split(/\s+/).filter(Boolean);
    const users = this.store.users();
    if (words.length === 0) return users;
    return users.filter((u) => {
      const haystack = `${u.firstName} ${u.lastName} ${u.username}`.toLowerCase();
      return words.every((word) => haystack.includes(word));
    });
  });
  protected readonly blocked = this.store.blockedUserIds;
  protected readonly fullName = fullName;

  protected isSelected(userId: string): boolean {
    return this.selected().includes(userId);
  }

  protected toggle(user: UserWithPresence): void {
    this.selected.update((ids) => (ids.includes(user.id) ? ids.filter((id) => id !== user.id) : [...ids, user.id]));
  }

  protected onSearch(event: Event): void {
    this.query.set((event.target as HTMLInputElement).value);
  }

  protected clearSelection(): void {
    this.selected.set([]);
  }
}
