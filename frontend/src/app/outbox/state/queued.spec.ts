import { upsertChat } from '../../chats/state/chats';
import { aChat, aMessage, aSelfUser } from '../../core/testing/chat-fixtures';
import { chatOpened, initialSessionState, type SessionState } from '../../session/state/session-state';
import type { OutboxEntry } from '../outbox-entry';
import { inQueueOrder, pendingUploads, showQueued } from './queued';

describe('showQueued', () => {
  const me = aSelfUser('ana');
  const chatId = 'chat-1';
  const stored = aMessage(chatId, 1, 'user-bruno', { body: 'hello' });
  const chat = aChat(chatId, [me.id, 'user-bruno'], { lastMessage: stored, lastActivityAt: stored.createdAt });
  const base = (): SessionState => chatOpened(initialSessionState(me), chat, { messages: [stored], hasMore: false });
  const message = (key: string, order: number, extra: Partial<OutboxEntry> = {}): OutboxEntry =>
    ({ type: 'message', key, chatId, body: `text ${key}`, quote: null, createdAt: '2026-03-05T10:00:00.000Z', order, attempts: 3, ...extra }) as OutboxEntry;

  it('puts the kept queue in its old order', () => {
    expect(inQueueOrder([message('b', 2), message('a', 1), message('c', 3)]).map((e) => e.key)).toEqual(['a', 'b', 'c']);
  });

  it('shows kept messages as pending, with their clientId and time, and moves the chat up without a sent-looking last line', () => {
    const state = showQueued(base(), [message('client-2', 2), message('client-1', 1)]);
    const list = state.timelines[chatId]!.list;
    expect(list.map((m) => [m.clientId, m.local, m.body])).toEqual([
      [null, undefined, 'hello'],
      ['client-1', 'pending', 'text client-1'],
      ['client-2', 'pending', 'text client-2'],
    ]);
    expect(list[1]!.createdAt).toBe('2026-03-05T10:00:00.000Z');
    expect(state.chats.byId[chatId]!.lastMessage).toBe(stored);
    expect(state.chats.byId[chatId]!.lastActivityAt).toBe('2026-03-05T10:00:00.000Z');
  });

  it('shows a refused message as failed, with the reason, and leaves the chat where it was', () => {
    const state = showQueued(base(), [message('client-1', 1, { failed: 'You cannot message this user.' })]);
    const failed = state.timelines[chatId]!.list.at(-1)!;
    expect(failed.local).toBe('failed');
    expect(failed.error).toBe('You cannot message this user.');
    expect(state.chats.byId[chatId]!.lastActivityAt).toBe(stored.createdAt);
  });

  it('shows a kept change on top of the message it changes', () => {
    const edit: OutboxEntry = {
      type: 'change',
      key: 'change-1',
      chatId,
      messageId: stored.id,
      change: { id: 'change-1', kind: 'edit', body: 'hello again', at: '2026-03-05T10:00:00.000Z' },
      order: 1,
      attempts: 0,
    };
    const shown = showQueued(base(), [edit]).timelines[chatId]!.list[0]!;
    expect(shown.body).toBe('hello again');
    expect(shown.pendingChange).toBe('edit');
  });

  it('shows a kept message with files as pending with them, the uploaded ones done', () => {
    const files = [
      { key: 'f1', name: 'cat.png', size: 10, mime: 'image/png', kind: 'image' as const, blob: new Blob(['x']) },
      {
        key: 'f2',
        name: 'plan.pdf',
        size: 20,
        mime: 'application/pdf',
        kind: 'file' as const,
        attachment: { id: 'att-2', name: 'plan.pdf', size: 20, mime: 'application/pdf', kind: 'file' as const },
      },
    ];
    const shown = showQueued(base(), [message('client-1', 1, { body: '', files } as Partial<OutboxEntry>)]).timelines[chatId]!.list.at(-1)!;
    expect(shown.local).toBe('pending');
    expect(shown.body).toBe('');
    expect(shown.uploads).toEqual([
      { key: 'f1', name: 'cat.png', size: 10, mime: 'image/png', kind: 'image', done: false },
      { key: 'f2', name: 'plan.pdf', size: 20, mime: 'application/pdf', kind: 'file', done: true },
    ]);
    expect(pendingUploads(undefined)).toEqual([]);
  });

  it('leaves out entries of chats the client does not hold', () => {
    const state = { ...initialSessionState(me), chats: upsertChat(initialSessionState(me).chats, aChat('other', [me.id])) };
    expect(showQueued(state, [message('client-1', 1)])).toBe(state);
  });
});
