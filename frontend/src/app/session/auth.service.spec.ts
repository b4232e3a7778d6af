import { TestBed } from '@angular/core/testing';
import { Connection } from '../connection/connection.service';
import { aChat, aSelfUser, aUser, tokens } from '../core/testing/chat-fixtures';
import { serveSession, signIn, useFakeServer } from '../core/testing/signed-in';
import { nextRequest, settle } from '../core/testing/wait';
import { AuthService } from './auth.service';
import { SessionScope } from './session-scope';
import { SessionStore } from './session-store';

describe('AuthService', () => {
  const me = aSelfUser('ana');
  const bruno = aUser('bruno');
  const chatId = 'chat-ana-bruno';
  const server = useFakeServer();

  describe('authentication handshake', () => {
    it('connects over the socket and authenticates with the access token before anything else', async () => {
      const { socket, http } = server;
      const auth = TestBed.inject(AuthService);
      serveSession(socket, me, { users: [bruno] });

      const login = auth.login('ana', 'correct horse battery');
      const request = http.expectOne('/api/auth/login');
      expect(request.request.body).toEqual({ username: 'ana', password: 'correct horse battery' });
      request.flush(tokens(me));
      await login;
      const session = TestBed.inject(SessionScope);
      const connection = session.get(Connection);

      expect(socket.connectCalls).toBe(1);
      expect(connection.state()).toBe('connecting');
      expect(socket.emitted).toEqual([]);

      socket.serverConnect();
      await settle();
      expect(socket.emitted.map((e) => e.event)).toEqual(['authentication']);
      expect(socket.emitted[0]!.payload).toEqual({ token: 'access-1' });
      expect(connection.state()).toBe('connecting');

      socket.serverEmit('authenticated', me);
      await settle();
      expect(connection.state()).toBe('online');
      expect(socket.emitsOf('sync')[0]!.payload).toEqual({ chats: {} });
      expect(session.get(SessionStore).users().map((u) => u.username)).toEqual(['bruno']);
      expect(auth.currentUser()?.username).toBe('ana');
    });

    it('ends the session after repeated unauthorized answers', async () => {
      const { socket } = server;
      await signIn(socket, me);
      for (let i = 0; i < 3; i++) socket.serverEmit('unauthorized', { message: 'jwt expired' });
      expect(TestBed.inject(AuthService).currentUser()).toBeNull();
      expect(TestBed.inject(SessionScope).injector()).toBeNull();
      expect(socket.connected).toBeFalse();
    });

    it('re-authenticates with a fresh token after a reconnect', async () => {
      const { socket, http } = server;
      const session = await signIn(socket, me);
      socket.serverDrop();
      expect(session.get(Connection).state()).toBe('offline');

      socket.serverConnect();
      const refresh = await nextRequest(http, '/api/auth/refresh');
      expect(refresh.request.method).toBe('POST');
      expect(refresh.request.withCredentials).toBeTrue();
      refresh.flush(tokens(me, 2));
      await settle();

      const auth = socket.emitsOf('authentication');
      expect(auth.map((e) => e.payload.token)).toEqual(['access-1', 'access-2']);
    });
  });

  describe('token refresh', () => {
    it('refreshes the access token before it expires and keeps doing so', async () => {
      const { http } = server;
      jasmine.clock().install();
      const login = TestBed.inject(AuthService).login('ana', 'correct horse battery');
      http.expectOne('/api/auth/login').flush(tokens(me, 1, 900));
      await login;

      jasmine.clock().tick(719_999);
      http.expectNone('/api/auth/refresh');
      jasmine.clock().tick(1);
      const first = await nextRequest(http, '/api/auth/refresh');
      expect(first.request.body).toEqual({});
      first.flush(tokens(me, 2, 60));
      await settle();

      jasmine.clock().tick(29_999);
      http.expectNone('/api/auth/refresh');
      jasmine.clock().tick(1);
      const second = await nextRequest(http, '/api/auth/refresh');
      expect(second.request.withCredentials).toBeTrue();
      second.flush(tokens(me, 3, 900));
      await settle();
    });

    it('signs out when the refresh is refused', async () => {
      const { http } = server;
      jasmine.clock().install();
      const auth = TestBed.inject(AuthService);
      const login = auth.login('ana', 'correct horse battery');
      http.expectOne('/api/auth/login').flush(tokens(me, 1, 60));
      await login;
      jasmine.clock().tick(30_000);
      (await nextRequest(http, '/api/auth/refresh')).flush({ error: { code: 'unauthenticated', message: 'Session expired' } }, { status: 401, statusText: 'Unauthorized' });
      await settle();
      expect(auth.currentUser()).toBeNull();
    });

    it('restores a session from the refresh cookie', async () => {
      const { socket, http } = server;
      const auth = TestBed.inject(AuthService);
      const restored = auth.ensureSession();
      const request = await nextRequest(http, '/api/auth/refresh');
      expect(request.request.withCredentials).toBeTrue();
      request.flush(tokens(me));
      expect(await restored).toBeTrue();
      expect(auth.currentUser()?.username).toBe('ana');
      expect(socket.connectCalls).toBe(1);
    });
  });

  it('logs out: tells the server, disconnects and forgets the session', async () => {
    const { socket, http } = server;
    await signIn(socket, me, { users: [bruno], chats: [aChat(chatId, [me.id, bruno.id])] });
    const done = TestBed.inject(AuthService).logout();
    http.expectOne('/api/auth/logout').flush({});
    await done;
    expect(TestBed.inject(AuthService).currentUser()).toBeNull();
    expect(TestBed.inject(SessionScope).injector()).toBeNull();
    expect(socket.connected).toBeFalse();
  });

  it('starts the next sign-in from nothing: no chats, people or services of the one before', async () => {
    const { socket, http } = server;
    const first = await signIn(socket, me, { users: [bruno], chats: [aChat(chatId, [me.id, bruno.id])] });
    const firstStore = first.get(SessionStore);
    expect(firstStore.chats().length).toBe(1);
    const done = TestBed.inject(AuthService).logout();
    http.expectOne('/api/auth/logout').flush({});
    await done;

    const carla = aSelfUser('carla');
    const login = TestBed.inject(AuthService).login('carla', 'correct horse battery');
    http.expectOne('/api/auth/login').flush(tokens(carla));
    await login;
    const second = TestBed.inject(SessionScope).injector()!;
    const store = second.get(SessionStore);
    expect(second).not.toBe(first);
    expect(store).not.toBe(firstStore);
    expect(store.me().username).toBe('carla');
    expect(store.chats()).toEqual([]);
    expect(store.users()).toEqual([]);
  });
});
