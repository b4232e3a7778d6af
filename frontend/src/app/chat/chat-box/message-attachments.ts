import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import type { Attachment } from '@shared';
import { AttachmentUploads } from '../../attachments/attachment-uploads.service';
import { AttachmentUrls } from '../../attachments/attachment-urls.service';
import { chatPictures } from '../../attachments/state/chat-pictures';
import { fileSize, fileTypeLabel } from '../../attachments/state/file-size';
import { thumbBox } from '../../attachments/state/thumb-box';
import { percentDone } from '../../attachments/state/upload-progress';
import { Outbox } from '../../outbox/outbox.service';
import type { ChatMessage } from '../../timeline/state/chat-message';
import { ChatBoxModel } from './chat-box-model';
import { AttachmentLink } from './attachment-link';
import { LightboxDialog } from './lightbox-dialog';

/**
 * What a message carries: pictures as thumbnails (their box sized before they load, so the list
 * does not jump) that open in the lightbox, other files as a card with name, type, size and a
 * download link; and, while the message is on its way, each file's upload with a progress bar
 * and a cancel button.
 */
@Component({
  selector: 'app-message-attachments',
  imports: [LightboxDialog, AttachmentLink],
  templateUrl: './message-attachments.html',
  styleUrl: './message-attachments.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MessageAttachments {
  readonly message = input.required<ChatMessage>();

  private readonly box = inject(ChatBoxModel);
  private readonly urls = inject(AttachmentUrls);
  private readonly uploads = inject(AttachmentUploads);
  private readonly outbox = inject(Outbox);

  protected readonly fileSize = fileSize;
  protected readonly fileTypeLabel = fileTypeLabel;
  protected readonly stored = computed(() => (this.message().deletedAt === null ? (this.message().attachments ?? []) : []));
  protected readonly pictures = computed(() =>
    this.stored()
      .filter((a) => a.kind === 'image')
      .map((attachment) => ({ attachment, box: thumbBox(attachment.width, attachment.height) })),
  );
  protected readonly files = computed(() => this.stored().filter((a) => a.kind === 'file'));
  protected readonly pending = computed(() => {
    const message = this.message();
    const inFlight = this.uploads.inFlight();
    return (message.uploads ?? []).map((upload) => {
      const progress = inFlight[upload.key];
      return { upload, running: !!progress, percent: upload.done ? 100 : percentDone(progress) };
    });
  });
  /** Cancelling is for a message still on its way (a refused one has Retry and Delete). */
  protected readonly cancellable = computed(() => this.message().local === 'pending');
  /** The picture the lightbox shows, as its place among the chat's pictures; null while closed. */
  protected readonly showing = signal<number | null>(null);
  protected readonly chatPictures = computed(() => chatPictures(this.box.timeline()?.list ?? []));

  constructor() {
    effect(() => this.urls.ensure(this.stored().map((a) => a.id)));
  }

  protected urlOf(attachment: Attachment) {
    return this.urls.urlOf(attachment.id)();
  }

  protected unavailable(attachment: Attachment): boolean {
    return this.urls.unavailable(attachment.id)();
  }

  protected open(attachment: Attachment): void {
    const index = this.chatPictures().findIndex((p) => p.attachment.id === attachment.id && p.messageId === this.message().id);
    if (index >= 0) this.showing.set(index);
  }

  protected cancel(key: string): void {
    const { chatId, clientId } = this.message();
    if (clientId) this.outbox.cancelFile(chatId, clientId, key);
  }
}
