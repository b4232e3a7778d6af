/**
 * The storage contract against the MongoDB adapter, plus what is particular to it.
 * Runs when MONGODB_URI is set (MongoDB or FerretDB), e.g.:
 *   backend/scripts/with-ferretdb.sh node --import tsx --test backend/src/storage/mongo-storage.test.ts
 * Each test gets a database of its own, dropped afterwards.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import mongoose, { type Connection } from 'mongoose';
import { ConflictError, StoreUnavailableError } from './errors.js';
import { newId } from './ids.js';
import { searchText } from './search-text.js';
import { duplicateKeyField, translateMongoError } from './mongo/mongo-errors.js';
import { senderClientKeyOf } from './mongo/message-model.js';
import { INTENT_MOVE_MS } from './mongo/mongo-event-outbox.js';
import { openMongoStorage } from './mongo/mongo-storage.js';
import { runStorageContract, type RawStoreReader } from './contract/run-storage-contract.js';
import type { Storage } from './storage.js';

const baseUri = process.env.MONGODB_URI;

/** `uri` with its database replaced by `database`, keeping credentials and options. */
function withDatabase(uri: string, database: string): string {
  const scheme = /^mongodb(\+srv)?:\/\//.exec(uri)?.[0];
  if (!scheme) throw new Error('MONGODB_URI must start with mongodb:// or mongodb+srv://');
  const rest = uri.slice(scheme.length);
  const queryStart = rest.indexOf('?');
  const beforeQuery = queryStart === -1 ? rest : rest.slice(0, queryStart);
  const query = queryStart === -1 ? '' : rest.slice(queryStart);
  const pathStart = beforeQuery.indexOf('/');
  const hosts = pathStart === -1 ? beforeQuery : beforeQuery.slice(0, pathStart);
  return `${scheme}${hosts}/${database}${query}`;
}

function freshDatabaseName(): string {
  return `chat_test_${randomBytes(6).toString('hex')}`;
}

describe('withDatabase', () => {
  it('puts the database name in the path and keeps credentials, hosts and options', () => {
    assert.equal(withDatabase('mongodb://127.0.0.1:27017/', 'db1'), 'mongodb://127.0.0.1:27017/db1');
    assert.equal(withDatabase('mongodb://127.0.0.1:27017', 'db1'), 'mongodb://127.0.0.1:27017/db1');
    assert.equal(withDatabase('mongodb://u:p@h1:1,h2:2/old?replicaSet=rs0', 'db1'), 'mongodb://u:p@h1:1,h2:2/db1?replicaSet=rs0');
    assert.equal(withDatabase('mongodb+srv://u:p@cluster.test/?retryWrites=true', 'db1'), 'mongodb+srv://u:p@cluster.test/db1?retryWrites=true');
  });
});

describe('duplicateKeyField', () => {
  const { MongoServerError } = mongoose.mongo;

  it('names the port field from the key pattern MongoDB reports', () => {
    const error = new MongoServerError({
      code: 11000,
      errmsg: 'E11000 duplicate key error collection: chat.users index: users_usernameLower dup key: { usernameLower: "ann" }',
      keyPattern: { usernameLower: 1 },
    });
    assert.equal(duplicateKeyField(error), 'username');
    const translated = translateMongoError(error);
    assert.ok(translated instanceof ConflictError);
    assert.equal(translated.field, 'username');
  });

  it('names it from the index in the message when there is no key pattern', () => {
    const error = new MongoServerError({
      code: 11000,
      errmsg: 'E11000 duplicate key error collection: chat.messages index: messages_senderClientKey dup key: { : "u:c" }',
    });
    assert.equal(duplicateKeyField(error), 'clientId');
  });

  it('gives null, and the caller’s field, when the server names neither (FerretDB 1.x)', () => {
    const error = new MongoServerError({ code: 11000, errmsg: 'E11000 duplicate key error collection: chat.memberships' });
    assert.equal(duplicateKeyField(error), null);
    const translated = translateMongoError(error, 'member');
    assert.ok(translated instanceof ConflictError);
    assert.equal(translated.field, 'member');
  });
});

describe('mongo storage against an unreachable server', () => {
  it('refuses to open with StoreUnavailableError', async () => {
    // Port 9 (discard) on loopback has no listener here.
    await assert.rejects(
      openMongoStorage({ uri: 'mongodb://127.0.0.1:9/unreachable', serverSelectionTimeoutMS: 300 }),
      (error: unknown) => error instanceof StoreUnavailableError,
    );
  });
});

