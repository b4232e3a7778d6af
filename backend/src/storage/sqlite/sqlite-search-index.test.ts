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
import { searchText } from '../search-text.js';
import { MIGRATIONS, runMigrations } from './migrations.js';
import { ftsLiteral, ftsMatchOf, trigramsOf } from './sqlite-search-index.js';
import { openSqliteStorage } from './sqlite-storage.js';

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
