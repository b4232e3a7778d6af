import { pendingMessage } from './chat-message';
import { firstStoredMessage, lastStoredMessage, mergeMessages } from './merge-messages';
import { aMessage } from '../../core/testing/chat-fixtures';

describe('mergeMessages', () => {
  const chat = 'chat-1';

  it('orders stored messages by seq and keeps one entry per id', () => {
    const merged = mergeMessages([aMessage(chat, 2, 'u1'), aMessage(chat, 4, 'u1')], [aMessage(chat, 3, 'u2'), aMessage(chat, 2, 'u1'), aMessage(chat, 1, 'u2')]);
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
  });

  it('replaces our pending copy once the stored message with the same clientId arrives', () => {
    const pending = pendingMessage(chat, 'me', 'c-1', 'hi', new Date('2026-03-02T10:00:00Z'));
    const stored = aMessage(chat, 9, 'me', { clientId: 'c-1', body: 'hi' });
    const merged = mergeMessages([aMessage(chat, 8, 'u2'), pending], [stored]);
    expect(merged.map((m) => m.id)).toEqual([`${chat}-m8`, `${chat}-m9`]);
    expect(merged.some((m) => m.local)).toBeFalse();
  });

  it('keeps pending messages after the stored ones, oldest first', () => {
    const first = pendingMessage(chat, 'me', 'c-1', 'one', new Date('2026-03-02T10:00:00Z'));
    const second = pendingMessage(chat, 'me', 'c-2', 'two', new Date('2026-03-02T10:00:05Z'));
    const merged = mergeMessages([second, first], [aMessage(chat, 100, 'u2')]);
    expect(merged.map((m) => m.body)).toEqual(['message 100', 'one', 'two']);
  });

  it('finds the sync and history cursors among stored messages only', () => {
    const list = mergeMessages([pendingMessage(chat, 'me', 'c-1', 'x', new Date())], [aMessage(chat, 2, 'u'), aMessage(chat, 5, 'u')]);
    expect(lastStoredMessage(list)?.seq).toBe(5);
    expect(firstStoredMessage(list)?.seq).toBe(2);
    expect(lastStoredMessage([])).toBeNull();
  });
});
