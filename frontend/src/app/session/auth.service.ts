import { Injectable, computed, inject } from '@angular/core';
import { Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import type { AuthTokens, RegisterRequest, SelfUser } from '@shared';
import { AuthApiService } from './auth-api.service';
import { RefreshRequest } from './refresh-request';
import { sessionProviders } from './session-providers';
import { SessionScope } from './session-scope';
import { SessionStore } from './session-store';

/** Signing in and out: each sign-in starts a session scope, signing out destroys it. */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly authApi = inject(AuthApiService);
  private readonly refreshRequest = inject(RefreshRequest);
  private readonly scope = inject(SessionScope);
  private readonly router = inject(Router);
  private restoring: Promise<boolean> | null = null;

  /** The signed-in user, or null. */
  readonly currentUser = computed<SelfUser | null>(() => this.scope.injector()?.get(SessionStore).me() ?? null);

  /** Resolves true when a session exists or could be restored from the refresh cookie. */
  ensureSession(): Promise<boolean> {
    if (this.scope.injector()) return Promise.resolve(true);
    this.restoring ??= this.restore().finally(() => (this.restoring = null));
    return this.restoring;
  }

  /** Logs in; HTTP errors reach the caller untouched (the login form reads them). */
  async login(username: string, password: string): Promise<SelfUser> {
    const tokens = await firstValueFrom(this.authApi.login({ username, password }));
    this.start(tokens);
    return tokens.user;
  }

  register(request: RegisterRequest): Promise<SelfUser> {
    return firstValueFrom(this.authApi.register(request));
  }

  async logout(): Promise<void> {
    try {
      await firstValueFrom(this.authApi.logout());
    } catch {
      // The local session ends whatever the server says.
    } finally {
      this.scope.end();
    }
    await this.router.navigate(['/login']);
  }

  private async restore(): Promise<boolean> {
    try {
      const tokens = await this.refreshRequest.send();
      if (!this.scope.injector()) this.start(tokens);
      return true;
    } catch {
      return false;
    }
  }

  private start(tokens: AuthTokens): void {
    this.scope.start(sessionProviders(tokens));
  }
}
