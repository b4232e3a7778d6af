import { TestBed } from '@angular/core/testing';
import { aChat, aMember, aMessage, aNotice } from '../../core/testing/chat-fixtures';
import { COARSE_POINTER_QUERY, ChatLayoutService, NARROW_QUERY } from '../chat-layout.service';
import { ChatBoxHarness } from './chat-box.harness.spec';

/** Lets the browser lay out, run its observers and the app settle. */
async function afterFrames(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 20)));
  }
}

describe('ChatBox', () => {
  const harness = new ChatBoxHarness();
  const { me, bruno, carla } = harness;
  const chatId = 'chat-ana-bruno';
  const render = harness.render.bind(harness);
  const stable = () => harness.stable();
  const all = (testId: string) => harness.all(testId);
  const one = (testId: string) => harness.one(testId);

  it('shows ✓, ✓✓ and seen ✓✓ on our messages from the members’ positions', async () => {
    const chat = aChat(chatId, [], {
      members: [aMember(me.id), aMember(bruno.id, { deliveredSeq: 3, readSeq: 2 })],
    });
    await render(chat, [
      aMessage(chatId, 1, bruno.id),
      aMessage(chatId, 2, me.id),
      aMessage(chatId, 3, me.id),
      aMessage(chatId, 4, me.id),
    ]);

    const ticks = all('tick');
    expect(ticks.map((t) => t.dataset['state'])).toEqual(['read', 'delivered', 'sent']);
    expect(ticks.map((t) => t.getAttribute('aria-label'))).toEqual(['Seen', 'Delivered', 'Sent']);
    expect(ticks[1]!.textContent!.trim()).toBe('✓✓');
    expect(ticks[2]!.textContent!.trim()).toBe('✓');

    harness.socket.serverEmit('chat:receipt', { chatId, messageId: `${chatId}-m4`, seq: 4, userId: bruno.id, status: 'read' });
    await stable();
    expect(all('tick').map((t) => t.dataset['state'])).toEqual(['read', 'read', 'read']);
    expect(all('seen').length).toBe(1);
  });

  it('says in a group how many members have a message that shows a single ✓', async () => {
    const groupId = 'group-trip';
    const group = aChat(groupId, [], {
      kind: 'group',
      name: 'Trip',
      members: [
        aMember(me.id, { role: 'admin' }),
        aMember(bruno.id, { deliveredSeq: 1 }),
        aMember(carla.id, { deliveredSeq: 1, readSeq: 1 }),
        aMember('user-dina'),
      ],
    });
    await render(group, [aMessage(groupId, 1, me.id)]);
    expect(one('tick')!.dataset['state']).toBe('sent');
    expect(one('tick')!.textContent!.trim()).toBe('✓');
    expect(one('tick')!.getAttribute('aria-label')).toBe('Sent · delivered to 2 of 3');
    expect(one('tick')!.getAttribute('title')).toBe('Sent · delivered to 2 of 3');

    harness.socket.serverEmit('chat:receipt', { chatId: groupId, messageId: `${groupId}-m1`, seq: 1, userId: 'user-dina', status: 'delivered' });
    await stable();
    expect(one('tick')!.dataset['state']).toBe('delivered');
    expect(one('tick')!.getAttribute('aria-label')).toBe('Delivered to all 3 · seen by 1 of 3');
  });

  it('pages back to the first unread message in one request before placing the line', async () => {
    const all30 = Array.from({ length: 30 }, (_, i) => aMessage(chatId, i + 1, bruno.id));
    harness.socket.respond('chat:history', () => ({ ok: true, data: { messages: all30.slice(4, 20), hasMore: true } }));
    const chat = aChat(chatId, [], { unreadCount: 25, members: [aMember(me.id, { readSeq: 5 }), aMember(bruno.id)] });
    await render(chat, all30.slice(20), true, 420);
    await afterFrames();
    expect(harness.socket.emitsOf('chat:history').map((e) => e.payload)).toEqual([{ chatId, before: `${chatId}-m21`, limit: 16 }]);
    expect(one('unread-divider')!.nextElementSibling!.getAttribute('data-message-id')).toBe(`${chatId}-m6`);
  });

  it('in a group, "Seen by N" on our newest message lists who read it and when; Escape closes it', async () => {
    const groupId = 'group-trip';
    const brunoRead = '2026-03-02T10:07:00.000Z';
    const group = aChat(groupId, [], {
      kind: 'group',
      name: 'Trip',
      members: [aMember(me.id, { role: 'admin' }), aMember(bruno.id, { deliveredSeq: 2, readSeq: 2, readAt: brunoRead }), aMember(carla.id, { deliveredSeq: 2 })],
    });
    await render(group, [aMessage(groupId, 1, me.id), aMessage(groupId, 2, me.id)]);
    expect(all('seen-by').length).toBe(1);
    const button = one('seen-by')!;
    expect(button.textContent!.trim()).toBe('Seen by 1');
    expect(harness.message(`${groupId}-m2`).contains(button)).toBeTrue();

    harness.socket.serverEmit('chat:receipt', { chatId: groupId, messageId: `${groupId}-m2`, seq: 2, userId: carla.id, status: 'read', readAt: '2026-03-02T10:09:00.000Z' });
    await stable();
    expect(one('seen-by')!.textContent!.trim()).toBe('Seen by 2');

    one('seen-by')!.focus();
    one('seen-by')!.click();
    await stable();
    const dialog = harness.dialog('seen-by-dialog')!;
    expect(dialog.open).toBeTrue();
    expect(dialog.querySelector('h2')!.textContent!.trim()).toBe('Seen by 2 of 2');
    const readers = harness.all('seen-by-reader', dialog);
    expect(readers.map((r) => r.querySelector('.name')!.textContent!.trim())).toEqual(['Bruno Tester', 'Carla Tester']);
    expect(readers[0]!.querySelector('time')!.getAttribute('datetime')).toBe(brunoRead);

    await harness.closing(dialog, () => harness.key(dialog, 'Escape'));
    expect(harness.dialog('seen-by-dialog')).toBeNull();
    expect(document.activeElement).toBe(one('seen-by'));
  });

  it('in a direct chat, "Seen" says when the other person read our newest message', async () => {
    const readAt = new Date(2026, 2, 2, 15, 42).toISOString();
    const chat = aChat(chatId, [], { members: [aMember(me.id), aMember(bruno.id, { deliveredSeq: 1, readSeq: 1, readAt })] });
    await render(chat, [aMessage(chatId, 1, me.id)]);
    const expected = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' }).format(new Date(readAt));
    expect(one('seen')!.textContent!.trim()).toBe(`Seen ${expected}`);
    expect(one('seen-by')).toBeNull();
  });

  it('says under a group’s name whether it is a private group or a public room', async () => {
    await render(aChat('group-lunch', [me.id, bruno.id], { kind: 'group', name: 'Lunch' }), []);
    expect(harness.element.querySelector('.subtitle')!.textContent!.trim()).toBe('private group · 2 members');
    harness.socket.serverEmit('chat:updated', { chat: aChat('group-lunch', [me.id, bruno.id], { kind: 'group', name: 'Lunch', visibility: 'public', hasPassword: true }) });
    await stable();
    expect(harness.element.querySelector('.subtitle')!.textContent!.trim()).toBe('public room · 2 members · password protected');
  });

  it('shows message times the locale’s way, with the full date on hover', async () => {
    const sentAt = new Date(2026, 2, 2, 3, 29).toISOString();
    await render(aChat(chatId, [me.id, bruno.id]), [aMessage(chatId, 1, bruno.id, { createdAt: sentAt })]);
    const time = harness.element.querySelector<HTMLTimeElement>('[data-testid="message"] time')!;
    const expected = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' }).format(new Date(sentAt));
    expect(time.textContent!.trim()).toBe(expected);
    expect(time.textContent!.trim()).not.toMatch(/^0/);
    expect(time.getAttribute('title')).toContain('2026');
  });

  it('puts our messages on the right and the other person’s on the left', async () => {
    await render(aChat(chatId, [me.id, bruno.id]), [aMessage(chatId, 1, bruno.id), aMessage(chatId, 2, me.id)]);
    const messages = all('message');
    expect(messages[0]!.classList).toContain('other');
    expect(messages[1]!.classList).toContain('own');
    expect(all('tick').length).toBe(1);
  });

  it('shows a message sent while offline as pending', async () => {
    await render(aChat(chatId, [me.id, bruno.id]), []);
    harness.socket.serverDrop();
    const input = one('message-input') as HTMLTextAreaElement;
    input.value = 'on my way';
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    await stable();
    expect(all('message-body').map((b) => b.textContent)).toEqual(['on my way']);
    expect(one('tick')!.dataset['state']).toBe('pending');
    expect(one('tick')!.getAttribute('aria-label')).toBe('Sending');
    expect(input.value).toBe('');
  });

  it('sends with Enter and announces typing', async () => {
    await render(aChat(chatId, [me.id, bruno.id]), []);
    harness.socket.respond('chat:message', (payload) => ({
      ok: true,
      data: { message: aMessage(chatId, 1, me.id, { clientId: payload.clientId, body: payload.body }) },
    }));
    const input = one('message-input') as HTMLTextAreaElement;
    input.value = 'hello';
    input.dispatchEvent(new Event('input'));
    expect(harness.socket.emitsOf('chat:typing').map((e) => e.payload)).toEqual([{ chatId, typing: true }]);
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    await stable();
    expect(harness.socket.emitsOf('chat:message').map((e) => e.payload.body)).toEqual(['hello']);
    expect(harness.socket.emitsOf('chat:typing').at(-1)!.payload).toEqual({ chatId, typing: false });
    expect(one('tick')!.dataset['state']).toBe('sent');
  });

  it('says who is typing', async () => {
    await render(aChat(chatId, [me.id, bruno.id]), []);
    expect(one('typing-line')).toBeNull();
    harness.socket.serverEmit('chat:typing', { chatId, userId: bruno.id, typing: true });
    await stable();
    expect(one('typing-line')!.textContent).toBe('Bruno is typing…');
    harness.socket.serverEmit('chat:typing', { chatId, userId: bruno.id, typing: false });
    await stable();
    expect(one('typing-line')).toBeNull();
  });

  it('shows group notices as centred lines and names senders', async () => {
    const groupId = 'group-trip';
    const group = aChat(groupId, [me.id, bruno.id, carla.id], { kind: 'group', name: 'Trip' });
    await render(group, [
      aNotice(groupId, 1, { type: 'created', actorId: me.id, name: 'Trip' }),
      aNotice(groupId, 2, { type: 'added', actorId: me.id, targetId: bruno.id }),
      aNotice(groupId, 3, { type: 'joined', actorId: carla.id }),
      aMessage(groupId, 4, carla.id, { body: 'hi all' }),
      aMessage(groupId, 5, carla.id, { body: 'anyone?' }),
      aNotice(groupId, 6, { type: 'renamed', actorId: bruno.id, name: 'Lisbon trip' }),
      aNotice(groupId, 7, { type: 'left', actorId: carla.id }),
    ]);
    expect(all('notice').map((n) => n.textContent!.trim())).toEqual([
      'You created the group “Trip”',
      'You added Bruno Tester',
      'Carla Tester joined',
      'Bruno Tester renamed the group to “Lisbon trip”',
      'Carla Tester left',
    ]);
    expect(all('sender-name').map((n) => n.textContent!.trim())).toEqual(['Carla Tester']);

    harness.socket.respond('chat:open', () => ({
      ok: true,
      data: { chat: aChat('chat-ana-carla', [me.id, carla.id]), history: { messages: [], hasMore: false } },
    }));
    one('sender-name')!.click();
    await stable();
    expect(harness.socket.emitsOf('chat:open').map((e) => e.payload)).toEqual([{ userId: carla.id }]);
    expect(TestBed.inject(ChatLayoutService).openIds()).toContain('chat-ana-carla');
  });

  it('renders message text as text, never as markup', async () => {
    const hostile = '<img src=x onerror=alert(1)><b>bold</b>';
    await render(aChat(chatId, [me.id, bruno.id]), [aMessage(chatId, 1, bruno.id, { body: hostile })]);
    const body = one('message-body')!;
    expect(body.textContent).toBe(hostile);
    expect(Array.from(body.querySelectorAll('*')).map((e) => e.tagName)).toEqual(['P']);
    expect(one('message-list')!.querySelector('img, b')).toBeNull();
  });

  it('loads the previous page from the oldest message it has', async () => {
    await render(aChat(chatId, [me.id, bruno.id]), [aMessage(chatId, 11, bruno.id), aMessage(chatId, 12, bruno.id)], true);
    harness.socket.respond('chat:history', () => ({
      ok: true,
      data: { messages: [aMessage(chatId, 9, bruno.id), aMessage(chatId, 10, bruno.id)], hasMore: false },
    }));
    one('load-older')!.click();
    await stable();
    expect(harness.socket.emitsOf('chat:history')[0]!.payload).toEqual({ chatId, limit: 10, before: `${chatId}-m11` });
    expect(all('message-body').map((b) => b.textContent)).toEqual(['message 9', 'message 10', 'message 11', 'message 12']);
    expect(one('load-older')).toBeNull();
  });

  it('marks the chat read up to what was on screen, only while the window has the focus', async () => {
    const layout = TestBed.inject(ChatLayoutService);
    window.dispatchEvent(new Event('focus'));
    layout.show(chatId);
    await render(aChat(chatId, [me.id, bruno.id], { unreadCount: 1 }), [aMessage(chatId, 1, bruno.id)]);
    await afterFrames();
    expect(harness.socket.emitsOf('chat:read').map((e) => e.payload)).toEqual([{ chatId, upTo: `${chatId}-m1` }]);

    window.dispatchEvent(new Event('blur'));
    harness.socket.serverEmit('chat:message', aMessage(chatId, 2, bruno.id));
    await afterFrames();
    expect(harness.socket.emitsOf('chat:read').length).toBe(1);
    expect(harness.store.chatById(chatId)!.unreadCount).toBe(1);

    window.dispatchEvent(new Event('focus'));
    await afterFrames();
    expect(harness.socket.emitsOf('chat:read').map((e) => e.payload.upTo)).toEqual([`${chatId}-m1`, `${chatId}-m2`]);
    expect(harness.store.chatById(chatId)!.unreadCount).toBe(0);
  });

  it('opens at the first unread message under a "New messages" line, and a popped-up box reads nothing unseen', async () => {
    const layout = TestBed.inject(ChatLayoutService);
    window.dispatchEvent(new Event('focus'));
    layout.show(chatId);
    const history = Array.from({ length: 30 }, (_, i) => aMessage(chatId, i + 1, bruno.id, { body: `line ${i + 1}\n`.repeat(3) }));
    const chat = aChat(chatId, [], { unreadCount: 25, members: [aMember(me.id, { readSeq: 5 }), aMember(bruno.id)] });
    await render(chat, history, false, 420);
    await afterFrames();
    const divider = one('unread-divider')!;
    expect(divider.nextElementSibling!.getAttribute('data-message-id')).toBe(`${chatId}-m6`);
    const list = one('message-list')!;
    const top = divider.getBoundingClientRect().top - list.getBoundingClientRect().top;
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(40);
    const upTo = harness.socket.emitsOf('chat:read').map((e) => e.payload.upTo).at(-1);
    expect(upTo).toBeDefined();
    expect(upTo).not.toBe(`${chatId}-m30`);
    expect(one('new-below')!.textContent!.trim()).toMatch(/^\d+ new$/);

    one('jump-to-latest')!.click();
    await afterFrames();
    expect(harness.socket.emitsOf('chat:read').at(-1)!.payload.upTo).toBe(`${chatId}-m30`);
    expect(one('jump-to-latest')).toBeNull();
    expect(one('unread-divider')).not.toBeNull();
  });

  describe('from the keyboard', () => {
    const key = (target: Element, name: string) =>
      target.dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true }));

    beforeEach(async () => {
      await render(aChat(chatId, [me.id, bruno.id]), [aMessage(chatId, 1, bruno.id)]);
    });

    it('reaches the messages, the newest first, in a list that says whose messages it holds', () => {
      const list = one('message-list')!;
      expect(list.getAttribute('aria-label')).toBe('Messages with Bruno Tester');
      expect(all('message').map((m) => m.tabIndex)).toEqual([0]);
      expect(list.tabIndex).toBe(-1);
    });

    it('gives every icon-only button a name', () => {
      const nameless = Array.from(harness.element.querySelectorAll('button')).filter(
        (button) => !/\p{L}/u.test(button.textContent ?? '') && !button.getAttribute('aria-label')?.trim(),
      );
      expect(nameless.map((b) => b.outerHTML)).toEqual([]);
    });

    it('opens the menu on its first item; Escape closes it and returns to the menu button', async () => {
      one('chat-menu-button')!.click();
      await stable();
      expect(one('chat-menu-button')!.getAttribute('aria-expanded')).toBe('true');
      expect(document.activeElement!.getAttribute('data-testid')).toBe('search-in-chat');
      key(document.activeElement!, 'ArrowDown');
      expect(document.activeElement!.getAttribute('data-testid')).toBe('block-user');
      key(document.activeElement!, 'ArrowDown');
      expect(document.activeElement!.getAttribute('data-testid')).toBe('delete-chat');

      key(document.activeElement!, 'Escape');
      await stable();
      expect(one('chat-menu')).toBeNull();
      expect(document.activeElement).toBe(one('chat-menu-button'));
    });

    it('closes the menu when focus leaves it', async () => {
      one('chat-menu-button')!.click();
      await stable();
      const composer = one('message-input')!;
      document.activeElement!.dispatchEvent(new FocusEvent('focusout', { bubbles: true, relatedTarget: composer }));
      await stable();
      expect(one('chat-menu')).toBeNull();
    });

    it('moves into the question a menu item asks, and back to the menu button on Escape', async () => {
      one('chat-menu-button')!.click();
      await stable();
      one('delete-chat')!.click();
      await stable();
      expect(document.activeElement).toBe(one('confirm-cancel'));

      key(document.activeElement!, 'Escape');
      await stable();
      expect(one('confirm-bar')).toBeNull();
      expect(document.activeElement).toBe(one('chat-menu-button'));
    });
  });

  describe('when the user opens it', () => {
    const open = async (narrow: boolean, coarse: boolean) => {
      TestBed.overrideProvider(NARROW_QUERY, { useValue: narrow ? '(min-width: 0px)' : '(max-width: 0px)' });
      TestBed.overrideProvider(COARSE_POINTER_QUERY, { useValue: coarse ? '(min-width: 0px)' : '(max-width: 0px)' });
      await render(aChat(chatId, [me.id, bruno.id]), [aMessage(chatId, 1, bruno.id)]);
      TestBed.inject(ChatLayoutService).show(chatId);
      await stable();
    };

    it('puts the focus in the message field on a desktop', async () => {
      await open(false, false);
      expect(document.activeElement).toBe(one('message-input'));
    });

    it('on a phone focuses the chat’s title instead, so no keyboard pops up', async () => {
      await open(true, true);
      expect(document.activeElement).toBe(one('chat-title'));
      expect(document.activeElement).not.toBe(one('message-input'));
    });

    it('on a wide touch screen does not focus the message field either', async () => {
      await open(false, true);
      expect(document.activeElement).toBe(one('chat-title'));
    });
  });
});
