import { HttpErrorResponse } from '@angular/common/http';
import { DestroyRef, Injectable, inject } from '@angular/core';
import type { AuthTokens } from '@shared';
import { CHAT_TIMING } from '../connection/chat-timing';
import { AccessTokenStore } from './access-token-store';
import { refreshDelayMs } from './refresh-delay';
import { RefreshRequest } from './refresh-request';
import { SessionScope } from './session-scope';
import { SessionStore } from './session-store';
import { SESSION_START } from './session-start';

/** Keeps the session's access token fresh: before it expires, and on demand after a reconnect. */
@Injectable()
export class TokenRefresh {
  private readonly request = inject(RefreshRequest);
  private readonly accessToken = inject(AccessTokenStore);
  private readonly store = inject(SessionStore);
  private readonly scope = inject(SessionScope);
  private timer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<boolean> | null = null;
  private ended = false;

  constructor() {
    const { tokens } = inject(SESSION_START);
    // A session started offline has no token yet: the connection asks for one once it connects.
    if (tokens) this.apply(tokens);
    inject(DestroyRef).onDestroy(() => {
      this.ended = true;
      clearTimeout(this.timer);
      this.accessToken.clear();
    });
  }

  /** Gets a fresh access token now; false when the session is over or the server unreachable. */
  refreshNow(): Promise<boolean> {
    if (this.refreshing) return this.refreshing;
    const refreshing = this.refresh().finally(() => {
      if (this.refreshing === refreshing) this.refreshing = null;
    });
    this.refreshing = refreshing;
    return refreshing;
  }

  private async refresh(): Promise<boolean> {
    if (this.ended) return false;
    try {
      const tokens = await this.request.send();
      if (this.ended) return false;
      if (tokens.user.id !== this.store.me().id) {
        // The cookie now belongs to someone else (signed in from another tab meanwhile, e.g. while
        // this session ran offline): this user's session here is over, and what was kept for it goes.
        this.scope.expire('ended');
        return false;
      }
      this.apply(tokens);
      this.store.update((state) => ({ ...state, me: tokens.user }));
      return true;
    } catch (error) {
      // A session that ended (or was replaced) meanwhile is not this refresh's to end.
      if (this.ended) return false;
      const status = error instanceof HttpErrorResponse ? error.status : 0;
      if (status === 401 || status === 403) {
        this.scope.expire('expired');
        return false;
      }
      this.schedule(CHAT_TIMING.refreshRetryMs);
      return false;
    }
  }

  private apply(tokens: AuthTokens): void {
    this.accessToken.set(tokens.accessToken);
    this.schedule(refreshDelayMs(tokens.expiresIn));
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refreshNow(), delayMs);
  }
}
