import { aUser } from '../../core/testing/chat-fixtures';
import { NO_PEOPLE, othersByPresence, replaceBlocks, replaceUsers, setBlocked, setPresence, updateUser } from './people';

describe('people', () => {
  const ana = aUser('ana');
  const people = replaceUsers(NO_PEOPLE, [ana, aUser('carla', { online: false }), aUser('bruno', { online: false }), aUser('dina')]);

  it('lists everyone else, online first, then by name', () => {
    expect(othersByPresence(people, ana.id).map((u) => u.username)).toEqual(['dina', 'bruno', 'carla']);
  });

  it('changes presence of known people only', () => {
    expect(setPresence(people, 'user-bruno', true).users.get('user-bruno')!.online).toBeTrue();
    expect(setPresence(people, 'user-nobody', true)).toBe(people);
  });

  it('takes a new profile and keeps the presence it had', () => {
    const { online: _online, ...profile } = aUser('dina', { firstName: 'Dinah' });
    const updated = updateUser(people, profile).users.get('user-dina')!;
    expect(updated.firstName).toBe('Dinah');
    expect(updated.online).toBeTrue();
  });

  it('blocks and unblocks, and takes the server’s list as it is', () => {
    const blocked = setBlocked(people, 'user-bruno', true);
    expect([...blocked.blocked]).toEqual(['user-bruno']);
    expect(setBlocked(blocked, 'user-bruno', true)).toBe(blocked);
    expect([...setBlocked(blocked, 'user-bruno', false).blocked]).toEqual([]);
    expect([...replaceBlocks(blocked, ['user-carla']).blocked]).toEqual(['user-carla']);
  });
});
