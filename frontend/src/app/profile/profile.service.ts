import { Injectable, inject } from '@angular/core';
import type { ChangePasswordRequest, SelfUser, UpdateProfileRequest } from '@shared';
import { AttachmentUploads } from '../attachments/attachment-uploads.service';
import { Connection } from '../connection/connection.service';
import { SessionStore } from '../session/session-store';
import { ownProfileSaved } from './state/own-profile';

/** The signed-in user's own profile and password, over the session's socket. Provided by the profile page. */
@Injectable()
export class ProfileService {
  private readonly connection = inject(Connection);
  private readonly store = inject(SessionStore);
  private readonly uploads = inject(AttachmentUploads);

  /** Stores the changes; the answer becomes the signed-in user. Rejects with the server's RequestError. */
  async update(changes: UpdateProfileRequest): Promise<SelfUser> {
    const me = await this.connection.request('profile:update', changes);
    this.store.update((state) => ownProfileSaved(state, me));
    return me;
  }

  /**
   * Uploads a picture (the same path as a message's files, as `purpose=avatar`) and makes it the
   * user's picture. `key` names the upload for its progress and for `cancelAvatar`. Rejects with
   * UploadError, UploadCancelled or the server's RequestError.
   */
  async setAvatar(key: string, file: Blob, name: string): Promise<SelfUser> {
    const attachment = await this.uploads.upload(key, file, name, 'avatar');
    return this.update({ avatarAttachmentId: attachment.id });
  }

  cancelAvatar(key: string): void {
    this.uploads.cancel(key);
  }

  /** The user goes back to the default picture of their gender. */
  removeAvatar(): Promise<SelfUser> {
    return this.update({ avatarAttachmentId: null });
  }

  /** Sets a new password; the server signs out the user's other sessions and keeps this one. */
  async changePassword(request: ChangePasswordRequest): Promise<void> {
    await this.connection.request('profile:password', request);
  }
}
