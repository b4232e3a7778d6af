import { aChat, aMessage, aSelfUser, aUser } from '../../core/testing/chat-fixtures';
import { upsertChat } from '../../chats/state/chats';
import { chatOpened, initialSessionState, messagesReceived } from '../../session/state/session-state';
import { replaceUsers } from './people';
import { allUnknownUserIds, unknownUserIds } from './unknown-users';

describe('unknown users', () => {
  const me = aSelfUser('ana');
  const bruno = aUser('bruno');
  const chatId = 'chat-ana-bruno';
  const known = { ...initialSessionState(me), people: replaceUsers(initialSessionState(me).people, [{ ...me, online: true }, bruno]) };
  const opened = chatOpened(known, aChat(chatId, [me.id, bruno.id]), { messages: [aMessage(chatId, 1, bruno.id)], hasMore: false });

  it('finds none when a change names only known people, or nobody', () => {
    const [after] = messagesReceived(opened, chatId, [aMessage(chatId, 2, bruno.id), aMessage(chatId, 3, me.id), aMessage(chatId, 4, null)]);
    expect(unknownUserIds(opened, after)).toEqual([]);
    expect(unknownUserIds(opened, opened)).toEqual([]);
  });

  it('finds the sender of a new message', () => {
    const groupId = 'group-1';
    const withGroup = chatOpened(opened, aChat(groupId, [me.id, bruno.id], { kind: 'group' }), { messages: [], hasMore: false });
    const [after] = messagesReceived(withGroup, groupId, [aMessage(groupId, 1, 'user-dina'), aMessage(groupId, 2, 'user-dina')]);
    expect(unknownUserIds(withGroup, after)).toEqual(['user-dina']);
  });

  it('finds the members and last sender of a chat summary added or replaced', () => {
    const direct = aChat('chat-ana-dina', [me.id, 'user-dina'], { lastMessage: aMessage('chat-ana-dina', 1, 'user-dina') });
    const after = { ...opened, chats: upsertChat(opened.chats, direct) };
    expect(unknownUserIds(opened, after)).toEqual(['user-dina']);

    const group = aChat('group-1', [me.id, bruno.id], { kind: 'group' });
    const withGroup = { ...opened, chats: upsertChat(opened.chats, group) };
    const grown = { ...withGroup, chats: upsertChat(withGroup.chats, { ...group, members: [...group.members, ...aChat('x', ['user-eva']).members] }) };
    expect(unknownUserIds(withGroup, grown)).toEqual(['user-eva']);
  });

  it('lists everyone unknown the whole state names', () => {
    const direct = aChat('chat-ana-dina', [me.id, 'user-dina']);
    const state = chatOpened(opened, direct, { messages: [aMessage('chat-ana-dina', 1, 'user-eva')], hasMore: false });
    expect(allUnknownUserIds(state).sort()).toEqual(['user-dina', 'user-eva']);
    expect(allUnknownUserIds(opened)).toEqual([]);
  });
});
