import { tickLabel } from './tick-label';

describe('tickLabel', () => {
  it('keeps the short words in a direct chat', () => {
    expect(tickLabel({ state: 'pending', others: 1, delivered: 0, read: 0 }, false)).toBe('Sending');
    expect(tickLabel({ state: 'sent', others: 1, delivered: 0, read: 0 }, false)).toBe('Sent');
    expect(tickLabel({ state: 'delivered', others: 1, delivered: 1, read: 0 }, false)).toBe('Delivered');
    expect(tickLabel({ state: 'read', others: 1, delivered: 1, read: 1 }, false)).toBe('Seen');
  });

  it('says how many members of a group have the message', () => {
    expect(tickLabel({ state: 'sent', others: 3, delivered: 2, read: 1 }, true)).toBe('Sent · delivered to 2 of 3');
    expect(tickLabel({ state: 'delivered', others: 3, delivered: 3, read: 0 }, true)).toBe('Delivered to all 3');
    expect(tickLabel({ state: 'delivered', others: 3, delivered: 3, read: 2 }, true)).toBe('Delivered to all 3 · seen by 2 of 3');
    expect(tickLabel({ state: 'read', others: 3, delivered: 3, read: 3 }, true)).toBe('Seen by all 3');
  });

  it('explains a ✓ in a group nobody else has joined yet', () => {
    expect(tickLabel({ state: 'sent', others: 0, delivered: 0, read: 0 }, true)).toBe('Sent · no one else is in the group yet');
  });
});
