import { DestroyRef, Injectable, InjectionToken, computed, inject } from '@angular/core';
import { Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import type { AuthTokens, RegisterRequest, SelfUser } from '@shared';
import { LocalAccounts } from '../offline/local-accounts';
import { AuthApiService } from './auth-api.service';
import { RefreshRequest } from './refresh-request';
import { SESSION_HINT } from './session-hint.token';
import { SessionScope } from './session-scope';
import { SessionStore } from './session-store';
import { refreshFailure } from './state/refresh-failure';

/** The BroadcastChannel on which a tab tells the others of this site that the user signed out. */
export const SIGN_OUT_CHANNEL_NAME = new InjectionToken<string>('SIGN_OUT_CHANNEL_NAME', {
  providedIn: 'root',
  factory: () => 'parley-sign-out',
});

/** What a tab posts on the sign-out channel. Only an explicit sign-out is posted, never a token refresh. */
interface SignedOut {
  type: 'signed-out';
  userId: string | null;
}

function isSignedOut(data: unknown): data is SignedOut {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'signed-out';
}

/**
 * Signing in and out: each sign-in starts a session scope, signing out destroys it. Signing out
 * in one tab signs out every tab of this site in the browser: they share the refresh cookie the
 * sign-out revoked, so their sessions are over too. Signing out also deletes what the browser
 * kept for the user (drafts, outbox, history seen). At load without a network, the session starts
 * offline from the profile the browser kept, and connects once the network is back.
 */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly authApi = inject(AuthApiService);
  private readonly refreshRequest = inject(RefreshRequest);
  private readonly scope = inject(SessionScope);
  private readonly router = inject(Router);
  private readonly mayHaveSession = inject(SESSION_HINT);
  private readonly localAccounts = inject(LocalAccounts);
  private readonly channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(inject(SIGN_OUT_CHANNEL_NAME));
  private restoring: Promise<boolean> | null = null;

  constructor() {
    if (this.channel) this.channel.onmessage = (event: MessageEvent<unknown>) => this.onOtherTab(event.data);
    inject(DestroyRef).onDestroy(() => this.channel?.close());
  }

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
    await this.start(tokens.user, tokens, { replace: true });
    return tokens.user;
  }

  register(request: RegisterRequest): Promise<SelfUser> {
    return firstValueFrom(this.authApi.register(request));
  }

  async logout(): Promise<void> {
    const userId = this.currentUser()?.id ?? null;
    try {
      await firstValueFrom(this.authApi.logout());
    } catch {
      // The local session ends whatever the server says.
    } finally {
      this.scope.end();
      this.channel?.postMessage({ type: 'signed-out', userId } satisfies SignedOut);
      if (userId) await this.localAccounts.forget(userId);
    }
    await this.router.navigate(['/login']);
  }

  /** Another tab signed out: this one's session ends too (no request: that tab told the server). */
  private onOtherTab(data: unknown): void {
    if (!isSignedOut(data)) return;
    if (!this.scope.injector()) return;
    this.scope.end();
    void this.router.navigate(['/login']);
  }

  /**
   * A session from the refresh cookie; without a network, one started offline from the profile
   * the browser kept. A cookie the server refuses, or none at all, deletes what the browser kept.
   */
  private async restore(): Promise<boolean> {
    if (!this.mayHaveSession()) {
      // No session hint: the cookie expired or was cleared, and the session with it.
      await this.localAccounts.forgetLast();
      return false;
    }
    try {
      const tokens = await this.refreshRequest.send();
      await this.start(tokens.user, tokens);
      return true;
    } catch (error) {
      const failure = refreshFailure(error);
      if (failure === 'refused') await this.localAccounts.forgetLast();
      if (failure !== 'unreachable') return false;
      const profile = await this.localAccounts.cachedProfile();
      if (!profile) return false;
      await this.start(profile, null);
      return true;
    }
  }

  /**
   * Starts the session's scope (unless one started meanwhile and `replace` is not asked). Its
   * services load with it, in a chunk of their own: a visitor's login form does without them.
   * `tokens`: null for a session started offline.
   */
  private async start(user: SelfUser, tokens: AuthTokens | null, { replace = false } = {}): Promise<void> {
    const { sessionProviders } = await import('./session-providers');
    if (replace || !this.scope.injector()) this.scope.start(sessionProviders({ user, tokens }));
  }
}
