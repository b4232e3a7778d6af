import type { Message } from '@shared';
import { aChat, aMember, aMessage } from '../../core/testing/chat-fixtures';
import { LONG_PRESS_MS } from '../long-press';
import { ChatBoxHarness } from './chat-box.harness.spec';

describe('MessageItem', () => {
  const harness = new ChatBoxHarness();
  const { me, bruno, carla } = harness;
  const chatId = 'chat-ana-bruno';
  const groupId = 'group-trip';
  const direct = aChat(chatId, [me.id, bruno.id]);
  const group = (myRole: 'admin' | 'member') =>
    aChat(groupId, [], { kind: 'group', name: 'Trip', members: [aMember(me.id, { role: myRole }), aMember(bruno.id), aMember(carla.id)] });

  const actionsOf = (id: string) => harness.all('message-actions', harness.message(id))[0];
  const actionNames = (id: string) => harness.all('message-actions', harness.message(id)).flatMap((bar) =>
    Array.from(bar.querySelectorAll('button')).map((b) => b.getAttribute('aria-label')),
  );
  /** The server's answer to a change: the message as it stores it after it. */
  const answer = (message: Message) => () => ({ ok: true as const, data: { message } });

  it('shows the actions of a message on keyboard focus, named, and Tab goes into them', async () => {
    await harness.render(direct, [aMessage(chatId, 1, bruno.id), aMessage(chatId, 2, me.id)]);
    const mine = harness.message(`${chatId}-m2`);
    expect(getComputedStyle(actionsOf(`${chatId}-m2`)!).display).toBe('none');

    mine.focus();
    await harness.stable();
    expect(getComputedStyle(actionsOf(`${chatId}-m2`)!).display).toBe('flex');
    expect(actionNames(`${chatId}-m2`)).toEqual(['React', 'Reply', 'Edit', 'Delete']);
    expect(actionNames(`${chatId}-m1`)).toEqual(['React', 'Reply']);
    expect(actionsOf(`${chatId}-m2`)!.getAttribute('aria-label')).toBe('Actions for the message from You');

    // The buttons stay shown while focus is on them.
    harness.one('action-reply', mine)!.focus();
    expect(getComputedStyle(actionsOf(`${chatId}-m2`)!).display).toBe('flex');
  });

  it('shows the actions on a long press, until a touch elsewhere', async () => {
    jasmine.clock().install();
    try {
      await harness.render(direct, [aMessage(chatId, 1, bruno.id), aMessage(chatId, 2, me.id)]);
      const mine = harness.message(`${chatId}-m2`);
      const bubble = mine.querySelector('.bubble')!;
      bubble.dispatchEvent(new PointerEvent('pointerdown', { pointerType: 'touch', bubbles: true }));
      jasmine.clock().tick(LONG_PRESS_MS);
      await harness.stable();
      expect(getComputedStyle(actionsOf(`${chatId}-m2`)!).display).toBe('flex');

      harness.message(`${chatId}-m1`).dispatchEvent(new PointerEvent('pointerdown', { pointerType: 'touch', bubbles: true }));
      await harness.stable();
      expect(getComputedStyle(actionsOf(`${chatId}-m2`)!).display).toBe('none');
    } finally {
      jasmine.clock().uninstall();
    }
  });

  it('moves between messages with the arrow keys, Home and End, and keeps one Tab stop', async () => {
    await harness.render(direct, [1, 2, 3].map((seq) => aMessage(chatId, seq, seq === 2 ? me.id : bruno.id)));
    const [first, second, third] = harness.all('message');
    expect([first, second, third].map((m) => m!.tabIndex)).toEqual([-1, -1, 0]);

    third!.focus();
    harness.key(third!, 'ArrowUp');
    expect(document.activeElement).toBe(second!);
    harness.key(second!, 'Home');
    expect(document.activeElement).toBe(first!);
    harness.key(first!, 'ArrowDown');
    await harness.stable();
    expect(document.activeElement).toBe(second!);
    expect(harness.all('message').map((m) => m.tabIndex)).toEqual([-1, 0, -1]);
  });

  it('keeps the controls inside other messages out of the Tab order', async () => {
    const quote = { messageId: `${chatId}-m1`, senderId: bruno.id, preview: 'message 1', deleted: false };
    await harness.render(direct, [
      aMessage(chatId, 1, bruno.id, { body: 'see https://example.com', reactions: [{ emoji: '👍', userIds: [me.id] }] }),
      aMessage(chatId, 2, me.id, { replyTo: quote }),
    ]);
    const tabbable = (id: string) =>
      Array.from(harness.message(id).querySelectorAll<HTMLElement>('button, a')).filter((control) => control.tabIndex >= 0).length;
    expect(tabbable(`${chatId}-m1`)).toBe(0);
    expect(tabbable(`${chatId}-m2`)).toBeGreaterThan(0);

    harness.message(`${chatId}-m1`).focus();
    await harness.stable();
    expect(tabbable(`${chatId}-m1`)).toBeGreaterThan(2);
    expect(tabbable(`${chatId}-m2`)).toBe(0);
  });

  it('asks before deleting, and shows the message as deleted', async () => {
    await harness.render(direct, [aMessage(chatId, 1, me.id, { body: 'oops' })]);
    const id = `${chatId}-m1`;
    harness.one('action-delete', harness.message(id))!.click();
    await harness.stable();
    const dialog = harness.dialog('delete-message-dialog')!;
    expect(dialog.open).toBeTrue();
    expect(dialog.textContent).toContain('This deletes the message for everyone in the chat.');

    await harness.closing(dialog, () => harness.one('delete-message-cancel', dialog)!.click());
    expect(harness.dialog('delete-message-dialog')).toBeNull();
    expect(harness.socket.emitsOf('message:delete')).toEqual([]);

    harness.one('action-delete', harness.message(id))!.click();
    await harness.stable();
    const confirm = harness.dialog('delete-message-dialog')!;
    await harness.closing(confirm, () => harness.one('delete-message-confirm', confirm)!.click());
    expect(harness.socket.emitsOf('message:delete').map((e) => e.payload)).toEqual([{ chatId, messageId: id }]);
    expect(harness.one('message-deleted')!.textContent!.trim()).toBe('Message deleted');
    expect(harness.one('pending-change')!.textContent!.trim()).toBe('Deleting…');
    expect(harness.one('message-actions')).toBeNull();
    expect(document.activeElement).toBe(harness.message(id));
  });

  it('lets a group admin delete anyone’s message, and says an admin did', async () => {
    await harness.render(group('admin'), [aMessage(groupId, 1, carla.id, { body: 'spam' })]);
    const id = `${groupId}-m1`;
    expect(actionNames(id)).toEqual(['React', 'Reply', 'Delete']);
    harness.socket.respond(
      'message:delete',
      answer(aMessage(groupId, 1, carla.id, { body: '', deletedAt: new Date().toISOString(), deletedBy: 'admin', changeSeq: 1 })),
    );
    harness.one('action-delete', harness.message(id))!.click();
    await harness.stable();
    expect(harness.dialog('delete-message-dialog')!.textContent).toContain('This deletes Carla Tester’s message for everyone in the group.');
    const confirm = harness.dialog('delete-message-dialog')!;
    await harness.closing(confirm, () => harness.one('delete-message-confirm', confirm)!.click());
    expect(harness.one('message-deleted')!.textContent!.trim()).toBe('Message deleted by an admin');
    expect(harness.one('pending-change')).toBeNull();
  });

  it('offers no delete of other people’s messages to a group member', async () => {
    await harness.render(group('member'), [aMessage(groupId, 1, carla.id), aMessage(groupId, 2, me.id)]);
    expect(actionNames(`${groupId}-m1`)).toEqual(['React', 'Reply']);
    expect(actionNames(`${groupId}-m2`)).toEqual(['React', 'Reply', 'Edit', 'Delete']);
  });

  it('shows reactions with counts, ours pressed, and toggles ours from its chip', async () => {
    const reactions = [
      { emoji: '👍', userIds: [bruno.id, me.id] },
      { emoji: '🎉', userIds: [carla.id] },
    ];
    await harness.render(direct, [aMessage(chatId, 1, bruno.id, { reactions })]);
    const chips = () => harness.all('reaction-chip');
    expect(chips().map((c) => c.textContent!.replace(/\s+/g, ''))).toEqual(['👍2', '🎉1']);
    expect(chips().map((c) => c.getAttribute('aria-pressed'))).toEqual(['true', 'false']);
    expect(chips()[0]!.title).toBe('Bruno Tester, You');

    chips()[0]!.click();
    await harness.stable();
    expect(harness.socket.emitsOf('message:react').map((e) => e.payload)).toEqual([
      { chatId, messageId: `${chatId}-m1`, emoji: '👍', on: false },
    ]);
    expect(chips()[0]!.textContent!.replace(/\s+/g, '')).toBe('👍1');
    expect(chips()[0]!.getAttribute('aria-pressed')).toBe('false');
    expect(chips()[0]!.classList).toContain('pending');

    // The server's ack ends the pending state.
    const stored = { reactions: [{ emoji: '👍', userIds: [bruno.id] }, reactions[1]!], changeSeq: 1 };
    harness.socket.emitsOf('message:react')[0]!.ack!({ ok: true, data: { message: aMessage(chatId, 1, bruno.id, stored) } });
    await harness.stable();
    expect(chips()[0]!.classList).not.toContain('pending');

    chips()[1]!.click();
    await harness.stable();
    expect(harness.socket.emitsOf('message:react').at(-1)!.payload).toEqual({ chatId, messageId: `${chatId}-m1`, emoji: '🎉', on: true });
    expect(chips()[1]!.getAttribute('aria-pressed')).toBe('true');
  });

  it('reacts with an emoji from the picker', async () => {
    await harness.render(direct, [aMessage(chatId, 1, bruno.id)]);
    harness.one('action-react', harness.message(`${chatId}-m1`))!.click();
    await harness.stable();
    const dialog = harness.dialog('emoji-picker-dialog')!;
    expect(dialog.getAttribute('aria-label')).toBe('React with…');
    harness.socket.respond('message:react', () => ({ ok: true, data: { message: aMessage(chatId, 1, bruno.id, { reactions: [{ emoji: '❤️', userIds: [me.id] }], changeSeq: 1 }) } }));
    await harness.closing(dialog, () => harness.all('quick-reaction', dialog)[1]!.click());
    expect(harness.socket.emitsOf('message:react').map((e) => e.payload.emoji)).toEqual(['❤️']);
    expect(harness.all('reaction-chip').map((c) => c.dataset['emoji'])).toEqual(['❤️']);
    expect(harness.dialog('emoji-picker-dialog')).toBeNull();
  });

  it('follows edits and deletes from others, saying "edited"', async () => {
    await harness.render(direct, [aMessage(chatId, 1, bruno.id, { body: 'teh plan' })]);
    const editedAt = new Date().toISOString();
    harness.socket.serverEmit('message:changed', {
      chatId, changeSeq: 1, kind: 'edit', message: aMessage(chatId, 1, bruno.id, { body: 'the plan', editedAt, changeSeq: 1 }),
    });
    await harness.stable();
    expect(harness.one('message-body')!.textContent).toBe('the plan');
    expect(harness.one('edited')!.textContent!.trim()).toBe('edited');

    harness.socket.serverEmit('message:changed', {
      chatId, changeSeq: 2, kind: 'delete', message: aMessage(chatId, 1, bruno.id, { body: '', editedAt, deletedAt: editedAt, deletedBy: 'sender', changeSeq: 2 }),
    });
    await harness.stable();
    expect(harness.one('message-body')).toBeNull();
    expect(harness.one('message-deleted')!.textContent!.trim()).toBe('Message deleted');
    expect(harness.one('edited')).toBeNull();
  });

  it('shows a refused message with ⚠, the reason, Retry and Delete, instead of the sending clock', async () => {
    await harness.render(direct, [aMessage(chatId, 1, bruno.id)]);
    harness.socket.respond('chat:message', () => ({ ok: false, error: { code: 'blocked', message: 'You cannot message this user.' } }));
    harness.key(harness.type('are you there?'), 'Enter');
    await harness.stable();
    const refused = harness.all('message').at(-1)!;
    expect(refused.classList).toContain('failed');
    expect(harness.one('tick', refused)).toBeNull();
    expect(harness.one('failed-mark', refused)!.getAttribute('aria-label')).toBe('Not sent');
    expect(harness.one('not-sent', refused)!.textContent).toContain('Not sent: You cannot message this user.');

    // Retry: the same text goes out again, as a new message.
    harness.socket.respond('chat:message', (payload) => ({
      ok: true,
      data: { message: aMessage(chatId, 2, me.id, { clientId: payload.clientId, body: payload.body }) },
    }));
    harness.one('retry-message', refused)!.click();
    await harness.stable();
    const sends = harness.socket.emitsOf('chat:message');
    expect(sends.map((e) => e.payload.body)).toEqual(['are you there?', 'are you there?']);
    expect(sends[1]!.payload.clientId).not.toBe(sends[0]!.payload.clientId);
    expect(harness.all('not-sent')).toEqual([]);
    expect(harness.all('message').at(-1)!.dataset['messageId']).toBe(`${chatId}-m2`);

    // Delete: a refused message goes from the list.
    harness.socket.respond('chat:message', () => ({ ok: false, error: { code: 'blocked', message: 'You cannot message this user.' } }));
    harness.key(harness.type('never mind'), 'Enter');
    await harness.stable();
    harness.one('delete-failed')!.click();
    await harness.stable();
    expect(harness.all('not-sent')).toEqual([]);
    expect(harness.all('message').map((m) => m.dataset['messageId'])).toEqual([`${chatId}-m1`, `${chatId}-m2`]);
  });
});
