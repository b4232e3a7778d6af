/**
 * `npm run reindex` (backend/scripts/reindex.ts) on a small SQLite store whose search index was
 * lost: it rebuilds it from the messages and says so.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { searchText } from '../src/storage/search-text.js';
import { openSqliteStorage } from '../src/storage/sqlite/sqlite-storage.js';
import type { MessageSearch, Storage } from '../src/storage/storage.js';
import { storedUser } from './support/stored-users.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');

let directory: string;
before(() => {
  directory = mkdtempSync(join(tmpdir(), 'chat-reindex-'));
});
after(() => {
  rmSync(directory, { recursive: true, force: true });
});

function deploySearch(chatId: string): MessageSearch {
  return { chatIds: [chatId], terms: [searchText('Deploy')], senderId: null, createdFrom: null, createdBefore: null, after: null, limit: 50 };
}

test('npm run reindex rebuilds a lost SQLite search index from the messages, printing progress', async () => {
  const file = join(directory, 'chat.sqlite');
  let storage: Storage = await openSqliteStorage({ file });
  let chatId: string;
  try {
    const [a, b] = await storage.users.createMany([storedUser('reindex_a', null), storedUser('reindex_b', null)]);
    chatId = (await storage.chats.openDirect(a!.id, b!.id)).chat.id;
    for (let i = 0; i < 30; i += 1) {
      await storage.messages.append({ chatId, kind: 'text', senderId: a!.id, clientId: `c-${i}`, body: `déploy number ${i}`, notice: null });
    }
    assert.equal((await storage.messages.search(deploySearch(chatId))).messages.length, 30);
  } finally {
    await storage.close();
  }
  const raw = new Database(file);
  raw.exec("INSERT INTO message_search (message_search) VALUES ('delete-all');");
  raw.close();

  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'backend/scripts/reindex.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: directory, MONGODB_URI: '', LOG_LEVEL: 'silent' },
  });
  assert.match(stdout, /rebuilding the message search index \(sqlite\)/);
  assert.match(stdout, /done, 30 messages indexed/);

  storage = await openSqliteStorage({ file });
  try {
    const found = await storage.messages.search(deploySearch(chatId));
    assert.deepEqual(
      found.messages.map((message) => message.body),
      Array.from({ length: 30 }, (_, i) => `déploy number ${29 - i}`),
    );
  } finally {
    await storage.close();
  }
});
