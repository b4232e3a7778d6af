import type { EnvironmentInjector } from '@angular/core';
import type { Message } from '@shared';
import { CHAT_TIMING } from '../connection/chat-timing';
import { aChat, aMessage, aSelfUser, aUser, tokens } from '../core/testing/chat-fixtures';
import { openChat, serveSession, signIn, syncAnswer, useFakeServer } from '../core/testing/signed-in';
import { nextRequest, settle } from '../core/testing/wait';
import { SessionStore } from '../session/session-store';

describe('TimelineSync', () => {
  const me = aSelfUser('ana');
  const bruno = aUser('bruno');
  const chatId = 'chat-ana-bruno';
  const chat = () => aChat(chatId, [me.id, bruno.id]);
  const fromBruno = (seq: number) => aMessage(chatId, seq, bruno.id);
  const server = useFakeServer();
  const syncs = () => server.socket.emitsOf('sync').map((e) => e.payload.chats);

  /** Drops the connection and comes back: refresh, then authentication. */
  async function reconnect(): Promise<void> {
    const { socket, http } = server;
    socket.serverDrop();
    socket.serverConnect();
    (await nextRequest(http, '/api/auth/refresh')).flush(tokens(me, 2));
    await settle();
    socket.serverEmit('authenticated', me);
    await settle();
  }

  describe('catching up after a reconnect', () => {
    it('syncs from the last message it has and merges the result without duplicates', async () => {
      const { socket } = server;
      const session = await signIn(socket, me, { users: [bruno], chats: [chat()] });
      await openChat(session, socket, chat(), [aMessage(chatId, 1, bruno.id), aMessage(chatId, 2, me.id)]);

      serveSession(socket, me, {
        users: [bruno],
        chats: [chat()],
        // The server repeats message 2 and adds 3 and 4.
        syncChats: {
          [chatId]: {
            messages: [aMessage(chatId, 2, me.id), aMessage(chatId, 3, bruno.id), aMessage(chatId, 4, bruno.id)],
            hasMore: false,
          },
        },
      });
      await reconnect();

      expect(syncs().length).toBe(2);
      expect(syncs()[1]).toEqual({ [chatId]: `${chatId}-m2` });
      const ids = session.get(SessionStore).timelines()[chatId]!.list.map((m) => m.id);
      expect(ids).toEqual([`${chatId}-m1`, `${chatId}-m2`, `${chatId}-m3`, `${chatId}-m4`]);
      const delivered = socket.emitsOf('chat:delivered').map((e) => e.payload.messageId);
      expect(delivered).toContain(`${chatId}-m4`);
    });

    it('does not count a live message twice when it arrives again', async () => {
      const { socket } = server;
      const session = await signIn(socket, me, { users: [bruno], chats: [chat()] });
      await openChat(session, socket, chat(), []);
      const message = aMessage(chatId, 1, bruno.id);
      socket.serverEmit('chat:message', message);
      socket.serverEmit('chat:message', message);
      const store = session.get(SessionStore);
      expect(store.timelines()[chatId]!.list.length).toBe(1);
      expect(store.chatById(chatId)!.unreadCount).toBe(1);
      expect(socket.emitsOf('chat:delivered').length).toBe(1);
    });
  });

  describe('messages out of order or missing', () => {
    let store: SessionStore;
    const seqs = () => store.timelines()[chatId]!.list.map((m) => m.seq);

    /** Signed in (clock mocked) with the chat open on messages 1..newest. */
    async function openedUpTo(newest: number): Promise<EnvironmentInjector> {
      jasmine.clock().install();
      const session = await signIn(server.socket, me, { users: [bruno], chats: [chat()] });
      await openChat(session, server.socket, chat(), Array.from({ length: newest }, (_, i) => fromBruno(i + 1)));
      store = session.get(SessionStore);
      return session;
    }

    /** The server answers every `sync` for the chat with `answer(cursor)`, complete (no more pages). */
    function serveSync(answer: (cursor: string | null) => Message[]): void {
      server.socket.respond('sync', (payload: { chats: Record<string, string | null> }) => ({
        ok: true,
        data: {
          chats: Object.fromEntries(
            Object.entries(payload.chats).map(([id, cursor]) => [id, syncAnswer({ messages: answer(cursor), hasMore: false })]),
          ),
          summaries: [chat()],
        },
      }));
    }

    async function wait(ms: number): Promise<void> {
      jasmine.clock().tick(ms);
      await settle();
    }

    const live = (seq: number) => server.socket.serverEmit('chat:message', fromBruno(seq));

    it('puts messages arriving out of order in order and asks for nothing once the hole closes', async () => {
      await openedUpTo(4);
      live(5);
      live(7);
      expect(seqs()).toEqual([1, 2, 3, 4, 5, 7]);
      await wait(CHAT_TIMING.holeFillDelayMs / 2);
      live(6);

      expect(seqs()).toEqual([1, 2, 3, 4, 5, 6, 7]);
      await wait(CHAT_TIMING.holeFillDelayMs * 10);
      expect(syncs().length).toBe(1);
      // The late one still counts as unread, though a newer message came first.
      expect(store.chatById(chatId)!.unreadCount).toBe(3);
    });

    it('asks once, from the message at the watermark, for a hole that does not close, and merges the answer', async () => {
      await openedUpTo(5);
      serveSync((cursor) => (cursor === `${chatId}-m5` ? [fromBruno(6), fromBruno(7)] : []));
      live(7);

      await wait(CHAT_TIMING.holeFillDelayMs - 1);
      expect(syncs().length).toBe(1);
      await wait(1);
      expect(syncs().slice(1)).toEqual([{ [chatId]: `${chatId}-m5` }]);
      expect(seqs()).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(store.chatById(chatId)!.unreadCount).toBe(2);

      await wait(CHAT_TIMING.holeFillDelayMs * 10);
      expect(syncs().length).toBe(2);
    });

    it('catches up after a reconnect from the watermark, not from the newest message it has', async () => {
      await openedUpTo(5);
      live(7);
      serveSession(server.socket, me, { users: [bruno], chats: [chat()] });
      serveSync((cursor) => (cursor === `${chatId}-m5` ? [fromBruno(6), fromBruno(7), fromBruno(8)] : []));

      await reconnect();
      expect(syncs()[1]).toEqual({ [chatId]: `${chatId}-m5` });
      expect(seqs()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      await wait(CHAT_TIMING.holeFillDelayMs * 10);
      expect(syncs().length).toBe(2);
    });

    it('moves the watermark past a gap the server does not fill, and asks only once', async () => {
      await openedUpTo(5);
      // Message 6 does not exist: its seq went to a refused duplicate.
      serveSync((cursor) => (cursor === `${chatId}-m5` ? [fromBruno(7)] : []));
      live(7);

      await wait(CHAT_TIMING.holeFillDelayMs);
      expect(syncs().slice(1)).toEqual([{ [chatId]: `${chatId}-m5` }]);
      await wait(CHAT_TIMING.holeFillDelayMs * 10);
      live(8);
      await wait(CHAT_TIMING.holeFillDelayMs * 10);
      expect(syncs().length).toBe(2);
      expect(seqs()).toEqual([1, 2, 3, 4, 5, 7, 8]);

      serveSession(server.socket, me, { users: [bruno], chats: [chat()] });
      await reconnect();
      expect(syncs()[2]).toEqual({ [chatId]: `${chatId}-m8` });
    });

    it('does not ask again when the answer brings nothing at all', async () => {
      await openedUpTo(5);
      serveSync(() => []);
      live(7);
      await wait(CHAT_TIMING.holeFillDelayMs);
      await wait(CHAT_TIMING.holeFillDelayMs * 20);
      expect(syncs().length).toBe(2);
      expect(seqs()).toEqual([1, 2, 3, 4, 5, 7]);
    });

    it('does not retry a failed request for a hole on its own', async () => {
      await openedUpTo(5);
      server.socket.respond('sync', () => ({ ok: false, error: { code: 'store_unavailable', message: 'Try again.' } }));
      live(7);
      await wait(CHAT_TIMING.holeFillDelayMs);
      await wait(CHAT_TIMING.holeFillDelayMs * 20);
      expect(syncs().length).toBe(2);

      // The next live message past the hole asks again.
      serveSync((cursor) => (cursor === `${chatId}-m5` ? [fromBruno(6), fromBruno(7), fromBruno(8)] : []));
      live(8);
      await wait(CHAT_TIMING.holeFillDelayMs);
      expect(syncs().length).toBe(3);
      expect(seqs()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    });

    it('catches up an opened chat that had no messages with its latest page', async () => {
      await openedUpTo(0);
      serveSession(server.socket, me, { users: [bruno], chats: [chat()] });
      serveSync((cursor) => (cursor === null ? [fromBruno(1), fromBruno(2)] : []));
      await reconnect();
      expect(syncs()[1]).toEqual({ [chatId]: null });
      expect(seqs()).toEqual([1, 2]);
      expect(store.timelines()[chatId]!.watermark).toBe(2);
    });
  });

  it('does not count a message twice when the new chat’s summary already includes it', async () => {
    const { socket } = server;
    const store = (await signIn(socket, me, { users: [bruno] })).get(SessionStore);
    const first = aMessage(chatId, 1, bruno.id);
    socket.serverEmit('chat:created', { chat: aChat(chatId, [me.id, bruno.id], { lastMessage: first, unreadCount: 1 }) });
    socket.serverEmit('chat:message', first);
    expect(store.chatById(chatId)!.unreadCount).toBe(1);
    socket.serverEmit('chat:message', aMessage(chatId, 2, bruno.id));
    expect(store.chatById(chatId)!.unreadCount).toBe(2);
  });
});
