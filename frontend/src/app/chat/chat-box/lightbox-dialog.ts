import { ChangeDetectionStrategy, Component, computed, effect, inject, input, linkedSignal, output, viewChild } from '@angular/core';
import { AttachmentUrls } from '../../attachments/attachment-urls.service';
import type { ChatPicture } from '../../attachments/state/chat-pictures';
import { pictureStep } from '../../attachments/state/chat-pictures';
import { fileSize } from '../../attachments/state/file-size';
import { ModalDialog } from '../modal-dialog';
import { AttachmentLink } from './attachment-link';

/**
 * A chat's pictures, one at a time, large: a modal dialog (focus moves in and stays in, Escape
 * or the backdrop closes it, focus goes back to the thumbnail), Left and Right step through the
 * chat's pictures (Home and End to the ends), each with its name as alt text and a download link.
 */
@Component({
  selector: 'app-lightbox-dialog',
  imports: [ModalDialog, AttachmentLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <dialog appModal class="lightbox" (closed)="closed.emit()" aria-labelledby="lightbox-title" aria-describedby="lightbox-help"
      data-testid="lightbox" tabindex="-1" (keydown)="onKey($event)">
      @if (current(); as picture) {
        <div class="lightbox-head">
          <h2 id="lightbox-title" data-testid="lightbox-title">{{ picture.attachment.name }}</h2>
          <span class="lightbox-count" data-testid="lightbox-count">{{ index() + 1 }} of {{ pictures().length }}</span>
        </div>
        <figure class="lightbox-figure">
          @if (url(); as shown) {
            <img [src]="shown.preview ?? shown.original" [alt]="picture.attachment.name" data-testid="lightbox-image"
              [attr.width]="picture.attachment.width ?? null" [attr.height]="picture.attachment.height ?? null" />
          } @else {
            <p class="lightbox-loading">Loading…</p>
          }
          <figcaption class="lightbox-meta">
            {{ picture.attachment.width && picture.attachment.height ? picture.attachment.width + ' × ' + picture.attachment.height + ' · ' : '' }}{{ size() }}
          </figcaption>
        </figure>
        <p id="lightbox-help" class="visually-hidden">Left and right arrow keys show the other pictures of this chat. Escape closes.</p>
        <div class="lightbox-actions">
          <button type="button" class="button button-secondary" data-testid="lightbox-previous" [disabled]="index() === 0" (click)="go(index() - 1)">
            <span aria-hidden="true">←</span> Previous
          </button>
          <a appAttachmentLink [attachment]="picture.attachment" class="button button-secondary" data-testid="lightbox-download">Download</a>
          <button type="button" class="button button-secondary" data-testid="lightbox-next" [disabled]="index() === pictures().length - 1" (click)="go(index() + 1)">
            Next <span aria-hidden="true">→</span>
          </button>
          <button type="button" class="button" data-testid="lightbox-close" (click)="modal().close()" autofocus>Close</button>
        </div>
      }
    </dialog>
  `,
  styles: `
    dialog.lightbox {
      width: min(96vw, 1100px);
      max-height: 96vh;
      padding: 12px 16px 16px;
    }
    .lightbox-head {
      display: flex;
      align-items: baseline;
      justify-content: space-between;
      gap: 12px;
    }
    .lightbox-head h2 {
      margin: 0;
      font-size: 1rem;
      overflow-wrap: anywhere;
    }
    .lightbox-count {
      flex: none;
      color: var(--ink-soft);
      font-size: 0.9rem;
    }
    .lightbox-figure {
      margin: 10px 0;
      display: flex;
      flex-direction: column;
      align-items: center;
      gap: 6px;
    }
    .lightbox-figure img {
      max-width: 100%;
      max-height: calc(96vh - 190px);
      width: auto;
      height: auto;
      object-fit: contain;
      border-radius: 6px;
      background: var(--tint);
    }
    .lightbox-meta,
    .lightbox-loading {
      color: var(--ink-soft);
      font-size: 0.85rem;
    }
    .lightbox-actions {
      display: flex;
      flex-wrap: wrap;
      justify-content: flex-end;
      gap: 8px;
    }
  `,
})
export class LightboxDialog {
  readonly pictures = input.required<readonly ChatPicture[]>();
  readonly start = input.required<number>();
  readonly closed = output<void>();

  protected readonly modal = viewChild.required(ModalDialog);
  private readonly urls = inject(AttachmentUrls);
  protected readonly index = linkedSignal(() => Math.min(this.start(), Math.max(0, this.pictures().length - 1)));
  protected readonly current = computed(() => this.pictures()[this.index()] ?? null);
  protected readonly url = computed(() => {
    const picture = this.current();
    return picture ? this.urls.urlOf(picture.attachment.id)() : null;
  });
  protected readonly size = computed(() => fileSize(this.current()?.attachment.size ?? 0));

  constructor() {
    effect(() => {
      const picture = this.current();
      if (picture) this.urls.ensure([picture.attachment.id]);
    });
  }

  protected go(index: number): void {
    if (index >= 0 && index < this.pictures().length) this.index.set(index);
  }

  /** Left and Right (Home, End) move through the chat's pictures, unless a control wants the key. */
  protected onKey(event: KeyboardEvent): void {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const next = pictureStep(this.index(), this.pictures().length, event.key);
    if (next === null) return;
    event.preventDefault();
    this.index.set(next);
  }
}
