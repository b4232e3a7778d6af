import { ChangeDetectionStrategy, Component, computed, input, output, viewChild } from '@angular/core';
import { ModalDialog } from './modal-dialog';

/**
 * Asks before a message is deleted for everyone. An admin deleting someone else's message is
 * told whose it is and that the chat will say an admin deleted it.
 */
@Component({
  selector: 'app-delete-message-dialog',
  imports: [ModalDialog],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <dialog appModal (closed)="closed.emit()" aria-labelledby="delete-message-title" aria-describedby="delete-message-text" data-testid="delete-message-dialog">
      <div class="dialog-body">
        <div class="dialog-header">
          <h2 id="delete-message-title">Delete message?</h2>
        </div>
        <div class="dialog-content">
          <p id="delete-message-text">{{ text() }}</p>
        </div>
        <div class="dialog-actions">
          <button type="button" class="button button-secondary" data-testid="delete-message-cancel" (click)="modal().close()" autofocus>Cancel</button>
          <button type="button" class="button button-danger" data-testid="delete-message-confirm" (click)="confirm()">Delete</button>
        </div>
      </div>
    </dialog>
  `,
})
export class DeleteMessageDialog {
  /** Who wrote the message: null when it is the user's own. */
  readonly authorName = input<string | null>(null);
  readonly confirmed = output<void>();
  readonly closed = output<void>();

  protected readonly modal = viewChild.required(ModalDialog);
  protected readonly text = computed(() => {
    const author = this.authorName();
    return author
      ? `This deletes ${author}’s message for everyone in the group. The chat will show that an admin deleted it.`
      : 'This deletes the message for everyone in the chat. It cannot be undone.';
  });

  protected confirm(): void {
    this.confirmed.emit();
    this.modal().close();
  }
}
