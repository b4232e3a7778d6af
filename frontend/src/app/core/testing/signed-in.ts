import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { Provider, EnvironmentProviders } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { ChatSummary, Message, SelfUser, UserWithPresence } from '@shared';
import { authInterceptor } from '../auth.interceptor';
import { MainService } from '../main.service';
import { SocketFactory } from '../socket-factory';
import { tokens } from './chat-fixtures';
import { FakeSocket, settle } from './fake-socket';

/** The app's real services, with the fake socket in place of socket.io and HTTP under test control. */
export function chatTestProviders(socket: FakeSocket): (Provider | EnvironmentProviders)[] {
  return [
    provideHttpClient(withInterceptors([authInterceptor])),
    provideHttpClientTesting(),
    provideRouter([
      { path: 'login', children: [] },
      { path: '**', children: [] },
    ]),
    { provide: SocketFactory, useValue: { create: () => socket.asSocket() } },
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
