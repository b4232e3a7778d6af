/**
 * The SQLite search index below the port: migrations 8 and 9 on a file from before them, the
 * catch-up after the commit and its watermark, and the FTS5 string literals user text becomes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { newId } from '../ids.js';
import { searchText, trigramsOf } from '../search-text.js';
import { MIGRATIONS, runMigrations } from './migrations.js';
import { ftsLiteral, ftsMatchOf } from './sqlite-search-index.js';
import { openSqliteStorage } from './sqlite-storage.js';
import { createUsers, sendText } from '../contract/fixtures.js';

describe('sqlite search index', () => {
  let directory: string;
  before(() => {
    directory = mkdtempSync(join(tmpdir(), 'chat-search-'));
  });
  after(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('migrations 8 and 9 number and index the messages already stored, text only and not deleted', async () => {
    const file = join(directory, `${newId()}.sqlite`);
    const ids = { alice: newId(), bob: newId(), chat: newId() };
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    runMigrations(db, MIGRATIONS.filter((migration) => migration.version <= 5));
    const now = new Date().toISOString();
    const insertUser = db.prepare(`
      INSERT INTO users (id, username, username_key, first_name, last_name, email, gender, role, status, created_at, updated_at)
      VALUES (?, ?, ?, 'F', 'L', ?, 'unspecified', 'user', 'active', ?, ?)`);
    for (const name of ['alice', 'bob'] as const) insertUser.run(ids[name], name, name, `${name}@example.test`, now, now);
    db.prepare(`INSERT INTO chats (id, kind, direct_key, last_seq, created_at, last_activity_at) VALUES (?, 'direct', ?, 4, ?, ?)`).run(
      ids.chat,
      [ids.alice, ids.bob].sort().join(':'),
      now,
      now,
    );
    const insertMember = db.prepare(`INSERT INTO members (chat_id, user_id, role, joined_at) VALUES (?, ?, 'member', ?)`);
    for (const userId of [ids.alice, ids.bob]) insertMember.run(ids.chat, userId, now);
    const insertMessage = db.prepare(
      `INSERT INTO messages (chat_id, seq, id, kind, sender_id, client_id, body, notice, created_at, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const old = newId();
    insertMessage.run(ids.chat, 1, old, 'text', ids.alice, 'c-1', 'Déploiement terminé', null, now, null);
    insertMessage.run(ids.chat, 2, newId(), 'notice', ids.alice, null, '', '{"type":"renamed","actorId":"x","name":"déploiement"}', now, null);
    insertMessage.run(ids.chat, 3, newId(), 'text', ids.alice, 'c-3', '', null, now, now);
    const newer = newId();
    insertMessage.run(ids.chat, 4, newer, 'text', ids.bob, 'c-4', 'second déploiement', null, now, null);
    db.close();

    const storage = await openSqliteStorage({ file });
    try {
      const page = await storage.messages.search({
        chatIds: [ids.chat],
        terms: [searchText('DEPLOIEMENT')],
        senderId: null,
        createdFrom: null,
        createdBefore: null,
        after: null,
        limit: 10,
      });
      assert.deepEqual(page.messages.map((message) => message.id), [newer, old]);
    } finally {
      await storage.close();
    }
    const check = new Database(file, { readonly: true });
    try {
      const versions = check.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
      assert.deepEqual(versions, MIGRATIONS.map((migration) => migration.version).sort((a, b) => a - b));
      assert.deepEqual(check.prepare('SELECT search_row FROM messages ORDER BY seq').pluck().all(), [1, 2, 3, 4]);
      assert.equal(check.prepare('SELECT indexed_to FROM message_search_state').pluck().get(), 4);
      assert.deepEqual(check.prepare(`SELECT rowid FROM message_search WHERE message_search MATCH '"dep" AND "plo"' ORDER BY rowid`).pluck().all(), [1, 4]);
    } finally {
      check.close();
    }
  });

  it('finds messages above the watermark from their bodies, and keeps edits, deletes and erasures exact on both sides of it', async () => {
    const file = join(directory, `${newId()}.sqlite`);
    const storage = await openSqliteStorage({ file });
    const raw = new Database(file);
    try {
      const [alice, bob] = await createUsers(storage, 2);
      const { chat } = await storage.chats.openDirect(alice!.id, bob!.id);
      const search = (word: string) =>
        storage.messages.search({ chatIds: [chat.id], terms: [searchText(word)], senderId: null, createdFrom: null, createdBefore: null, after: null, limit: 10 });
      const bodies = async (word: string) => (await search(word)).messages.map((message) => message.body);
      const indexedTo = () => raw.prepare('SELECT indexed_to FROM message_search_state').pluck().get() as number;
      const newest = () => raw.prepare('SELECT max(search_row) FROM messages').pluck().get() as number;
      const positionOf = (message: { id: string }) => raw.prepare('SELECT search_row FROM messages WHERE id = ?').pluck().get(message.id) as number;
      const inIndex = (word: string) =>
        raw.prepare('SELECT rowid FROM message_search WHERE message_search MATCH ? ORDER BY rowid').pluck().all(ftsMatchOf([searchText(word)])) as number[];
      /** Empties the index and puts the watermark back to 0: every message is in the tail. */
      const forgetIndex = () => raw.exec("INSERT INTO message_search (message_search) VALUES ('delete-all'); UPDATE message_search_state SET indexed_to = 0;");
      /** Waits for the catch-up (it runs shortly after a commit) to index every message. */
      const caughtUp = async () => {
        for (let tries = 0; indexedTo() < newest(); tries += 1) {
          if (tries > 200) assert.fail('the catch-up did not index the messages');
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      };

      const kept = await sendText(storage, chat.id, alice!.id, 'Zeppelin one');
      const edited = await sendText(storage, chat.id, bob!.id, 'zeppelin two');
      const deleted = await sendText(storage, chat.id, alice!.id, 'zeppelin three');
      await caughtUp();
      assert.deepEqual(inIndex('zeppelin'), [kept, edited, deleted].map(positionOf));

      // All in the tail: the search reads the bodies (nothing is indexed until the next commit's catch-up).
      forgetIndex();
      assert.deepEqual(await bodies('zeppelin'), ['zeppelin three', 'zeppelin two', 'Zeppelin one']);
      await storage.messages.change(chat.id, { kind: 'edit', messageId: edited.id, actorId: bob!.id, body: 'airship two' });
      await storage.messages.change(chat.id, { kind: 'delete', messageId: deleted.id, actorId: alice!.id, by: 'sender' });
      assert.deepEqual(await bodies('zeppelin'), ['Zeppelin one']);
      assert.deepEqual(await bodies('airship'), ['airship two']);
      assert.deepEqual(inIndex('zeppelin'), [], 'nothing was indexed meanwhile');

      // The catch-up indexes the messages as they are now.
      const later = await sendText(storage, chat.id, bob!.id, 'a later message');
      await caughtUp();
      assert.deepEqual(inIndex('zeppelin'), [positionOf(kept)]);
      assert.deepEqual(inIndex('airship'), [positionOf(edited)]);
      assert.deepEqual(await bodies('zeppelin'), ['Zeppelin one']);

      // Below the watermark an edit and a delete rewrite the entry in their transaction.
      await storage.messages.change(chat.id, { kind: 'edit', messageId: edited.id, actorId: bob!.id, body: 'zeppelin again' });
      assert.deepEqual(inIndex('airship'), []);
      assert.deepEqual(await bodies('zeppelin'), ['zeppelin again', 'Zeppelin one']);
      await storage.messages.change(chat.id, { kind: 'delete', messageId: kept.id, actorId: alice!.id, by: 'sender' });
      assert.deepEqual(inIndex('zeppelin'), [positionOf(edited)]);
      assert.deepEqual(await bodies('zeppelin'), ['zeppelin again']);

      // Erasing a sender's messages removes their entries (the trigger), and their positions are not given again.
      await storage.messages.detachSender(bob!.id, 'erase');
      assert.deepEqual(inIndex('zeppelin'), []);
      assert.deepEqual(inIndex('later'), []);
      assert.equal(positionOf(later), undefined, 'erased');
      const before = indexedTo();
      const next = await sendText(storage, chat.id, alice!.id, 'zeppelin after');
      assert.ok(positionOf(next) > before);
      assert.deepEqual(await bodies('zeppelin'), ['zeppelin after']);
    } finally {
      raw.close();
      await storage.close();
    }
    // Closing indexes what was still pending.
    const check = new Database(file, { readonly: true });
    try {
      assert.equal(check.prepare('SELECT indexed_to FROM message_search_state').pluck().get(), check.prepare('SELECT max(search_row) FROM messages').pluck().get());
    } finally {
      check.close();
    }
  });

  it('writes every term as an FTS5 string literal, its double quotes doubled', () => {
    assert.equal(ftsLiteral('say "hi"'), '"say ""hi"""');
    assert.deepEqual(trigramsOf('near(x'), ['nea', 'ear', 'ar(', 'r(x']);
    assert.deepEqual(trigramsOf('ааааа'), ['ааа']);
    assert.deepEqual(trigramsOf('東京都庁'), ['東京都', '京都庁']);
    assert.equal(ftsMatchOf(['ab', 'near(x', 'a"b']), '"nea" AND "ear" AND "ar(" AND "r(x" AND "a""b"');
    assert.equal(ftsMatchOf(['ab', 'é']), null);
    const db = new Database(':memory:');
    try {
      db.exec("CREATE VIRTUAL TABLE f USING fts5(body, content = '', contentless_delete = 1, detail = none, tokenize = 'trigram remove_diacritics 1')");
      db.prepare('INSERT INTO f (rowid, body) VALUES (1, ?)').run('a "quoted" * ^x key:value (p) and or not near(a b)');
      for (const term of ['"quoted"', '"', '* ^', 'key:value', '(p)', 'AND', 'OR NOT', 'NEAR(', ')', '*', '^', ':']) {
        // What the search asks (the term's trigrams), or a term shorter than a trigram as one
        // string: user text reaches FTS5 only as strings, never as syntax.
        const match = ftsMatchOf([term]) ?? ftsLiteral(term);
        assert.doesNotThrow(() => db.prepare('SELECT rowid FROM f WHERE f MATCH ?').all(match), term);
      }
      assert.deepEqual(db.prepare('SELECT rowid FROM f WHERE f MATCH ?').pluck().all(ftsMatchOf(['"quoted"', 'near(a'])), [1]);
    } finally {
      db.close();
    }
  });
});
