import { inject, provideEnvironmentInitializer, type EnvironmentProviders, type Provider } from '@angular/core';
import { AttachmentUploads } from '../attachments/attachment-uploads.service';
import { AttachmentUrls } from '../attachments/attachment-urls.service';
import { ChatNavigator } from '../chat/chat-navigator.service';
import { MessageJumps } from '../chat/message-jumps.service';
import { ArrivalsService } from '../chats/arrivals.service';
import { ChatActions } from '../chats/chat-actions.service';
import { ReceiptsService } from '../chats/receipts.service';
import { Connection } from '../connection/connection.service';
import { Drafts } from '../offline/drafts.service';
import { LocalRestore } from '../offline/local-restore.service';
import { LocalStore } from '../offline/local-store.service';
import { Outbox } from '../outbox/outbox.service';
import { PeopleService } from '../people/people.service';
import { MessageSearch } from '../search/message-search.service';
import { ServerEvents } from '../server-events/server-events.service';
import { CatchUp } from '../sync/catch-up.service';
import { TimelineSync } from '../sync/timeline-sync.service';
import { HistoryPager } from '../timeline/history-pager.service';
import { DesktopNotifications } from '../notifications/desktop-notifications.service';
import { TabBadge } from '../notifications/tab-badge.service';
import { MessageActions } from '../timeline/message-actions.service';
import { TypingService } from '../typing/typing.service';
import { SessionStore } from './session-store';
import { SESSION_START, type SessionStart } from './session-start';
import { TokenRefresh } from './token-refresh';

/** The services one signed-in session has, each created anew for it and destroyed with it. */
export const SESSION_SERVICES = [
  SessionStore,
  LocalStore,
  Drafts,
  TokenRefresh,
  Connection,
  ServerEvents,
  ArrivalsService,
  ReceiptsService,
  ChatActions,
  HistoryPager,
  MessageActions,
  AttachmentUploads,
  AttachmentUrls,
  Outbox,
  LocalRestore,
  TimelineSync,
  CatchUp,
  PeopleService,
  TypingService,
  ChatNavigator,
  DesktopNotifications,
  TabBadge,
  MessageJumps,
  MessageSearch,
] as const;

/** How a session runs on its page. */
export interface SessionOptions {
  /**
   * The session owns the page: it may set the tab's title and icon and show desktop
   * notifications. Off for a session embedded in someone else's page (the widget).
   */
  ownsPage: boolean;
}

export function sessionProviders(start: SessionStart, { ownsPage }: SessionOptions = { ownsPage: true }): (Provider | EnvironmentProviders)[] {
  return [
    { provide: SESSION_START, useValue: start },
    ...SESSION_SERVICES,
    provideEnvironmentInitializer(() => {
      // Notifications first: they see where the user is looking before a new message pops its chat up.
      if (ownsPage) {
        inject(DesktopNotifications);
        inject(TabBadge);
      }
      inject(ServerEvents).start();
    }),
  ];
}
