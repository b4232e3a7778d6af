import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { upsertChat } from '../chats/state/chats';
import { SocketFactory } from '../connection/socket-factory';
import { aChat, aSelfUser, tokens } from '../core/testing/chat-fixtures';
import { FakeSocket } from '../core/testing/fake-socket';
import { nextRequest, settle } from '../core/testing/wait';
import { SessionScope } from '../session/session-scope';
import { SessionStore } from '../session/session-store';
import { ParleyChat } from './parley-chat';
import { widgetConfig } from './widget-config';

const SERVER = 'https://chat.example';
const ENDPOINT = 'https://www.host.example/parley-token';

describe('ParleyChat (the <parley-chat> element)', () => {
  let fixture: ComponentFixture<ParleyChat>;
  let http: HttpTestingController;
  let shadow: ShadowRoot;
  const dana = aSelfUser('dana');

  beforeEach(() => {
    const socket = new FakeSocket();
    TestBed.configureTestingModule({
      providers: [...widgetConfig.providers, provideHttpClientTesting(), { provide: SocketFactory, useValue: { create: () => socket.asSocket() } }],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ParleyChat);
    shadow = (fixture.nativeElement as HTMLElement).shadowRoot!;
  });

  afterEach(() => fixture.destroy());

  const launcher = () => shadow.querySelector<HTMLButtonElement>('[data-testid="widget-launcher"]')!;
  const byTestId = (id: string) => shadow.querySelector<HTMLElement>(`[data-testid="${id}"]`);

  async function attributes(): Promise<void> {
    fixture.componentRef.setInput('server', SERVER);
    fixture.componentRef.setInput('tokenEndpoint', ENDPOINT);
    await fixture.whenStable();
  }

  it('renders in its own shadow root: a closed launcher, no chat yet, no login form', async () => {
    await fixture.whenStable();
    expect(shadow).toBeTruthy();
    expect(launcher().getAttribute('aria-expanded')).toBe('false');
    expect(launcher().getAttribute('aria-label')).toBe('Chat');
    expect(byTestId('widget-panel')).toBeNull();
    expect(shadow.querySelector('input[type="password"]')).toBeNull();
  });

  it('says to sign in to the host when its endpoint has no user, and moves the focus into the panel', async () => {
    await attributes();
    (await nextRequest(http, ENDPOINT)).flush({}, { status: 401, statusText: 'Unauthorized' });
    await settle();
    launcher().click();
    await fixture.whenStable();
    expect(launcher().getAttribute('aria-expanded')).toBe('true');
    expect(shadow.activeElement).toBe(byTestId('widget-close'));
    // Opening tries again (the host's user may have signed in since): still nobody.
    expect(byTestId('widget-status')?.getAttribute('data-phase')).toBe('signing-in');
    (await nextRequest(http, ENDPOINT)).flush({}, { status: 401, statusText: 'Unauthorized' });
    await settle();
    await fixture.whenStable();
    expect(byTestId('widget-status')?.textContent).toContain('Sign in to this site to chat.');
    byTestId('widget-close')!.click();
    await fixture.whenStable();
    expect(byTestId('widget-panel')).toBeNull();
    expect(shadow.activeElement).toBe(launcher());
  });

  it('signs in by SSO and shows the unread count on the launcher', async () => {
    await attributes();
    (await nextRequest(http, ENDPOINT)).flush({ token: 'host-jwt' });
    (await nextRequest(http, `${SERVER}/api/auth/sso`)).flush(tokens(dana));
    await settle();
    const store = TestBed.inject(SessionScope).get(SessionStore);
    store.update((state) => ({ ...state, chats: upsertChat(state.chats, aChat('c1', [dana.id, 'u2'], { unreadCount: 3 })) }));
    await fixture.whenStable();
    expect(byTestId('widget-badge')?.textContent?.trim()).toBe('3');
    expect(launcher().getAttribute('aria-label')).toBe('Chat, 3 unread');
  });

  it('signs out when the host takes the token endpoint away', async () => {
    await attributes();
    (await nextRequest(http, ENDPOINT)).flush({ token: 'host-jwt' });
    (await nextRequest(http, `${SERVER}/api/auth/sso`)).flush(tokens(dana));
    await settle();
    fixture.componentRef.setInput('tokenEndpoint', null);
    await fixture.whenStable();
    expect(TestBed.inject(SessionScope).injector()).toBeNull();
    const logout = await nextRequest(http, `${SERVER}/api/auth/logout`);
    expect(logout.request.body).toEqual({ refreshToken: tokens(dana).refreshToken });
  });
});
