import { aChat, aMessage, aSelfUser, aUser } from '../../core/testing/chat-fixtures';
import { upsertChat } from '../../chats/state/chats';
import { replaceUsers, replaceBlocks } from '../../people/state/people';
import { changedLocally } from '../../session/state/message-changed';
import { chatOpened, initialSessionState, messagesReceived, type SessionState } from '../../session/state/session-state';
import { pendingMessage } from '../../timeline/state/chat-message';
import { addPending, syncCursor } from '../../timeline/state/timelines';
import { restoreSnapshot, savedTimeline, takeSnapshot } from './snapshot';

describe('snapshot', () => {
  const me = aSelfUser('ana');
  const bruno = aUser('bruno');
  const chatId = 'chat-ana-bruno';
  const chat = aChat(chatId, [me.id, bruno.id], { changeSeq: 4 });
  const messages = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => aMessage(chatId, from + i, bruno.id));

  function withHistory(count: number): SessionState {
    const state = initialSessionState(me);
    const people = replaceBlocks(replaceUsers(state.people, [{ ...bruno, online: true }]), ['user-eve']);
    return chatOpened({ ...state, people }, chat, { messages: messages(1, count), hasMore: false });
  }

  it('keeps the chats, people, blocks and each loaded chat with its watermark and change position', () => {
    const snapshot = takeSnapshot(withHistory(3));
    expect(snapshot.chats.map((c) => c.id)).toEqual([chatId]);
    expect(snapshot.users.map((u) => u.id)).toEqual([bruno.id]);
    expect(snapshot.blocked).toEqual(['user-eve']);
    expect(snapshot.timelines).toEqual([
      { chatId, messages: messages(1, 3), hasMore: false, watermark: 3, changePosition: { applied: 4, ahead: [] } },
    ]);
  });

  it('keeps only the newest messages of a long chat, and says older ones exist', () => {
    const saved = savedTimeline(chatId, withHistory(250).timelines[chatId], undefined)!;
    expect(saved.messages.length).toBe(200);
    expect(saved.messages[0]!.seq).toBe(51);
    expect(saved.messages.at(-1)!.seq).toBe(250);
    expect(saved.hasMore).toBeTrue();
    expect(saved.watermark).toBe(250);
  });

  it('starts over from the latest page when the cut passes the watermark', () => {
    let state = withHistory(3);
    // 4 never came; 5..9 wait past the hole, so the watermark stays at 3.
    [state] = messagesReceived(state, chatId, messages(5, 9));
    expect(state.timelines[chatId]!.watermark).toBe(3);
    const saved = savedTimeline(chatId, state.timelines[chatId], undefined, 4)!;
    expect(saved.messages.map((m) => m.seq)).toEqual([6, 7, 8, 9]);
    expect(saved.watermark).toBe(0);
  });

  it('leaves our pending messages out and keeps messages as stored, without our pending changes', () => {
    let state = withHistory(2);
    const pending = pendingMessage(chatId, me.id, 'client-1', 'on its way', new Date('2026-03-05T10:00:00Z'));
    state = { ...state, timelines: addPending(state.timelines, pending) };
    state = changedLocally(state, chatId, messages(2, 2)[0]!.id, { id: 'change-1', kind: 'edit', body: 'edited', at: '2026-03-05T10:00:00Z' });
    const saved = takeSnapshot(state).timelines[0]!;
    expect(saved.messages).toEqual(messages(1, 2));
  });

  it('does not keep a chat whose history was never loaded', () => {
    const state = { ...initialSessionState(me), chats: upsertChat(initialSessionState(me).chats, chat) };
    expect(takeSnapshot(state).timelines).toEqual([]);
  });

  it('comes back as it was kept, with presence unknown (nobody online) until the server says', () => {
    const kept = takeSnapshot(withHistory(3));
    const restored = restoreSnapshot(initialSessionState(me), kept);
    expect(restored.chats.byId[chatId]).toEqual(chat);
    expect(restored.people.users.get(bruno.id)).toEqual({ ...bruno, online: false });
    expect([...restored.people.blocked]).toEqual(['user-eve']);
    const timeline = restored.timelines[chatId]!;
    expect(timeline.loaded).toBeTrue();
    expect(timeline.list.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(timeline.watermark).toBe(3);
    expect(syncCursor(timeline)).toBe(messages(3, 3)[0]!.id);
    expect(restored.changePositions[chatId]).toEqual({ applied: 4, ahead: [] });
  });

  it('never overrides what the server already said, and merges live messages of a chat not loaded yet', () => {
    const kept = takeSnapshot(withHistory(3));
    const newer = aChat(chatId, [me.id, bruno.id], { changeSeq: 9, name: 'newer' });
    let state = initialSessionState(me);
    state = { ...state, chats: upsertChat(state.chats, newer), people: replaceUsers(state.people, [{ ...bruno, online: true }]) };
    [state] = messagesReceived(state, chatId, messages(4, 4));
    const restored = restoreSnapshot(state, kept);
    expect(restored.chats.byId[chatId]).toBe(newer);
    expect(restored.people.users.get(bruno.id)!.online).toBeTrue();
    expect(restored.timelines[chatId]!.list.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(restored.timelines[chatId]!.watermark).toBe(4);
  });

  it('leaves a loaded chat alone', () => {
    const kept = takeSnapshot(withHistory(3));
    const loaded = withHistory(5);
    expect(restoreSnapshot(loaded, kept).timelines[chatId]).toBe(loaded.timelines[chatId]);
  });
});
