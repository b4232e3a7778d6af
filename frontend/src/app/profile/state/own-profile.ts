import type { SelfUser } from '@shared';
import { updateUser } from '../../people/state/people';
import type { SessionState } from '../../session/state/session-state';

/** The server stored the user's own profile: the signed-in user, and their entry among people, become it. */
export function ownProfileSaved(state: SessionState, me: SelfUser): SessionState {
  if (me.id !== state.me.id) return state;
  const { email: _email, role: _role, ...publicProfile } = me;
  const people = state.people.users.has(me.id) ? updateUser(state.people, publicProfile) : state.people;
  return { ...state, me, people };
}
