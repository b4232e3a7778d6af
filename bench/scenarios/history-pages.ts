/**
 * `--history`: a chat with 1,000,000 messages, written in bulk straight into the SQLite file
 * (prepared insert, large transactions) before the server starts; then 1,000 `chat:history`
 * pages of 50, each before a message picked at random, requested one after another over an
 * authenticated socket. Reports the round-trip percentiles (target p99 < 5 ms).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import { newId } from '../../backend/src/storage/ids.js';
import { authenticatedSocket } from '../authenticated-socket.js';
import type { BenchOptions } from '../bench-options.js';
import { summarize, type LatencySummary } from '../latency-summary.js';
import { prepareDeployment } from '../product-deployment.js';
import { seedUsersAndRooms } from '../seed-store.js';
import { productBenchEnv } from './message-load.js';

const PAGE_SIZE = 50;
const INSERT_BATCH = 50_000;
const WARM_UP_PAGES = 50;

export interface HistoryFigures {
  messages: number;
  seedSeconds: number;
  pages: number;
  pageSize: number;
  latency: LatencySummary;
  targetP99Ms: number;
  metTarget: boolean;
}

export async function runHistoryPages(options: BenchOptions, log: (line: string) => void): Promise<HistoryFigures> {
  if (options.mongo) throw new Error('--history seeds the SQLite file directly; run it without --mongo');
  const total = options.historyMessages;
  const prepared = await prepareDeployment(
    { store: 'sqlite', redis: options.redis, nodes: 1, env: productBenchEnv() },
    async (storage, jwtSecret, dataDir) => {
      const [reader, writer] = await seedUsersAndRooms(storage, { users: 2, roomSize: 2, bcryptCost: 4, jwtSecret, prefix: 'history' });
      log(`history: inserting ${total.toLocaleString('en')} messages ...`);
      const started = performance.now();
      const cursors = bulkInsert(join(dataDir, 'chat.sqlite'), reader!.chatId, writer!.id, total, options.historyPages + WARM_UP_PAGES);
      const seedSeconds = (performance.now() - started) / 1000;
      log(`history: inserted in ${seedSeconds.toFixed(1)} s`);
      return { reader: reader!, cursors, seedSeconds };
    },
  );
  const deployment = await prepared.start();
  const { reader, cursors, seedSeconds } = prepared.seeded;
  let socket: Socket | undefined;
  try {
    socket = await authenticatedSocket(deployment.urls[0]!, reader.token);
    const request = async (before: string): Promise<number> => {
      const started = performance.now();
      const answer = (await socket!.timeout(10_000).emitWithAck('chat:history', { chatId: reader.chatId, before, limit: PAGE_SIZE })) as {
        ok: boolean;
        data?: { messages: unknown[] };
        error?: { code: string };
      };
      const elapsed = performance.now() - started;
      if (!answer.ok || answer.data?.messages.length !== PAGE_SIZE) {
        throw new Error(`chat:history failed: ${answer.error?.code ?? `${answer.data?.messages.length} messages`}`);
      }
      return elapsed;
    };
    for (const cursor of cursors.slice(0, WARM_UP_PAGES)) await request(cursor);
    const samples: number[] = [];
    for (const cursor of cursors.slice(WARM_UP_PAGES)) samples.push(await request(cursor));
    const latency = summarize(samples);
    const figures: HistoryFigures = {
      messages: total,
      seedSeconds,
      pages: samples.length,
      pageSize: PAGE_SIZE,
      latency,
      targetP99Ms: 5,
      metTarget: latency.p99 < 5,
    };
    console.log('');
    console.log(`history: ${samples.length} pages of ${PAGE_SIZE} at random positions in a chat of ${total.toLocaleString('en')} messages (seeded in ${seedSeconds.toFixed(1)} s)`);
    console.log(`round trip: p50 ${latency.p50.toFixed(2)} ms, p95 ${latency.p95.toFixed(2)} ms, p99 ${latency.p99.toFixed(2)} ms, max ${latency.max.toFixed(2)} ms; target p99 < 5 ms: ${figures.metTarget ? 'met' : 'NOT met'}`);
    console.log('');
    return figures;
  } finally {
    socket?.close();
    await deployment.stop();
  }
}

/**
 * Writes `total` messages into the chat (seq 1..total) with one prepared insert in transactions of
 * INSERT_BATCH rows, moves the chat's last_seq, and returns the ids of `cursorCount` messages at
 * random positions (each with at least a page of older messages before it).
 */
function bulkInsert(file: string, chatId: string, senderId: string, total: number, cursorCount: number): string[] {
  const db = new Database(file, { timeout: 10_000 });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const insert = db.prepare(
      `INSERT INTO messages (chat_id, seq, id, kind, sender_id, client_id, body, notice, created_at)
       VALUES (?, ?, ?, 'text', ?, NULL, ?, NULL, ?)`,
    );
    const start = Date.now() - total * 1000;
    const insertRange = db.transaction((from: number, to: number) => {
      for (let seq = from; seq <= to; seq += 1) {
        insert.run(chatId, seq, newId(), senderId, `history message number ${seq}`, new Date(start + seq * 1000).toISOString());
      }
    });
    for (let from = 1; from <= total; from += INSERT_BATCH) insertRange(from, Math.min(total, from + INSERT_BATCH - 1));
    db.prepare('UPDATE chats SET last_seq = ?, last_activity_at = ? WHERE id = ?').run(total, new Date().toISOString(), chatId);
    db.pragma('wal_checkpoint(TRUNCATE)');

    const byPosition = db.prepare<[string, number], { id: string }>('SELECT id FROM messages WHERE chat_id = ? AND seq = ?');
    const cursors: string[] = [];
    for (let index = 0; index < cursorCount; index += 1) {
      const seq = PAGE_SIZE + 1 + Math.floor(Math.random() * (total - PAGE_SIZE));
      cursors.push(byPosition.get(chatId, seq)!.id);
    }
    return cursors;
  } finally {
    db.close();
  }
}
