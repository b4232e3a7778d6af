import type { ChangeKind, Message, MessageChange } from '@shared';
import { aChat, aMember, aMessage, aSelfUser, aUser } from '../../core/testing/chat-fixtures';
import { hasChangeGap } from '../../timeline/state/change-positions';
import { heldMessage } from '../../timeline/state/timeline-changes';
import { changedLocally, changesSynced, localChangeDone, localChangeFailed, messageChanged } from './message-changed';
import { changedPositions, chatOpened, chatRemoved, initialSessionState, type SessionState } from './session-state';

describe('session state: message changes', () => {
  const me = aSelfUser('ana');
  const bruno = aUser('bruno');
  const chatId = 'chat-1';
  const fromBruno = (seq: number, overrides: Partial<Message> = {}) => aMessage(chatId, seq, bruno.id, overrides);
  const deleted = { body: '', deletedAt: '2026-03-02T12:00:00.000Z', deletedBy: 'sender' as const };
  const change = (changeSeq: number, kind: ChangeKind, message: Message): MessageChange => ({ chatId, changeSeq, kind, message });
  /** The chat opened at change position 3 on messages 1 and 2, the last one unread. */
  const opened = (): SessionState =>
    chatOpened(
      initialSessionState(me),
      aChat(chatId, [me.id, bruno.id], { changeSeq: 3, lastMessage: fromBruno(2), unreadCount: 1, members: [aMember(me.id, { readSeq: 1 }), aMember(bruno.id)] }),
      { messages: [fromBruno(1), fromBruno(2)], hasMore: false },
    );
  const shown = (state: SessionState, seq: number) => heldMessage(state.timelines, chatId, `${chatId}-m${seq}`);

  it('starts the chat’s change position from its summary when the chat is first loaded, and forgets it with the chat', () => {
    const state = opened();
    expect(state.changePositions[chatId]).toEqual({ applied: 3, ahead: [] });
    const reopened = chatOpened(state, aChat(chatId, [me.id, bruno.id], { changeSeq: 9 }), { messages: [], hasMore: false });
    expect(reopened.changePositions[chatId]!.applied).toBe(3);
    expect(chatRemoved(state, chatId).changePositions).toEqual({});
  });

  it('applies a live change to the message, the chat’s last line and its position', () => {
    const before = opened();
    const after = messageChanged(before, change(4, 'edit', fromBruno(2, { body: 'edited', changeSeq: 4 })));
    expect(shown(after, 2)!.body).toBe('edited');
    expect(after.chats.byId[chatId]!.lastMessage!.body).toBe('edited');
    expect(after.chats.byId[chatId]!.changeSeq).toBe(4);
    expect(after.changePositions[chatId]).toEqual({ applied: 4, ahead: [] });
    expect(changedPositions(before, after)).toEqual([chatId]);
    expect(hasChangeGap(after.changePositions, chatId)).toBeFalse();
  });

  it('ignores a repeated or stale change', () => {
    const once = messageChanged(opened(), change(4, 'edit', fromBruno(2, { body: 'edited', changeSeq: 4 })));
    const twice = messageChanged(once, change(4, 'edit', fromBruno(2, { body: 'edited', changeSeq: 4 })));
    expect(twice.timelines).toBe(once.timelines);
    expect(twice.changePositions).toBe(once.changePositions);
    const stale = messageChanged(once, change(2, 'edit', fromBruno(2, { body: 'old', changeSeq: 2 })));
    expect(shown(stale, 2)!.body).toBe('edited');
    expect(stale.chats.byId[chatId]!.lastMessage!.body).toBe('edited');
  });

  it('applies a change past a missed one and says the chat needs a change catch-up', () => {
    const after = messageChanged(opened(), change(6, 'react', fromBruno(1, { reactions: [{ emoji: '👍', userIds: [bruno.id] }], changeSeq: 6 })));
    expect(shown(after, 1)!.reactions.length).toBe(1);
    expect(hasChangeGap(after.changePositions, chatId)).toBeTrue();
    const synced = changesSynced(after, chatId, [change(5, 'edit', fromBruno(2, { body: 'caught up', changeSeq: 5 }))], 6);
    expect(shown(synced, 2)!.body).toBe('caught up');
    expect(synced.changePositions[chatId]).toEqual({ applied: 6, ahead: [] });
  });

  it('no longer counts a message deleted before we read it as unread, once', () => {
    const after = messageChanged(opened(), change(4, 'delete', fromBruno(2, { ...deleted, changeSeq: 4 })));
    expect(after.chats.byId[chatId]!.unreadCount).toBe(0);
    expect(after.chats.byId[chatId]!.lastMessage!.deletedAt).not.toBeNull();
    expect(shown(after, 2)!.body).toBe('');
    const repeated = messageChanged({ ...after, chats: { ...after.chats, byId: { [chatId]: { ...after.chats.byId[chatId]!, unreadCount: 1 } } } }, change(4, 'delete', fromBruno(2, { ...deleted, changeSeq: 4 })));
    expect(repeated.chats.byId[chatId]!.unreadCount).toBe(1);
  });

  it('shows our change as pending, then the acked state, and notes the change’s position', () => {
    const edit = { id: 'c1', kind: 'react', emoji: '🎉', on: true, userId: me.id } as const;
    const pending = changedLocally(opened(), chatId, `${chatId}-m2`, edit);
    expect(shown(pending, 2)!.pendingChange).toBe('react');
    expect(shown(pending, 2)!.reactions).toEqual([{ emoji: '🎉', userIds: [me.id] }]);

    const acked = localChangeDone(pending, 'c1', 'react', fromBruno(2, { reactions: [{ emoji: '🎉', userIds: [me.id] }], changeSeq: 4 }));
    expect(shown(acked, 2)!.pendingChange).toBeUndefined();
    expect(acked.changePositions[chatId]).toEqual({ applied: 4, ahead: [] });
    expect(acked.chats.byId[chatId]!.lastMessage!.reactions.length).toBe(1);

    const failed = localChangeFailed(pending, chatId, `${chatId}-m2`, 'c1', 'Not allowed.');
    expect(shown(failed, 2)!.reactions).toEqual([]);
    expect(shown(failed, 2)!.changeError).toBe('Not allowed.');
  });
});
