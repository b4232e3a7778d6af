import { aChat, aMessage } from '../../core/testing/chat-fixtures';
import { pendingMessage } from '../../timeline/state/chat-message';
import { chatPreview } from './chat-preview';

describe('chatPreview', () => {
  const chatId = 'chat-1';
  const stored = aMessage(chatId, 4, 'user-bruno', { body: 'stored one' });
  const chat = aChat(chatId, ['user-ana', 'user-bruno'], { lastMessage: stored });
  const pending = (clientId: string, body: string) => pendingMessage(chatId, 'user-ana', clientId, body, new Date('2026-03-05T10:00:00Z'));

  it('shows the last stored message when nothing of ours is on its way', () => {
    expect(chatPreview(chat, [stored])).toEqual({ message: stored, pending: false });
  });

  it('shows our newest pending message as pending', () => {
    const first = pending('c1', 'first');
    const second = pending('c2', 'second');
    expect(chatPreview(chat, [stored, first, second])).toEqual({ message: second, pending: true });
  });

  it('never shows a refused message: the last stored one stays', () => {
    const refused = { ...pending('c3', 'refused'), local: 'failed' as const, error: 'You cannot message this user.' };
    expect(chatPreview(chat, [stored, refused])).toEqual({ message: stored, pending: false });
  });
});
