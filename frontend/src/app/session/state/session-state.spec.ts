import { aChat, aMessage, aSelfUser, aUser } from '../../core/testing/chat-fixtures';
import { setTyping } from '../../typing/state/typing';
import {
  changedTimelines,
  chatOpened,
  chatRemoved,
  chatsListed,
  initialSessionState,
  messageAcked,
  messageArrived,
  messagesReceived,
  removedChats,
  userUpdated,
  type SessionState,
} from './session-state';

describe('session state', () => {
  const me = aSelfUser('ana');
  const bruno = aUser('bruno');
  const chatId = 'chat-1';
  const chat = aChat(chatId, [me.id, bruno.id]);
  const withChat = (): SessionState => chatOpened(initialSessionState(me), chat, { messages: [aMessage(chatId, 1, bruno.id)], hasMore: false });

  it('starts with nothing but the signed-in user', () => {
    const state = initialSessionState(me);
    expect(state.me).toBe(me);
    expect(state.chats.byId).toEqual({});
    expect(state.timelines).toEqual({});
    expect(state.people.users.size).toBe(0);
  });

  it('removes a chat with its messages and typing, and says which chats went', () => {
    const before = { ...withChat(), typing: setTyping({}, chatId, bruno.id, true) };
    const after = chatRemoved(before, chatId);
    expect(after.chats.byId).toEqual({});
    expect(after.timelines).toEqual({});
    expect(after.typing).toEqual({});
    expect(removedChats(before, after)).toEqual([chatId]);
    expect(changedTimelines(before, after)).toEqual([chatId]);
  });

  it('removes the chats a full list leaves out', () => {
    const before = withChat();
    const other = aChat('chat-2', [me.id, bruno.id]);
    const after = chatsListed(before, [other]);
    expect(Object.keys(after.chats.byId)).toEqual(['chat-2']);
    expect(removedChats(before, after)).toEqual([chatId]);
  });

  it('counts someone else’s live text as unread and ends their typing line', () => {
    const state = { ...withChat(), typing: setTyping({}, chatId, bruno.id, true) };
    const [stored, arrived] = messagesReceived(state, chatId, [aMessage(chatId, 2, bruno.id)]);
    const after = arrived.reduce(messageArrived, stored);
    expect(after.chats.byId[chatId]!.unreadCount).toBe(1);
    expect(after.typing[chatId]).toEqual([]);
    expect(messageArrived(after, aMessage(chatId, 3, me.id)).chats.byId[chatId]!.unreadCount).toBe(1);
  });

  it('takes in the ack of our message once', () => {
    const mine = aMessage(chatId, 2, me.id);
    const once = messageAcked(withChat(), mine);
    expect(once.chats.byId[chatId]!.lastMessage).toEqual(mine);
    expect(messageAcked(once, mine)).toBe(once);
  });

  it('updates a profile, ours included', () => {
    const renamed = userUpdated(withChat(), { ...me, firstName: 'Anna' });
    expect(renamed.me.firstName).toBe('Anna');
    expect(renamed.me.email).toBe(me.email);
  });
});
