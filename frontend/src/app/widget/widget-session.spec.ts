import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { aSelfUser, tokens } from '../core/testing/chat-fixtures';
import { FakeSocket } from '../core/testing/fake-socket';
import { nextRequest, settle } from '../core/testing/wait';
import { SocketFactory } from '../connection/socket-factory';
import { AccessTokenStore } from '../session/access-token-store';
import { SessionScope } from '../session/session-scope';
import { widgetConfig } from './widget-config';
import { WidgetSession } from './widget-session';
import { WidgetSettings } from './widget-settings';

const SERVER = 'https://chat.example';
const ENDPOINT = 'https://www.host.example/parley-token';

describe('WidgetSession', () => {
  let socket: FakeSocket;
  let http: HttpTestingController;
  let session: WidgetSession;
  let scope: SessionScope;
  const dana = aSelfUser('dana');

  beforeEach(() => {
    socket = new FakeSocket();
    TestBed.configureTestingModule({
      providers: [...widgetConfig.providers, provideHttpClientTesting(), { provide: SocketFactory, useValue: { create: () => socket.asSocket() } }],
    });
    http = TestBed.inject(HttpTestingController);
    session = TestBed.inject(WidgetSession);
    scope = TestBed.inject(SessionScope);
    const settings = TestBed.inject(WidgetSettings);
    settings.setServer(SERVER);
    settings.setTokenEndpoint(ENDPOINT);
  });

  afterEach(() => scope.end());

  async function signIn(): Promise<void> {
    const done = session.signIn();
    (await nextRequest(http, ENDPOINT)).flush({ token: 'host-jwt' });
    const sso = await nextRequest(http, `${SERVER}/api/auth/sso`);
    expect(sso.request.body).toEqual({ token: 'host-jwt' });
    expect(sso.request.withCredentials).toBeFalse();
    sso.flush(tokens(dana));
    await done;
  }

  it('signs in with a fresh SSO token from the host and starts the session, the token in memory only', async () => {
    await signIn();
    expect(session.status()).toEqual({ phase: 'signed-in' });
    expect(scope.injector()).not.toBeNull();
    expect(TestBed.inject(AccessTokenStore).accessToken()).toBe(tokens(dana).accessToken);
    expect(socket.connectCalls).toBe(1);
    expect(localStorage.length).toBe(0);
  });

  it('stays signed out when the host has no signed-in user', async () => {
    const done = session.signIn();
    (await nextRequest(http, ENDPOINT)).flush({}, { status: 401, statusText: 'Unauthorized' });
    await done;
    expect(session.status()).toEqual({ phase: 'signed-out', reason: 'refused' });
    expect(scope.injector()).toBeNull();
    http.expectNone(`${SERVER}/api/auth/sso`);
  });

  it('shows the session as ended when the server ends it, with no page navigation', async () => {
    await signIn();
    socket.serverEmit('session:ended', { reason: 'banned' });
    await settle();
    expect(session.status()).toEqual({ phase: 'signed-out', reason: 'ended' });
    expect(scope.injector()).toBeNull();
  });

  it('signs out at the host’s word: the session ends here, and its refresh token on the server', async () => {
    await signIn();
    session.signOut();
    expect(scope.injector()).toBeNull();
    expect(session.status()).toEqual({ phase: 'signed-out', reason: 'host' });
    const logout = await nextRequest(http, `${SERVER}/api/auth/logout`);
    expect(logout.request.body).toEqual({ refreshToken: tokens(dana).refreshToken });
    logout.flush(null, { status: 204, statusText: 'No Content' });
  });
});
