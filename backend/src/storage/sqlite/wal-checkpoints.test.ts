/**
 * WalCheckpoints on real files: the thread copies the WAL into the database file by itself, lets
 * the WAL start over once it is past its threshold, and with the storage's settings the WAL stays
 * bounded under writes that never pause.
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

/** A WAL-mode file with a `notes` table, written through a connection that never checkpoints by itself. */
function notesDatabase(file: string): Database.Database {
  const db = new Database(file, { timeout: 5_000 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  return db;
}

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
    // The writing connection never checkpoints: whatever reaches the file, the thread copied.
    const db = notesDatabase(file);
    const sizeBefore = statSync(file).size;
    const checkpoints = await WalCheckpoints.start(file, { everyMs: 10, restartAfterFrames: 1_000_000 });
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

  test('past its threshold, lets the WAL start over', async () => {
    const file = join(directory, 'restart.sqlite');
    const db = notesDatabase(file);
    const checkpoints = await WalCheckpoints.start(file, { everyMs: 10, restartAfterFrames: 500 });
    try {
      // A burst of about 2,000 frames, then quiet: the thread catches up and restarts the WAL.
      const insert = db.prepare('INSERT INTO notes (body) VALUES (?)');
      db.transaction(() => {
        for (let index = 0; index < 2_000; index += 1) insert.run('z'.repeat(3_000));
      })();
      const deadline = Date.now() + 5_000;
      while (checkpoints.progress.restarts === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.ok(checkpoints.progress.restarts > 0, 'the WAL was let start over');
      await checkpoints.stop();
      // The next commit writes from the WAL's beginning: it holds that commit's frames only.
      insert.run('after the restart');
      const { log } = db.prepare<[], { log: number }>('PRAGMA wal_checkpoint(PASSIVE)').get()!;
      assert.ok(log > 0 && log < 10, `the WAL holds ${log} frames`);
    } finally {
      await checkpoints.stop();
      db.close();
    }
  });

  test('with the storage writing messages all the time, the WAL stays bounded', async () => {
    const file = join(directory, `${newId()}.sqlite`);
    const storage = await openSqliteStorage({ file, walCheckpoints: { everyMs: 10, restartAfterFrames: 4_000 } });
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
      for (let round = 0; round < 800; round += 1) {
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
      assert.ok(pagesWritten > 16_000, `the test wrote ${pagesWritten} pages: twice the fallback threshold`);
      // The WAL holds only the frames written since it last started over: below the writing
      // connection's fallback threshold (8,000 frames) and what one batch adds past it.
      assert.ok(wal.log >= 0 && wal.log <= 8_500, `the WAL holds ${wal.log} frames`);
      assert.equal(observer.prepare<[], { n: number }>('SELECT count(*) AS n FROM messages').get()!.n, 20_000);
    } finally {
      observer.close();
      await storage.close();
    }
  });

  test('stop is harmless after the thread is gone', async () => {
    const file = join(directory, 'other.sqlite');
    const db = notesDatabase(file);
    const checkpoints = await WalCheckpoints.start(file, { everyMs: 10, restartAfterFrames: 100 });
    await checkpoints.stop();
    await checkpoints.stop();
    db.close();
  });
});
