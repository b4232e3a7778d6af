import { SessionScope } from '../session/session-scope';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { aChat, aMessage, aSelfUser, aUser } from '../core/testing/chat-fixtures';
import { FakeSocket } from '../core/testing/fake-socket';
import { chatTestProviders, signIn } from '../core/testing/signed-in';
import { settle, stableTwice } from '../core/testing/wait';
import { NARROW_QUERY } from './chat-layout.service';
import { ChatPage } from './chat-page';

describe('ChatPage', () => {
  const me = aSelfUser('ana');
  const bruno = aUser('bruno');
  let socket: FakeSocket;
  let fixture: ComponentFixture<ChatPage>;
  let page: HTMLElement;

  beforeEach(async () => {
    socket = new FakeSocket();
    TestBed.configureTestingModule({
      providers: [...chatTestProviders(socket), { provide: NARROW_QUERY, useValue: '(max-width: 0px)' }],
    });
    await signIn(socket, me, { users: [bruno] });
    fixture = TestBed.createComponent(ChatPage);
    page = fixture.nativeElement;
    await stable();
  });

  const stable = () => stableTwice(fixture);

  const one = (testId: string) => page.querySelector<HTMLElement>(`[data-testid="${testId}"]`);

  it('shows the offline banner while the connection is down', async () => {
    expect(one('offline-banner')).toBeNull();
    socket.serverDrop();
    await stable();
    expect(one('offline-banner')!.textContent).toContain('offline');
    expect(one('offline-banner')!.getAttribute('role')).toBe('status');
  });

  it('pops up the box of a chat someone starts with us', async () => {
    const chatId = 'chat-new';
    const first = aMessage(chatId, 1, bruno.id, { body: 'got a minute?' });
    socket.respond('chat:get', () => ({
      ok: true,
      data: { chat: aChat(chatId, [me.id, bruno.id], { lastMessage: first, unreadCount: 1 }), history: { messages: [first], hasMore: false } },
    }));
    socket.serverEmit('chat:message', first);
    await stable();
    const box = one('chat-box')!;
    expect(box.getAttribute('data-chat-name')).toBe('Bruno Tester');
    expect(box.querySelector('[data-testid="message-body"]')!.textContent).toBe('got a minute?');
    expect(socket.emitsOf('chat:delivered').map((e) => e.payload)).toContain({ chatId, messageId: first.id });
  });

  it('opens a direct chat from the people list', async () => {
    socket.respond('chat:open', () => ({
      ok: true,
      data: { chat: aChat('chat-ab', [me.id, bruno.id]), history: { messages: [], hasMore: false } },
    }));
    one('user-bruno')!.click();
    await stable();
    expect(socket.emitsOf('chat:open').map((e) => e.payload)).toEqual([{ userId: bruno.id }]);
    expect(one('chat-box')!.getAttribute('data-chat-id')).toBe('chat-ab');
    expect(document.activeElement?.getAttribute('data-testid')).toBe('message-input');
  });

  it('creates a public password room with nobody picked, from “New room” beside “Join room”', async () => {
    expect(one('start-group')).toBeNull();
    one('new-room')!.click();
    await stable();
    const dialog = one('create-group-dialog')!;
    expect(dialog.querySelector('h2')!.textContent!.trim()).toBe('New room');
    expect(dialog.querySelector('.members')).toBeNull();
    expect(one('room-alone-hint')!.textContent).toContain('Join room');
    expect((one('group-visibility-public') as HTMLInputElement).checked).toBeTrue();
    expect(one('group-visibility-hint')!.textContent).toContain('Anyone signed in to Parley can find this room');

    const type = (testId: string, value: string) => {
      const input = one(testId) as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event('input'));
    };
    type('group-name', 'Night Owls');
    type('group-password', 'owls-at-midnight');
    const room = aChat('room-owls', [me.id], { kind: 'group', name: 'Night Owls', hasPassword: true });
    socket.respond('group:create', () => ({ ok: true, data: { chat: room } }));
    socket.respond('chat:get', () => ({ ok: true, data: { chat: room, history: { messages: [], hasMore: false } } }));
    one('create-group-submit')!.click();
    await stable();

    expect(socket.emitsOf('group:create').map((e) => e.payload)).toEqual([
      { name: 'Night Owls', memberIds: [], visibility: 'public', password: 'owls-at-midnight' },
    ]);
    expect(one('chat-box')!.getAttribute('data-chat-name')).toBe('Night Owls');
    const listed = page.querySelector('[data-testid="chat-item"][data-chat-id="room-owls"]')!;
    expect(listed.getAttribute('aria-current')).toBe('true');
  });

  it('makes a private group for the people picked, with no password to set', async () => {
    one('select-bruno')!.click();
    await stable();
    one('start-group')!.click();
    await stable();
    const dialog = one('create-group-dialog')!;
    expect(dialog.querySelector('h2')!.textContent!.trim()).toBe('New group');
    expect((one('group-visibility-private') as HTMLInputElement).checked).toBeTrue();
    expect(one('group-visibility-hint')!.textContent).toContain('Only the people you add can see this group');
    expect(one('group-password')).toBeNull();

    const input = one('group-name') as HTMLInputElement;
    input.value = 'Team Lunch';
    input.dispatchEvent(new Event('input'));
    const group = aChat('group-lunch', [me.id, bruno.id], { kind: 'group', name: 'Team Lunch' });
    socket.respond('group:create', () => ({ ok: true, data: { chat: group } }));
    socket.respond('chat:get', () => ({ ok: true, data: { chat: group, history: { messages: [], hasMore: false } } }));
    one('create-group-submit')!.click();
    await stable();
    expect(socket.emitsOf('group:create').map((e) => e.payload)).toEqual([
      { name: 'Team Lunch', memberIds: [bruno.id], visibility: 'private' },
    ]);
  });

  it('gives every icon-only button on the page a name', async () => {
    one('select-bruno')!.click();
    socket.respond('chat:open', () => ({
      ok: true,
      data: { chat: aChat('chat-ab', [me.id, bruno.id]), history: { messages: [aMessage('chat-ab', 1, me.id)], hasMore: false } },
    }));
    one('user-bruno')!.click();
    await stable();
    expect(one('chat-box')).not.toBeNull();
    const buttons = Array.from(page.querySelectorAll('button'));
    expect(buttons.length).toBeGreaterThan(6);
    const nameless = buttons.filter((b) => !/\p{L}/u.test(b.textContent ?? '') && !b.getAttribute('aria-label')?.trim());
    expect(nameless.map((b) => b.outerHTML)).toEqual([]);
  });

  it('has one live region for the page, which tells each new message once however many boxes are open', async () => {
    const chats = {
      'chat-ab': aChat('chat-ab', [me.id, bruno.id]),
      'chat-owls': aChat('chat-owls', [me.id, bruno.id], { kind: 'group', name: 'Owls' }),
    };
    socket.respond('chat:get', (payload: { chatId: keyof typeof chats }) => {
      const { chatId } = payload;
      return { ok: true, data: { chat: chats[chatId], history: { messages: [aMessage(chatId, 1, bruno.id)], hasMore: false } } };
    });
    socket.serverEmit('chat:message', aMessage('chat-ab', 1, bruno.id));
    await stable();
    socket.serverEmit('chat:message', aMessage('chat-owls', 1, bruno.id));
    await stable();
    expect(page.querySelectorAll('[data-testid="chat-box"]').length).toBe(2);

    const live = Array.from(page.querySelectorAll('[aria-live], [role="log"], [role="status"], [role="alert"]')).filter(
      (element: Element) => element.getAttribute('aria-live') !== 'off',
    );
    expect(live.map((element) => element.getAttribute('data-testid'))).toEqual(['announcer']);
    // The messages a box opens with are on screen, not news.
    expect(one('announcer')!.textContent!.trim()).toBe('');

    socket.serverEmit('chat:message', aMessage('chat-owls', 2, bruno.id, { body: 'Anyone **up**?' }));
    await stable();
    expect(one('announcer')!.textContent!.trim()).toBe('Bruno Tester in Owls: Anyone up?');
    socket.serverEmit('chat:message', aMessage('chat-ab', 2, bruno.id, { body: 'ping' }));
    await stable();
    expect(one('announcer')!.textContent!.trim()).toBe('Bruno Tester: ping');
  });
});

