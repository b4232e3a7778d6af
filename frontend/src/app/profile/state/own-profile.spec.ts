import { aSelfUser } from '../../core/testing/chat-fixtures';
import { replaceUsers } from '../../people/state/people';
import { initialSessionState } from '../../session/state/session-state';
import { ownProfileSaved } from './own-profile';

describe('own profile', () => {
  const me = aSelfUser('ana');

  it('replaces the signed-in user and their entry among people, keeping their presence', () => {
    const state = { ...initialSessionState(me), people: replaceUsers(initialSessionState(me).people, [{ ...me, online: true }]) };
    const saved = { ...me, firstName: 'Anabel', email: 'anabel@example.test' };
    const after = ownProfileSaved(state, saved);
    expect(after.me).toEqual(saved);
    const listed = after.people.users.get(me.id)!;
    expect(listed.firstName).toBe('Anabel');
    expect(listed.online).toBeTrue();
    expect('email' in listed).toBeFalse();
  });

  it('adds nobody to people who were not listed, and ignores someone else’s profile', () => {
    const state = initialSessionState(me);
    expect(ownProfileSaved(state, { ...me, lastName: 'Lima-Souza' }).people.users.size).toBe(0);
    const other = aSelfUser('bruno');
    expect(ownProfileSaved(state, other)).toBe(state);
  });
});
