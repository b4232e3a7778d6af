import { aHit } from '../../core/testing/search-fixtures';
import { groupHitsByChat, hitsInGroupOrder, movedActive } from './hit-groups';

describe('hit groups', () => {
  it('groups hits by chat, the chat with the newest hit first, keeping the order within each', () => {
    const hits = [aHit('m5', 'ops'), aHit('m4', 'dm'), aHit('m3', 'ops'), aHit('m2', 'team'), aHit('m1', 'dm')];
    const groups = groupHitsByChat(hits);
    expect(groups.map((group) => [group.chatId, group.hits.map((hit) => hit.messageId)])).toEqual([
      ['ops', ['m5', 'm3']],
      ['dm', ['m4', 'm1']],
      ['team', ['m2']],
    ]);
    expect(hitsInGroupOrder(groups).map((hit) => hit.messageId)).toEqual(['m5', 'm3', 'm4', 'm1', 'm2']);
  });

  it('has no groups without hits', () => {
    expect(groupHitsByChat([])).toEqual([]);
  });
});

describe('the active hit', () => {
  it('moves down and up one at a time, stopping at the ends', () => {
    expect(movedActive(-1, 3, 'ArrowDown')).toBe(0);
    expect(movedActive(0, 3, 'ArrowDown')).toBe(1);
    expect(movedActive(2, 3, 'ArrowDown')).toBe(2);
    expect(movedActive(-1, 3, 'ArrowUp')).toBe(2);
    expect(movedActive(1, 3, 'ArrowUp')).toBe(0);
    expect(movedActive(0, 3, 'ArrowUp')).toBe(0);
  });

  it('goes to the ends with Home and End', () => {
    expect(movedActive(1, 3, 'Home')).toBe(0);
    expect(movedActive(1, 3, 'End')).toBe(2);
  });

  it('does nothing for other keys or without hits', () => {
    expect(movedActive(1, 3, 'Enter')).toBeNull();
    expect(movedActive(-1, 0, 'ArrowDown')).toBeNull();
  });
});
