import { Injectable, inject } from '@angular/core';
import { firstValueFrom, timeout } from 'rxjs';
import type { AuthTokens } from '@shared';
import { CHAT_TIMING } from '../connection/chat-timing';
import { AuthApiService } from './auth-api.service';
import { REFRESH_LOCK_NAME, withRefreshLock } from './refresh-lock';

/** One token refresh over HTTP, serialised with the other tabs and never hanging on forever. */
@Injectable({ providedIn: 'root' })
export class RefreshRequest {
  private readonly authApi = inject(AuthApiService);
  private readonly lockName = inject(REFRESH_LOCK_NAME);

  send(): Promise<AuthTokens> {
    return withRefreshLock(this.lockName, () =>
      firstValueFrom(this.authApi.refresh().pipe(timeout(CHAT_TIMING.refreshTimeoutMs))),
    );
  }
}
