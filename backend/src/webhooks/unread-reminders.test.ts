import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import type { EventRecord, NewEvent } from '../storage/storage.js';
import { UnreadReminders } from './unread-reminders.js';

/**
 * The log as the reminders read it, in memory: one message event, and a count of the range reads.
 * The webhook tests run the class against both stores and a real receiver; this is for what they
 * cannot see, how often the log is read.
 */
function storeWithOneMessage(createdAt: number) {
  const reads: number[] = [];
  const appended: NewEvent[] = [];
  const event: EventRecord = {
    position: 1, id: 'evt_created_m1', type: 'message.created', chatId: 'c1', messageId: 'm1', userId: null, createdAt: new Date(createdAt).toISOString(),
  };
  const storage = {
    events: {
      headPosition: async () => 1,
      after: async (cursor: number) => {
        reads.push(Date.now());
        return cursor < 1 ? [event] : [];
      },
      append: async (events: NewEvent[]) => {
        appended.push(...events);
      },
    },
    messages: { byId: async () => ({ id: 'm1', chatId: 'c1', seq: 1, senderId: 'ann', deletedAt: null }) },
    members: {
      list: async () => [
        { userId: 'ann', readSeq: 1, notify: 'all' },
        { userId: 'ben', readSeq: 0, notify: 'all' },
      ],
    },
  };
  return { storage, reads, appended };
}

const leases = { acquire: async () => true, release: async () => {} };
const nobodyOnline = { onlineAmong: async () => new Set<string>() };

describe('UnreadReminders', () => {
  it('does not read the log again before its oldest unreported message is due, and reports it once due', async () => {
    const delayMs = 400;
    const { storage, reads, appended } = storeWithOneMessage(Date.now());
    const reminders = new UnreadReminders(storage as never, leases as never, nobodyOnline as never, pino({ level: 'silent' }), {
      delayMs,
      pollMs: 20,
      leaseMs: 10_000,
    });
    reminders.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, delayMs - 100));
      // About 15 polls went by: the first read found the message not due, and the rest waited.
      assert.equal(reads.length, 1, `read the log ${reads.length} times before anything was due`);
      assert.equal(appended.length, 0);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.deepEqual(appended.map((event) => [event.type, event.userId]), [['message.unread_for_offline_user', 'ben']]);
      // Caught up, it reads each poll again: the next event's time is not known before it is read.
      assert.ok(reads.length >= 2, `read the log ${reads.length} times in all`);
    } finally {
      await reminders.stop();
    }
  });
});
