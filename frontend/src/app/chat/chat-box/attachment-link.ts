import { Directive, computed, effect, inject, input } from '@angular/core';
import type { Attachment } from '@shared';
import { AttachmentUrls } from '../../attachments/attachment-urls.service';

/**
 * A download link to an attachment's original: its signed URL (renewed before it expires) and
 * the file's name for the browser's save dialog. The server sends anything that is not a picture
 * as a download, never shown in the page.
 */
@Directive({
  selector: 'a[appAttachmentLink]',
  host: {
    '[attr.href]': 'href()',
    '[attr.download]': 'attachment().name',
    '[attr.aria-disabled]': 'href() ? null : "true"',
    rel: 'noopener',
  },
})
export class AttachmentLink {
  readonly attachment = input.required<Attachment>();
  private readonly urls = inject(AttachmentUrls);
  protected readonly href = computed(() => this.urls.urlOf(this.attachment().id)()?.original ?? null);

  constructor() {
    effect(() => this.urls.ensure([this.attachment().id]));
  }
}
