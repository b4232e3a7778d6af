import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { aChat, aMessage, aSelfUser, aUser } from '../core/testing/chat-fixtures';
import { FakeSocket } from '../core/testing/fake-socket';
import { chatTestProviders, signIn } from '../core/testing/signed-in';
import { ChatList } from './chat-list';

describe('ChatList', () => {
  const me = aSelfUser('ana');
  const bruno = aUser('bruno');
  let fixture: ComponentFixture<ChatList>;
  let element: HTMLElement;
  let socket: FakeSocket;

  beforeEach(async () => {
    socket = new FakeSocket();
    TestBed.configureTestingModule({ providers: chatTestProviders(socket) });
    await signIn(socket, me, {
      users: [bruno],
      chats: [
        aChat('direct', [me.id, bruno.id], {
          lastActivityAt: '2026-03-02T10:01:00.000Z',
          lastMessage: aMessage('direct', 1, bruno.id, { body: 'lunch?' }),
          unreadCount: 2,
        }),
        aChat('group', [me.id, bruno.id], { kind: 'group', name: 'Book club', lastActivityAt: '2026-03-02T10:05:00.000Z' }),
      ],
    });
    fixture = TestBed.createComponent(ChatList);
    element = fixture.nativeElement;
    await fixture.whenStable();
  });

  const rows = () => Array.from(element.querySelectorAll<HTMLElement>('[data-testid="chat-item"]'));

  it('orders chats by activity with a preview and an unread badge', async () => {
    expect(rows().map((r) => r.dataset['chatName'])).toEqual(['Book club', 'Bruno Tester']);
    expect(rows()[1]!.textContent).toContain('lunch?');
    expect(rows()[1]!.querySelector('[data-testid="unread-badge"]')!.textContent!.trim()).toBe('2');
    expect(rows()[0]!.querySelector('[data-testid="unread-badge"]')).toBeNull();

    socket.serverEmit('chat:message', aMessage('direct', 2, bruno.id, { body: 'at noon', createdAt: '2026-03-02T10:09:00.000Z' }));
    await fixture.whenStable();
    expect(rows().map((r) => r.dataset['chatName'])).toEqual(['Bruno Tester', 'Book club']);
    expect(rows()[0]!.querySelector('[data-testid="unread-badge"]')!.textContent!.trim()).toBe('3');
    expect(rows()[0]!.textContent).toContain('at noon');
  });
});
