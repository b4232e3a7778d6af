import { ChangeDetectionStrategy, Component, input, output, viewChild } from '@angular/core';
import { ModalDialog } from './modal-dialog';

/** Asks before someone is blocked, and says what blocking does. Cancel has the focus. */
@Component({
  selector: 'app-block-user-dialog',
  imports: [ModalDialog],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <dialog appModal (closed)="closed.emit()" aria-labelledby="block-user-title" aria-describedby="block-user-text" data-testid="block-user-dialog">
      <div class="dialog-body">
        <div class="dialog-header">
          <h2 id="block-user-title">Block {{ name() }}?</h2>
        </div>
        <div class="dialog-content">
          <p id="block-user-text">
            Neither of you will be able to send the other direct messages, and you will not see each other typing. Groups you share are not
            affected. {{ name() }} is not told. You can unblock them later.
          </p>
        </div>
        <div class="dialog-actions">
          <button type="button" class="button button-secondary" data-testid="block-user-cancel" (click)="modal().close()" autofocus>Cancel</button>
          <button type="button" class="button button-danger" data-testid="block-user-confirm" (click)="confirm()">Block</button>
        </div>
      </div>
    </dialog>
  `,
})
export class BlockUserDialog {
  /** Who would be blocked: their full name. */
  readonly name = input.required<string>();
  readonly confirmed = output<void>();
  readonly closed = output<void>();

  protected readonly modal = viewChild.required(ModalDialog);

  protected confirm(): void {
    this.confirmed.emit();
    this.modal().close();
  }
}
