import { CHAT_TIMING } from '../connection/chat-timing';
import { aChat, aMessage, aSelfUser, aUser, tokens } from '../core/testing/chat-fixtures';
import { openChat, signIn, useFakeServer } from '../core/testing/signed-in';
import { nextRequest, settle } from '../core/testing/wait';
import { SessionStore } from '../session/session-store';
import { Outbox } from './outbox.service';

describe('Outbox', () => {
  const me = aSelfUser('ana');
  const bruno = aUser('bruno');
  const chatId = 'chat-ana-bruno';
  const chat = () => aChat(chatId, [me.id, bruno.id]);
  const server = useFakeServer();

  /** Signed in with the empty chat with Bruno open. */
  async function signedInWithChat(): Promise<{ outbox: Outbox; store: SessionStore }> {
    const session = await signIn(server.socket, me, { users: [bruno], chats: [chat()] });
    await openChat(session, server.socket, chat(), []);
    return { outbox: session.get(Outbox), store: session.get(SessionStore) };
  }

  it('keeps messages typed while offline as pending and sends them on reconnect with the same clientId', async () => {
    const { socket, http } = server;
    const { outbox, store } = await signedInWithChat();
    socket.serverDrop();

    outbox.send(chatId, '  see you at eight  ');
    const pending = store.timelines()[chatId]!.list;
    expect(pending.length).toBe(1);
    expect(pending[0]!.local).toBe('pending');
    expect(pending[0]!.body).toBe('see you at eight');
    expect(store.receiptsOf(pending[0]!).state).toBe('pending');
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
    const list = store.timelines()[chatId]!.list;
    expect(list.length).toBe(1);
    expect(list[0]!.local).toBeUndefined();
    expect(list[0]!.seq).toBe(7);
    expect(store.receiptsOf(list[0]!).state).toBe('sent');
  });

  it('retries a send whose ack timed out with the same clientId', async () => {
    const { socket } = server;
    jasmine.clock().install();
    const { outbox, store } = await signedInWithChat();

    outbox.send(chatId, 'hello?');
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
    expect(store.timelines()[chatId]!.list.map((m) => m.id)).toEqual([stored.id]);
  });

  it('marks a message the server refuses as failed instead of retrying it', async () => {
    const { socket } = server;
    const { outbox, store } = await signedInWithChat();
    socket.respond('chat:message', () => ({ ok: false, error: { code: 'blocked', message: 'You cannot message this user.' } }));
    outbox.send(chatId, 'hi');
    await settle();
    const [message] = store.timelines()[chatId]!.list;
    expect(message!.local).toBe('failed');
    expect(message!.error).toBe('You cannot message this user.');
    expect(socket.emitsOf('chat:message').length).toBe(1);
  });
});
