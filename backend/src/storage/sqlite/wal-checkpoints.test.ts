/**
 * WalCheckpoints on a real file under steady writes: the thread copies the WAL into the database
 * file, and once the WAL is past its threshold, lets it start over — while the writing connection
 * has its own automatic checkpoint switched off, so only the thread can have done it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { WalCheckpoints } from './wal-checkpoints.js';

describe('WalCheckpoints', () => {
  let directory: string;

  before(() => {
    directory = mkdtempSync(join(tmpdir(), 'chat-wal-checkpoints-'));
  });

  after(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  test('copies the WAL into the file and restarts it past the threshold, while another connection keeps writing', async () => {
    const file = join(directory, 'chat.sqlite');
    const db = new Database(file, { timeout: 5_000 });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const sizeBefore = statSync(file).size;
    const checkpoints = await WalCheckpoints.start(file, { everyMs: 10, restartAfterFrames: 200 });
    try {
      const insert = db.prepare('INSERT INTO notes (body) VALUES (?)');
      const writeSome = db.transaction((round: number) => {
        for (let index = 0; index < 20; index += 1) insert.run(`round ${round} note ${index} ${'x'.repeat(400)}`);
      });
      // Writes without a pause long enough for a PASSIVE checkpoint to catch up, as under load:
      // only a RESTART can let the WAL start over.
      let rounds = 0;
      const until = Date.now() + 1_500;
      while (Date.now() < until || (checkpoints.progress.restarts === 0 && Date.now() < until + 5_000)) {
        writeSome(rounds);
        rounds += 1;
        await new Promise((resolve) => setImmediate(resolve));
      }

      await checkpoints.stop();
      const { rounds: copyingRounds, restarts, lastFailure } = checkpoints.progress;
      assert.equal(lastFailure, null);
      assert.ok(copyingRounds > 0, 'some rounds copied frames');
      assert.ok(restarts > 0, 'the WAL was let start over at least once');
      assert.ok(statSync(file).size > sizeBefore + 1_000_000, 'the notes reached the database file itself');
      // With the thread stopped, nothing else holds the WAL: it has only the frames since the last restart.
      const wal = db.prepare<[], { busy: number; log: number }>('PRAGMA wal_checkpoint(PASSIVE)').get()!;
      assert.equal(wal.busy, 0);
      assert.ok(wal.log >= 0 && wal.log < 2_000, `the WAL holds ${wal.log} frames after ${rounds} transactions`);
      assert.equal(db.prepare<[], { n: number }>('SELECT count(*) AS n FROM notes').get()!.n, rounds * 20);
    } finally {
      await checkpoints.stop();
      db.close();
    }
  });

  test('stop is harmless after the thread is gone', async () => {
    const file = join(directory, 'other.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (x)');
    const checkpoints = await WalCheckpoints.start(file, { everyMs: 10, restartAfterFrames: 100 });
    await checkpoints.stop();
    await checkpoints.stop();
    db.close();
  });
});
