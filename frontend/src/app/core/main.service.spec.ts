import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { Message, ReceiptStatus } from '@shared';
import { CHAT_TIMING, MainService } from './main.service';
import { aChat, aMessage, aSelfUser, aUser, tokens } from './testing/chat-fixtures';
import { FakeSocket } from './testing/fake-socket';
import { nextRequest, settle } from './testing/wait';
import { chatTestProviders, serveSession, signIn } from './testing/signed-in';

describe('MainService', () => {
  const me = aSelfUser('ana');
  const bruno = aUser('bruno');
  const chatId = 'chat-ana-bruno';
  let socket: FakeSocket;
  let http: HttpTestingController;

  beforeEach(() => {
    socket = new FakeSocket();
    TestBed.configureTestingModule({ providers: chatTestProviders(socket) });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    jasmine.clock().uninstall();
    http.verify();
  });

  /** Opens the direct chat with Bruno; the server answers with `history`. */
  async function openChatWithBruno(main: MainService, history: Message[]): Promise<void> {
    socket.respond('chat:get', () => ({
      ok: true,
      data: { chat: aChat(chatId, [me.id, bruno.id]), history: { messages: history, hasMore: false } },
    }));
    await main.openChat(chatId);
  }

  describe('authentication handshake', () => {
    it('connects over the socket and authenticates with the access token before anything else', async () => {
      const main = TestBed.inject(MainService);
      serveSession(socket, me, { users: [bruno] });

      const login = main.login('ana', 'correct horse battery');
      const request = http.expectOne('/api/auth/login');
      expect(request.request.body).toEqual({ username: 'ana', password: 'correct horse battery' });
      request.flush(tokens(me));
      await login;

      expect(socket.connectCalls).toBe(1);
      expect(main.connection()).toBe('connecting');
      expect(socket.emitted).toEqual([]);

      socket.serverConnect();
      await settle();
      expect(socket.emitted.map((e) => e.event)).toEqual(['authentication']);
      expect(socket.emitted[0]!.payload).toEqual({ token: 'access-1' });
      expect(main.connection()).toBe('connecting');

      socket.serverEmit('authenticated', me);
      await settle();
      expect(main.connection()).toBe('online');
      expect(socket.emitsOf('sync')[0]!.payload).toEqual({ chats: {} });
      expect(main.users().map((u) => u.username)).toEqual(['bruno']);
      expect(main.currentUser()?.username).toBe('ana');
    });

    it('ends the session after repeated unauthorized answers', async () => {
      const main = await signIn(socket, me);
      for (let i = 0; i < 3; i++) socket.serverEmit('unauthorized', { message: 'jwt expired' });
      expect(main.currentUser()).toBeNull();
      expect(main.connection()).toBe('signed-out');
    });

    it('re-authenticates with a fresh token after a reconnect', async () => {
      const main = await signIn(socket, me);
      socket.serverDrop();
      expect(main.connection()).toBe('offline');

      socket.serverConnect();
      const refresh = await nextRequest(http, '/api/auth/refresh');
      expect(refresh.request.method).toBe('POST');
      expect(refresh.request.withCredentials).toBeTrue();
      refresh.flush(tokens(me, 2));
      await settle();

      const auth = socket.emitsOf('authentication');
      expect(auth.map((e) => e.payload.token)).toEqual(['access-1', 'access-2']);
    });
  });

  describe('catching up after a reconnect', () => {
    it('syncs from the last message it has and merges the result without duplicates', async () => {
      const main = await signIn(socket, me, { users: [bruno], chats: [aChat(chatId, [me.id, bruno.id])] });
      await openChatWithBruno(main, [aMessage(chatId, 1, bruno.id), aMessage(chatId, 2, me.id)]);

      socket.serverDrop();
      serveSession(socket, me, {
        users: [bruno],
        chats: [aChat(chatId, [me.id, bruno.id])],
        // The server repeats message 2 and adds 3 and 4.
        syncChats: {
          [chatId]: {
            messages: [aMessage(chatId, 2, me.id), aMessage(chatId, 3, bruno.id), aMessage(chatId, 4, bruno.id)],
            hasMore: false,
          },
        },
      });
      socket.serverConnect();
      (await nextRequest(http, '/api/auth/refresh')).flush(tokens(me, 2));
      await settle();
      socket.serverEmit('authenticated', me);
      await settle();

      const sync = socket.emitsOf('sync');
      expect(sync.length).toBe(2);
      expect(sync[1]!.payload).toEqual({ chats: { [chatId]: `${chatId}-m2` } });
      const ids = main.messages()[chatId]!.list.map((m) => m.id);
      expect(ids).toEqual([`${chatId}-m1`, `${chatId}-m2`, `${chatId}-m3`, `${chatId}-m4`]);
      const delivered = socket.emitsOf('chat:delivered').map((e) => e.payload.messageId);
      expect(delivered).toContain(`${chatId}-m4`);
    });

    it('does not count a live message twice when it arrives again', async () => {
      const main = await signIn(socket, me, { users: [bruno], chats: [aChat(chatId, [me.id, bruno.id])] });
      await openChatWithBruno(main, []);
      const message = aMessage(chatId, 1, bruno.id);
      socket.serverEmit('chat:message', message);
      socket.serverEmit('chat:message', message);
      expect(main.messages()[chatId]!.list.length).toBe(1);
      expect(main.chatById(chatId)!.unreadCount).toBe(1);
      expect(socket.emitsOf('chat:delivered').length).toBe(1);
    });
  });

  describe('messages out of order or missing', () => {
    const chat = () => aChat(chatId, [me.id, bruno.id]);
    const fromBruno = (seq: number) => aMessage(chatId, seq, bruno.id);
    const seqs = (main: MainService) => main.messages()[chatId]!.list.map((m) => m.seq);
    const syncs = () => socket.emitsOf('sync').map((e) => e.payload.chats);

    /** Signed in (clock mocked) with the chat open on messages 1..newest. */
    async function openedUpTo(newest: number): Promise<MainService> {
      jasmine.clock().install();
      const main = await signIn(socket, me, { users: [bruno], chats: [chat()] });
      await openChatWithBruno(main, Array.from({ length: newest }, (_, i) => fromBruno(i + 1)));
      return main;
    }

    /** The server answers every `sync` for the chat with `answer(cursor)`, complete (no more pages). */
    function serveSync(answer: (cursor: string | null) => Message[]): void {
      socket.respond('sync', (payload: { chats: Record<string, string | null> }) => ({
        ok: true,
        data: {
          chats: Object.fromEntries(
            Object.entries(payload.chats).map(([id, cursor]) => [id, { messages: answer(cursor), hasMore: false }]),
          ),
          summaries: [chat()],
        },
      }));
    }

    async function wait(ms: number): Promise<void> {
      jasmine.clock().tick(ms);
      await settle();
    }

    async function reconnect(): Promise<void> {
      socket.serverDrop();
      socket.serverConnect();
      (await nextRequest(http, '/api/auth/refresh')).flush(tokens(me, 2));
      await settle();
      socket.serverEmit('authenticated', me);
      await settle();
    }

    it('puts messages arriving out of order in order and asks for nothing once the hole closes', async () => {
      const main = await openedUpTo(4);
      socket.serverEmit('chat:message', fromBruno(5));
      socket.serverEmit('chat:message', fromBruno(7));
      expect(seqs(main)).toEqual([1, 2, 3, 4, 5, 7]);
      await wait(CHAT_TIMING.holeFillDelayMs / 2);
      socket.serverEmit('chat:message', fromBruno(6));

      expect(seqs(main)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      await wait(CHAT_TIMING.holeFillDelayMs * 10);
      expect(syncs().length).toBe(1);
      // The late one still counts as unread, though a newer message came first.
      expect(main.chatById(chatId)!.unreadCount).toBe(3);
    });

    it('asks once, from the message at the watermark, for a hole that does not close, and merges the answer', async () => {
      const main = await openedUpTo(5);
      serveSync((cursor) => (cursor === `${chatId}-m5` ? [fromBruno(6), fromBruno(7)] : []));
      socket.serverEmit('chat:message', fromBruno(7));

      await wait(CHAT_TIMING.holeFillDelayMs - 1);
      expect(syncs().length).toBe(1);
      await wait(1);
      expect(syncs().slice(1)).toEqual([{ [chatId]: `${chatId}-m5` }]);
      expect(seqs(main)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(main.chatById(chatId)!.unreadCount).toBe(2);

      await wait(CHAT_TIMING.holeFillDelayMs * 10);
      expect(syncs().length).toBe(2);
    });

    it('catches up after a reconnect from the watermark, not from the newest message it has', async () => {
      const main = await openedUpTo(5);
      socket.serverEmit('chat:message', fromBruno(7));
      serveSession(socket, me, { users: [bruno], chats: [chat()] });
      serveSync((cursor) => (cursor === `${chatId}-m5` ? [fromBruno(6), fromBruno(7), fromBruno(8)] : []));

      await reconnect();
      expect(syncs()[1]).toEqual({ [chatId]: `${chatId}-m5` });
      expect(seqs(main)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      await wait(CHAT_TIMING.holeFillDelayMs * 10);
      expect(syncs().length).toBe(2);
    });

    it('moves the watermark past a gap the server does not fill, and asks only once', async () => {
      const main = await openedUpTo(5);
      // Message 6 does not exist: its seq went to a refused duplicate.
      serveSync((cursor) => (cursor === `${chatId}-m5` ? [fromBruno(7)] : []));
      socket.serverEmit('chat:message', fromBruno(7));

      await wait(CHAT_TIMING.holeFillDelayMs);
      expect(syncs().slice(1)).toEqual([{ [chatId]: `${chatId}-m5` }]);
      await wait(CHAT_TIMING.holeFillDelayMs * 10);
      socket.serverEmit('chat:message', fromBruno(8));
      await wait(CHAT_TIMING.holeFillDelayMs * 10);
      expect(syncs().length).toBe(2);
      expect(seqs(main)).toEqual([1, 2, 3, 4, 5, 7, 8]);

      serveSession(socket, me, { users: [bruno], chats: [chat()] });
      await reconnect();
      expect(syncs()[2]).toEqual({ [chatId]: `${chatId}-m8` });
    });

    it('does not ask again when the answer brings nothing at all', async () => {
      const main = await openedUpTo(5);
      serveSync(() => []);
      socket.serverEmit('chat:message', fromBruno(7));
      await wait(CHAT_TIMING.holeFillDelayMs);
      await wait(CHAT_TIMING.holeFillDelayMs * 20);
      expect(syncs().length).toBe(2);
      expect(seqs(main)).toEqual([1, 2, 3, 4, 5, 7]);
    });

    it('does not retry a failed request for a hole on its own', async () => {
      const main = await openedUpTo(5);
      socket.respond('sync', () => ({ ok: false, error: { code: 'store_unavailable', message: 'Try again.' } }));
      socket.serverEmit('chat:message', fromBruno(7));
      await wait(CHAT_TIMING.holeFillDelayMs);
      await wait(CHAT_TIMING.holeFillDelayMs * 20);
      expect(syncs().length).toBe(2);

      // The next live message past the hole asks again.
      serveSync((cursor) => (cursor === `${chatId}-m5` ? [fromBruno(6), fromBruno(7), fromBruno(8)] : []));
      socket.serverEmit('chat:message', fromBruno(8));
      await wait(CHAT_TIMING.holeFillDelayMs);
      expect(syncs().length).toBe(3);
      expect(seqs(main)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    });

    it('catches up an opened chat that had no messages with its latest page', async () => {
      const main = await openedUpTo(0);
      serveSession(socket, me, { users: [bruno], chats: [chat()] });
      serveSync((cursor) => (cursor === null ? [fromBruno(1), fromBruno(2)] : []));
      await reconnect();
      expect(syncs()[1]).toEqual({ [chatId]: null });
      expect(seqs(main)).toEqual([1, 2]);
      expect(main.messages()[chatId]!.watermark).toBe(2);
    });
  });

  it('does not count a message twice when the new chat’s summary already includes it', async () => {
    const main = await signIn(socket, me, { users: [bruno] });
    const first = aMessage(chatId, 1, bruno.id);
    socket.serverEmit('chat:created', { chat: aChat(chatId, [me.id, bruno.id], { lastMessage: first, unreadCount: 1 }) });
    socket.serverEmit('chat:message', first);
    expect(main.chatById(chatId)!.unreadCount).toBe(1);
    socket.serverEmit('chat:message', aMessage(chatId, 2, bruno.id));
    expect(main.chatById(chatId)!.unreadCount).toBe(2);
  });

  describe('sending', () => {
    it('keeps messages typed while offline as pending and sends them on reconnect with the same clientId', async () => {
      const main = await signIn(socket, me, { users: [bruno], chats: [aChat(chatId, [me.id, bruno.id])] });
      await openChatWithBruno(main, []);
      socket.serverDrop();

      main.sendMessage(chatId, '  see you at eight  ');
      const pending = main.messages()[chatId]!.list;
      expect(pending.length).toBe(1);
      expect(pending[0]!.local).toBe('pending');
      expect(pending[0]!.body).toBe('see you at eight');
      expect(main.tickStateOf(pending[0]!)).toBe('pending');
      const clientId = pending[0]!.clientId!;
      expect(clientId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(socket.emitsOf('chat:message')).toEqual([]);

      socket.respond('chat:message', (payload) => ({
        ok: true,
        data: { message: aMessage(chatId, 7, me.id, { clientId: payload.clientId, body: payload.body }) },
      }));
      socket.serverConnect();
      (await nextRequest(http, '/api/auth/refresh')).flush(tokens(me, 2));
      await settle();
      socket.serverEmit('authenticated', me);
      await settle();

      const sends = socket.emitsOf('chat:message');
      expect(sends.length).toBe(1);
      expect(sends[0]!.payload).toEqual({ chatId, clientId, body: 'see you at eight' });
      const list = main.messages()[chatId]!.list;
      expect(list.length).toBe(1);
      expect(list[0]!.local).toBeUndefined();
      expect(list[0]!.seq).toBe(7);
      expect(main.tickStateOf(list[0]!)).toBe('sent');
    });

    it('retries a send whose ack timed out with the same clientId', async () => {
      jasmine.clock().install();
      const main = await signIn(socket, me, { users: [bruno], chats: [aChat(chatId, [me.id, bruno.id])] });
      await openChatWithBruno(main, []);

      main.sendMessage(chatId, 'hello?');
      await settle();
      expect(socket.emitsOf('chat:message').length).toBe(1);

      jasmine.clock().tick(CHAT_TIMING.ackTimeoutMs - 1);
      await settle();
      expect(socket.emitsOf('chat:message').length).toBe(1);

      jasmine.clock().tick(1);
      await settle();
      const sends = socket.emitsOf('chat:message');
      expect(sends.length).toBe(2);
      expect(sends[1]!.payload.clientId).toBe(sends[0]!.payload.clientId);

      // The late ack of the first attempt and the second ack describe the same stored message.
      const stored = aMessage(chatId, 3, me.id, { clientId: sends[0]!.payload.clientId, body: 'hello?' });
      sends[0]!.ack!({ ok: true, data: { message: stored } });
      sends[1]!.ack!({ ok: true, data: { message: stored } });
      await settle();
      expect(main.messages()[chatId]!.list.map((m) => m.id)).toEqual([stored.id]);
    });

    it('marks a message the server refuses as failed instead of retrying it', async () => {
      const main = await signIn(socket, me, { users: [bruno], chats: [aChat(chatId, [me.id, bruno.id])] });
      await openChatWithBruno(main, []);
      socket.respond('chat:message', () => ({ ok: false, error: { code: 'blocked', message: 'You cannot message this user.' } }));
      main.sendMessage(chatId, 'hi');
      await settle();
      const [message] = main.messages()[chatId]!.list;
      expect(message!.local).toBe('failed');
      expect(message!.error).toBe('You cannot message this user.');
      expect(socket.emitsOf('chat:message').length).toBe(1);
    });
  });

  describe('typing', () => {
    it('sends typing true at most every few seconds and false after 2 s without keystrokes', async () => {
      jasmine.clock().install();
      jasmine.clock().mockDate(new Date('2026-03-02T10:00:00Z'));
      const main = await signIn(socket, me, { users: [bruno], chats: [aChat(chatId, [me.id, bruno.id])] });
      const typing = () => socket.emitsOf('chat:typing').map((e) => e.payload.typing);

      main.noteTyping(chatId);
      jasmine.clock().tick(500);
      main.noteTyping(chatId);
      jasmine.clock().tick(500);
      main.noteTyping(chatId);
      expect(typing()).toEqual([true]);

      jasmine.clock().tick(CHAT_TIMING.typingIdleMs - 1);
      expect(typing()).toEqual([true]);
      jasmine.clock().tick(1);
      expect(typing()).toEqual([true, false]);
    });

    it('shows who is typing in a chat until they stop', async () => {
      const main = await signIn(socket, me, { users: [bruno], chats: [aChat(chatId, [me.id, bruno.id])] });
      socket.serverEmit('chat:typing', { chatId, userId: bruno.id, typing: true });
      expect(main.typing()[chatId]).toEqual([bruno.id]);
      socket.serverEmit('chat:typing', { chatId, userId: bruno.id, typing: false });
      expect(main.typing()[chatId]).toEqual([]);
    });
  });

  describe('token refresh', () => {
    it('refreshes the access token before it expires and keeps doing so', async () => {
      jasmine.clock().install();
      const main = TestBed.inject(MainService);
      const login = main.login('ana', 'correct horse battery');
      http.expectOne('/api/auth/login').flush(tokens(me, 1, 900));
      await login;

      jasmine.clock().tick(719_999);
      http.expectNone('/api/auth/refresh');
      jasmine.clock().tick(1);
      const first = await nextRequest(http, '/api/auth/refresh');
      expect(first.request.body).toEqual({});
      first.flush(tokens(me, 2, 60));
      await settle();

      jasmine.clock().tick(29_999);
      http.expectNone('/api/auth/refresh');
      jasmine.clock().tick(1);
      const second = await nextRequest(http, '/api/auth/refresh');
      expect(second.request.withCredentials).toBeTrue();
      second.flush(tokens(me, 3, 900));
      await settle();
    });

    it('signs out when the refresh is refused', async () => {
      jasmine.clock().install();
      const main = TestBed.inject(MainService);
      const login = main.login('ana', 'correct horse battery');
      http.expectOne('/api/auth/login').flush(tokens(me, 1, 60));
      await login;
      jasmine.clock().tick(30_000);
      (await nextRequest(http, '/api/auth/refresh')).flush({ error: { code: 'unauthenticated', message: 'Session expired' } }, { status: 401, statusText: 'Unauthorized' });
      await settle();
      expect(main.currentUser()).toBeNull();
    });

    it('restores a session from the refresh cookie', async () => {
      const main = TestBed.inject(MainService);
      const restored = main.ensureSession();
      const request = await nextRequest(http, '/api/auth/refresh');
      expect(request.request.withCredentials).toBeTrue();
      request.flush(tokens(me));
      expect(await restored).toBeTrue();
      expect(main.currentUser()?.username).toBe('ana');
      expect(socket.connectCalls).toBe(1);
    });
  });

  describe('receipts', () => {
    it('moves our ticks from sent to delivered to read as receipts arrive', async () => {
      const carla = aUser('carla');
      const groupId = 'group-1';
      const group = aChat(groupId, [me.id, bruno.id, carla.id], { kind: 'group', name: 'Trip' });
      const main = await signIn(socket, me, { users: [bruno, carla], chats: [group] });
      socket.respond('chat:get', () => ({
        ok: true,
        data: { chat: group, history: { messages: [aMessage(groupId, 5, me.id)], hasMore: false } },
      }));
      await main.openChat(groupId);
      const mine = () => main.messages()[groupId]!.list[0]!;
      const receipt = (userId: string, status: ReceiptStatus) =>
        socket.serverEmit('chat:receipt', { chatId: groupId, messageId: `${groupId}-m5`, seq: 5, userId, status });

      expect(main.tickStateOf(mine())).toBe('sent');
      receipt(bruno.id, 'delivered');
      expect(main.tickStateOf(mine())).toBe('sent');
      receipt(carla.id, 'delivered');
      expect(main.tickStateOf(mine())).toBe('delivered');
      receipt(bruno.id, 'read');
      expect(main.tickStateOf(mine())).toBe('delivered');
      receipt(carla.id, 'read');
      expect(main.tickStateOf(mine())).toBe('read');
    });

    it('tells the server a visible chat was read up to its newest message', async () => {
      const main = await signIn(socket, me, {
        users: [bruno],
        chats: [aChat(chatId, [me.id, bruno.id], { unreadCount: 2 })],
      });
      await openChatWithBruno(main, [aMessage(chatId, 1, bruno.id), aMessage(chatId, 2, bruno.id)]);
      main.markRead(chatId);
      expect(socket.emitsOf('chat:read').map((e) => e.payload)).toEqual([{ chatId, upTo: `${chatId}-m2` }]);
      expect(main.chatById(chatId)!.unreadCount).toBe(0);
      main.markRead(chatId);
      expect(socket.emitsOf('chat:read').length).toBe(1);
    });
  });

  it('logs out: tells the server, disconnects and forgets the session', async () => {
    const main = await signIn(socket, me, { users: [bruno], chats: [aChat(chatId, [me.id, bruno.id])] });
    const done = main.logout();
    http.expectOne('/api/auth/logout').flush({});
    await done;
    expect(main.currentUser()).toBeNull();
    expect(main.chats()).toEqual([]);
    expect(socket.connected).toBeFalse();
  });
});
