import { ChangeDetectionStrategy, Component, ElementRef, Injector, computed, inject, input, output, signal, viewChild } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { groupNameSchema, roomPasswordSchema, type ChatVisibility, type UserWithPresence } from '@shared';
import { focusFirstError } from '../core/focus-first-error';
import { fullName } from '../core/full-name';
import { ChatActions } from '../chats/chat-actions.service';
import { requestErrorText } from '../core/request-error-text';
import { schemaValidator } from '../core/schema-validator';
import { ModalDialog } from './modal-dialog';
import { UserAvatar } from './user-avatar';

/**
 * Names a new group and says who can find it: a private group for the people picked (nobody
 * else can find or join it), or a public room that anyone signed in finds by its name and joins,
 * optionally with a password. The choice is explicit, and the dialog says in plain words who will
 * be able to read the history.
 */
@Component({
  selector: 'app-create-group-dialog',
  imports: [ReactiveFormsModule, ModalDialog, UserAvatar],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <dialog appModal (closed)="closed.emit()" aria-labelledby="create-group-title" data-testid="create-group-dialog">
      <form class="dialog-body" [formGroup]="form" (ngSubmit)="create()" novalidate>
        <div class="dialog-header">
          <h2 id="create-group-title">New {{ noun() }}</h2>
          <button type="button" class="icon-button" aria-label="Close" (click)="modal().close()">×</button>
        </div>
        <div class="dialog-content">
          @if (error(); as message) {
            <p class="form-error" role="alert" data-testid="create-group-error">{{ message }}</p>
          }
          <div class="field">
            <label for="group-name">{{ noun() === 'room' ? 'Room' : 'Group' }} name</label>
            <input id="group-name" class="input" formControlName="name" autocomplete="off" data-testid="group-name"
              [attr.aria-invalid]="fieldError('name') ? 'true' : null" aria-describedby="group-name-error" autofocus />
            @if (fieldError('name'); as message) {
              <p class="field-error" id="group-name-error">{{ message }}</p>
            }
          </div>
          <fieldset class="visibility" aria-describedby="group-visibility-hint">
            <legend class="label">Who can find it</legend>
            <label class="choice">
              <input type="radio" name="group-visibility" value="private" data-testid="group-visibility-private"
                [checked]="visibility() === 'private'" (change)="choose('private')" />
              <span><strong>Private group</strong> — only the people you add</span>
            </label>
            <label class="choice">
              <input type="radio" name="group-visibility" value="public" data-testid="group-visibility-public"
                [checked]="visibility() === 'public'" (change)="choose('public')" />
              <span><strong>Public room</strong> — anyone signed in can find it</span>
            </label>
            <p class="field-hint" id="group-visibility-hint" data-testid="group-visibility-hint" aria-live="polite">
              @if (visibility() === 'public') {
                Anyone signed in to Parley can find this room by its name and read its whole history once they join.
              } @else {
                Only the people you add can see this group and read its history. It never shows up in “Join room”.
              }
            </p>
          </fieldset>
          @if (visibility() === 'public') {
            <div class="field">
              <label for="group-password">Room password <span class="optional">(optional)</span></label>
              <input id="group-password" class="input" type="password" formControlName="password" autocomplete="new-password"
                data-testid="group-password" [attr.aria-invalid]="fieldError('password') ? 'true' : null"
                aria-describedby="group-password-error group-password-hint" />
              <p class="field-hint" id="group-password-hint">People who find the room by search need it to join.</p>
              @if (fieldError('password'); as message) {
                <p class="field-error" id="group-password-error">{{ message }}</p>
              }
            </div>
          }
          @if (members().length > 0) {
            <p class="label">Members ({{ members().length + 1 }} with you)</p>
            <ul class="members">
              @for (user of members(); track user.id) {
                <li [attr.data-testid]="'member-' + user.username">
                  <app-user-avatar [user]="user" [size]="24" /> {{ fullName(user) }} <span class="handle">&#64;{{ user.username }}</span>
                </li>
              }
            </ul>
          } @else if (visibility() === 'public') {
            <p class="field-hint" data-testid="room-alone-hint">Just you for now: others find the room by its name with “Join room”.</p>
          } @else {
            <p class="field-hint" data-testid="room-alone-hint">Just you for now: add people later in the group’s settings.</p>
          }
        </div>
        <div class="dialog-actions">
          <button type="button" class="button button-secondary" (click)="modal().close()">Cancel</button>
          <button type="submit" class="button" [disabled]="busy()" data-testid="create-group-submit">
            {{ busy() ? 'Creating…' : 'Create ' + noun() }}
          </button>
        </div>
      </form>
    </dialog>
  `,
  styles: `
    .visibility {
      margin: 0 0 12px;
      padding: 0;
      border: 0;
    }
    .choice {
      display: flex;
      align-items: baseline;
      gap: 8px;
      padding: 4px 0;
      font-size: 0.92rem;
      cursor: pointer;
    }
    .optional {
      font-weight: 400;
      color: var(--muted);
    }
    .label {
      margin: 4px 0 6px;
      font-size: 0.88rem;
      font-weight: 600;
      color: var(--ink-soft);
    }
    .members {
      list-style: none;
      margin: 0 0 8px;
      padding: 0;
      display: flex;
      flex-wrap: wrap;
      gap: 6px;
    }
    .handle {
      color: var(--muted);
      font-size: 0.85em;
    }
    .members li {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      padding: 3px 10px 3px 3px;
      border-radius: 14px;
      background: var(--brand-soft);
      font-size: 0.86rem;
    }
  `,
})
export class CreateGroupDialog {
  private readonly actions = inject(ChatActions);
  private readonly element: HTMLElement = inject(ElementRef).nativeElement;
  private readonly injector = inject(Injector);
  protected readonly modal = viewChild.required(ModalDialog);

  /** The people picked to be in it; none for a room others will join. */
  readonly members = input.required<readonly UserWithPresence[]>();
  /** The choice the dialog opens with; the user can change it. */
  readonly initialVisibility = input<ChatVisibility>('private');
  readonly created = output<string>();
  readonly closed = output<void>();

  protected readonly form = inject(NonNullableFormBuilder).group({
    name: ['', schemaValidator(groupNameSchema)],
    password: ['', schemaValidator(roomPasswordSchema, { optional: true })],
  });
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly fullName = fullName;
  private readonly chosen = signal<ChatVisibility | null>(null);
  protected readonly visibility = computed(() => this.chosen() ?? this.initialVisibility());
  protected readonly noun = computed(() => (this.visibility() === 'public' ? 'room' : 'group'));

  protected choose(visibility: ChatVisibility): void {
    this.chosen.set(visibility);
    this.error.set(null);
  }

  protected fieldError(name: 'name' | 'password'): string | null {
    const control = this.form.controls[name];
    if (!control.errors || !(control.dirty || control.touched)) return null;
    const label = name === 'name' ? (this.noun() === 'room' ? 'Room name' : 'Group name') : 'Password';
    return `${label} ${String(control.errors['schema'] ?? 'is invalid')}.`;
  }

  protected async create(): Promise<void> {
    if (this.busy()) return;
    const visibility = this.visibility();
    // A private group has no password: only the name counts then.
    const invalid = visibility === 'public' ? this.form.invalid : this.form.controls.name.invalid;
    if (invalid) {
      this.form.markAllAsTouched();
      focusFirstError(this.element, this.injector);
      return;
    }
    const { name, password } = this.form.getRawValue();
    this.busy.set(true);
    this.error.set(null);
    try {
      const chatId = await this.actions.createGroup(
        name.trim(),
        this.members().map((u) => u.id),
        visibility,
        visibility === 'public' ? password || undefined : undefined,
      );
      this.created.emit(chatId);
      this.modal().close();
    } catch (error) {
      this.error.set(requestErrorText(error, `Could not create the ${this.noun()}.`));
      focusFirstError(this.element, this.injector);
    } finally {
      this.busy.set(false);
    }
  }
}

