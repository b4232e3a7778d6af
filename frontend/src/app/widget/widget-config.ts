import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { Injector, inject, provideZonelessChangeDetection, type ApplicationConfig } from '@angular/core';
import { NARROW_QUERY } from '../chat/chat-layout.service';
import { EMOJI_DATA_URL } from '../chat/emoji-picker-dialog';
import { SocketFactory } from '../connection/socket-factory';
import { LOCAL_DATABASE_PREFIX } from '../offline/local-database';
import { authInterceptor } from '../session/auth.interceptor';
import { RefreshRequest } from '../session/refresh-request';
import { SESSION_EXIT } from '../session/session-exit';
import { serverUrlInterceptor } from './server-url.interceptor';
import { SsoRefreshRequest } from './sso-refresh-request';
import { WidgetSession } from './widget-session';
import { WidgetSettings } from './widget-settings';
import { WidgetSocketFactory } from './widget-socket-factory';

/**
 * The widget's application: the app's session, connection, outbox and chat services, with these
 * differences. Calls and the socket go to the `server` the element names. Every access token comes
 * from a fresh SSO token from the host (no refresh cookie across sites). Nothing is kept in the
 * browser: no IndexedDB (no offline start, no drafts or outbox across reloads, no history
 * snapshot) and no localStorage; the access token lives in memory. The panel is small, so the
 * layout is always the narrow one (one chat at a time). No router: the host page owns the URL.
 */
export const widgetConfig: ApplicationConfig = {
  providers: [
    provideZonelessChangeDetection(),
    provideHttpClient(withInterceptors([authInterceptor, serverUrlInterceptor])),
    { provide: SocketFactory, useClass: WidgetSocketFactory },
    { provide: RefreshRequest, useExisting: SsoRefreshRequest },
    { provide: LOCAL_DATABASE_PREFIX, useValue: null },
    { provide: NARROW_QUERY, useValue: 'all' },
    {
      provide: EMOJI_DATA_URL,
      useFactory: () => {
        const server = inject(WidgetSettings).server;
        return () => `${server() ?? ''}/assets/emoji/data.json`;
      },
    },
    {
      provide: SESSION_EXIT,
      useFactory: () => {
        // Looked up when called: WidgetSession itself needs the SessionScope that needs this.
        const injector = inject(Injector);
        return (reason: Parameters<WidgetSession['exit']>[0]) => injector.get(WidgetSession).exit(reason);
      },
    },
  ],
};
