import { aMember } from '../../core/testing/chat-fixtures';
import { seenBy } from './seen-by';

describe('seenBy', () => {
  const me = 'user-ana';
  const members = [
    aMember(me, { readSeq: 9, readAt: '2026-03-02T10:00:00.000Z' }),
    aMember('user-bruno', { readSeq: 5, readAt: '2026-03-02T10:07:00.000Z' }),
    aMember('user-carla', { readSeq: 7, readAt: '2026-03-02T10:03:00.000Z' }),
    aMember('user-dina', { readSeq: 4, readAt: '2026-03-02T10:01:00.000Z' }),
    aMember('user-emil', { readSeq: 6, readAt: null }),
  ];

  it('lists the members whose read position reaches the message, earliest read first, unknown times last', () => {
    expect(seenBy({ seq: 5, senderId: me }, members, me)).toEqual([
      { userId: 'user-carla', readAt: '2026-03-02T10:03:00.000Z' },
      { userId: 'user-bruno', readAt: '2026-03-02T10:07:00.000Z' },
      { userId: 'user-emil', readAt: null },
    ]);
  });

  it('leaves out the reader asking and the sender', () => {
    expect(seenBy({ seq: 7, senderId: 'user-carla' }, members, me)).toEqual([]);
    expect(seenBy({ seq: 1, senderId: 'user-dina' }, members, me).map((e) => e.userId)).toEqual(['user-carla', 'user-bruno', 'user-emil']);
  });
});