describe('ChatPage title', () => {
  const me = aSelfUser('ana');
  const bruno = aUser('bruno');
  const carla = aUser('carla');

  it('counts unread messages in the document title and on the favicon; muted chats add nothing; plain again at sign-out', async () => {
    const socket = new FakeSocket();
    TestBed.configureTestingModule({
      providers: [...chatTestProviders(socket), { provide: NARROW_QUERY, useValue: '(min-width: 0px)' }],
    });
    await signIn(socket, me, {
      users: [bruno, carla],
      chats: [
        aChat('chat-ab', [me.id, bruno.id], { unreadCount: 2, lastMessage: aMessage('chat-ab', 2, bruno.id) }),
        aChat('chat-muted', [me.id, 'user-dina'], { notify: 'muted', unreadCount: 5, unreadMentionCount: 1, lastMessage: aMessage('chat-muted', 5, 'user-dina') }),
        aChat('chat-ac', [me.id, carla.id], { unreadCount: 1, lastMessage: aMessage('chat-ac', 1, carla.id) }),
      ],
    });
    const fixture = TestBed.createComponent(ChatPage);
    await settle();
    await fixture.whenStable();
    expect(document.title).toBe('(3) Parley');

    // On a phone no box pops up, so a new message stays unread.
    socket.serverEmit('chat:message', aMessage('chat-ac', 2, carla.id));
    await settle();
    await fixture.whenStable();
    expect(document.title).toBe('(4) Parley');
    const favicon = () => decodeURIComponent(document.head.querySelector<HTMLLinkElement>('link[rel="icon"]')!.href);
    expect(favicon()).toContain('>4</text>');

    socket.serverEmit('chat:message', aMessage('chat-ac', 3, carla.id, { mentions: [me.id] }));
    await settle();
    await fixture.whenStable();
    expect(document.title).toBe('(5 · @1) Parley');

    fixture.destroy();
    TestBed.inject(SessionScope).end();
    expect(document.title).toBe('Parley');
    expect(favicon()).not.toContain('<circle');
  });
});
