import { HttpTestingController } from '@angular/common/http/testing';
import { EnvironmentInjector, createEnvironmentInjector } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { Connection } from '../connection/connection.service';
import { SocketFactory } from '../connection/socket-factory';
import { aSelfUser, tokens } from '../core/testing/chat-fixtures';
import { FakeSocket } from '../core/testing/fake-socket';
import { signIn, useFakeServer } from '../core/testing/signed-in';
import { nextRequest, nextTask, settle } from '../core/testing/wait';
import { AuthService } from './auth.service';
import { SessionScope } from './session-scope';
import { TokenRefresh } from './token-refresh';

/** Two tabs of one browser: each has its own AuthService, session scope and socket; both hear the same BroadcastChannel. */
describe('signing out in one tab', () => {
  const me = aSelfUser('ana');
  const server = useFakeServer();

  /** Another tab: its own AuthService and session scope, with a socket of its own. */
  function otherTab(): { auth: AuthService; scope: SessionScope; socket: FakeSocket; injector: EnvironmentInjector } {
    const socket = new FakeSocket();
    const injector = createEnvironmentInjector(
      [AuthService, SessionScope, { provide: SocketFactory, useValue: { create: () => socket.asSocket() } }],
      TestBed.inject(EnvironmentInjector),
    );
    return { auth: injector.get(AuthService), scope: injector.get(SessionScope), socket, injector };
  }

  async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!condition() && performance.now() < deadline) {
      await settle();
      await nextTask();
    }
  }

  /** Signs the other tab in too (as a reload of it would, from the shared cookie). */
  async function signInOther(tab: ReturnType<typeof otherTab>): Promise<void> {
    const login = tab.auth.login('ana', 'correct horse battery');
    TestBed.inject(HttpTestingController).expectOne('/api/auth/login').flush(tokens(me, 5));
    await login;
    expect(tab.scope.injector()).not.toBeNull();
  }

  it('signs out every other tab: its session scope ends, its socket closes and it shows the login page', async () => {
    const { socket, http } = server;
    const session = await signIn(socket, me);
    expect(session.get(Connection).state()).toBe('online');
    const tab = otherTab();
    await signInOther(tab);
    // The tabs share one router here; each tab's way to the login page is a call of its own.
    const navigate = spyOn(TestBed.inject(Router), 'navigate').and.callThrough();

    const done = tab.auth.logout();
    http.expectOne('/api/auth/logout').flush({});
    await done;
    expect(tab.scope.injector()).toBeNull();
    expect(navigate).toHaveBeenCalledTimes(1);

    const auth = TestBed.inject(AuthService);
    await until(() => auth.currentUser() === null);
    expect(auth.currentUser()).toBeNull();
    expect(TestBed.inject(SessionScope).injector()).toBeNull();
    expect(socket.connected).toBeFalse();
    await until(() => navigate.calls.count() === 2);
    expect(navigate.calls.allArgs()).toEqual([[['/login']], [['/login']]]);
    // That tab told the server; this one sends nothing more.
    http.expectNone('/api/auth/logout');
    tab.injector.destroy();
  });

  it('reaches the other tab when this one signs out, the same way', async () => {
    const { socket, http } = server;
    await signIn(socket, me);
    const tab = otherTab();
    await signInOther(tab);

    const done = TestBed.inject(AuthService).logout();
    http.expectOne('/api/auth/logout').flush({});
    await done;
    await until(() => tab.scope.injector() === null);
    expect(tab.auth.currentUser()).toBeNull();
    expect(tab.socket.connected).toBeFalse();
    tab.injector.destroy();
  });

  it('does not take a token refresh in another tab for a sign-out', async () => {
    const { socket, http } = server;
    await signIn(socket, me);
    const tab = otherTab();
    await signInOther(tab);

    const refreshed = tab.scope.get(TokenRefresh).refreshNow();
    (await nextRequest(http, '/api/auth/refresh')).flush(tokens(me, 6));
    expect(await refreshed).toBeTrue();
    // Long enough for a message on the channel to arrive, were one sent.
    for (let i = 0; i < 5; i++) await nextTask();

    expect(TestBed.inject(AuthService).currentUser()?.username).toBe('ana');
    expect(socket.connected).toBeTrue();
    expect(tab.auth.currentUser()?.username).toBe('ana');
    tab.injector.destroy();
  });

  it('leaves a signed-out tab where it is', async () => {
    const { http } = server;
    TestBed.inject(AuthService);
    const tab = otherTab();
    await signInOther(tab);
    const navigate = spyOn(TestBed.inject(Router), 'navigate').and.callThrough();
    const done = tab.auth.logout();
    http.expectOne('/api/auth/logout').flush({});
    await done;
    for (let i = 0; i < 5; i++) await nextTask();
    // Only the tab that signed out went to the login page.
    expect(navigate).toHaveBeenCalledTimes(1);
    tab.injector.destroy();
  });
});
