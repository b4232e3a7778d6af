import {
  DestroyRef,
  EnvironmentInjector,
  Injectable,
  createEnvironmentInjector,
  inject,
  signal,
  type EnvironmentProviders,
  type Provider,
  type ProviderToken,
} from '@angular/core';
import { LocalAccounts } from '../offline/local-accounts';
import { SESSION_EXIT, type SessionEndReason } from './session-exit';
import { SessionStore } from './session-store';

/**
 * The injector of the signed-in session: created at sign-in, destroyed at sign-out. Everything
 * that belongs to one session lives in it, so ending the session forgets all of it at once and
 * the next sign-in starts from nothing.
 */
@Injectable({ providedIn: 'root' })
export class SessionScope {
  private readonly parent = inject(EnvironmentInjector);
  private readonly exit = inject(SESSION_EXIT);
  private readonly localAccounts = inject(LocalAccounts);
  private readonly current = signal<EnvironmentInjector | null>(null);

  /** The current session's injector, or null when nobody is signed in. */
  readonly injector = this.current.asReadonly();

  constructor() {
    inject(DestroyRef).onDestroy(() => this.end());
  }

  /** Ends any session there is and starts a new one with these providers. */
  start(providers: (Provider | EnvironmentProviders)[]): EnvironmentInjector {
    this.end();
    const injector = createEnvironmentInjector(providers, this.parent, 'Session');
    this.current.set(injector);
    return injector;
  }

  /** Forgets the session, locally. */
  end(): void {
    const injector = this.current();
    if (!injector) return;
    this.current.set(null);
    injector.destroy();
  }

  /**
   * Ends the session on the server's word and leaves it (SESSION_EXIT: the app shows the login
   * page, saying why). What the browser kept for the user goes too: the session it belonged to is over.
   */
  expire(reason: SessionEndReason): void {
    const userId = this.current()?.get(SessionStore).me().id;
    this.end();
    if (userId) void this.localAccounts.forget(userId);
    this.exit(reason);
  }

  /** A service of the current session. */
  get<T>(token: ProviderToken<T>): T {
    const injector = this.current();
    if (!injector) throw new Error('Nobody is signed in.');
    return injector.get(token);
  }
}
