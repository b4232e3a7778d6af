import type { ChatSummary } from '@shared';
import { aChat, aMessage } from '../../core/testing/chat-fixtures';
import { notifyReason, type Attention } from './notify-decision';

describe('notify decision', () => {
  const me = 'me';
  const other = 'bruno';
  const away: Attention = { hidden: true, openChatIds: [] };
  const direct = (notify: ChatSummary['notify'] = 'all') => aChat('dm', [me, other], { notify });
  const group = (notify: ChatSummary['notify'] = 'all') => aChat('g', [me, other, 'carla'], { kind: 'group', notify });
  const from = (chatId: string, senderId: string | null, mentions: string[] = [], overrides = {}) =>
    aMessage(chatId, 5, senderId, { mentions, ...overrides });

  it('notifies a direct message and a mention, not a plain group message', () => {
    expect(notifyReason(from('dm', other), direct(), me, away)).toBe('direct');
    expect(notifyReason(from('g', other, [me]), group(), me, away)).toBe('mention');
    expect(notifyReason(from('g', other, ['carla']), group(), me, away)).toBeNull();
    expect(notifyReason(from('g', other), group(), me, away)).toBeNull();
  });

  it('never for our own messages, notices, deleted messages or an unknown chat', () => {
    expect(notifyReason(from('dm', me), direct(), me, away)).toBeNull();
    expect(notifyReason(from('g', other, [me], { kind: 'notice' }), group(), me, away)).toBeNull();
    expect(notifyReason(from('dm', other, [], { deletedAt: '2026-01-01T00:00:00.000Z' }), direct(), me, away)).toBeNull();
    expect(notifyReason(from('dm', null), direct(), me, away)).toBeNull();
    expect(notifyReason(from('dm', other), undefined, me, away)).toBeNull();
  });

  it('never in a muted chat; only mentions in a mentions-only chat', () => {
    expect(notifyReason(from('dm', other, [me]), direct('muted'), me, away)).toBeNull();
    expect(notifyReason(from('g', other, [me]), group('muted'), me, away)).toBeNull();
    expect(notifyReason(from('dm', other), direct('mentions'), me, away)).toBeNull();
    expect(notifyReason(from('dm', other, [me]), direct('mentions'), me, away)).toBe('mention');
  });

  it('only while the tab is hidden or that chat is not open', () => {
    expect(notifyReason(from('dm', other), direct(), me, { hidden: false, openChatIds: ['dm'] })).toBeNull();
    expect(notifyReason(from('dm', other), direct(), me, { hidden: false, openChatIds: ['g'] })).toBe('direct');
    expect(notifyReason(from('dm', other), direct(), me, { hidden: true, openChatIds: ['dm'] })).toBe('direct');
  });
});
