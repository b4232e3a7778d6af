import { Injectable, inject } from '@angular/core';
import type { ChangePasswordRequest, SelfUser, UpdateProfileRequest } from '@shared';
import { Connection } from '../connection/connection.service';
import { SessionStore } from '../session/session-store';
import { ownProfileSaved } from './state/own-profile';

/** The signed-in user's own profile and password, over the session's socket. Provided by the profile page. */
@Injectable()
export class ProfileService {
  private readonly connection = inject(Connection);
  private readonly store = inject(SessionStore);

  /** Stores the changes; the answer becomes the signed-in user. Rejects with the server's RequestError. */
  async update(changes: UpdateProfileRequest): Promise<SelfUser> {
    const me = await this.connection.request('profile:update', changes);
    this.store.update((state) => ownProfileSaved(state, me));
    return me;
  }

  /** Sets a new password; the server signs out the user's other sessions and keeps this one. */
  async changePassword(request: ChangePasswordRequest): Promise<void> {
    await this.connection.request('profile:password', request);
  }
}
