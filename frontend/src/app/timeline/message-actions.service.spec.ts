import type { EnvironmentInjector } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { Message } from '@shared';
import { ArrivalsService } from '../chats/arrivals.service';
import { CHAT_TIMING } from '../connection/chat-timing';
import { aChat, aMessage, aSelfUser, aUser, tokens } from '../core/testing/chat-fixtures';
import { openChat, signIn, syncAnswer, useFakeServer } from '../core/testing/signed-in';
import { nextRequest, settle } from '../core/testing/wait';
import { ToastService } from '../core/toast.service';
import { SessionStore } from '../session/session-store';
import { MessageActions } from './message-actions.service';
import { heldMessage } from './state/timeline-changes';

describe('MessageActions', () => {
  const me = aSelfUser('ana');
  const bruno = aUser('bruno');
  const chatId = 'chat-ana-bruno';
  const chat = () => aChat(chatId, [me.id, bruno.id]);
  const mine = (seq: number, overrides: Partial<Message> = {}) => aMessage(chatId, seq, me.id, overrides);
  const fromBruno = (seq: number, overrides: Partial<Message> = {}) => aMessage(chatId, seq, bruno.id, overrides);
  const id = (seq: number) => `${chatId}-m${seq}`;
  const server = useFakeServer();
  let store: SessionStore;
  let actions: MessageActions;
  const shown = (seq: number) => heldMessage(store.timelines(), chatId, id(seq))!;

  async function openedWith(messages: Message[], summary = chat()): Promise<EnvironmentInjector> {
    const session = await signIn(server.socket, me, { users: [bruno], chats: [summary] });
    await openChat(session, server.socket, summary, messages);
    store = session.get(SessionStore);
    actions = session.get(MessageActions);
    return session;
  }

  /** The fake server applies edits, deletes and reactions to `held` and answers with the result. */
  function serveChanges(held: Map<string, Message>): void {
    let changeSeq = 0;
    const answer = (messageId: string, change: (m: Message) => Message) => {
      const message = { ...change(held.get(messageId)!), changeSeq: ++changeSeq };
      held.set(messageId, message);
      return { ok: true, data: { message } } as const;
    };
    server.socket.respond('message:edit', (p) => answer(p.messageId, (m) => ({ ...m, body: p.body, editedAt: '2026-03-02T12:00:00.000Z' })));
    server.socket.respond('message:delete', (p) =>
      answer(p.messageId, (m) => ({ ...m, body: '', deletedAt: '2026-03-02T12:00:00.000Z', deletedBy: 'sender' })),
    );
    server.socket.respond('message:react', (p) => answer(p.messageId, (m) => ({ ...m, reactions: p.on ? [{ emoji: p.emoji, userIds: [me.id] }] : [] })));
  }

  async function reconnect(): Promise<void> {
    const { socket, http } = server;
    socket.serverConnect();
    (await nextRequest(http, '/api/auth/refresh')).flush(tokens(me, 2));
    await settle();
    socket.serverEmit('authenticated', me);
    await settle();
  }

  it('keeps edits, reactions and deletes made offline as pending and sends each once after reconnecting', async () => {
    await openedWith([mine(1), fromBruno(2), mine(3)]);
    server.socket.serverDrop();
    const pendingOf1 = actions.pendingChange(chatId, id(1));

    actions.edit(chatId, id(1), '  fixed typo  ');
    actions.react(chatId, id(2), '👍', true);
    actions.remove(chatId, id(3));
    expect(pendingOf1()).toBe('edit');
    expect(actions.pendingChange(chatId, id(1))).toBe(pendingOf1);
    expect(shown(1).body).toBe('fixed typo');
    expect(shown(2)).toEqual(jasmine.objectContaining({ pendingChange: 'react', reactions: [{ emoji: '👍', userIds: [me.id] }] }));
    expect(shown(3)).toEqual(jasmine.objectContaining({ pendingChange: 'delete', body: '' }));
    expect(server.socket.emitsOf('message:edit')).toEqual([]);

    serveChanges(new Map([mine(1), fromBruno(2), mine(3)].map((m) => [m.id, m])));
    await reconnect();

    expect(server.socket.emitsOf('message:edit').map((e) => e.payload)).toEqual([{ chatId, messageId: id(1), body: 'fixed typo' }]);
    expect(server.socket.emitsOf('message:react').map((e) => e.payload)).toEqual([{ chatId, messageId: id(2), emoji: '👍', on: true }]);
    expect(server.socket.emitsOf('message:delete').map((e) => e.payload)).toEqual([{ chatId, messageId: id(3) }]);
    expect(pendingOf1()).toBeNull();
    expect([1, 2, 3].map((seq) => shown(seq).pendingChange)).toEqual([undefined, undefined, undefined]);
    expect(shown(1)).toEqual(jasmine.objectContaining({ body: 'fixed typo', changeSeq: 1 }));
    expect(shown(3).deletedAt).not.toBeNull();
  });

  it('resends a change whose ack timed out as the same request', async () => {
    jasmine.clock().install();
    await openedWith([fromBruno(1)]);
    actions.react(chatId, id(1), '🎉', true);
    await settle();
    jasmine.clock().tick(CHAT_TIMING.ackTimeoutMs);
    await settle();
    const sends = server.socket.emitsOf('message:react');
    expect(sends.length).toBe(2);
    expect(sends[1]!.payload).toEqual(sends[0]!.payload);
    const message = fromBruno(1, { reactions: [{ emoji: '🎉', userIds: [me.id] }], changeSeq: 1 });
    sends[0]!.ack!({ ok: true, data: { message } });
    sends[1]!.ack!({ ok: true, data: { message } });
    await settle();
    expect(shown(1)).toEqual(jasmine.objectContaining({ reactions: message.reactions, changeSeq: 1 }));
    expect(shown(1).pendingChange).toBeUndefined();
  });

  it('takes a refused change back and says why', async () => {
    await openedWith([mine(1, { body: 'original' })]);
    server.socket.respond('message:edit', () => ({ ok: false, error: { code: 'forbidden', message: 'Too late to edit this message.' } }));
    actions.edit(chatId, id(1), 'changed');
    expect(shown(1).pendingChange).toBe('edit');
    await settle();
    expect(shown(1)).toEqual(jasmine.objectContaining({ body: 'original', changeError: 'Too late to edit this message.' }));
    expect(shown(1).pendingChange).toBeUndefined();
    expect(TestBed.inject(ToastService).toasts().map((t) => t.text)).toEqual(['Too late to edit this message.']);
    expect(server.socket.emitsOf('message:edit').length).toBe(1);
  });

  it('does not ask for what would change nothing', async () => {
    await openedWith([mine(1, { body: 'same' }), fromBruno(2)]);
    server.socket.serverDrop();
    actions.edit(chatId, id(1), ' same ');
    actions.edit(chatId, id(2), 'not mine');
    actions.react(chatId, id(2), '👍', false);
    actions.remove(chatId, 'unknown');
    expect(store.timelines()[chatId]!.list.some((m) => m.pendingChange)).toBeFalse();
  });

  it('sends a reply with the id of the message it answers, quoting it while pending', async () => {
    await openedWith([fromBruno(1, { body: 'lunch?' })]);
    server.socket.respond('chat:message', (p) => ({
      ok: true,
      data: { message: mine(2, { clientId: p.clientId, body: p.body, replyTo: { messageId: id(1), senderId: bruno.id, preview: 'lunch?', deleted: false } }) },
    }));
    actions.send(chatId, 'yes', id(1));
    const pending = store.timelines()[chatId]!.list[1]!;
    expect(pending.local).toBe('pending');
    expect(pending.replyTo).toEqual({ messageId: id(1), senderId: bruno.id, preview: 'lunch?', deleted: false });
    await settle();
    expect(server.socket.emitsOf('chat:message')[0]!.payload).toEqual(jasmine.objectContaining({ chatId, body: 'yes', replyTo: id(1) }));
    expect(shown(2).replyTo!.messageId).toBe(id(1));
  });

  it('loads the messages around a quoted original and fills the gap up to the newest in order', async () => {
    jasmine.clock().install();
    const session = await openedWith([fromBruno(20), fromBruno(21)], aChat(chatId, [me.id, bruno.id], { lastMessage: fromBruno(21) }));
    const popups: Message[] = [];
    session.get(ArrivalsService).incoming.subscribe((message) => popups.push(message));
    server.socket.respond('chat:history', () => ({ ok: true, data: { messages: [4, 5, 6].map((s) => fromBruno(s)), hasMore: true, hasNewer: true } }));
    server.socket.respond('sync', (p) => ({
      ok: true,
      data: {
        chats: { [chatId]: syncAnswer({ messages: p.chats[chatId] === id(6) ? [7, 8, 19, 20, 21].map((s) => fromBruno(s)) : [], hasMore: false }) },
        summaries: [chat()],
      },
    }));

    await actions.loadAround(chatId, id(5));
    expect(server.socket.emitsOf('chat:history').map((e) => e.payload)).toEqual([{ chatId, around: id(5), limit: CHAT_TIMING.pageSize }]);
    const seqs = () => store.timelines()[chatId]!.list.map((m) => m.seq);
    expect(seqs()).toEqual([4, 5, 6, 20, 21]);

    jasmine.clock().tick(CHAT_TIMING.holeFillDelayMs);
    await settle();
    const fill = server.socket.emitsOf('sync').at(-1)!.payload;
    expect(fill).toEqual({ chats: { [chatId]: id(6) }, changes: { [chatId]: 0 } });
    expect(seqs()).toEqual([4, 5, 6, 7, 8, 19, 20, 21]);
    expect(store.timelines()[chatId]!.watermark).toBe(21);
    // Old messages filling the gap are history: no pop-ups, nothing unread.
    expect(popups).toEqual([]);
    expect(store.chatById(chatId)!.unreadCount).toBe(0);

    await actions.loadAround(chatId, id(5));
    expect(server.socket.emitsOf('chat:history').length).toBe(1);
  });
});
