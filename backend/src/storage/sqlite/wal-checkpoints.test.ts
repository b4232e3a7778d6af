/**
 * WalCheckpoints on real files under steady writes: the thread copies the WAL into the database
 * file by itself, and with the storage's settings the WAL keeps starting over instead of growing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { newId } from '../ids.js';
import { openSqliteStorage } from './sqlite-storage.js';
import { WalCheckpoints } from './wal-checkpoints.js';

const yieldToOthers = () => new Promise((resolve) => setImmediate(resolve));

describe('WalCheckpoints', () => {
  let directory: string;

  before(() => {
    directory = mkdtempSync(join(tmpdir(), 'chat-wal-checkpoints-'));
  });

  after(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  test('copies the WAL into the database file while another connection keeps writing', async () => {
    const file = join(directory, 'thread-only.sqlite');
    const db = new Database(file, { timeout: 5_000 });
    // The writing connection never checkpoints: whatever reaches the file, the thread copied.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const sizeBefore = statSync(file).size;
    const checkpoints = await WalCheckpoints.start(file, { everyMs: 10 });
    try {
      const insert = db.prepare('INSERT INTO notes (body) VALUES (?)');
      const writeSome = db.transaction((round: number) => {
        for (let index = 0; index < 20; index += 1) insert.run(`round ${round} note ${index} ${'x'.repeat(400)}`);
      });
      let rounds = 0;
      const until = Date.now() + 1_000;
      while (Date.now() < until || (statSync(file).size < sizeBefore + 1_000_000 && Date.now() < until + 5_000)) {
        writeSome(rounds);
        rounds += 1;
        await yieldToOthers();
      }
      await checkpoints.stop();
      assert.equal(checkpoints.progress.lastFailure, null);
      assert.ok(checkpoints.progress.rounds > 0, 'rounds found frames to copy');
      assert.ok(statSync(file).size > sizeBefore + 1_000_000, `the notes of ${rounds} transactions reached the database file itself`);
      assert.equal(db.prepare<[], { n: number }>('SELECT count(*) AS n FROM notes').get()!.n, rounds * 20);
    } finally {
      await checkpoints.stop();
      db.close();
    }
  });

  test('with the storage writing messages all the time, the WAL keeps starting over', async () => {
    const file = join(directory, `${newId()}.sqlite`);
    const storage = await openSqliteStorage({ file, walCheckpoints: { everyMs: 10 } });
    // A second connection to look at the WAL while the storage still has it open (closing the
    // last connection would checkpoint and remove it).
    const observer = new Database(file);
    try {
      const ada = await storage.users.create({
        username: 'ada', firstName: 'Ada', lastName: 'L', email: 'ada@example.org', gender: 'female', passwordHash: 'x',
      });
      const chat = await storage.chats.createGroup({ name: 'busy', passwordHash: null, creatorId: ada.id, memberIds: [] });
      // Far more WAL pages than the restart threshold, without a pause long enough for a PASSIVE
      // checkpoint from the other thread to catch up by itself.
      const appends: Promise<unknown>[] = [];
      for (let round = 0; round < 400; round += 1) {
        for (let index = 0; index < 25; index += 1) {
          appends.push(storage.messages.append({ chatId: chat.id, kind: 'text', senderId: ada.id, clientId: newId(), body: 'y'.repeat(1_500), notice: null }));
        }
        await yieldToOthers();
      }
      await Promise.all(appends);
      let wal = observer.prepare<[], { busy: number; log: number }>('PRAGMA wal_checkpoint(PASSIVE)').get()!;
      while (wal.busy !== 0) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        wal = observer.prepare<[], { busy: number; log: number }>('PRAGMA wal_checkpoint(PASSIVE)').get()!;
      }
      const pagesWritten = observer.prepare<[], { pages: number }>('SELECT page_count AS pages FROM pragma_page_count()').get()!.pages;
      assert.ok(pagesWritten > 8_000, `the test wrote ${pagesWritten} pages: more than twice the restart threshold`);
      // The WAL holds only the frames written since it last started over.
      assert.ok(wal.log >= 0 && wal.log <= 4_500, `the WAL holds ${wal.log} frames`);
      assert.equal(observer.prepare<[], { n: number }>('SELECT count(*) AS n FROM messages').get()!.n, 10_000);
    } finally {
      observer.close();
      await storage.close();
    }
  });

  test('stop is harmless after the thread is gone', async () => {
    const file = join(directory, 'other.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (x)');
    const checkpoints = await WalCheckpoints.start(file, { everyMs: 10 });
    await checkpoints.stop();
    await checkpoints.stop();
    db.close();
  });
});
