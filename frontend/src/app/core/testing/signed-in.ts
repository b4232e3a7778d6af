import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { inject, type EnvironmentInjector, type EnvironmentProviders, type Provider, type ProviderToken } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, type Routes } from '@angular/router';
import type { ChatSummary, Message, SelfUser, SyncResult, UserWithPresence } from '@shared';
import { authInterceptor } from '../../session/auth.interceptor';
import { ChatActions } from '../../chats/chat-actions.service';
import { AuthService } from '../../session/auth.service';
import { LOCAL_DATABASE_PREFIX } from '../../offline/local-database';
import { REFRESH_LOCK_NAME } from '../../session/refresh-lock';
import { SESSION_HINT } from '../../session/session-hint.token';
import { SESSION_SERVICES } from '../../session/session-providers';
import { SessionScope } from '../../session/session-scope';
import { SocketFactory } from '../../connection/socket-factory';
import { tokens } from './chat-fixtures';
import { FakeSocket } from './fake-socket';
import { settle } from './wait';

let specLocks = 0;

/** The app's real services, with the fake socket in place of socket.io and HTTP under test control. */
export function appTestProviders(
  socket: FakeSocket,
  routes: Routes = [
    { path: 'login', children: [] },
    { path: '**', children: [] },
  ],
): (Provider | EnvironmentProviders)[] {
  return [
    provideHttpClient(withInterceptors([authInterceptor])),
    provideHttpClientTesting(),
    provideRouter(routes),
    { provide: SocketFactory, useValue: { create: () => socket.asSocket() } },
    // Each spec gets its own Web Lock, so a refresh a spec leaves unanswered blocks no other.
    { provide: REFRESH_LOCK_NAME, useValue: `parley-token-refresh-spec-${++specLocks}` },
    // As if the session hint cookie were there: restoring asks the server (specs answer for it).
    { provide: SESSION_HINT, useValue: () => true },
    // Nothing is kept in the browser, unless a spec of the offline feature asks for it.
    { provide: LOCAL_DATABASE_PREFIX, useValue: null },
  ];
}

/**
 * The app's services as `appTestProviders`, and a component a spec creates on its own finds the
 * signed-in session's services, as it does under the session's injector in the app.
 */
export function chatTestProviders(socket: FakeSocket, routes?: Routes): (Provider | EnvironmentProviders)[] {
  return [
    ...appTestProviders(socket, routes),
    ...SESSION_SERVICES.map((service: ProviderToken<unknown>) => ({ provide: service, useFactory: () => inject(SessionScope).get(service) })),
  ];
}

export interface ServerState {
  users?: UserWithPresence[];
  chats?: ChatSummary[];
  blocks?: string[];
  /** What `sync` returns per chat (no changes, at change position 0, unless given). */
  syncChats?: Record<string, SyncChatAnswer>;
}

/** One chat's part of a `sync` answer; the change fields may be left out. */
export type SyncChatAnswer = { messages: Message[]; hasMore: boolean } & Partial<Omit<SyncResult['chats'][string], 'messages' | 'hasMore'>>;

/** A chat's part of a `sync` answer as the server sends it. */
export function syncAnswer(answer: SyncChatAnswer): SyncResult['chats'][string] {
  return { changes: [], changeSeq: 0, hasMoreChanges: false, ...answer };
}

/** Registers the fake server's answers to the requests every authentication makes. */
export function serveSession(socket: FakeSocket, me: SelfUser, state: ServerState = {}): void {
  const chats = Object.fromEntries(Object.entries(state.syncChats ?? {}).map(([id, answer]) => [id, syncAnswer(answer)]));
  socket.respond('sync', () => ({ ok: true, data: { chats, summaries: state.chats ?? [] } }));
  socket.respond('users:list', () => ({ ok: true, data: { users: [{ ...me, online: true }, ...(state.users ?? [])] } }));
  socket.respond('user:blocks', () => ({ ok: true, data: { userIds: state.blocks ?? [] } }));
  socket.respond('chat:delivered', () => ({ ok: true, data: null }));
  socket.respond('chat:read', () => ({ ok: true, data: null }));
}

/** Logs in over (fake) HTTP, connects, and completes the socketio-auth handshake; resolves with the session's injector. */
export async function signIn(socket: FakeSocket, me: SelfUser, state: ServerState = {}): Promise<EnvironmentInjector> {
  const auth = TestBed.inject(AuthService);
  const http = TestBed.inject(HttpTestingController);
  serveSession(socket, me, state);
  const login = auth.login(me.username, 'correct horse battery');
  http.expectOne('/api/auth/login').flush(tokens(me));
  await login;
  socket.serverConnect();
  await settle();
  socket.serverEmit('authenticated', me);
  await settle();
  return TestBed.inject(SessionScope).injector()!;
}

/** The current spec's fake server: its socket and the HTTP controller. */
export interface FakeServer {
  socket: FakeSocket;
  http: HttpTestingController;
}

/** Gives every spec of the suite the app's services on a fresh fake server, and checks no HTTP call is left over. */
export function useFakeServer(): FakeServer {
  const server = {} as FakeServer;
  beforeEach(() => {
    server.socket = new FakeSocket();
    TestBed.configureTestingModule({ providers: chatTestProviders(server.socket) });
    server.http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => {
    jasmine.clock().uninstall();
    server.http.verify();
  });
  return server;
}

/** Opens a chat the fake server answers with `history`. */
export async function openChat(session: EnvironmentInjector, socket: FakeSocket, chat: ChatSummary, history: Message[]): Promise<void> {
  socket.respond('chat:get', () => ({ ok: true, data: { chat, history: { messages: history, hasMore: false } } }));
  await session.get(ChatActions).openChat(chat.id);
}
