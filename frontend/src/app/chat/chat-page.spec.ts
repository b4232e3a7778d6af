import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { aChat, aMessage, aSelfUser, aUser } from '../core/testing/chat-fixtures';
import { FakeSocket } from '../core/testing/fake-socket';
import { chatTestProviders, signIn } from '../core/testing/signed-in';
import { settle } from '../core/testing/wait';
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

  async function stable(): Promise<void> {
    await settle();
    await fixture.whenStable();
    await settle();
    await fixture.whenStable();
  }

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
});
