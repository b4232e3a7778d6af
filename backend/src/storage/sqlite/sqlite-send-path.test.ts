/**
 * The SQLite adapter's fast send path: member lists kept in memory (and never stale, whoever
 * writes the file), and appends group-committed without savepoints (each still failing alone).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { ConflictError, NotFoundError, StoreUnavailableError } from '../errors.js';
import { newId } from '../ids.js';
import type { MemberRecord, NewMessage, NewUser, Storage } from '../storage.js';
import { openSqliteStorage } from './sqlite-storage.js';

describe('sqlite send path', () => {
  let directory: string;
  const opened: Storage[] = [];

  before(() => {
    directory = mkdtempSync(join(tmpdir(), 'chat-sqlite-send-'));
  });
  after(async () => {
    for (const storage of opened) await storage.close();
    rmSync(directory, { recursive: true, force: true });
  });

  async function open(file: string): Promise<Storage> {
    const storage = await openSqliteStorage({ file });
    opened.push(storage);
    return storage;
  }

  async function groupOf(storage: Storage, size: number) {
    const users = await storage.users.createMany(Array.from({ length: size }, (_, i) => user(`u${newId().slice(-8)}${i}`)));
    const chat = await storage.chats.createGroup({ name: 'G', passwordHash: null, creatorId: users[0]!.id, memberIds: users.map((u) => u.id) });
    return { chat, users };
  }

  const memberIds = async (storage: Storage, chatId: string) => (await storage.members.list(chatId)).map((m) => m.userId).sort();

  describe('member lists', () => {
    it('see a removal committed by another process’s connection at once', async () => {
      const file = join(directory, `${newId()}.sqlite`);
      const here = await open(file);
      const elsewhere = await open(file);
      const { chat, users } = await groupOf(here, 3);
      const [, leaving] = users;
      assert.ok(await here.members.get(chat.id, leaving!.id), 'a member before');
      assert.equal((await here.members.list(chat.id)).length, 3);

      await elsewhere.members.remove(chat.id, leaving!.id);
      assert.equal(await here.members.get(chat.id, leaving!.id), null);
      assert.deepEqual(await memberIds(here, chat.id), [users[0]!.id, users[2]!.id].sort());

      await elsewhere.members.add(chat.id, leaving!.id, 'member');
      assert.ok(await here.members.get(chat.id, leaving!.id), 'a member again');
    });

    it('see rows changed by any other connection to the file', async () => {
      const file = join(directory, `${newId()}.sqlite`);
      const storage = await open(file);
      const { chat, users } = await groupOf(storage, 2);
      assert.equal((await storage.members.get(chat.id, users[1]!.id))?.readSeq, 0);

      const raw = new Database(file);
      try {
        raw.prepare('UPDATE members SET read_seq = 7, delivered_seq = 7, hidden = 1 WHERE chat_id = ? AND user_id = ?').run(chat.id, users[1]!.id);
        raw.prepare('DELETE FROM members WHERE chat_id = ? AND user_id = ?').run(chat.id, users[0]!.id);
      } finally {
        raw.close();
      }
      const member = await storage.members.get(chat.id, users[1]!.id);
      assert.equal(member?.readSeq, 7);
      assert.equal(member?.hidden, true);
      assert.equal(await storage.members.get(chat.id, users[0]!.id), null);
    });

    it('follow this connection’s own changes: add, remove, role, hidden, positions, messages, deleted users', async () => {
      const storage = await open(join(directory, `${newId()}.sqlite`));
      const { chat, users } = await groupOf(storage, 3);
      const [a, b, c] = users as [(typeof users)[0], (typeof users)[0], (typeof users)[0]];
      const [extra] = await storage.users.createMany([user(`x${newId().slice(-8)}`)]);
      await storage.members.list(chat.id);

      await storage.members.add(chat.id, extra!.id, 'member');
      assert.ok(await storage.members.get(chat.id, extra!.id));
      await storage.members.remove(chat.id, extra!.id);
      assert.equal(await storage.members.get(chat.id, extra!.id), null);

      await storage.members.update(chat.id, b.id, { role: 'admin', hidden: true });
      assert.equal((await storage.members.get(chat.id, b.id))?.role, 'admin');
      assert.equal((await storage.members.get(chat.id, b.id))?.hidden, true);

      const message = await storage.messages.append(text(chat.id, a.id, 'first'));
      assert.equal((await storage.members.get(chat.id, b.id))?.hidden, false, 'a message un-hides the chat');

      await storage.members.advance(chat.id, c.id, { readSeq: message.seq });
      const moved = await storage.members.get(chat.id, c.id);
      assert.equal(moved?.readSeq, message.seq);
      assert.equal(moved?.deliveredSeq, message.seq);

      await storage.users.delete(c.id);
      assert.deepEqual(await memberIds(storage, chat.id), [a.id, b.id].sort());
    });

    it('hand out snapshots: a list cannot be changed, and later changes do not show through one held', async () => {
      const storage = await open(join(directory, `${newId()}.sqlite`));
      const { chat, users } = await groupOf(storage, 2);
      const list = await storage.members.list(chat.id);
      assert.throws(() => {
        (list[0] as MemberRecord).readSeq = 99;
      }, TypeError);
      assert.throws(() => (list as MemberRecord[]).pop(), TypeError);
      await storage.members.update(chat.id, users[1]!.id, { hidden: true });
      await storage.members.advance(chat.id, users[0]!.id, { readSeq: 0, deliveredSeq: 0 });
      assert.equal(list.length, 2);
      assert.ok(list.every((m) => !m.hidden), 'the snapshot held before the change is as it was');
      assert.equal((await storage.members.list(chat.id)).find((m) => m.userId === users[1]!.id)?.hidden, true);
      await storage.messages.append(text(chat.id, users[0]!.id, newId()));
      const unhidden = await storage.members.list(chat.id);
      assert.ok(unhidden.every((m) => !m.hidden), 'a message un-hides the chat in what is kept');
      await storage.members.update(chat.id, users[1]!.id, { hidden: true });
      assert.ok(unhidden.every((m) => !m.hidden), 'and that snapshot stays as it was too');
      await storage.members.update(chat.id, users[1]!.id, { hidden: false });
      const member = await storage.members.get(chat.id, users[0]!.id);
      member!.role = 'member';
      const again = await storage.members.list(chat.id);
      assert.equal(again.length, 2);
      assert.ok(again.every((m) => !m.hidden && m.readSeq === 0));
      assert.equal((await storage.members.get(chat.id, users[0]!.id))?.role, 'admin');
    });
  });

  describe('group-committed appends', () => {
    it('settle each append of one batch on its own: stored, duplicate, unknown chat', async () => {
      const storage = await open(join(directory, `${newId()}.sqlite`));
      const { chat, users } = await groupOf(storage, 2);
      const other = await groupOf(storage, 2);
      const [a, b] = users;
      const results = await Promise.allSettled([
        storage.messages.append(text(chat.id, a!.id, 'same')),
        storage.messages.append(text(chat.id, a!.id, 'same')),
        storage.messages.append(text(newId(), a!.id, 'lost')),
        storage.messages.append(text(other.chat.id, other.users[0]!.id, 'there')),
        storage.messages.append(text(chat.id, b!.id, 'same')),
        storage.messages.append({ ...text(chat.id, b!.id, 'bad-kind'), kind: 'shout' as 'text' }),
        storage.messages.append(text(chat.id, a!.id, 'next')),
      ]);
      const [first, duplicate, unknown, there, sameIdOtherSender, badKind, next] = results;
      assert.equal(first.status, 'fulfilled');
      assert.ok(duplicate.status === 'rejected' && duplicate.reason instanceof ConflictError && duplicate.reason.field === 'clientId');
      assert.ok(unknown.status === 'rejected' && unknown.reason instanceof NotFoundError);
      assert.equal(badKind.status, 'rejected');
      assert.ok(there.status === 'fulfilled' && there.value.seq === 1);
      assert.ok(first.status === 'fulfilled' && sameIdOtherSender.status === 'fulfilled' && next.status === 'fulfilled');
      assert.deepEqual([first.value.seq, sameIdOtherSender.value.seq, next.value.seq], [1, 2, 3], 'gap-free: failures use up no seq');
      assert.equal(first.value.createdAt, next.value.createdAt, 'one batch, one commit time');

      assert.equal((await storage.chats.byId(chat.id))?.lastSeq, 3);
      assert.equal((await storage.chats.byId(other.chat.id))?.lastSeq, 1);
      assert.deepEqual(
        (await storage.messages.after(chat.id, 0, 10)).map((m) => [m.seq, m.clientId, m.senderId]),
        [
          [1, 'same', a!.id],
          [2, 'same', b!.id],
          [3, 'next', a!.id],
        ],
      );
      assert.deepEqual(await storage.messages.bySenderClientId(a!.id, 'same'), first.value);
    });

    it('fail the whole batch, storing nothing, when the store cannot commit', async () => {
      const file = join(directory, `${newId()}.sqlite`);
      const storage = await openSqliteStorage({ file, busyTimeoutMs: 30 });
      opened.push(storage);
      const { chat, users } = await groupOf(storage, 2);
      const blocker = new Database(file);
      try {
        blocker.exec('BEGIN IMMEDIATE');
        const results = await Promise.allSettled([
          storage.messages.append(text(chat.id, users[0]!.id, 'one')),
          storage.messages.append(text(chat.id, users[1]!.id, 'two')),
        ]);
        assert.ok(results.every((r) => r.status === 'rejected' && r.reason instanceof StoreUnavailableError));
      } finally {
        blocker.exec('ROLLBACK');
        blocker.close();
      }
      assert.equal((await storage.chats.byId(chat.id))?.lastSeq, 0);
      const retried = await storage.messages.append(text(chat.id, users[0]!.id, 'one'));
      assert.equal(retried.seq, 1);
    });
  });
});

function user(username: string): NewUser {
  return { username, firstName: 'First', lastName: 'Last', email: `${username}@example.test`, gender: 'unspecified', passwordHash: null };
}

function text(chatId: string, senderId: string, clientId: string): NewMessage {
  return { chatId, kind: 'text', senderId, clientId, body: 'hello', notice: null };
}
