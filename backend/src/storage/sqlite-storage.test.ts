import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { NotFoundError, StoreUnavailableError } from './errors.js';
import { newId } from './ids.js';
import { MIGRATIONS, runMigrations } from './sqlite/migrations.js';
import { CHAT_LIST_SELECT } from './sqlite/sqlite-chat-store.js';
import { SELECT_CHANGES_AFTER, SELECT_MESSAGES_BY_IDS, SELECT_REACTIONS_OF } from './sqlite/sqlite-message-store.js';
import { openSqliteStorage } from './sqlite/sqlite-storage.js';
import { runStorageContract } from './contract/run-storage-contract.js';
import type { MessageRecord, NewMessage, NewUser, Storage } from './storage.js';

function temporaryDirectory(): string {
  return mkdtempSync(join(tmpdir(), 'chat-sqlite-'));
}

runStorageContract('sqlite', async () => {
  const directory = temporaryDirectory();
  const file = join(directory, 'chat.sqlite');
  const storage = await openSqliteStorage({ file });
  let rawDb: Database.Database | undefined;
  return {
    storage,
    raw: {
      // A connection of its own, read-only: what another process would find in the file.
      rowsOfMessage: async (messageId: string) => {
        rawDb ??= new Database(file, { readonly: true });
        return [
          ...rawDb.prepare('SELECT * FROM messages WHERE id = ?').all(messageId),
          ...rawDb.prepare('SELECT * FROM message_changes WHERE message_id = ?').all(messageId),
          ...rawDb.prepare('SELECT * FROM reactions WHERE message_id = ?').all(messageId),
        ];
      },
    },
    cleanup: async () => {
      rawDb?.close();
      await storage.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
});

describe('sqlite adapter', () => {
  let directory: string;

  before(() => {
    directory = temporaryDirectory();
  });
  after(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  /** A fresh database file in the suite's folder. */
  function freshFile(): string {
    return join(directory, `${newId()}.sqlite`);
  }

  function withRawConnection<T>(path: string, use: (db: Database.Database) => T): T {
    const db = new Database(path);
    try {
      return use(db);
    } finally {
      db.close();
    }
  }

  it('creates the folder of the file and puts the file in WAL mode', async () => {
    const path = join(directory, 'nested', 'deeper', 'chat.sqlite');
    const storage = await openSqliteStorage({ file: path });
    await storage.ping();
    await storage.close();
    assert.equal(withRawConnection(path, (db) => db.pragma('journal_mode', { simple: true })), 'wal');
  });

  it('runs the migrations once and finds nothing to do on reopening', async () => {
    const path = freshFile();
    await (await openSqliteStorage({ file: path })).close();
    await (await openSqliteStorage({ file: path })).close();
    const versions = withRawConnection(path, (db) => {
      assert.deepEqual(runMigrations(db), [], 'nothing left to apply');
      return db.prepare<[], { version: number }>('SELECT version FROM schema_migrations ORDER BY version').all();
    });
    assert.deepEqual(
      versions.map((row) => row.version),
      MIGRATIONS.map((migration) => migration.version),
    );
  });

  it('keeps the data across close and reopen', async () => {
    const path = freshFile();
    const first = await openSqliteStorage({ file: path });
    const alice = await first.users.create(user('alice'));
    const bob = await first.users.create(user('bob'));
    const { chat } = await first.chats.openDirect(alice.id, bob.id);
    const message = await first.messages.append(text(chat.id, alice.id, 'c1'));
    await first.members.advance(chat.id, bob.id, { readSeq: 1 });
    await first.close();

    const second = await openSqliteStorage({ file: path });
    try {
      assert.deepEqual(await second.users.byUsername('ALICE'), alice);
      assert.deepEqual(await second.messages.before(chat.id, null, 10), [message]);
      assert.equal((await second.members.get(chat.id, bob.id))?.readSeq, 1);
      const next = await second.messages.append(text(chat.id, bob.id, 'c1'));
      assert.equal(next.seq, 2);
    } finally {
      await second.close();
    }
  });

  it('enforces references: a membership of an unknown user is refused, and a group with one creates nothing', async () => {
    const path = freshFile();
    const storage = await openSqliteStorage({ file: path });
    try {
      const alice = await storage.users.create(user('alice'));
      const group = await storage.chats.createGroup({ name: 'G', visibility: 'public', passwordHash: null, creatorId: alice.id, memberIds: [] });
      await assert.rejects(storage.members.add(group.id, newId(), 'member'), NotFoundError);
      await assert.rejects(
        storage.chats.createGroup({ name: 'Broken', passwordHash: null, creatorId: alice.id, memberIds: [newId()] }),
        NotFoundError,
      );
      assert.deepEqual(
        (await storage.chats.searchGroups('', 10)).map((chat) => chat.name),
        ['G'],
      );
    } finally {
      await storage.close();
    }
  });

  it('reports a write lock held too long as StoreUnavailableError, and loses no seq', async () => {
    const path = freshFile();
    const storage = await openSqliteStorage({ file: path, busyTimeoutMs: 50 });
    const blocker = new Database(path);
    try {
      const alice = await storage.users.create(user('alice'));
      const bob = await storage.users.create(user('bob'));
      const { chat } = await storage.chats.openDirect(alice.id, bob.id);

      blocker.exec('BEGIN IMMEDIATE');
      await assert.rejects(
        storage.messages.append(text(chat.id, alice.id, 'c1')),
        StoreUnavailableError,
      );
      blocker.exec('ROLLBACK');

      const stored = await storage.messages.append(text(chat.id, alice.id, 'c1'));
      assert.equal(stored.seq, 1);
    } finally {
      blocker.close();
      await storage.close();
    }
  });

  it('reports use after close as StoreUnavailableError; close twice is harmless', async () => {
    const storage = await openSqliteStorage({ file: freshFile() });
    await storage.close();
    await storage.close();
    await assert.rejects(storage.ping(), StoreUnavailableError);
    await assert.rejects(storage.users.byId(newId()), StoreUnavailableError);
  });

  it('moves a file made before the clientId-first idempotency index to it, keeping its messages and the rule', async () => {
    const path = freshFile();
    withRawConnection(path, (db) => {
      db.pragma('journal_mode = WAL');
      runMigrations(db, MIGRATIONS.filter((migration) => migration.version === 1));
    });
    const storage = await openSqliteStorage({ file: path });
    try {
      const alice = await storage.users.create(user('alice'));
      const bob = await storage.users.create(user('bob'));
      const { chat } = await storage.chats.openDirect(alice.id, bob.id);
      const first = await storage.messages.append(text(chat.id, alice.id, '0190a7a0-0000-7000-8000-000000000001'));
      await assert.rejects(storage.messages.append(text(chat.id, alice.id, '0190a7a0-0000-7000-8000-000000000001')), { name: 'ConflictError', field: 'clientId' });
      // The same clientId from another sender is another message.
      const other = await storage.messages.append(text(chat.id, bob.id, '0190a7a0-0000-7000-8000-000000000001'));
      assert.equal(other.seq, 2);
      assert.deepEqual(await storage.messages.bySenderClientId(alice.id, '0190a7a0-0000-7000-8000-000000000001'), first);
    } finally {
      await storage.close();
    }
    const indexes = withRawConnection(path, (db) =>
      db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages' ORDER BY name").all(),
    );
    assert.deepEqual(indexes.map((row) => row.name).filter((name) => !name.startsWith('sqlite_autoindex')), ['messages_client_sender', 'messages_id', 'messages_search_row']);
  });

  it('makes the groups of a file from before visibility existed private, except those with a password, which stay public', async () => {
    const path = freshFile();
    const ids = { alice: newId(), bob: newId(), open: newId(), locked: newId(), direct: newId() };
    withRawConnection(path, (db) => {
      db.pragma('journal_mode = WAL');
      runMigrations(db, MIGRATIONS.filter((migration) => migration.version < 3));
      const now = new Date().toISOString();
      const insertUser = db.prepare(`
        INSERT INTO users (id, username, username_key, first_name, last_name, email, gender, role, status, created_at, updated_at)
        VALUES (?, ?, ?, 'F', 'L', ?, 'unspecified', 'user', 'active', ?, ?)`);
      for (const name of ['alice', 'bob'] as const) insertUser.run(ids[name], name, name, `${name}@example.test`, now, now);
      const insertChat = db.prepare(`
        INSERT INTO chats (id, kind, name, name_key, password_hash, direct_key, last_seq, created_at, last_activity_at)
        VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)`);
      insertChat.run(ids.open, 'group', 'Team Lunch', 'team lunch', null, null, now, now);
      insertChat.run(ids.locked, 'group', 'Team Room', 'team room', '$2b$04$hash', null, now, now);
      insertChat.run(ids.direct, 'direct', null, null, null, [ids.alice, ids.bob].sort().join(':'), now, now);
      const insertMember = db.prepare(`INSERT INTO members (chat_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)`);
      for (const chatId of [ids.open, ids.locked, ids.direct]) {
        insertMember.run(chatId, ids.alice, chatId === ids.direct ? 'member' : 'admin', now);
        insertMember.run(chatId, ids.bob, 'member', now);
      }
    });

    const storage = await openSqliteStorage({ file: path });
    try {
      assert.equal((await storage.chats.byId(ids.open))?.visibility, 'private', 'a group without a password becomes private');
      assert.equal((await storage.chats.byId(ids.locked))?.visibility, 'public', 'a group with a password stays public');
      assert.equal((await storage.chats.byId(ids.direct))?.visibility, 'private');
      assert.deepEqual((await storage.chats.searchGroups('team', 10)).map((hit) => hit.id), [ids.locked]);
      assert.equal((await storage.chats.byId(ids.locked))?.passwordHash, '$2b$04$hash');
    } finally {
      await storage.close();
    }
    const indexes = withRawConnection(path, (db) =>
      db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'chats' ORDER BY name").all(),
    );
    assert.deepEqual(
      indexes.map((row) => row.name).filter((name) => !name.startsWith('sqlite_autoindex')),
      ['chats_direct_key', 'chats_public_groups'],
    );
  });

  it('searches public groups through their partial index', async () => {
    const path = freshFile();
    await (await openSqliteStorage({ file: path })).close();
    const plan = withRawConnection(path, (db) =>
      db
        .prepare<[], { detail: string }>(
          `EXPLAIN QUERY PLAN SELECT id FROM chats WHERE kind = 'group' AND visibility = 'public' AND instr(name_key, 'x') > 0
           ORDER BY last_activity_at DESC, id DESC LIMIT 50`,
        )
        .all()
        .map((row) => row.detail),
    );
    assert.ok(plan.some((detail) => detail.includes('chats_public_groups')), plan.join('; '));
    assert.ok(!plan.some((detail) => detail.includes('TEMP B-TREE')), `no sort step: ${plan.join('; ')}`);
  });

  it('reads the messages and chats of a file from before message changes as never changed, and changes them', async () => {
    const path = freshFile();
    const ids = { alice: newId(), bob: newId(), chat: newId(), message: newId() };
    withRawConnection(path, (db) => {
      db.pragma('journal_mode = WAL');
      runMigrations(db, MIGRATIONS.filter((migration) => migration.version < 5));
      const now = new Date().toISOString();
      const insertUser = db.prepare(`
        INSERT INTO users (id, username, username_key, first_name, last_name, email, gender, role, status, created_at, updated_at)
        VALUES (?, ?, ?, 'F', 'L', ?, 'unspecified', 'user', 'active', ?, ?)`);
      for (const name of ['alice', 'bob'] as const) insertUser.run(ids[name], name, name, `${name}@example.test`, now, now);
      db.prepare(`INSERT INTO chats (id, kind, direct_key, last_seq, created_at, last_activity_at) VALUES (?, 'direct', ?, 1, ?, ?)`).run(
        ids.chat,
        [ids.alice, ids.bob].sort().join(':'),
        now,
        now,
      );
      const insertMember = db.prepare(`INSERT INTO members (chat_id, user_id, role, joined_at) VALUES (?, ?, 'member', ?)`);
      for (const userId of [ids.alice, ids.bob]) insertMember.run(ids.chat, userId, now);
      db.prepare(
        `INSERT INTO messages (chat_id, seq, id, kind, sender_id, client_id, body, created_at) VALUES (?, 1, ?, 'text', ?, 'c-1', 'old', ?)`,
      ).run(ids.chat, ids.message, ids.alice, now);
    });

    const storage = await openSqliteStorage({ file: path });
    try {
      const message = await storage.messages.byId(ids.message);
      assert.deepEqual(
        { editedAt: message?.editedAt, deletedAt: message?.deletedAt, deletedBy: message?.deletedBy, replyToId: message?.replyToId, changeSeq: message?.changeSeq },
        { editedAt: null, deletedAt: null, deletedBy: null, replyToId: null, changeSeq: 0 },
      );
      assert.equal((await storage.chats.byId(ids.chat))?.lastChangeSeq, 0);
      assert.equal((await storage.chats.entryForUser(ids.chat, ids.bob))?.unreadCount, 1);
      const edited = await storage.messages.change(ids.chat, { kind: 'edit', messageId: ids.message, actorId: ids.alice, body: 'new' });
      assert.equal(edited.changeSeq, 1);
      await storage.messages.change(ids.chat, { kind: 'delete', messageId: ids.message, actorId: ids.alice, by: 'sender' });
      assert.equal((await storage.chats.entryForUser(ids.chat, ids.bob))?.unreadCount, 0);
      assert.equal((await storage.chats.byId(ids.chat))?.lastChangeSeq, 2);
    } finally {
      await storage.close();
    }
  });

  it('reads the members of a file from before read times as read at no known time, then stamps the next read', async () => {
    const path = freshFile();
    const ids = { alice: newId(), bob: newId(), chat: newId(), message: newId() };
    withRawConnection(path, (db) => {
      db.pragma('journal_mode = WAL');
      runMigrations(db, MIGRATIONS.filter((migration) => migration.version < 6));
      const now = new Date().toISOString();
      const insertUser = db.prepare(`
        INSERT INTO users (id, username, username_key, first_name, last_name, email, gender, role, status, created_at, updated_at)
        VALUES (?, ?, ?, 'F', 'L', ?, 'unspecified', 'user', 'active', ?, ?)`);
      for (const name of ['alice', 'bob'] as const) insertUser.run(ids[name], name, name, `${name}@example.test`, now, now);
      db.prepare(`INSERT INTO chats (id, kind, direct_key, last_seq, created_at, last_activity_at) VALUES (?, 'direct', ?, 2, ?, ?)`).run(
        ids.chat,
        [ids.alice, ids.bob].sort().join(':'),
        now,
        now,
      );
      db.prepare(`INSERT INTO members (chat_id, user_id, role, joined_at, read_seq, delivered_seq) VALUES (?, ?, 'member', ?, ?, ?)`).run(ids.chat, ids.alice, now, 0, 0);
      db.prepare(`INSERT INTO members (chat_id, user_id, role, joined_at, read_seq, delivered_seq) VALUES (?, ?, 'member', ?, ?, ?)`).run(ids.chat, ids.bob, now, 1, 1);
      const insertMessage = db.prepare(`INSERT INTO messages (chat_id, seq, id, kind, sender_id, client_id, body, created_at) VALUES (?, ?, ?, 'text', ?, ?, 'old', ?)`);
      insertMessage.run(ids.chat, 1, ids.message, ids.alice, 'c-1', now);
      insertMessage.run(ids.chat, 2, newId(), ids.alice, 'c-2', now);
    });

    const storage = await openSqliteStorage({ file: path });
    try {
      const bob = await storage.members.get(ids.chat, ids.bob);
      assert.deepEqual({ readSeq: bob?.readSeq, readAt: bob?.readAt }, { readSeq: 1, readAt: null });
      const moved = await storage.members.advance(ids.chat, ids.bob, { readSeq: 2 });
      assert.equal(typeof moved.member.readAt, 'string');
      assert.equal((await storage.chats.entryForUser(ids.chat, ids.bob))?.membership.readAt, moved.member.readAt);
    } finally {
      await storage.close();
    }
  });

  it('serves changesAfter, byIds and reactionsOf from indexes: 500 of 10,000 changes without a scan or a sort', async () => {
    const path = freshFile();
    const storage = await openSqliteStorage({ file: path });
    let chatId: string;
    try {
      const alice = await storage.users.create(user('alice'));
      const bob = await storage.users.create(user('bob'));
      chatId = (await storage.chats.openDirect(alice.id, bob.id)).chat.id;
      const other = (await storage.chats.openDirect(alice.id, (await storage.users.create(user('carol'))).id)).chat.id;
      const message = await storage.messages.append(text(chatId, alice.id, 'c-1'));
      // 10,000 changes in each of two chats, written in one transaction (change() commits each durably).
      withRawConnection(path, (db) => {
        const insert = db.prepare(
          `INSERT INTO message_changes (chat_id, change_seq, message_id, kind, actor_id, at) VALUES (?, ?, ?, 'react', ?, ?)`,
        );
        const at = new Date().toISOString();
        db.transaction(() => {
          for (let seq = 1; seq <= 10_000; seq += 1) {
            insert.run(chatId, seq, message.id, bob.id, at);
            insert.run(other, seq, message.id, bob.id, at);
          }
          db.prepare('UPDATE chats SET last_change_seq = 10000 WHERE id IN (?, ?)').run(chatId, other);
        })();
        db.pragma('optimize');
      });
      const started = performance.now();
      const page = await storage.messages.changesAfter(chatId, 0, 500);
      const elapsed = performance.now() - started;
      assert.deepEqual(
        page.map((change) => change.changeSeq),
        Array.from({ length: 500 }, (_, i) => i + 1),
      );
      assert.deepEqual(
        (await storage.messages.changesAfter(chatId, 9_990, 500)).map((change) => change.changeSeq),
        Array.from({ length: 10 }, (_, i) => 9_991 + i),
      );
      const next = await storage.messages.change(chatId, { kind: 'react', messageId: message.id, actorId: bob.id, emoji: '👍', on: true });
      assert.equal(next.changeSeq, 10_001);
      // A sanity figure, not a timed assertion.
      console.log(`changesAfter(chat, 0, 500) over 10,000 changes: ${elapsed.toFixed(1)} ms`);
    } finally {
      await storage.close();
    }
    const plan = (sql: string) =>
      withRawConnection(path, (db) =>
        db
          .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
          .all(chatId, 0, 500)
          .map((row) => row.detail),
      );
    const changes = plan(SELECT_CHANGES_AFTER);
    assert.ok(changes.some((detail) => /SEARCH message_changes USING PRIMARY KEY \(chat_id=\? AND change_seq>\?\)/.test(detail)), changes.join('; '));
    assert.ok(!changes.some((detail) => detail.includes('TEMP B-TREE')), `no sort step: ${changes.join('; ')}`);
    const planOne = (sql: string) =>
      withRawConnection(path, (db) =>
        db
          .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
          .all('[]')
          .map((row) => row.detail),
      );
    const byIds = planOne(SELECT_MESSAGES_BY_IDS);
    assert.ok(byIds.some((detail) => /SEARCH m USING (COVERING )?INDEX messages_id \(id=\?\)/.test(detail)), byIds.join('; '));
    const reactions = planOne(SELECT_REACTIONS_OF);
    assert.ok(reactions.some((detail) => /SEARCH r USING PRIMARY KEY \(message_id=\?\)/.test(detail)), reactions.join('; '));
    assert.ok(!reactions.some((detail) => /^SCAN (r|reactions)\b/.test(detail)), reactions.join('; '));
    assert.ok(!byIds.some((detail) => /^SCAN (m|messages)\b/.test(detail)), byIds.join('; '));
  });

  it('applies a missing lower migration after a higher one (versions need only increase): 6 may arrive after 7', async () => {
    const path = freshFile();
    // Step 6 comes from another change; where it is not here yet, a stand-in plays its part.
    const sixth = MIGRATIONS.find((migration) => migration.version === 6) ?? {
      version: 6,
      name: 'a step made on another branch',
      sql: 'CREATE TABLE from_step_six (x INTEGER)',
    };
    const withoutSixth = MIGRATIONS.filter((migration) => migration.version !== 6);
    const applied = withRawConnection(path, (db) => {
      const first = runMigrations(db, withoutSixth);
      const later = runMigrations(db, [...withoutSixth, sixth]);
      const again = runMigrations(db, [...withoutSixth, sixth]);
      const versions = db.prepare<[], { version: number }>('SELECT version FROM schema_migrations ORDER BY version').all();
      return { first, later, again, versions: versions.map((row) => row.version) };
    });
    assert.ok(applied.first.includes(7) && !applied.first.includes(6), `first run: ${applied.first.join(', ')}`);
    assert.deepEqual(applied.later, [6]);
    assert.deepEqual(applied.again, []);
    assert.ok(applied.versions.includes(6) && applied.versions.includes(7));
  });

  it('counts unread mentions from the mentions primary key, never walking the chat’s messages for them', async () => {
    const path = freshFile();
    const storage = await openSqliteStorage({ file: path });
    let chatId: string;
    let bobId: string;
    try {
      const [alice, bob] = await Promise.all([storage.users.create(user('alice')), storage.users.create(user('bob'))]);
      bobId = bob.id;
      chatId = (await storage.chats.openDirect(alice.id, bob.id)).chat.id;
      for (let i = 0; i < 300; i += 1) {
        await storage.messages.append({ ...text(chatId, alice.id, `c-${i}`), ...(i % 100 === 0 && { mentions: [bob.id] }) });
      }
      assert.equal((await storage.chats.entryForUser(chatId, bob.id))?.unreadMentionCount, 3);
    } finally {
      await storage.close();
    }
    const plan = withRawConnection(path, (db) =>
      db
        .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${CHAT_LIST_SELECT} WHERE m.chat_id = ? AND m.user_id = ?`)
        .all(chatId, bobId)
        .map((row) => row.detail),
    );
    assert.ok(plan.some((detail) => /SEARCH mn USING PRIMARY KEY \(user_id=\? AND chat_id=\? AND seq>\?\)/.test(detail)), plan.join('; '));
    assert.ok(!plan.some((detail) => /^SCAN mn\b/.test(detail)), plan.join('; '));
  });

  it('lets several processes open a new file at once, migrating it once', async () => {
    const path = freshFile();
    const children = Array.from({ length: 3 }, () => startChild(OPEN_SCRIPT, { DB_FILE: path }));
    await Promise.all(children.map((child) => child.ready));
    children.forEach((child) => child.go());
    await Promise.all(children.map((child) => child.done));

    const migrated = withRawConnection(path, (db) =>
      db.prepare<[], { count: number }>('SELECT count(*) AS count FROM schema_migrations').get(),
    );
    assert.equal(migrated?.count, MIGRATIONS.length);
  });

  it('keeps seq gap-free when several processes append to one chat at once', async () => {
    const path = freshFile();
    const perProcess = 150;
    let storage: Storage = await openSqliteStorage({ file: path });
    const alice = await storage.users.create(user('alice'));
    const bob = await storage.users.create(user('bob'));
    const { chat } = await storage.chats.openDirect(alice.id, bob.id);
    await storage.close();

    const senders = [alice.id, bob.id, alice.id];
    const children = senders.map((senderId, index) =>
      startChild(APPEND_SCRIPT, {
        DB_FILE: path,
        CHAT_ID: chat.id,
        SENDER_ID: senderId,
        CLIENT_PREFIX: `p${index}-`,
        COUNT: String(perProcess),
      }),
    );
    await Promise.all(children.map((child) => child.ready));
    children.forEach((child) => child.go());
    await Promise.all(children.map((child) => child.done));

    storage = await openSqliteStorage({ file: path });
    try {
      const total = perProcess * senders.length;
      const messages = await storage.messages.after(chat.id, 0, total + 10);
      assert.deepEqual(
        messages.map((message) => message.seq),
        Array.from({ length: total }, (_, i) => i + 1),
      );
      assert.equal((await storage.chats.byId(chat.id))?.lastSeq, total);
      const writer = (message: MessageRecord | undefined) => message?.clientId?.split('-')[0];
      const interleaved = messages.some((message, i) => i > 0 && writer(message) !== writer(messages[i - 1]));
      assert.ok(interleaved, 'the processes wrote at the same time');
    } finally {
      await storage.close();
    }
  });
});

function user(username: string): NewUser {
  return { username, firstName: 'First', lastName: 'Last', email: `${username}@example.test`, gender: 'unspecified', passwordHash: null };
}

function text(chatId: string, senderId: string, clientId: string): NewMessage {
  return { chatId, kind: 'text', senderId, clientId, body: 'hello', notice: null };
}

const STORAGE_MODULE = new URL('./sqlite/sqlite-storage.ts', import.meta.url).href;
const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Shared start of every child: open the storage, say ready, wait for the go line on stdin. */
const CHILD_PRELUDE = `
  const { openSqliteStorage } = await import(${JSON.stringify(STORAGE_MODULE)});
  const storage = await openSqliteStorage({ file: process.env.DB_FILE });
  console.log('ready');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  process.stdin.pause();
`;

const OPEN_SCRIPT = `${CHILD_PRELUDE}
  await storage.ping();
  await storage.close();
`;

const APPEND_SCRIPT = `${CHILD_PRELUDE}
  for (let i = 0; i < Number(process.env.COUNT); i += 1) {
    await storage.messages.append({
      chatId: process.env.CHAT_ID, kind: 'text', senderId: process.env.SENDER_ID,
      clientId: process.env.CLIENT_PREFIX + i, body: 'message ' + i, notice: null,
    });
  }
  await storage.close();
`;

interface Child {
  /** Resolves once the child has opened the storage. */
  ready: Promise<void>;
  /** Lets the child start its work. */
  go(): void;
  /** Resolves when the child exits cleanly; rejects with its stderr otherwise. */
  done: Promise<void>;
}

function startChild(script: string, env: Record<string, string>): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child.once('exit', () => reject(new Error(`child exited before it was ready: ${stderr}`)));
  });
  const done = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`child exited with ${code}: ${stderr}`))));
  });
  ready.catch(() => undefined);
  return { ready, go: () => child.stdin.end('go\n'), done };
}
