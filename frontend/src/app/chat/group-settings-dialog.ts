import { ChangeDetectionStrategy, Component, ElementRef, Injector, computed, inject, input, output, signal, viewChild } from '@angular/core';
import { groupNameSchema, roomPasswordSchema, type ChatSummary, type ChatVisibility, type UpdateGroupRequest } from '@shared';
import { focusFirstError } from '../core/focus-first-error';
import { fullName } from '../core/full-name';
import { ChatActions } from '../chats/chat-actions.service';
import { SessionStore } from '../session/session-store';
import { requestErrorText } from '../core/request-error-text';
import { ModalDialog } from './modal-dialog';
import { UserAvatar } from './user-avatar';

/**
 * Members of a group and who can find it; admins also rename it, add and remove people, switch
 * it between private and public (after saying what that means), and set a public room's password.
 */
@Component({
  selector: 'app-group-settings-dialog',
  imports: [ModalDialog, UserAvatar],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './group-settings-dialog.html',
  styleUrl: './group-settings-dialog.css',
})
export class GroupSettingsDialog {
  private readonly store = inject(SessionStore);
  private readonly actions = inject(ChatActions);
  private readonly element: HTMLElement = inject(ElementRef).nativeElement;
  private readonly injector = inject(Injector);
  protected readonly modal = viewChild.required(ModalDialog);

  readonly chat = input.required<ChatSummary>();
  readonly admin = input(false);
  readonly closed = output<void>();
  readonly left = output<void>();

  protected readonly name = signal('');
  protected readonly password = signal('');
  protected readonly toAdd = signal<ReadonlySet<string>>(new Set());
  protected readonly addQuery = signal('');
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly info = signal<string | null>(null);
  protected readonly confirmLeave = signal(false);
  /** The visibility an admin asked to switch to, waiting for their confirmation. */
  protected readonly confirmVisibility = signal<ChatVisibility | null>(null);
  protected readonly fullName = fullName;

  protected readonly myId = computed(() => this.store.me().id);
  protected readonly members = computed(() =>
    this.chat()
      .members.map((member) => ({ member, user: this.store.userById(member.userId) }))
      .sort((a, b) => (a.member.role === b.member.role ? 0 : a.member.role === 'admin' ? -1 : 1)),
  );
  protected readonly candidates = computed(() => {
    const inGroup = new Set(this.chat().members.map((m) => m.userId));
    const words = this.addQuery().toLowerCase().split(/\s+/).filter(Boolean);
    return this.store
      .users()
      .filter((u) => !inGroup.has(u.id))
      .filter((u) => words.every((w) => `${u.firstName} ${u.lastName} ${u.username}`.toLowerCase().includes(w)));
  });
  protected readonly nameProblem = computed(() => {
    const result = groupNameSchema.safeParse(this.name());
    return this.name() && !result.success ? `Name ${result.error.issues[0]?.message}.` : null;
  });
  protected readonly passwordProblem = computed(() => {
    const result = roomPasswordSchema.safeParse(this.password());
    return this.password() && !result.success ? `Password ${result.error.issues[0]?.message}.` : null;
  });

  protected value(event: Event): string {
    return (event.target as HTMLInputElement).value;
  }

  protected toggleAdd(userId: string): void {
    this.toAdd.update((set) => {
      const next = new Set(set);
      if (!next.delete(userId)) next.add(userId);
      return next;
    });
  }

  protected rename(): Promise<void> {
    const name = this.name().trim();
    if (this.nameProblem()) focusFirstError(this.element, this.injector);
    if (!name || this.nameProblem()) return Promise.resolve();
    return this.apply({ name }, `Renamed to “${name}”.`, () => this.name.set(''));
  }

  protected addMembers(): Promise<void> {
    const ids = [...this.toAdd()];
    if (ids.length === 0) return Promise.resolve();
    return this.apply({ addMemberIds: ids }, `Added ${ids.length} member${ids.length === 1 ? '' : 's'}.`, () =>
      this.toAdd.set(new Set()),
    );
  }

  protected remove(userId: string): Promise<void> {
    const user = this.store.userById(userId);
    return this.apply({ removeMemberIds: [userId] }, `Removed ${user ? fullName(user) : 'the member'}.`);
  }

  protected setPassword(): Promise<void> {
    const password = this.password();
    if (this.passwordProblem()) focusFirstError(this.element, this.injector);
    if (!password || this.passwordProblem()) return Promise.resolve();
    return this.apply({ password }, 'Password set.', () => this.password.set(''));
  }

  /** A private group cannot keep a password, so making a room private removes it in the same change. */
  protected switchVisibility(visibility: ChatVisibility): Promise<void> {
    const change: Omit<UpdateGroupRequest, 'chatId'> =
      visibility === 'private' && this.chat().hasPassword ? { visibility, password: null } : { visibility };
    const done = visibility === 'public' ? 'The group is now a public room.' : 'The group is now private.';
    return this.apply(change, done, () => this.confirmVisibility.set(null));
  }

  protected clearPassword(): Promise<void> {
    return this.apply({ password: null }, 'Password removed.');
  }

  protected async leave(): Promise<void> {
    this.busy.set(true);
    try {
      await this.actions.leaveGroup(this.chat().id);
      this.left.emit();
      this.modal().close();
    } catch (error) {
      this.error.set(requestErrorText(error, 'Could not leave the group.'));
      focusFirstError(this.element, this.injector);
    } finally {
      this.busy.set(false);
    }
  }

  private async apply(change: Omit<UpdateGroupRequest, 'chatId'>, done: string, after?: () => void): Promise<void> {
    if (this.busy()) return;
    this.busy.set(true);
    this.error.set(null);
    this.info.set(null);
    try {
      await this.actions.updateGroup({ chatId: this.chat().id, ...change });
      this.info.set(done);
      after?.();
    } catch (error) {
      this.error.set(requestErrorText(error, 'The change was not saved.'));
      focusFirstError(this.element, this.injector);
    } finally {
      this.busy.set(false);
    }
  }
}
