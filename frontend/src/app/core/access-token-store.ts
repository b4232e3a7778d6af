import { Injectable, signal } from '@angular/core';

/**
 * The current access and refresh tokens, in memory only. A reload forgets them; the app
 * then asks `/api/auth/refresh` (httpOnly cookie) for new ones.
 */
@Injectable({ providedIn: 'root' })
export class AccessTokenStore {
  private readonly access = signal<string | null>(null);
  private refresh: string | null = null;

  readonly accessToken = this.access.asReadonly();

  get refreshToken(): string | null {
    return this.refresh;
  }

  set(accessToken: string, refreshToken: string | null): void {
    this.access.set(accessToken);
    if (refreshToken) this.refresh = refreshToken;
  }

  clear(): void {
    this.access.set(null);
    this.refresh = null;
  }
}
