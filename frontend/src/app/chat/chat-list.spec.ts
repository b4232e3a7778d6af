import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { aChat, aMessage, aSelfUser, aUser } from '../core/testing/chat-fixtures';
import { FakeSocket } from '../core/testing/fake-socket';
import { chatTestProviders, signIn } from '../core/testing/signed-in';
import { Outbox } from '../outbox/outbox.service';
import { ChatLayoutService, NARROW_QUERY } from './chat-layout.service';
import { ChatList } from './chat-list';

describe('ChatList', () => {
  const me = aSelfUser('ana');
  const bruno = aUser('bruno');
  let fixture: ComponentFixture<ChatList>;
  let element: HTMLElement;
  let socket: FakeSocket;

  beforeEach(async () => {
    socket = new FakeSocket();
    TestBed.configureTestingModule({ providers: [...chatTestProviders(socket), { provide: NARROW_QUERY, useValue: '(max-width: 0px)' }] });
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

  const direct = () => rows().find((r) => r.dataset['chatId'] === 'direct')!;
  const preview = () => direct().querySelector('[data-testid="chat-preview"]')!.textContent!.trim();

  it('shows our message on its way as pending, and nobody online while we are offline', async () => {
    expect(direct().querySelector('[data-testid="presence-dot"]')!.getAttribute('data-online')).toBe('true');
    socket.serverDrop();
    TestBed.inject(Outbox).send('direct', 'on my way');
    await fixture.whenStable();
    expect(preview()).toBe('Sending: on my way');
    expect(direct().querySelector('.preview.pending')).not.toBeNull();
    expect(direct().querySelector('[data-testid="presence-dot"]')).toBeNull();
  });

  it('never shows a message the server refused as the last line', async () => {
    socket.respond('chat:message', () => ({ ok: false, error: { code: 'blocked', message: 'You cannot message this user.' } }));
    TestBed.inject(Outbox).send('direct', 'are you there?');
    await fixture.whenStable();
    await fixture.whenStable();
    expect(socket.emitsOf('chat:message').length).toBe(1);
    expect(preview()).toBe('lunch?');
  });

  it('offers to start a new room beside joining one', () => {
    let asked = 0;
    fixture.componentInstance.newRoom.subscribe(() => asked++);
    const newRoom = element.querySelector<HTMLButtonElement>('[data-testid="new-room"]')!;
    expect(newRoom.textContent!.trim()).toBe('New room');
    expect(newRoom.nextElementSibling!.getAttribute('data-testid')).toBe('join-room');
    newRoom.click();
    expect(asked).toBe(1);
  });

  it('marks the chat whose box has focus as the current one, apart from the other open ones', async () => {
    const layout = TestBed.inject(ChatLayoutService);
    layout.show('direct');
    layout.show('group');
    await fixture.whenStable();
    const byId = (id: string) => element.querySelector<HTMLElement>(`[data-chat-id="${id}"]`)!;
    expect(byId('group').getAttribute('aria-current')).toBe('true');
    expect(byId('group').classList).toContain('focused');
    expect(byId('direct').getAttribute('aria-current')).toBeNull();
    expect(byId('direct').classList).toContain('open');
    expect(byId('direct').classList).not.toContain('focused');

    layout.activate('direct');
    await fixture.whenStable();
    expect(byId('direct').getAttribute('aria-current')).toBe('true');
    expect(byId('group').getAttribute('aria-current')).toBeNull();
    expect(element.querySelectorAll('[aria-current]').length).toBe(1);
  });

  it('is one Tab stop, entered at the current chat, with the arrow keys moving through it', async () => {
    const tabStops = () => rows().filter((r) => r.tabIndex === 0);
    expect(tabStops().map((r) => r.dataset['chatName'])).toEqual(['Book club']);

    TestBed.inject(ChatLayoutService).show('direct');
    await fixture.whenStable();
    expect(tabStops().map((r) => r.dataset['chatName'])).toEqual(['Bruno Tester']);

    rows()[1]!.focus();
    rows()[1]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowUp', bubbles: true }));
    expect(document.activeElement).toBe(rows()[0]!);
    expect(tabStops()).toEqual([rows()[0]!]);
    rows()[0]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }));
    expect(document.activeElement).toBe(rows()[1]!);
  });
});