if (!baseUri) {
  console.log(
    'MongoDB storage tests skipped: MONGODB_URI is not set. ' +
      'Run them with: backend/scripts/with-ferretdb.sh node --import tsx --test backend/src/storage/mongo-storage.test.ts',
  );
  describe('mongo', { skip: 'MONGODB_URI is not set' }, () => {
    it('runs the storage contract against MongoDB', () => {});
  });
} else {
  const uri = baseUri;
  let adminConnection: Connection | undefined;

  /** One connection for dropping the test databases, opened on first use. */
  async function admin(): Promise<Connection> {
    adminConnection ??= await mongoose.createConnection(withDatabase(uri, 'admin'), { serverSelectionTimeoutMS: 5_000 }).asPromise();
    return adminConnection;
  }

  /** A fresh store with alice and bob in it, and its database as the driver sees it (for documents as older versions stored them). */
  async function openWithTwoUsers() {
    const fresh = await openFresh();
    try {
      const db = (await admin()).useDb(fresh.database).db;
      assert.ok(db);
      const [alice, bob] = [await fresh.storage.users.create(userInput('alice')), await fresh.storage.users.create(userInput('bob'))];
      return { ...fresh, db, alice, bob };
    } catch (error) {
      await fresh.cleanup();
      throw error;
    }
  }

  async function openFresh(): Promise<{ storage: Storage; database: string; cleanup: () => Promise<void>; raw: RawStoreReader }> {
    const database = freshDatabaseName();
    const storage = await openMongoStorage({ uri: withDatabase(uri, database) });
    return {
      storage,
      database,
      raw: {
        rowsOfMessage: async (messageId: string) => {
          const db = (await admin()).useDb(database).db;
          assert.ok(db);
          type Raw = { _id: string; [field: string]: unknown };
          return [
            ...(await db.collection<Raw>('messages').find({ _id: messageId }).toArray()),
            ...(await db.collection<Raw>('messageChanges').find({ messageId }).toArray()),
            ...(await db.collection<Raw>('reactions').find({ messageId }).toArray()),
          ];
        },
      },
      cleanup: async () => {
        await storage.close();
        await (await admin()).useDb(database).dropDatabase();
      },
    };
  }

  after(async () => {
    await adminConnection?.close();
  });

  runStorageContract('mongo', openFresh);

  describe('mongo adapter', () => {
    it('creates the unique and query indexes at open', async () => {
      const { database, cleanup } = await openFresh();
      try {
        const db = (await admin()).useDb(database).db;
        assert.ok(db);
        const indexesOf = async (collection: string) =>
          new Map((await db.collection(collection).indexes()).map((index) => [index.name, index]));

        const users = await indexesOf('users');
        assert.deepEqual(users.get('users_usernameLower')?.key, { usernameLower: 1 });
        assert.equal(users.get('users_usernameLower')?.unique, true);
        assert.equal(users.get('users_externalId')?.unique, true);
        const chats = await indexesOf('chats');
        assert.equal(chats.get('chats_directKey')?.unique, true);
        assert.deepEqual(chats.get('chats_lastActivityAt')?.key, { lastActivityAt: -1, _id: -1 });
        const memberships = await indexesOf('memberships');
        assert.deepEqual(memberships.get('memberships_chatId_userId')?.key, { chatId: 1, userId: 1 });
        assert.equal(memberships.get('memberships_chatId_userId')?.unique, true);
        assert.deepEqual(memberships.get('memberships_userId_hidden')?.key, { userId: 1, hidden: 1 });
        const messages = await indexesOf('messages');
        assert.deepEqual(messages.get('messages_chatId_seq')?.key, { chatId: 1, seq: 1 });
        assert.equal(messages.get('messages_chatId_seq')?.unique, true);
        assert.equal(messages.get('messages_senderClientKey')?.unique, true);
        const changes = await indexesOf('messageChanges');
        assert.deepEqual(changes.get('messageChanges_chatId_changeSeq')?.key, { chatId: 1, changeSeq: 1 });
        assert.equal(changes.get('messageChanges_chatId_changeSeq')?.unique, true);
        assert.deepEqual(changes.get('messageChanges_messageId_kind_changeSeq')?.key, { messageId: 1, kind: 1, changeSeq: 1 });
        const reactions = await indexesOf('reactions');
        assert.deepEqual(reactions.get('reactions_messageId_userId_emoji')?.key, { messageId: 1, userId: 1, emoji: 1 });
        assert.equal(reactions.get('reactions_messageId_userId_emoji')?.unique, true);
        assert.deepEqual(reactions.get('reactions_messageId_changeSeq')?.key, { messageId: 1, changeSeq: 1 });
        const searchPostings = await indexesOf('search_postings');
        assert.deepEqual(searchPostings.get('search_postings_t_c')?.key, { t: 1, c: 1 });
        const refreshTokens = await indexesOf('refreshTokens');
        assert.equal(refreshTokens.get('refreshTokens_tokenHash')?.unique, true);
      } finally {
        await cleanup();
      }
    });

    it('opening twice on the same database keeps the indexes and the data', async () => {
      const first = await openFresh();
      try {
        const user = await first.storage.users.create(userInput('keeper'));
        const second = await openMongoStorage({ uri: withDatabase(uri, first.database) });
        try {
          assert.deepEqual(await second.users.byId(user.id), user);
        } finally {
          await second.close();
        }
      } finally {
        await first.cleanup();
      }
    });

    it('translates the server’s E11000 for a username written behind the adapter’s back to ConflictError(username)', async () => {
      const { storage, database, cleanup } = await openFresh();
      try {
        const db = (await admin()).useDb(database).db;
        assert.ok(db);
        // Stored directly, so the adapter cannot have seen it: only the unique index can refuse the next write.
        await db.collection<{ _id: string; [field: string]: unknown }>('users').insertOne({
          _id: newId(),
          username: 'Carol',
          usernameLower: 'carol',
          firstName: 'C',
          lastName: 'D',
          email: 'c@example.test',
          gender: 'unspecified',
          avatarUrl: null,
          passwordHash: null,
          role: 'user',
          status: 'active',
          createdAt: new Date().toISOString(),
          updatedAt: new Date().toISOString(),
        });
        await assert.rejects(storage.users.create(userInput('CAROL')), (error: unknown) => {
          assert.ok(error instanceof ConflictError, `expected ConflictError, got ${String(error)}`);
          assert.equal(error.field, 'username');
          assert.match(error.message, /CAROL/);
          return true;
        });
        const dave = await storage.users.create(userInput('dave'));
        await assert.rejects(storage.users.update(dave.id, { username: 'carol' }), (error: unknown) => {
          assert.ok(error instanceof ConflictError);
          assert.equal(error.field, 'username');
          return true;
        });
      } finally {
        await cleanup();
      }
    });

    it('stores one message for concurrent appends with the same clientId, and seqs keep increasing', async () => {
      const { storage, cleanup } = await openFresh();
      try {
        const a = await storage.users.create(userInput('sender'));
        const b = await storage.users.create(userInput('receiver'));
        const { chat } = await storage.chats.openDirect(a.id, b.id);
        const attempts = await Promise.allSettled(
          Array.from({ length: 6 }, () =>
            storage.messages.append({ chatId: chat.id, kind: 'text', senderId: a.id, clientId: 'same-client-id', body: 'once', notice: null }),
          ),
        );
        const stored = attempts.filter((attempt) => attempt.status === 'fulfilled');
        assert.equal(stored.length, 1);
        for (const attempt of attempts) {
          if (attempt.status === 'rejected') {
            assert.ok(attempt.reason instanceof ConflictError, `expected ConflictError, got ${String(attempt.reason)}`);
            assert.equal(attempt.reason.field, 'clientId');
          }
        }
        const history = await storage.messages.after(chat.id, 0, 10);
        assert.deepEqual(
          history.map((message) => message.body),
          ['once'],
        );

        const next = await storage.messages.append({ chatId: chat.id, kind: 'text', senderId: b.id, clientId: 'other', body: 'next', notice: null });
        assert.ok(next.seq > history[0]!.seq, 'a later message gets a higher seq');
        assert.equal((await storage.chats.byId(chat.id))?.lastSeq, next.seq);
      } finally {
        await cleanup();
      }
    });

    it('two storages on one database (two processes, no Redis) appending to one chat at once: seqs 1..n, each message once, in each sender\'s order', async () => {
      const { storage, database, cleanup } = await openFresh();
      const other = await openMongoStorage({ uri: withDatabase(uri, database) });
      try {
        const a = await storage.users.create(userInput('writer-a'));
        const b = await storage.users.create(userInput('writer-b'));
        const group = await storage.chats.createGroup({ name: 'race', passwordHash: null, creatorId: a.id, memberIds: [b.id] });
        const send = (on: Storage, senderId: string, index: number) =>
          on.messages.append({ chatId: group.id, kind: 'text', senderId, clientId: `${senderId}-${index}`, body: `m ${index}`, notice: null });
        // Several waves, so that each process's kept seq goes stale through the other's writes.
        for (let wave = 0; wave < 4; wave += 1) {
          await Promise.all(
            Array.from({ length: 30 }, (_, index) => [send(storage, a.id, wave * 30 + index), send(other, b.id, wave * 30 + index)]).flat(),
          );
        }
        const stored = await storage.messages.after(group.id, 0, 1_000);
        assert.deepEqual(stored.map((message) => message.seq), Array.from({ length: 240 }, (_, index) => index + 1));
        assert.equal(new Set(stored.map((message) => message.clientId)).size, 240);
        for (const senderId of [a.id, b.id]) {
          const order = stored.filter((message) => message.senderId === senderId).map((message) => Number(message.body.slice(2)));
          assert.deepEqual(order, [...order].sort((x, y) => x - y), 'one process keeps its appends in the order they were made');
        }
        assert.equal((await storage.chats.byId(group.id))?.lastSeq, 240);
      } finally {
        await other.close();
        await cleanup();
      }
    });

    it('a batch with a clientId already stored in its middle: that append is refused, the others are stored, seqs stay consecutive', async () => {
      const { storage, cleanup } = await openFresh();
      try {
        const a = await storage.users.create(userInput('batcher'));
        const b = await storage.users.create(userInput('listener'));
        const { chat } = await storage.chats.openDirect(a.id, b.id);
        const append = (clientId: string) => storage.messages.append({ chatId: chat.id, kind: 'text', senderId: a.id, clientId, body: clientId, notice: null });
        await append('first');
        // One turn of the event loop: one batch, with the repeated clientId third of five.
        const outcomes = await Promise.allSettled(['b1', 'b2', 'first', 'b3', 'b4'].map(append));
        assert.deepEqual(
          outcomes.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value.seq : (outcome.reason as ConflictError).field)),
          [2, 3, 'clientId', 4, 5],
        );
        assert.deepEqual((await storage.messages.after(chat.id, 0, 10)).map((message) => message.body), ['first', 'b1', 'b2', 'b3', 'b4']);
      } finally {
        await cleanup();
      }
    });

    it('refuses appends at once with StoreUnavailableError when more are waiting than the queue holds, and stores the rest', async () => {
      const database = freshDatabaseName();
      const storage = await openMongoStorage({ uri: withDatabase(uri, database), appendLimits: { maxQueued: 5, maxWaitMs: 60_000, maxBatch: 500, maxBatchMs: 60_000, minBatchIntervalMs: 0 } });
      try {
        const a = await storage.users.create(userInput('flooder'));
        const b = await storage.users.create(userInput('flooded'));
        const { chat } = await storage.chats.openDirect(a.id, b.id);
        const outcomes = await Promise.allSettled(
          Array.from({ length: 12 }, (_, index) => storage.messages.append({ chatId: chat.id, kind: 'text', senderId: a.id, clientId: `f${index}`, body: 'x', notice: null })),
        );
        const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
        assert.equal(refused.length, 7);
        for (const outcome of refused) assert.ok(outcome.reason instanceof StoreUnavailableError);
        assert.deepEqual((await storage.messages.after(chat.id, 0, 20)).map((message) => message.seq), [1, 2, 3, 4, 5]);
      } finally {
        await storage.close();
        await (await admin()).useDb(database).dropDatabase();
      }
    });

    it('reads chat documents from before visibility existed by the rule: a group with a password public, every other chat private', async () => {
      const { storage, db, alice, bob, cleanup } = await openWithTwoUsers();
      try {
        const now = new Date().toISOString();
        const ids = { open: newId(), locked: newId(), unlocked: newId() };
        // Stored as the previous version did: no visibility field.
        const legacy = (id: string, name: string, passwordHash: string | null) => ({
          _id: id, kind: 'group', name, nameLower: name.toLowerCase(), passwordHash, lastSeq: 0, createdAt: now, lastActivityAt: now,
        });
        await db.collection<{ _id: string }>('chats').insertMany([
          legacy(ids.open, 'Team Lunch', null),
          legacy(ids.locked, 'Team Room', '$2b$04$hash'),
          legacy(ids.unlocked, 'Team Vault', '$2b$04$hash'),
        ]);
        for (const chatId of Object.values(ids)) {
          await storage.members.add(chatId, alice.id, 'admin');
          await storage.members.add(chatId, bob.id, 'member');
        }

        assert.equal((await storage.chats.byId(ids.open))?.visibility, 'private');
        assert.equal((await storage.chats.byId(ids.locked))?.visibility, 'public');
        assert.equal((await storage.chats.entryForUser(ids.open, bob.id))?.chat.visibility, 'private');
        assert.deepEqual((await storage.chats.searchGroups('team', 10)).map((hit) => hit.id).sort(), [ids.locked, ids.unlocked].sort());

        // Removing the password of an old public room does not make it private, nor does a rename change anything.
        assert.equal((await storage.chats.update(ids.unlocked, { passwordHash: null })).visibility, 'public');
        assert.equal((await db.collection<{ _id: string; visibility?: string }>('chats').findOne({ _id: ids.unlocked }))?.visibility, 'public');
        assert.equal((await storage.chats.update(ids.open, { name: 'Team Lunch 2' })).visibility, 'private');
        assert.deepEqual((await storage.chats.searchGroups('team', 10)).map((hit) => hit.id).sort(), [ids.locked, ids.unlocked].sort());
        assert.equal((await storage.chats.update(ids.open, { visibility: 'public' })).visibility, 'public');
        assert.equal((await storage.chats.searchGroups('lunch', 10))[0]?.id, ids.open);
      } finally {
        await cleanup();
      }
    });

    it('serves changesAfter from the (chatId, changeSeq) index: 500 of 10,000 changes in order', async () => {
      const { storage, db, alice, bob, cleanup } = await openWithTwoUsers();
      try {
        const { chat } = await storage.chats.openDirect(alice.id, bob.id);
        const message = await storage.messages.append({ chatId: chat.id, kind: 'text', senderId: alice.id, clientId: 'c', body: 'x', notice: null });
        const at = new Date().toISOString();
        const rows = Array.from({ length: 10_000 }, (_, i) => ({
          _id: `${chat.id}:${i + 1}`,
          chatId: chat.id,
          changeSeq: i + 1,
          messageId: message.id,
          kind: 'react',
          actorId: bob.id,
          at,
        }));
        await db.collection<{ _id: string }>('messageChanges').insertMany(rows);

        const started = performance.now();
        const page = await storage.messages.changesAfter(chat.id, 0, 500);
        const elapsed = performance.now() - started;
        assert.deepEqual(
          page.map((change) => change.changeSeq),
          Array.from({ length: 500 }, (_, i) => i + 1),
        );
        assert.equal((await storage.chats.byId(chat.id))?.lastChangeSeq, 10_000, 'the newest row counts when the chat lags');
        const next = await storage.messages.change(chat.id, { kind: 'react', messageId: message.id, actorId: alice.id, emoji: '👍', on: true });
        assert.equal(next.changeSeq, 10_001);

        const explained = (await db
          .collection('messageChanges')
          .find({ chatId: chat.id, changeSeq: { $gt: 0 } })
          .sort({ changeSeq: 1 })
          .limit(500)
          .explain()) as { serverInfo?: { ferretdbVersion?: string }; queryPlanner?: { winningPlan?: unknown } };
        const ferretdb = explained.serverInfo?.ferretdbVersion;
        // A sanity figure, not a timed assertion.
        console.log(`changesAfter(chat, 0, 500) over 10,000 changes: ${elapsed.toFixed(1)} ms${ferretdb ? ` (FerretDB ${ferretdb})` : ''}`);
        if (ferretdb === undefined) {
          const plan = JSON.stringify(explained.queryPlanner?.winningPlan);
          assert.match(plan, /"stage":"IXSCAN"/, plan);
          assert.match(plan, /messageChanges_chatId_changeSeq/, plan);
          assert.doesNotMatch(plan, /"stage":"SORT"/, plan);
        } else {
          // FerretDB 1.x keeps the index for uniqueness but reads by scanning; the index is there for MongoDB.
          const index = (await db.collection('messageChanges').indexes()).find((candidate) => candidate.name === 'messageChanges_chatId_changeSeq');
          assert.deepEqual(index?.key, { chatId: 1, changeSeq: 1 });
        }
      } finally {
        await cleanup();
      }
    });

    it('keeps in the change log the body of a message’s newest edit only, and none once it is deleted', async () => {
      const { storage, db, alice, bob, cleanup } = await openWithTwoUsers();
      try {
        const { chat } = await storage.chats.openDirect(alice.id, bob.id);
        const message = await storage.messages.append({ chatId: chat.id, kind: 'text', senderId: alice.id, clientId: 'c', body: 'v0', notice: null });
        for (const body of ['v1', 'v2', 'v3']) {
          await storage.messages.change(chat.id, { kind: 'edit', messageId: message.id, actorId: alice.id, body });
        }
        const bodies = async () =>
          (await db.collection<{ _id: string; body?: string; changeSeq: number }>('messageChanges').find({ messageId: message.id }).toArray())
            .filter((row) => row.body !== undefined)
            .map((row) => [row.changeSeq, row.body]);
        assert.deepEqual(await bodies(), [[3, 'v3']]);
        await storage.messages.change(chat.id, { kind: 'delete', messageId: message.id, actorId: alice.id, by: 'sender' });
        assert.deepEqual(await bodies(), []);
      } finally {
        await cleanup();
      }
    });

    it('reads messages and chats stored before message changes as never changed, and changes them', async () => {
      const { storage, db, alice, bob, cleanup } = await openWithTwoUsers();
      try {
        const now = new Date().toISOString();
        const ids = { chat: newId(), message: newId() };
        // Stored as the previous version did: none of the change fields.
        await db.collection<{ _id: string; [field: string]: unknown }>('chats').insertOne({
          _id: ids.chat, kind: 'direct', name: null, nameLower: null, visibility: 'private', passwordHash: null,
          directKey: [alice.id, bob.id].sort().join(':'), lastSeq: 1, createdAt: now, lastActivityAt: now,
        });
        for (const userId of [alice.id, bob.id]) await storage.members.add(ids.chat, userId, 'member');
        await db.collection<{ _id: string; [field: string]: unknown }>('messages').insertOne({
          _id: ids.message, chatId: ids.chat, seq: 1, kind: 'text', senderId: alice.id, clientId: 'c-1',
          senderClientKey: `${alice.id}:c-1`, body: 'old', notice: null, createdAt: now,
        });

        const message = await storage.messages.byId(ids.message);
        assert.deepEqual(
          { editedAt: message?.editedAt, deletedAt: message?.deletedAt, deletedBy: message?.deletedBy, replyToId: message?.replyToId, changeSeq: message?.changeSeq },
          { editedAt: null, deletedAt: null, deletedBy: null, replyToId: null, changeSeq: 0 },
        );
        assert.equal((await storage.chats.byId(ids.chat))?.lastChangeSeq, 0);
        assert.equal((await storage.chats.entryForUser(ids.chat, bob.id))?.unreadCount, 1);
        const edited = await storage.messages.change(ids.chat, { kind: 'edit', messageId: ids.message, actorId: alice.id, body: 'new' });
        assert.equal(edited.changeSeq, 1);
        assert.equal(edited.message.body, 'new');
        await storage.messages.change(ids.chat, { kind: 'delete', messageId: ids.message, actorId: alice.id, by: 'sender' });
        assert.equal((await storage.chats.entryForUser(ids.chat, bob.id))?.unreadCount, 0);
        assert.equal((await storage.chats.byId(ids.chat))?.lastChangeSeq, 2);
      } finally {
        await cleanup();
      }
    });

    it('search: a chat stored before search existed is indexed by its first search; a crash before the index write heals', async () => {
      const { storage, db, alice, bob, cleanup } = await openWithTwoUsers();
      try {
        type Raw = { _id: string; [field: string]: unknown };
        const now = new Date().toISOString();
        const ids = { chat: newId(), old: newId() };
        await db.collection<Raw>('chats').insertOne({
          _id: ids.chat, kind: 'direct', name: null, nameLower: null, visibility: 'private', passwordHash: null,
          directKey: [alice.id, bob.id].sort().join(':'), lastSeq: 1, createdAt: now, lastActivityAt: now,
        });
        for (const userId of [alice.id, bob.id]) await storage.members.add(ids.chat, userId, 'member');
        await db.collection<Raw>('messages').insertOne({
          _id: ids.old, chatId: ids.chat, seq: 1, kind: 'text', senderId: alice.id, clientId: 'c-1',
          senderClientKey: `${alice.id}:c-1`, body: 'Déploiement ancien', notice: null, createdAt: now,
        });
        const search = (term: string) =>
          storage.messages.search({ chatIds: [ids.chat], terms: [searchText(term)], senderId: null, createdFrom: null, createdBefore: null, after: null, limit: 10 });
        const bodies = async (term: string) => (await search(term)).messages.map((message) => message.body);

        assert.deepEqual(await bodies('deploiement'), ['Déploiement ancien']);
        assert.equal((await db.collection<Raw>('search_marks').findOne({ _id: ids.chat }))?.['seq'], 1);

        // Appended through the store: indexed in the background, and the mark follows.
        const sent = await storage.messages.append({ chatId: ids.chat, kind: 'text', senderId: bob.id, clientId: 'c-2', body: 'déploiement suivant', notice: null });
        await (storage.messages as unknown as { searchIndexIdle(): Promise<void> }).searchIndexIdle();
        assert.equal((await db.collection<Raw>('search_marks').findOne({ _id: ids.chat }))?.['seq'], 2);
        // A message whose process died after storing it and moving the chat, before its postings were written.
        const lost = newId();
        await db.collection<Raw>('messages').insertOne({
          _id: lost, chatId: ids.chat, seq: 3, kind: 'text', senderId: alice.id, clientId: 'c-3',
          senderClientKey: `${alice.id}:c-3`, body: 'déploiement perdu', notice: null, createdAt: new Date().toISOString(),
        });
        await db.collection<Raw>('chats').updateOne({ _id: ids.chat }, { $set: { lastSeq: 3 } });
        assert.equal(await db.collection<Raw>('search_postings').countDocuments({ _id: lost }), 0);
        assert.deepEqual(await bodies('deploiement'), ['déploiement perdu', 'déploiement suivant', 'Déploiement ancien']);

        // An edit whose postings were never rewritten (as if the process died after the message write).
        await storage.messages.change(ids.chat, { kind: 'edit', messageId: sent.id, actorId: bob.id, body: 'nouvelle version' });
        await db.collection<Raw>('search_postings').deleteOne({ _id: sent.id });
        await db.collection<Raw>('search_marks').updateOne({ _id: ids.chat }, { $set: { changeSeq: 0 } });
        assert.deepEqual(await bodies('nouvelle'), ['nouvelle version']);
        assert.deepEqual(await bodies('suivant'), []);
      } finally {
        await cleanup();
      }
    });

    it('search: postings of the earlier layout (a document per trigram) are dropped at start, and each chat is indexed again', async () => {
      const { storage, db, database, alice, bob, cleanup } = await openWithTwoUsers();
      let reopened: Storage | null = null;
      try {
        type Raw = { _id: string; [field: string]: unknown };
        const chat = await storage.chats.createGroup({ name: 'Launch', passwordHash: null, creatorId: alice.id, memberIds: [bob.id] });
        await storage.messages.append({ chatId: chat.id, kind: 'text', senderId: alice.id, clientId: 'c-1', body: 'rocket launch at dawn', notice: null });
        // The earlier version stops (its chats' lastSeq written), and the new one starts on its data.
        await storage.close();
        await db.collection<Raw>('search_postings').deleteMany({});
        await db.collection<Raw>('search_terms').insertOne({ _id: `${chat.id}:1:roc`, t: 'roc', c: chat.id, s: 1, m: 'someone' });

        reopened = await openMongoStorage({ uri: withDatabase(uri, database) });
        assert.deepEqual(await db.listCollections({ name: 'search_terms' }).toArray(), []);
        assert.equal(await db.collection<Raw>('search_marks').countDocuments({}), 0, 'every chat is indexed again');
        const found = await reopened.messages.search({ chatIds: [chat.id], terms: ['rocket'], senderId: null, createdFrom: null, createdBefore: null, after: null, limit: 10 });
        assert.deepEqual(found.messages.map((message) => message.body), ['rocket launch at dawn']);
        assert.equal(await db.collection<Raw>('search_postings').countDocuments({ c: chat.id }), 1, 'one document per message');
      } finally {
        await reopened?.close();
        await cleanup();
      }
    });

    it('webhook outbox: writes a crash interrupted before their events were logged get them from recoverInterrupted', async () => {
      const { storage, db, alice, bob, cleanup } = await openWithTwoUsers();
      try {
        type Raw = { _id: string; [field: string]: unknown };
        const group = await storage.chats.createGroup({ name: 'g', passwordHash: null, creatorId: alice.id, memberIds: [alice.id, bob.id] });
        const logged = async () => (await storage.events.after(0, 100)).map((event) => event.id);
        // Appends keep their writer's intent while their events may be unlogged, naming the writer they store on each message.
        const first = await storage.messages.append({ chatId: group.id, kind: 'text', senderId: alice.id, clientId: 'c-1', body: 'one', notice: null });
        const writer = (await db.collection<Raw>('messages').findOne({ _id: first.id }))?.['w'];
        assert.equal(typeof writer, 'string');
        assert.equal((await db.collection<Raw>('webhookIntents').findOne({ kind: 'writer' }))?.['writer'], writer);
        assert.ok((await logged()).includes(`evt_created_${first.id}`));
        // Once its events are logged, a pause leaves no intent behind.
        await waitUntil(async () => (await db.collection<Raw>('webhookIntents').countDocuments({})) === 0, 3 * INTENT_MOVE_MS);

        // As if the process died after storing the message and an edit, before logging their events.
        const second = await storage.messages.append({ chatId: group.id, kind: 'text', senderId: bob.id, clientId: 'c-2', body: 'two', notice: null });
        const edited = await storage.messages.change(group.id, { kind: 'edit', messageId: second.id, actorId: bob.id, body: 'two!' });
        const third = await storage.messages.append({ chatId: group.id, kind: 'text', senderId: alice.id, clientId: 'c-3', body: 'three', notice: null });
        const lostIds = [`evt_created_${second.id}`, `evt_change_${group.id}_${edited.changeSeq}`, `evt_created_${third.id}`];
        await waitUntil(async () => (await db.collection<Raw>('webhookIntents').countDocuments({})) === 0, 3 * INTENT_MOVE_MS);
        // A batch's events are written shortly after its ack: once read back, they are in.
        assert.ok((await logged()).includes(`evt_created_${third.id}`));
        await db.collection<Raw>('webhookEvents').deleteMany({ eventId: { $in: lostIds } });
        const past = new Date(Date.now() - 60_000).toISOString();
        await db.collection<Raw>('webhookIntents').insertMany([
          { _id: newId(), kind: 'message', senderId: bob.id, clientId: 'c-2', createdAt: past },
          { _id: newId(), kind: 'change', chatId: group.id, messageId: second.id, change: 'edit', createdAt: past },
          // A batch of appends, named by sender and client id (one of them never stored).
          { _id: newId(), kind: 'messages', keys: [senderClientKeyOf(alice.id, 'c-3'), senderClientKeyOf(alice.id, 'never-sent')], createdAt: past },
          // A write that never happened (its process died before it): settled with no event.
          { _id: newId(), kind: 'message', senderId: bob.id, clientId: 'never-sent', createdAt: past },
        ]);
        // A writer that died with batches open: its messages from `fromId` on (here the fourth only).
        const fourth = await storage.messages.append({ chatId: group.id, kind: 'text', senderId: bob.id, clientId: 'c-4', body: 'four', notice: null });
        lostIds.push(`evt_created_${fourth.id}`);
        assert.ok((await logged()).includes(`evt_created_${fourth.id}`));
        await db.collection<Raw>('webhookEvents').deleteMany({ eventId: `evt_created_${fourth.id}` });
        await waitUntil(async () => (await db.collection<Raw>('webhookIntents').countDocuments({ kind: 'writer' })) === 0, 3 * INTENT_MOVE_MS);
        await db.collection<Raw>('webhookIntents').insertOne({ _id: `writer:${String(writer)}`, kind: 'writer', writer, fromId: third.id, createdAt: past });
        assert.deepEqual((await logged()).filter((id) => lostIds.includes(id)), []);
        assert.equal(await storage.events.recoverInterrupted(new Date(Date.now() - 30_000).toISOString()), 5);
        const after = await logged();
        for (const id of lostIds) assert.equal(after.filter((logged) => logged === id).length, 1, id);
        assert.equal(await db.collection<Raw>('webhookIntents').countDocuments({}), 0);
        assert.equal(await storage.events.recoverInterrupted(new Date().toISOString()), 0);
      } finally {
        await cleanup();
      }
    });

    it('reports StoreUnavailableError once closed', async () => {
      const { storage, database } = await openFresh();
      await storage.ping();
      await storage.close();
      try {
        await assert.rejects(storage.ping(), (error: unknown) => error instanceof StoreUnavailableError);
        await assert.rejects(storage.users.byId(newId()), (error: unknown) => error instanceof StoreUnavailableError);
      } finally {
        await (await admin()).useDb(database).dropDatabase();
      }
    });
  });
}

function userInput(username: string) {
  return {
    username,
    firstName: 'First',
    lastName: 'Last',
    email: `${username.toLowerCase()}@example.test`,
    gender: 'unspecified' as const,
    passwordHash: null,
  };
}

/** Polls `condition` until it holds, failing after `timeoutMs`. */
async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not so within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
