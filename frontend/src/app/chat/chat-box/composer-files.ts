import { Injectable, inject, signal } from '@angular/core';
import { newClientId } from '@shared/client-id';
import { AttachmentUploads } from '../../attachments/attachment-uploads.service';
import { addPicked, pastedName, removePicked, type PickedFile } from '../../attachments/state/picked-files';
import { Announcer } from '../announcer';

/**
 * The files picked for one chat box's next message — with the button, dropped on the box or
 * pasted into the field — shown above the field until the message is sent. Files the message
 * cannot take (empty, too big, past ten) are left out, and `problems` says why.
 */
@Injectable()
export class ComposerFiles {
  private readonly uploads = inject(AttachmentUploads);
  private readonly announcer = inject(Announcer);
  readonly files = signal<readonly PickedFile[]>([]);
  readonly problems = signal<readonly string[]>([]);
  /** Bumped when files came from outside the composer (a drop): the field takes the focus. */
  readonly focusRequests = signal(0);

  /** Adds files; `pasted` ones without a name of their own get one with the time. */
  add(incoming: readonly File[], how: 'picked' | 'dropped' | 'pasted'): void {
    if (incoming.length === 0) return;
    const now = new Date();
    const files = incoming.map(
      (file): PickedFile => ({
        key: newClientId(),
        file,
        name: how === 'pasted' ? pastedName(file.name, file.type, now) : file.name || 'file',
        size: file.size,
        mime: file.type || 'application/octet-stream',
      }),
    );
    const before = this.files().length;
    const picked = addPicked(this.files(), files, this.uploads.maxBytes);
    this.files.set(picked.files);
    this.problems.set(picked.problems);
    const added = picked.files.length - before;
    if (added > 0) this.announcer.announce(`${added} ${added === 1 ? 'file' : 'files'} ready to send. Add a caption or send.`);
    if (how === 'dropped') this.focusRequests.update((n) => n + 1);
  }

  remove(key: string): void {
    this.files.update((files) => removePicked(files, key));
    this.problems.set([]);
  }

  /** The files go with the message being sent: the composer is empty again. */
  take(): readonly PickedFile[] {
    const files = this.files();
    this.files.set([]);
    this.problems.set([]);
    return files;
  }
}
