import { Injectable, signal } from '@angular/core';

/**
 * The current access token, in memory only. A reload forgets it; the app then asks
 * `/api/auth/refresh` (httpOnly cookie) for a new one.
 */
@Injectable({ providedIn: 'root' })
export class AccessTokenStore {
  private readonly access = signal<string | null>(null);

  readonly accessToken = this.access.asReadonly();

  set(accessToken: string): void {
    this.access.set(accessToken);
  }

  clear(): void {
    this.access.set(null);
  }
}
