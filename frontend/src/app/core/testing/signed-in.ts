import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { Provider, EnvironmentProviders } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, type Routes } from '@angular/router';
import type { ChatSummary, Message, SelfUser, UserWithPresence } from '@shared';
import { authInterceptor } from '../auth.interceptor';
import { MainService } from '../main.service';
import { REFRESH_LOCK_NAME } from '../refresh-lock';
import { SocketFactory } from '../socket-factory';
import { tokens } from './chat-fixtures';
import { FakeSocket } from './fake-socket';
import { settle } from './wait';

let specLocks = 0;

/** The app's real services, with the fake socket in place of socket.io and HTTP under test control. */
export function chatTestProviders(
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
  ];
}

export interface ServerState {
  users?: UserWithPresence[];
  chats?: ChatSummary[];
  blocks?: string[];
  /** What `sync` returns per chat. */
  syncChats?: Record<string, { messages: Message[]; hasMore: boolean }>;
}

/** Registers the fake server's answers to the requests every authentication makes. */
export function serveSession(socket: FakeSocket, me: SelfUser, state: ServerState = {}): void {
  socket.respond('sync', () => ({ ok: true, data: { chats: state.syncChats ?? {}, summaries: state.chats ?? [] } }));
  socket.respond('users:list', () => ({ ok: true, data: { users: [{ ...me, online: true }, ...(state.users ?? [])] } }));
  socket.respond('user:blocks', () => ({ ok: true, data: { userIds: state.blocks ?? [] } }));
  socket.respond('chat:delivered', () => ({ ok: true, data: null }));
  socket.respond('chat:read', () => ({ ok: true, data: null }));
}

/** Logs in over (fake) HTTP, connects, and completes the socketio-auth handshake. */
export async function signIn(socket: FakeSocket, me: SelfUser, state: ServerState = {}): Promise<MainService> {
  const main = TestBed.inject(MainService);
  const http = TestBed.inject(HttpTestingController);
  serveSession(socket, me, state);
  const login = main.login(me.username, 'correct horse battery');
  http.expectOne('/api/auth/login').flush(tokens(me));
  await login;
  socket.serverConnect();
  await settle();
  socket.serverEmit('authenticated', me);
  await settle();
  return main;
}
