import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { firstValueFrom, timeout } from 'rxjs';
import type { AuthTokens } from '@shared';
import { CHAT_TIMING } from '../connection/chat-timing';
import { HostTokens } from './host-tokens';

/**
 * The widget's stand-in for the app's RefreshRequest: every new access token (the first one, and
 * each time it is about to expire or a reconnect needs one) comes from a fresh SSO token from the
 * host, traded at `/api/auth/sso`. No cookie is used. The refresh token of the last answer is kept
 * in memory only, to end that server session at sign-out (earlier ones are left to expire: ending
 * one would end the live connection it authenticated).
 */
@Injectable({ providedIn: 'root' })
export class SsoRefreshRequest {
  private readonly http = inject(HttpClient);
  private readonly hostTokens = inject(HostTokens);
  private lastRefreshToken: string | null = null;

  async send(): Promise<AuthTokens> {
    const token = await this.hostTokens.next();
    const tokens = await firstValueFrom(this.http.post<AuthTokens>('/api/auth/sso', { token }).pipe(timeout(CHAT_TIMING.refreshTimeoutMs)));
    this.lastRefreshToken = tokens.refreshToken;
    return tokens;
  }

  /** Ends the server session of the last sign-in (its refresh token), if there is one; never fails. */
  endServerSession(): void {
    this.revoke(this.lastRefreshToken);
    this.lastRefreshToken = null;
  }

  private revoke(refreshToken: string | null): void {
    if (!refreshToken) return;
    this.http.post('/api/auth/logout', { refreshToken }).subscribe({ error: () => undefined });
  }
}
