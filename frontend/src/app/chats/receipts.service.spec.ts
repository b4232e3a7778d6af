import { aChat, aMessage, aSelfUser, aUser } from '../core/testing/chat-fixtures';
import { openChat, signIn, useFakeServer } from '../core/testing/signed-in';
import { SessionStore } from '../session/session-store';
import { ReceiptsService } from './receipts.service';

describe('ReceiptsService', () => {
  const me = aSelfUser('ana');
  const bruno = aUser('bruno');
  const server = useFakeServer();

  it('moves our ticks from sent to delivered to read as receipts arrive', async () => {
    const { socket } = server;
    const carla = aUser('carla');
    const groupId = 'group-1';
    const group = aChat(groupId, [me.id, bruno.id, carla.id], { kind: 'group', name: 'Trip' });
    const session = await signIn(socket, me, { users: [bruno, carla], chats: [group] });
    await openChat(session, socket, group, [aMessage(groupId, 5, me.id)]);
    const store = session.get(SessionStore);
    const tick = () => store.receiptsOf(store.timelines()[groupId]!.list[0]!).state;
    const receipt = (userId: string, status: 'delivered' | 'read') =>
      socket.serverEmit('chat:receipt', { chatId: groupId, messageId: `${groupId}-m5`, seq: 5, userId, status, readAt: null });

    expect(tick()).toBe('sent');
    receipt(bruno.id, 'delivered');
    expect(tick()).toBe('sent');
    receipt(carla.id, 'delivered');
    expect(tick()).toBe('delivered');
    receipt(bruno.id, 'read');
    expect(tick()).toBe('delivered');
    receipt(carla.id, 'read');
    expect(tick()).toBe('read');
  });

  it('tells the server the chat was read up to the newest message seen, and keeps the rest unread', async () => {
    const { socket } = server;
    const chatId = 'chat-ana-bruno';
    const chat = aChat(chatId, [me.id, bruno.id], { unreadCount: 3 });
    const session = await signIn(socket, me, { users: [bruno], chats: [chat] });
    const messages = [aMessage(chatId, 1, bruno.id), aMessage(chatId, 2, bruno.id), aMessage(chatId, 3, bruno.id)];
    await openChat(session, socket, chat, messages);
    const receipts = session.get(ReceiptsService);
    const store = session.get(SessionStore);

    receipts.markSeen(store.timelines()[chatId]!.list[1]!);
    expect(socket.emitsOf('chat:read').map((e) => e.payload)).toEqual([{ chatId, upTo: `${chatId}-m2` }]);
    expect(store.chatById(chatId)!.unreadCount).toBe(1);
    receipts.markSeen(store.timelines()[chatId]!.list[0]!);
    receipts.markSeen(store.timelines()[chatId]!.list[1]!);
    expect(socket.emitsOf('chat:read').length).toBe(1);

    receipts.markSeen(store.timelines()[chatId]!.list[2]!);
    expect(socket.emitsOf('chat:read').map((e) => e.payload.upTo)).toEqual([`${chatId}-m2`, `${chatId}-m3`]);
    expect(store.chatById(chatId)!.unreadCount).toBe(0);
  });
});
