import type { PublicUser, UserWithPresence } from '@shared';
import { fullName } from '../../core/full-name';

/** Everyone the user can talk to, with presence, and whom the user blocked. */
export interface People {
  users: ReadonlyMap<string, UserWithPresence>;
  blocked: ReadonlySet<string>;
}

export const NO_PEOPLE: People = { users: new Map(), blocked: new Set() };

/** Everyone but `myId`: online first, then by name. */
export function othersByPresence(people: People, myId: string): UserWithPresence[] {
  return [...people.users.values()]
    .filter((u) => u.id !== myId)
    .sort((a, b) => Number(b.online) - Number(a.online) || fullName(a).localeCompare(fullName(b)));
}

export function replaceUsers(people: People, users: readonly UserWithPresence[]): People {
  return { ...people, users: new Map(users.map((u) => [u.id, u])) };
}

/** Users fetched on their own (someone new appeared): added, or refreshed, keeping everyone else. */
export function addUsers(people: People, users: readonly UserWithPresence[]): People {
  if (users.length === 0) return people;
  const next = new Map(people.users);
  for (const user of users) next.set(user.id, user);
  return { ...people, users: next };
}

/** Someone came online or went offline; unknown people are left for the next full list. */
export function setPresence(people: People, userId: string, online: boolean): People {
  const user = people.users.get(userId);
  return user ? { ...people, users: new Map(people.users).set(userId, { ...user, online }) } : people;
}

/** Someone changed their profile; their presence stays as it was. */
export function updateUser(people: People, user: PublicUser): People {
  const online = people.users.get(user.id)?.online ?? false;
  return { ...people, users: new Map(people.users).set(user.id, { ...user, online }) };
}

export function replaceBlocks(people: People, userIds: readonly string[]): People {
  return { ...people, blocked: new Set(userIds) };
}

export function setBlocked(people: People, userId: string, blocked: boolean): People {
  if (people.blocked.has(userId) === blocked) return people;
  const next = new Set(people.blocked);
  if (blocked) next.add(userId);
  else next.delete(userId);
  return { ...people, blocked: next };
}
