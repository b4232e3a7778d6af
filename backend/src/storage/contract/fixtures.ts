/** Shared fixtures of the storage contract: inputs with fresh unique values, and small readers. */
import type { Notice } from '../../../../shared/src/schemas/messages.js';
import { newId } from '../ids.js';
import type { MessageRecord, NewMessage, NewUser, Storage, UserRecord } from '../storage.js';

let userCounter = 0;

export function newUserInput(overrides: Partial<NewUser> = {}): NewUser {
  userCounter += 1;
  return {
    username: `user${userCounter}`,
    firstName: `First${userCounter}`,
    lastName: `Last${userCounter}`,
    email: `user${userCounter}@example.test`,
    gender: 'unspecified',
    passwordHash: `hash-${userCounter}`,
    ...overrides,
  };
}

/** A tuple of N users, so that destructuring needs no undefined checks. */
export type Users<N extends number, Made extends UserRecord[] = []> = Made['length'] extends N ? Made : Users<N, [...Made, UserRecord]>;

export async function createUsers<N extends number>(storage: Storage, count: N): Promise<Users<N>> {
  const users: UserRecord[] = [];
  for (let i = 0; i < count; i += 1) users.push(await storage.users.create(newUserInput()));
  return users as Users<N>;
}

export function text(chatId: string, senderId: string, clientId: string, body = 'hello'): NewMessage {
  return { chatId, kind: 'text', senderId, clientId, body, notice: null };
}

export function notice(chatId: string, senderId: string | null, details: Notice): NewMessage {
  return { chatId, kind: 'notice', senderId, clientId: null, body: '', notice: details };
}

let clientCounter = 0;

/** Appends a text with a clientId never used before. */
export function sendText(storage: Storage, chatId: string, senderId: string, body = 'hello'): Promise<MessageRecord> {
  clientCounter += 1;
  return storage.messages.append(text(chatId, senderId, `client-${clientCounter}`, body));
}

let tokenCounter = 0;

export function newTokenInput(userId: string, familyId: string) {
  tokenCounter += 1;
  return {
    id: newId(),
    userId,
    familyId,
    tokenHash: `sha256-${tokenCounter}-${newId()}`,
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  };
}

export async function unreadOf(storage: Storage, chatId: string, userId: string): Promise<number | undefined> {
  return (await storage.chats.entryForUser(chatId, userId))?.unreadCount;
}

export function positionsOf(result: { member: { deliveredSeq: number; readSeq: number }; changed: boolean }) {
  return { deliveredSeq: result.member.deliveredSeq, readSeq: result.member.readSeq, changed: result.changed };
}

export function sortById<T extends { id: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function byLowerCase(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
