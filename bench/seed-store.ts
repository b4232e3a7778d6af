/**
 * Seeds the benchmark's users and group chats straight through the storage port (before the
 * server processes start), and mints their access tokens with the servers' JWT secret.
 */
import bcrypt from 'bcrypt';
import { AccessTokens } from '../backend/src/accounts/access-tokens.js';
import type { Storage } from '../backend/src/storage/storage.js';

export const BENCH_PASSWORD = 'bench-password-not-secret';

export interface SeededUser {
  id: string;
  username: string;
  token: string;
  /** The group chat this user belongs to. */
  chatId: string;
}

export interface SeedOptions {
  users: number;
  /** Members per group; the users are cut into consecutive groups of this size (the last may be smaller). */
  roomSize: number;
  /** bcrypt cost of the stored password hash (one hash, shared by every user). */
  bcryptCost: number;
  jwtSecret: string;
  /** Usernames are `${prefix}${index}`. */
  prefix: string;
}

const BATCH = 1_000;

export async function seedUsersAndRooms(storage: Storage, options: SeedOptions): Promise<SeededUser[]> {
  const passwordHash = await bcrypt.hash(BENCH_PASSWORD, options.bcryptCost);
  const tokens = new AccessTokens(options.jwtSecret, 86_400);
  const created: Array<{ id: string; username: string }> = [];
  for (let start = 0; start < options.users; start += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, options.users - start) }, (_, offset) => {
      const username = `${options.prefix}${start + offset}`;
      return {
        username,
        email: `${username}@bench.test`,
        firstName: 'Bench',
        lastName: `User ${start + offset}`,
        gender: 'unspecified' as const,
        passwordHash,
      };
    });
    created.push(...(await storage.users.createMany(batch)));
  }

  const seeded: SeededUser[] = [];
  for (let start = 0; start < created.length; start += options.roomSize) {
    const members = created.slice(start, start + options.roomSize);
    const chat = await storage.chats.createGroup({
      name: `bench room ${start / options.roomSize}`,
      passwordHash: null,
      creatorId: members[0]!.id,
      memberIds: members.map((m) => m.id),
    });
    for (const member of members) {
      seeded.push({ id: member.id, username: member.username, token: await tokens.issue(member), chatId: chat.id });
    }
  }
  return seeded;
}
