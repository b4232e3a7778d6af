import { ChangeDetectionStrategy, Component, computed, input, output, viewChild } from '@angular/core';
import { ModalDialog } from './modal-dialog';

/** A reader as the list shows them. */
export interface SeenByReader {
  userId: string;
  name: string;
  time: string | null;
  fullTime: string | null;
  at: string | null;
}

/**
 * Who in a group has read one of our messages, with the time each one's read position last
 * moved when it is known. A modal dialog: focus moves in, Escape closes it, focus goes back to
 * the "Seen by" button.
 */
@Component({
  selector: 'app-seen-by-dialog',
  imports: [ModalDialog],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <dialog appModal (closed)="closed.emit()" aria-labelledby="seen-by-title" data-testid="seen-by-dialog">
      <div class="dialog-body">
        <div class="dialog-header">
          <h2 id="seen-by-title">{{ title() }}</h2>
        </div>
        <div class="dialog-content">
          <ul class="readers" data-testid="seen-by-list">
            @for (reader of readers(); track reader.userId) {
              <li data-testid="seen-by-reader">
                <span class="name">{{ reader.name }}</span>
                @if (reader.time && reader.at) {
                  <time class="when" [attr.datetime]="reader.at" [title]="reader.fullTime">{{ reader.time }}</time>
                } @else {
                  <span class="when unknown">time not known</span>
                }
              </li>
            }
          </ul>
        </div>
        <div class="dialog-actions">
          <button type="button" class="button button-secondary" data-testid="seen-by-close" (click)="modal().close()" autofocus>Close</button>
        </div>
      </div>
    </dialog>
  `,
  styles: `
    .readers {
      list-style: none;
      margin: 0;
      padding: 0;
      min-width: 240px;
    }
    .readers li {
      display: flex;
      justify-content: space-between;
      gap: 16px;
      padding: 6px 0;
      border-bottom: 1px solid var(--line, #e3e6ee);
    }
    .readers li:last-child {
      border-bottom: none;
    }
    .when {
      color: var(--ink-soft);
      font-size: 0.85rem;
    }
  `,
})
export class SeenByDialog {
  readonly readers = input.required<readonly SeenByReader[]>();
  /** How many other members the group has. */
  readonly others = input.required<number>();
  readonly closed = output<void>();

  protected readonly modal = viewChild.required(ModalDialog);
  protected readonly title = computed(() => `Seen by ${this.readers().length} of ${this.others()}`);
}
