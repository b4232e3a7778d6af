import { inject, provideEnvironmentInitializer, type EnvironmentProviders, type Provider } from '@angular/core';
import type { AuthTokens } from '@shared';
import { ChatNavigator } from '../chat/chat-navigator.service';
import { MessageJumps } from '../chat/message-jumps.service';
import { ArrivalsService } from '../chats/arrivals.service';
import { ChatActions } from '../chats/chat-actions.service';
import { ReceiptsService } from '../chats/receipts.service';
import { Connection } from '../connection/connection.service';
import { Outbox } from '../outbox/outbox.service';
import { PeopleService } from '../people/people.service';
import { MessageSearch } from '../search/message-search.service';
import { ServerEvents } from '../server-events/server-events.service';
import { CatchUp } from '../sync/catch-up.service';
import { TimelineSync } from '../sync/timeline-sync.service';
import { HistoryPager } from '../timeline/history-pager.service';
import { MessageActions } from '../timeline/message-actions.service';
import { TypingService } from '../typing/typing.service';
import { SessionStore } from './session-store';
import { SESSION_TOKENS } from './session-tokens';
import { TokenRefresh } from './token-refresh';

/** The services one signed-in session has, each created anew for it and destroyed with it. */
export const SESSION_SERVICES = [
  SessionStore,
  TokenRefresh,
  Connection,
  ServerEvents,
  ArrivalsService,
  ReceiptsService,
  ChatActions,
  HistoryPager,
  MessageActions,
  Outbox,
  TimelineSync,
  CatchUp,
  PeopleService,
  TypingService,
  ChatNavigator,
  MessageJumps,
  MessageSearch,
] as const;

export function sessionProviders(tokens: AuthTokens): (Provider | EnvironmentProviders)[] {
  return [
    { provide: SESSION_TOKENS, useValue: tokens },
    ...SESSION_SERVICES,
    provideEnvironmentInitializer(() => inject(ServerEvents).start()),
  ];
}
