import { Injectable, inject, signal } from '@angular/core';
import type { AuthTokens } from '@shared';
import { SessionScope } from '../session/session-scope';
import { sessionProviders } from '../session/session-providers';
import type { SessionEndReason } from '../session/session-exit';
import { SessionStore } from '../session/session-store';
import { SsoRefreshRequest } from './sso-refresh-request';
import {
  initialWidgetStatus,
  sessionExited,
  signInFailed,
  signInStarted,
  signedIn,
  signedOutByHost,
  type WidgetStatus,
} from './state/widget-status';
import { WidgetSettings } from './widget-settings';

/**
 * The widget's sign-in: a fresh SSO token from the host, traded for the chat's tokens, starts the
 * same session scope the app uses (without the page effects: tab title, favicon, desktop
 * notifications). No login form; nothing is kept in the browser.
 */
@Injectable({ providedIn: 'root' })
export class WidgetSession {
  private readonly scope = inject(SessionScope);
  private readonly settings = inject(WidgetSettings);
  private readonly sso = inject(SsoRefreshRequest);
  private readonly current = signal<WidgetStatus>(initialWidgetStatus);
  private attempt = 0;

  readonly status = this.current.asReadonly();

  /** Unread messages across the chats (by each chat's notification level), 0 while signed out. */
  unread(): number {
    return this.scope.injector()?.get(SessionStore).totalUnread() ?? 0;
  }

  /** Signs in unless signed in (or signing in) already; a no-op until the host set the attributes. */
  async signIn(): Promise<void> {
    const phase = this.current().phase;
    if (phase === 'signed-in' || phase === 'signing-in' || !this.settings.ready()) return;
    const attempt = ++this.attempt;
    this.current.update(signInStarted);
    let tokens: AuthTokens;
    try {
      tokens = await this.sso.send();
    } catch (error) {
      if (attempt === this.attempt) this.current.update(signInFailed(error));
      return;
    }
    if (attempt !== this.attempt) return;
    this.scope.start(sessionProviders({ user: tokens.user, tokens }, { ownsPage: false }));
    this.current.update(signedIn);
  }

  /** The host signed its user out, or the widget left the page: the session ends here and on the server. */
  signOut(): void {
    this.attempt++;
    this.scope.end();
    this.sso.endServerSession();
    this.current.update(signedOutByHost);
  }

  /** SESSION_EXIT for the widget: the chat server ended the session (its services are gone already). */
  exit(reason: SessionEndReason): void {
    this.current.update(sessionExited(reason));
  }
}
