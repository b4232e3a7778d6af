import { afterNextRender, ChangeDetectionStrategy, Component, DestroyRef, ElementRef, Injector, inject, output, signal, viewChild } from '@angular/core';
import type { RoomSearchHit } from '@shared';
import { ChatActions } from '../chats/chat-actions.service';
import { focusFirstError } from '../core/focus-first-error';
import { requestErrorText } from '../core/request-error-text';
import { RequestError } from '../connection/socket-request';
import { ModalDialog } from './modal-dialog';

const SEARCH_DELAY_MS = 250;

/**
 * Finds public rooms by name and joins one, asking for its password when it has one. Private
 * groups are never listed: only an admin of one can add people to it.
 */
@Component({
  selector: 'app-join-room-dialog',
  imports: [ModalDialog],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <dialog appModal (closed)="closed.emit()" aria-labelledby="join-room-title" data-testid="join-room-dialog">
      <div class="dialog-body">
        <div class="dialog-header">
          <h2 id="join-room-title">Join a room</h2>
          <button type="button" class="icon-button" aria-label="Close" (click)="modal().close()">×</button>
        </div>
        <div class="dialog-content">
          <div class="field">
            <label for="room-search">Room name</label>
            <input id="room-search" class="input" type="search" autocomplete="off" placeholder="Search rooms"
              data-testid="room-search" [value]="query()" (input)="onQuery($event)" autofocus />
          </div>
          <p class="field-hint" data-testid="room-search-hint">
            Only public rooms are listed. A private group can’t be found or joined: ask one of its admins to add you.
          </p>
          @if (searchError(); as message) {
            <p class="form-error" role="alert">{{ message }}</p>
          }
          <ul class="rooms" aria-label="Rooms found" aria-live="polite">
            @for (room of rooms(); track room.id) {
              <li>
                <button type="button" class="room" data-testid="room-result" [attr.data-room-name]="room.name"
                  [attr.aria-pressed]="picked()?.id === room.id" (click)="pick(room)">
                  <span class="name">
                    @if (room.hasPassword) {
                      <svg class="lock" width="12" height="14" viewBox="0 0 12 14" role="img" aria-label="Password protected">
                        <rect x="1" y="6" width="10" height="7.5" rx="1.5" fill="currentColor" />
                        <path d="M3.5 6V4a2.5 2.5 0 0 1 5 0v2" fill="none" stroke="currentColor" stroke-width="1.6" />
                      </svg>
                    } @else {
                      <span aria-hidden="true">#</span>
                    }
                    {{ room.name }}
                  </span>
                  <span class="meta">{{ room.memberCount }} member{{ room.memberCount === 1 ? '' : 's' }}{{ room.isMember ? ' · joined' : '' }}</span>
                </button>
              </li>
            } @empty {
              @if (searched()) {
                <li class="empty" data-testid="room-search-empty">{{ query().trim() ? 'No public rooms match “' + query() + '”.' : 'No public rooms yet.' }}</li>
              }
            }
          </ul>

          @if (picked(); as room) {
            <form class="join" (submit)="$event.preventDefault(); join()">
              @if (room.hasPassword && !room.isMember) {
                <div class="field">
                  <label for="room-password">Password for {{ room.name }}</label>
                  <input id="room-password" class="input" type="password" autocomplete="off" data-testid="room-password"
                    [value]="password()" (input)="onPassword($event)" [attr.aria-invalid]="joinError() ? 'true' : null"
                    aria-describedby="room-join-error" />
                </div>
              }
              @if (joinError(); as message) {
                <p class="field-error" id="room-join-error" role="alert" data-testid="join-error">{{ message }}</p>
              }
              <button type="submit" class="button" data-testid="join-submit" [disabled]="busy() || (room.hasPassword && !room.isMember && !password())">
                {{ busy() ? 'Joining…' : room.isMember ? 'Open ' + room.name : 'Join ' + room.name }}
              </button>
            </form>
          }
        </div>
        <div class="dialog-actions">
          <button type="button" class="button button-secondary" (click)="modal().close()">Close</button>
        </div>
      </div>
    </dialog>
  `,
  styles: `
    .rooms {
      list-style: none;
      margin: 0 0 12px;
      padding: 0;
      display: flex;
      flex-direction: column;
      gap: 4px;
      max-height: 40vh;
      overflow-y: auto;
    }
    .room {
      width: 100%;
      display: flex;
      justify-content: space-between;
      gap: 8px;
      padding: 10px 12px;
      border: 1px solid var(--line);
      border-radius: 8px;
      background: var(--surface);
      text-align: left;
      cursor: pointer;
    }
    .room[aria-pressed='true'] {
      border-color: var(--accent);
      background: var(--brand-soft);
    }
    .name {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      font-weight: 600;
      overflow-wrap: anywhere;
    }
    .lock {
      flex: none;
      color: var(--muted);
    }
    .meta {
      flex: none;
      font-size: 0.82rem;
      color: var(--muted);
    }
    .empty {
      color: var(--muted);
      font-size: 0.9rem;
    }
    .join .button {
      width: 100%;
    }
    .join .field-error {
      margin-bottom: 10px;
    }
  `,
})
export class JoinRoomDialog {
  private readonly actions = inject(ChatActions);
  private readonly element: HTMLElement = inject(ElementRef).nativeElement;
  private readonly injector = inject(Injector);
  protected readonly modal = viewChild.required(ModalDialog);

  readonly joined = output<string>();
  readonly closed = output<void>();

  protected readonly query = signal('');
  protected readonly rooms = signal<readonly RoomSearchHit[]>([]);
  protected readonly searched = signal(false);
  protected readonly searchError = signal<string | null>(null);
  protected readonly picked = signal<RoomSearchHit | null>(null);
  protected readonly password = signal('');
  protected readonly joinError = signal<string | null>(null);
  protected readonly busy = signal(false);
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private searchRun = 0;

  constructor() {
    inject(DestroyRef).onDestroy(() => clearTimeout(this.searchTimer));
    void this.search('');
  }

  protected onQuery(event: Event): void {
    const query = (event.target as HTMLInputElement).value;
    this.query.set(query);
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => void this.search(query), SEARCH_DELAY_MS);
  }

  protected onPassword(event: Event): void {
    this.password.set((event.target as HTMLInputElement).value);
    this.joinError.set(null);
  }

  protected pick(room: RoomSearchHit): void {
    this.picked.set(room);
    this.password.set('');
    this.joinError.set(null);
    // A protected room asks for its password next: the field it appears in takes the focus.
    if (room.hasPassword && !room.isMember) {
      afterNextRender(() => this.element.querySelector<HTMLInputElement>('#room-password')?.focus(), { injector: this.injector });
    }
  }

  protected async join(): Promise<void> {
    const room = this.picked();
    if (!room || this.busy()) return;
    this.busy.set(true);
    this.joinError.set(null);
    try {
      const chatId = room.isMember ? (await this.actions.openChat(room.id), room.id) : await this.actions.joinRoom(room.id, this.password() || undefined);
      this.joined.emit(chatId);
      this.modal().close();
    } catch (error) {
      this.joinError.set(this.joinErrorText(error));
      focusFirstError(this.element.querySelector('form.join') ?? this.element, this.injector);
    } finally {
      this.busy.set(false);
    }
  }

  private joinErrorText(error: unknown): string {
    if (error instanceof RequestError) {
      if (error.code === 'wrong_password') return 'Wrong room password.';
      if (error.code === 'rate_limited') return `Too many attempts. ${error.message || 'Try again later.'}`;
      if (error.code === 'validation_failed' && error.fields?.['password']) return `Password ${error.fields['password']}.`;
    }
    return requestErrorText(error, 'Could not join the room.');
  }

  private async search(query: string): Promise<void> {
    const run = ++this.searchRun;
    try {
      const rooms = await this.actions.searchRooms(query.trim());
      if (run !== this.searchRun) return;
      this.rooms.set(rooms);
      this.searched.set(true);
      this.searchError.set(null);
      const picked = this.picked();
      if (picked && !rooms.some((r) => r.id === picked.id)) this.picked.set(null);
    } catch (error) {
      if (run === this.searchRun) this.searchError.set(requestErrorText(error, 'Search failed.'));
    }
  }
}
