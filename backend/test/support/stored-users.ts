/**
 * Users straight through the storage port: created with an access token each, for tests about
 * something other than signing up (sockets, chats, several server processes); and counted.
 */
import bcrypt from 'bcrypt';
import { AccessTokens } from '../../src/accounts/access-tokens.js';
import type { NewUser, Storage, UserRecord } from '../../src/storage/storage.js';
import type { TestServer } from '../start-test-server.js';

export interface TestUser {
  user: UserRecord;
  token: string;
}

/** What the store needs for `username`: email <username>@example.test, first name the username. */
export function storedUser(username: string, passwordHash: string | null): NewUser {
  return { username, email: `${username.toLowerCase()}@example.test`, firstName: username, lastName: 'Tester', gender: 'unspecified', passwordHash };
}

/** A user stored directly (cheap bcrypt hash) with a fresh access token of the server's own signer. */
export async function createUser(t: TestServer, username: string): Promise<TestUser> {
  const user = await t.server.storage.users.create(storedUser(username, await bcrypt.hash('not-used-in-these-tests', 4)));
  const token = await new AccessTokens(t.config.JWT_SECRET, t.config.ACCESS_TOKEN_TTL_S).issue(user);
  return { user, token };
}

/** `createUser` for each name, one after the other: `const [ada, ben] = await createUsers(t, 'ada', 'ben')`. */
export async function createUsers<Names extends string[]>(t: TestServer, ...usernames: Names): Promise<{ [K in keyof Names]: TestUser }> {
  const users: TestUser[] = [];
  for (const username of usernames) users.push(await createUser(t, username));
  return users as { [K in keyof Names]: TestUser };
}

/**
 * Users for servers that run as separate processes: stored in one go in the store they will
 * open, with hour-long tokens signed with the secret they will be given. Keyed by username.
 */
export async function seedUsers(storage: Storage, jwtSecret: string, usernames: string[], passwordHash: string | null = null): Promise<Record<string, TestUser>> {
  const tokens = new AccessTokens(jwtSecret, 3600);
  const created = await storage.users.createMany(usernames.map((username) => storedUser(username, passwordHash)));
  const users: Record<string, TestUser> = {};
  for (const user of created) users[user.username] = { user, token: await tokens.issue(user) };
  return users;
}

/** How many users the store holds (up to 1000). */
export async function userCount(storage: Storage): Promise<number> {
  return (await storage.users.search({ limit: 1000 })).users.length;
}
