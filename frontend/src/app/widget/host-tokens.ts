import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Subject, filter, firstValueFrom, map, race, timer } from 'rxjs';
import { toObservable } from '@angular/core/rxjs-interop';
import { CHAT_TIMING } from '../connection/chat-timing';
import { tokenFromAnswer } from './state/server-base';
import { WidgetSettings } from './widget-settings';

/**
 * Fresh SSO tokens from the host page. With `token-endpoint`, each one is a POST to the host's
 * endpoint with the host's own cookies (it answers `{"token": "…"}`, or 401 when nobody is signed
 * in there). With `token`, the token set on the element is used once; after that the widget asks
 * the page for a new one (`parley-token-needed` event) and waits for it a while.
 */
@Injectable({ providedIn: 'root' })
export class HostTokens {
  private readonly settings = inject(WidgetSettings);
  private readonly http = inject(HttpClient);
  private readonly tokenChanges = toObservable(this.settings.token);
  private spent: string | null = null;

  /** Each time the widget needs a token the host has not given it yet. */
  readonly needed = new Subject<void>();

  async next(): Promise<string> {
    const endpoint = this.settings.tokenEndpoint();
    if (endpoint) {
      const answer = await firstValueFrom(this.http.post<unknown>(endpoint, {}, { withCredentials: true }));
      const token = tokenFromAnswer(answer);
      if (!token) throw new HostTokenRefused('The token endpoint answered without a token');
      return token;
    }
    const current = this.settings.token();
    if (current && current !== this.spent) return this.spend(current);
    this.needed.next();
    const fresh = await firstValueFrom(
      race(
        this.tokenChanges.pipe(filter((token): token is string => !!token && token !== this.spent)),
        timer(CHAT_TIMING.refreshTimeoutMs).pipe(map(() => null)),
      ),
    );
    if (!fresh) throw new HostTokenRefused('The page set no new token');
    return this.spend(fresh);
  }

  private spend(token: string): string {
    this.spent = token;
    return token;
  }
}

/** No token to be had: read like a refused one (status 401: the host's user is not signed in). */
export class HostTokenRefused extends Error {
  readonly status = 401;
}
