import { aMessage } from '../../core/testing/chat-fixtures';
import { applyLocalChange, react } from './local-change';

describe('local changes', () => {
  const message = aMessage('chat-1', 3, 'user-ana', { reactions: [{ emoji: '👍', userIds: ['user-bruno'] }] });
  const at = '2026-03-02T12:00:00.000Z';

  it('shows an edit with its new body', () => {
    expect(applyLocalChange(message, { id: 'c1', kind: 'edit', body: 'fixed', at })).toEqual(
      jasmine.objectContaining({ body: 'fixed', editedAt: at }),
    );
  });

  it('shows a delete as the tombstone the server keeps', () => {
    const deleted = applyLocalChange(message, { id: 'c1', kind: 'delete', by: 'sender', at });
    expect(deleted).toEqual(jasmine.objectContaining({ body: '', deletedAt: at, deletedBy: 'sender', reactions: [], replyTo: null }));
    expect(applyLocalChange(deleted, { id: 'c2', kind: 'edit', body: 'again', at })).toBe(deleted);
  });

  it('puts a reaction on last among its reactors, and takes it off', () => {
    expect(react(message.reactions, '👍', 'user-ana', true)).toEqual([{ emoji: '👍', userIds: ['user-bruno', 'user-ana'] }]);
    expect(react(message.reactions, '🎉', 'user-ana', true)).toEqual([
      { emoji: '👍', userIds: ['user-bruno'] },
      { emoji: '🎉', userIds: ['user-ana'] },
    ]);
    expect(react(message.reactions, '👍', 'user-bruno', false)).toEqual([]);
    expect(react(message.reactions, '👍', 'user-bruno', true)).toEqual(message.reactions);
    expect(react(message.reactions, '🎉', 'user-ana', false)).toEqual(message.reactions);
  });
});
