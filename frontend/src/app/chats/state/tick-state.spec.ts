import { pendingMessage } from '../../timeline/state/chat-message';
import { aMember, aMessage } from '../../core/testing/chat-fixtures';
import { messageReceipts, tickState } from './tick-state';

describe('tickState', () => {
  const mine = aMessage('c', 10, 'me');

  it('is pending until the server stored the message', () => {
    const pending = pendingMessage('c', 'me', 'client', 'hi', new Date());
    expect(tickState(pending, [aMember('me'), aMember('bo', { readSeq: 99, deliveredSeq: 99 })], 'me')).toBe('pending');
  });

  it('is sent while someone has not received it', () => {
    expect(tickState(mine, [aMember('me'), aMember('bo', { deliveredSeq: 9 })], 'me')).toBe('sent');
  });

  it('is delivered once every other member received it', () => {
    const members = [aMember('me'), aMember('bo', { deliveredSeq: 10 }), aMember('cy', { deliveredSeq: 12, readSeq: 3 })];
    expect(tickState(mine, members, 'me')).toBe('delivered');
  });

  it('is read only once every other member read it', () => {
    const some = [aMember('me'), aMember('bo', { deliveredSeq: 10, readSeq: 10 }), aMember('cy', { deliveredSeq: 10, readSeq: 9 })];
    expect(tickState(mine, some, 'me')).toBe('delivered');
    const all = [aMember('me'), aMember('bo', { deliveredSeq: 10, readSeq: 10 }), aMember('cy', { deliveredSeq: 11, readSeq: 11 })];
    expect(tickState(mine, all, 'me')).toBe('read');
  });

  it('ignores our own position', () => {
    expect(tickState(mine, [aMember('me', { readSeq: 0, deliveredSeq: 0 }), aMember('bo', { readSeq: 10 })], 'me')).toBe('read');
  });

  it('counts how many of the other members received and read it', () => {
    const members = [
      aMember('me'),
      aMember('bo', { deliveredSeq: 10 }),
      aMember('cy', { deliveredSeq: 9, readSeq: 11 }),
      aMember('di', { deliveredSeq: 4 }),
    ];
    expect(messageReceipts(mine, members, 'me')).toEqual({ state: 'sent', others: 3, delivered: 2, read: 1 });
    expect(messageReceipts(mine, [aMember('me')], 'me')).toEqual({ state: 'sent', others: 0, delivered: 0, read: 0 });
  });
});
