import type { Ack, Message, UserWithPresence } from '@shared';
import { aChat, aMessage, aSelfUser, aUser } from '../core/testing/chat-fixtures';
import { openChat, signIn, useFakeServer } from '../core/testing/signed-in';
import { settle } from '../core/testing/wait';
import { SessionStore } from '../session/session-store';

describe('PeopleService: someone unknown appears', () => {
  const me = aSelfUser('ana');
  const bruno = aUser('bruno');
  const dina = aUser('dina');
  const eva = aUser('eva');
  const server = useFakeServer();
  const directory = (...users: UserWithPresence[]) => () => ({ ok: true as const, data: { users: [{ ...me, online: true }, bruno, ...users] } });
  const usersLists = () => server.socket.emitsOf('users:list').length;

  it('fetches a new sender of a message in a new chat, who then shows by name and is listed in People', async () => {
    const { socket } = server;
    const session = await signIn(socket, me, { users: [bruno] });
    const store = session.get(SessionStore);
    expect(usersLists()).toBe(1);

    // Dina registered after the list came and writes to us.
    const chatId = 'chat-ana-dina';
    const message = aMessage(chatId, 1, dina.id);
    socket.respond('users:list', directory(dina));
    socket.respond('chat:get', () => ({ ok: true, data: { chat: aChat(chatId, [me.id, dina.id], { lastMessage: message }), history: { messages: [message], hasMore: false } } }));
    socket.serverEmit('chat:message', message);
    await settle();

    expect(usersLists()).toBe(2);
    expect(store.userById(dina.id)?.firstName).toBe(dina.firstName);
    expect(store.users().map((u) => u.username)).toEqual(['bruno', 'dina']);
  });

  it('fetches someone named by a chat summary or a member list, once while the request is in flight', async () => {
    const { socket } = server;
    const session = await signIn(socket, me, { users: [bruno] });
    const store = session.get(SessionStore);
    socket.respond('users:list', () => undefined);

    socket.serverEmit('chat:created', { chat: aChat('chat-ana-dina', [me.id, dina.id]) });
    socket.serverEmit('chat:updated', { chat: aChat('chat-ana-dina', [me.id, dina.id], { unreadCount: 1 }) });
    const group = aChat('group-1', [me.id, bruno.id, dina.id, eva.id], { kind: 'group', name: 'Trip' });
    socket.serverEmit('chat:created', { chat: group });
    await settle();
    expect(usersLists()).toBe(2);

    // Eva came while Dina was being fetched: one more request, for her, when the first ends.
    const [, first] = socket.emitsOf('users:list');
    first!.ack!({ ok: true, data: { users: [bruno, dina] } } satisfies Ack<{ users: UserWithPresence[] }>);
    await settle();
    expect(store.userById(dina.id)).toBeDefined();
    expect(usersLists()).toBe(3);
    socket.emitsOf('users:list')[2]!.ack!({ ok: true, data: { users: [bruno, dina, eva] } });
    await settle();
    expect(store.users().map((u) => u.username)).toEqual(['bruno', 'dina', 'eva']);

    // Known now: nothing more is asked.
    socket.serverEmit('chat:updated', { chat: { ...group, unreadCount: 2 } });
    await settle();
    expect(usersLists()).toBe(3);
  });

  it('asks for an id the directory does not list only once', async () => {
    const { socket } = server;
    const session = await signIn(socket, me, { users: [bruno] });
    const chatId = 'group-1';
    const group = aChat(chatId, [me.id, bruno.id], { kind: 'group', name: 'Trip' });
    socket.respond('chat:get', () => ({ ok: true, data: { chat: group, history: { messages: [], hasMore: false } } }));
    await openChat(session, socket, group, []);
    const message = (seq: number): Message => aMessage(chatId, seq, 'user-gone');

    socket.serverEmit('chat:message', message(1));
    await settle();
    socket.serverEmit('chat:message', message(2));
    await settle();
    expect(usersLists()).toBe(2);
    expect(session.get(SessionStore).userById('user-gone')).toBeUndefined();
  });

  it('asks nothing for known senders, ourselves or deleted users', async () => {
    const { socket } = server;
    const chatId = 'chat-ana-bruno';
    const chat = aChat(chatId, [me.id, bruno.id]);
    const session = await signIn(socket, me, { users: [bruno], chats: [chat] });
    await openChat(session, socket, chat, []);
    for (const [seq, sender] of [[1, bruno.id], [2, me.id], [3, null]] as const) socket.serverEmit('chat:message', aMessage(chatId, seq, sender));
    await settle();
    expect(usersLists()).toBe(1);
  });
});
