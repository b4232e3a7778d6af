/**
 * WalSync on a real WAL file: syncs run on their own thread, callers that come while one runs
 * share the next, and a stopped or failed syncer refuses rather than pretending.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { StoreUnavailableError } from '../errors.js';
import { MIN_SYNC_INTERVAL_MS, WalSync } from './wal-sync.js';

describe('WalSync', () => {
  let directory: string;
  let file: string;
  let db: Database.Database;

  before(() => {
    directory = mkdtempSync(join(tmpdir(), 'chat-wal-sync-'));
    file = join(directory, 'chat.sqlite');
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE notes (body TEXT NOT NULL)');
  });

  after(() => {
    db.close();
    rmSync(directory, { recursive: true, force: true });
  });

  test('callers waiting at the same time share syncs: 200 commits, at most 2 fsyncs', async () => {
    const sync = await WalSync.start(file);
    try {
      const insert = db.prepare('INSERT INTO notes (body) VALUES (?)');
      const waits: Promise<void>[] = [];
      for (let index = 0; index < 200; index += 1) {
        insert.run(`note ${index}`);
        waits.push(sync.afterWrites());
      }
      await Promise.all(waits);
      // The first caller starts a sync at once; the other 199 come while it runs and share one more.
      assert.ok(sync.syncs >= 1 && sync.syncs <= 2, `expected 1 or 2 syncs, got ${sync.syncs}`);

      // Calls spaced out in time each get a sync of their own.
      const before = sync.syncs;
      for (let index = 0; index < 3; index += 1) {
        insert.run(`later ${index}`);
        await sync.afterWrites();
      }
      assert.equal(sync.syncs, before + 3);
    } finally {
      await sync.stop();
    }
  });

  test('beforeNextSync runs a callback once the sync in flight is done, and what it waits for joins the next sync', async () => {
    const sync = await WalSync.start(file);
    try {
      const insert = db.prepare('INSERT INTO notes (body) VALUES (?)');
      let ranAtOnce = false;
      sync.beforeNextSync(() => {
        ranAtOnce = true;
      });
      assert.equal(ranAtOnce, true, 'with no sync in flight the callback runs at once');

      insert.run('first');
      const first = sync.afterWrites();
      assert.equal(sync.syncing, true);
      const order: string[] = [];
      let second: Promise<void> | undefined;
      const callbackRan = new Promise<void>((resolve) =>
        sync.beforeNextSync(() => {
          order.push('callback');
          insert.run('second');
          second = sync.afterWrites();
          resolve();
        }),
      );
      assert.equal(order.length, 0, 'not while the sync is in flight');
      const syncsBefore = sync.syncs;
      await first;
      await callbackRan;
      assert.ok(second);
      await second;
      assert.equal(sync.syncs, syncsBefore + 2, 'the callback’s write got the very next sync');
      assert.equal(sync.syncing, false);
    } finally {
      await sync.stop();
    }
  });

  test('a sync starts no sooner than the interval after the one before; what comes meanwhile shares it, a lone write waits nothing', async () => {
    assert.ok(MIN_SYNC_INTERVAL_MS > 0 && MIN_SYNC_INTERVAL_MS <= 5, 'the product interval adds at most a few milliseconds to an ack');
    const sync = await WalSync.start(file, { minIntervalMs: 300 });
    try {
      const insert = db.prepare('INSERT INTO notes (body) VALUES (?)');
      insert.run('alone');
      let started = performance.now();
      await sync.afterWrites();
      assert.ok(performance.now() - started < 250, 'the first write after a quiet spell is synced at once');
      started = performance.now();
      const syncsBefore = sync.syncs;
      const waits: Promise<void>[] = [];
      for (let index = 0; index < 5; index += 1) {
        insert.run(`held ${index}`);
        waits.push(sync.afterWrites());
        assert.equal(sync.syncing, true, 'a sync is due: writes made now wait for it');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.equal(sync.syncs, syncsBefore, 'nothing synced within the interval');
      await Promise.all(waits);
      assert.ok(performance.now() - started >= 200, 'the next sync waited out the interval');
      assert.equal(sync.syncs, syncsBefore + 1, 'the writes of the interval shared one sync');
    } finally {
      await sync.stop();
    }
  });

  test('beforeNextSync callbacks still run when the syncer stops, and their writes are refused', async () => {
    const sync = await WalSync.start(file);
    db.prepare('INSERT INTO notes (body) VALUES (?)').run('before stop');
    const inFlight = sync.afterWrites();
    let refused: Promise<void> | undefined;
    sync.beforeNextSync(() => {
      refused = sync.afterWrites();
    });
    await inFlight;
    await sync.stop();
    assert.ok(refused, 'the callback ran');
    const late = new Promise<void>((resolve) => sync.beforeNextSync(resolve));
    await late;
    await assert.rejects(sync.afterWrites(), StoreUnavailableError);
  });

  test('after stop, a caller is refused with StoreUnavailableError instead of being told its write is on disk', async () => {
    const sync = await WalSync.start(file);
    await sync.stop();
    await assert.rejects(sync.afterWrites(), StoreUnavailableError);
  });

  test('a file without a WAL cannot be synced, and says so at start', async () => {
    await assert.rejects(WalSync.start(join(directory, 'missing.sqlite')), /ENOENT/);
  });
});
