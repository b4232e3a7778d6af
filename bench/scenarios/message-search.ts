/**
 * `--search`: message search at scale, and what its index costs the send path.
 *
 * 1. Latency. A store is seeded with --search-messages (1,000,000) messages over --search-chats
 *    (1,000) group chats of --search-room (10) members, in eight languages (bench/search-corpus.ts),
 *    straight through the storage adapter's own append (the path the server takes, so the search
 *    index is written as in production; appends are handed over in large concurrent batches,
 *    which the SQLite adapter commits as one transaction each). --search-users (200) users share
 *    the chats evenly: each is a member of chats × room / users (50) chats. Then, --search-runs
 *    (3) times, a fresh server process starts on the seeded store, pinned to core 0 while this
 *    process (the client) runs on core 1; after a warm-up, it asks --search-queries (200)
 *    `message:search` pages (limit 20) of each kind, kinds interleaved, one request at a time,
 *    each by one of 20 searchers picked in turn (the warm-up: 20 of each kind, fewer for a short run):
 *      one word, common     `deploy` (in 5 % of all messages)
 *      one word, rare       `zeppelin` (in 0.01 %)
 *      3 words + from:, common  `deploy server friday from:@<a fellow member>` (5 %, 10 %, 10 %)
 *      3 words + from:, rare    `zeppelin server friday from:@<a fellow member>`
 *    and reports p50 and p99 per kind as median (min–max) over the runs. Targets on SQLite: p99 <
 *    30 ms for one word, < 60 ms for three words with from:. With --mongo only this part runs,
 *    on the MongoDB adapter (a throw-away FerretDB unless MONGODB_URI is set), seeded with
 *    --search-mongo-messages (20,000: its index is a posting per distinct trigram of each
 *    message, about 60 documents per message, and FerretDB stores some 18,000 documents/s).
 * 2. Index size: the SQLite file's pages by table and index (dbstat), the search index's share
 *    (message_search*, the messages_search_row index and the bytes of the messages.search_row
 *    column) of the whole (target ≤ 30 %).
 * 3. Send rate with indexing on and off, as --changes does it: the message load (--clients,
 *    --room, --rate, --duration) on a fresh server per step over a store prefilled with
 *    --search-prefill (100,000) messages through append, server and load generator pinned to
 *    separate cores, a warm-up before each measured window, the two settings alternating
 *    --search-send-pairs (3) times. "Off" is the same build without any search work on the send path
 *    (no search position, no catch-up indexing: bench/no-search-index-hook.mjs, preloaded with
 *    NODE_OPTIONS); the product has no switch. The catch-up runs in the server process, so its
 *    CPU is in the "on" figures.
 *    Reports deliveries/s, server CPU per message and messages per server CPU-second (the send
 *    path's capacity when the server is CPU-bound), on/off per pair (target: drop ≤ 10 %).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Socket } from 'socket.io-client';
import { AccessTokens } from '../../backend/src/accounts/access-tokens.js';
import type { Storage } from '../../backend/src/storage/storage.js';
import { startServerProcess, type ServerProcess } from '../../backend/test/support/server-process.js';
import { authenticatedSocket } from '../authenticated-socket.js';
import type { BenchOptions } from '../bench-options.js';
import { summarize, type LatencySummary } from '../latency-summary.js';
import { LoadGenerator } from '../load-generator.js';
import type { RunSpec } from '../load-protocol.js';
import { measuredRun, runPassed, type MeasuredRun } from '../measured-run.js';
import { canPin, pin } from '../pinning.js';
import { prepareDeployment } from '../product-deployment.js';
import { COMMON_TERM, messageBodies, PLANTED_RATES, RARE_TERM, SECOND_TERM, THIRD_TERM } from '../search-corpus.js';
import { BENCH_PASSWORD, seedUsersAndRooms } from '../seed-store.js';
import { formatSpread, spreadOf, type Spread } from '../spread.js';
import { describeRun, productBenchEnv } from './message-load.js';

const SEARCHERS = 20;
const WARM_UP_QUERIES = 20;
const PAGE_LIMIT = 20;
const SEND_WARM_UP_S = 2;
const NO_INDEX_HOOK = fileURLToPath(new URL('../no-search-index-hook.mjs', import.meta.url));

const KINDS = ['one word, common', 'one word, rare', '3 words + from:, common', '3 words + from:, rare'] as const;
type Kind = (typeof KINDS)[number];
const TARGET_P99_MS: Record<Kind, number> = {
  'one word, common': 30,
  'one word, rare': 30,
  '3 words + from:, common': 60,
  '3 words + from:, rare': 60,
};

interface BenchUser {
  id: string;
  username: string;
  token: string;
  /** The other members of this user's chats. */
  fellows: string[];
}

/** One run of one kind of query: latency of the answered ones, hits per page, and the refused ones by error code. */
export interface RunFigures {
  latency: LatencySummary;
  meanHits: number;
  failed: Record<string, number>;
}

export interface SearchKindFigures {
  query: string;
  runs: RunFigures[];
  p50Ms: Spread;
  p99Ms: Spread;
  targetP99Ms: number;
  metTarget: boolean;
}

export interface SearchStoreFigures {
  store: string;
  messages: number;
  chats: number;
  chatsPerUser: number;
  seedSeconds: number;
  seedMessagesPerSec: number;
  kinds: Record<Kind, SearchKindFigures>;
}

export interface IndexSizeFigures {
  databaseBytes: number;
  indexBytes: number;
  share: number;
  byObject: Record<string, number>;
  targetShare: number;
  metTarget: boolean;
}

export interface SendStep {
  setting: 'indexing on' | 'indexing off';
  pair: number;
  run: MeasuredRun;
  pinned: boolean;
  /** Messages that went into the search index during the step (warm-up included): none with indexing off. */
  indexedDuringRun: number;
}

export interface SendFigures {
  prefill: number;
  steps: SendStep[];
  settings: Record<SendStep['setting'], { deliveredPerSec: Spread; cpuMsPerMessage: Spread; messagesPerCpuSecond: Spread; p99Ms: Spread }>;
  /** On / off per pair: 1 − this is the drop. */
  ratios: { deliveredPerSec: Spread; messagesPerCpuSecond: Spread };
  targetDrop: number;
  metTarget: boolean;
  allDelivered: boolean;
}

/** Without --mongo: SQLite latency, index size and send rate; with --mongo: the latency on MongoDB / FerretDB alone. */
export interface SearchBenchFigures {
  sqlite: SearchStoreFigures | null;
  indexSize: IndexSizeFigures | null;
  mongo: SearchStoreFigures | null;
  send: SendFigures | null;
  plantedRates: typeof PLANTED_RATES;
}

export async function runMessageSearch(options: BenchOptions, log: (line: string) => void): Promise<SearchBenchFigures> {
  const pinned = canPin();
  log(pinned ? 'server pinned to core 0, client / load generator to core 1' : 'not pinned (needs taskset and two cores): figures are noisier');
  if (options.mongo) {
    const mongo = (await searchLatency('mongo', options.searchMongoMessages, options, pinned, log)).figures;
    printStore(mongo);
    return { sqlite: null, indexSize: null, mongo, send: null, plantedRates: PLANTED_RATES };
  }
  if (options.searchSendOnly) {
    const send = await sendRate(options, pinned, log);
    printSend(options, send);
    return { sqlite: null, indexSize: null, mongo: null, send, plantedRates: PLANTED_RATES };
  }
  const { figures: sqlite, indexSize } = await searchLatency('sqlite', options.searchMessages, options, pinned, log);
  printStore(sqlite);
  printIndexSize(indexSize);
  const send = await sendRate(options, pinned, log);
  printSend(options, send);
  return { sqlite, indexSize, mongo: null, send, plantedRates: PLANTED_RATES };
}

// ---------------------------------------------------------------- seeding

/** Users and chats: chat i's members are users (7i + 23k) mod users for k < room, so every user is in chats × room / users chats. */
async function seedChats(storage: Storage, options: BenchOptions, jwtSecret: string): Promise<{ users: BenchUser[]; chats: Array<{ id: string; memberIds: string[] }> }> {
  const userCount = options.searchUsers;
  const room = Math.min(options.searchRoom, userCount);
  const bcrypt = await import('bcrypt');
  const passwordHash = await bcrypt.default.hash(BENCH_PASSWORD, 4);
  const created = await storage.users.createMany(
    Array.from({ length: userCount }, (_, index) => ({
      username: `searcher${index}`,
      email: `searcher${index}@bench.test`,
      firstName: 'Bench',
      lastName: `Searcher ${index}`,
      gender: 'unspecified' as const,
      passwordHash,
    })),
  );
  const fellows = created.map(() => new Set<number>());
  const chats: Array<{ id: string; memberIds: string[] }> = [];
  for (let index = 0; index < options.searchChats; index += 1) {
    const members = Array.from({ length: room }, (_, k) => (7 * index + 23 * k) % userCount);
    const unique = [...new Set(members)];
    for (const a of unique) for (const b of unique) if (a !== b) fellows[a]!.add(b);
    const memberIds = unique.map((member) => created[member]!.id);
    const chat = await storage.chats.createGroup({ name: `search room ${index}`, passwordHash: null, creatorId: memberIds[0]!, memberIds });
    chats.push({ id: chat.id, memberIds });
  }
  const tokens = new AccessTokens(jwtSecret, 86_400);
  const users: BenchUser[] = [];
  for (const [index, user] of created.entries()) {
    users.push({ id: user.id, username: user.username, token: await tokens.issue(user), fellows: [...fellows[index]!].map((f) => created[f]!.username) });
  }
  return { users, chats };
}

/** Appends `total` messages through the adapter's append, `concurrency` at a time, in random chats by random members. */
async function appendMessages(
  storage: Storage,
  chats: ReadonlyArray<{ id: string; memberIds: string[] }>,
  total: number,
  concurrency: number,
  seed: number,
  log: (line: string) => void,
): Promise<number> {
  const body = messageBodies(seed);
  let random = seed;
  const next = () => {
    random = (Math.imul(random, 1103515245) + 12345) >>> 0;
    return random / 4294967296;
  };
  const started = performance.now();
  let reported = 0;
  for (let done = 0; done < total; ) {
    const batch = Math.min(concurrency, total - done);
    await Promise.all(
      Array.from({ length: batch }, () => {
        const chat = chats[Math.floor(next() * chats.length)]!;
        const senderId = chat.memberIds[Math.floor(next() * chat.memberIds.length)]!;
        return storage.messages.append({ chatId: chat.id, kind: 'text', senderId, clientId: null, body: body(), notice: null });
      }),
    );
    done += batch;
    if (done - reported >= Math.max(1, Math.floor(total / 10)) || done === total) {
      reported = done;
      const seconds = (performance.now() - started) / 1000;
      log(`  ${done.toLocaleString('en')} messages appended (${Math.round(done / seconds).toLocaleString('en')}/s)`);
    }
  }
  return (performance.now() - started) / 1000;
}

// ---------------------------------------------------------------- search latency

async function searchLatency(
  store: 'sqlite' | 'mongo',
  total: number,
  options: BenchOptions,
  pinned: boolean,
  log: (line: string) => void,
): Promise<{ figures: SearchStoreFigures; indexSize: IndexSizeFigures }> {
  log(`${store}: seeding ${options.searchUsers} users, ${options.searchChats} chats of ${options.searchRoom}, ${total.toLocaleString('en')} messages through append ...`);
  const prepared = await prepareDeployment({ store, redis: false, nodes: 1, env: productBenchEnv() }, async (storage, jwtSecret, dataDir) => {
    const { users, chats } = await seedChats(storage, options, jwtSecret);
    const seedSeconds = await appendMessages(storage, chats, total, store === 'sqlite' ? 5_000 : 8, 20_261_203, log);
    return { users, dataDir, seedSeconds };
  });
  const { users, dataDir, seedSeconds } = prepared.seeded;
  const indexSize = store === 'sqlite' ? measureIndexSize(join(dataDir, 'chat.sqlite')) : emptyIndexSize();
  const deployment = await prepared.start();
  const samples = Object.fromEntries(KINDS.map((kind) => [kind, [] as RunFigures[]])) as Record<Kind, RunFigures[]>;
  try {
    let server: ServerProcess = deployment.servers[0]!;
    for (let run = 1; run <= options.searchRuns; run += 1) {
      if (run > 1) {
        // A fresh server process on the same store for every run.
        await server.stop();
        server = await startServerProcess({ env: deployment.env });
        deployment.servers[0] = server;
      }
      if (pinned) {
        pin(server.pid, 0);
        pin(process.pid, 1);
      }
      const results = await searchRun(server.url, users, options.searchQueries);
      for (const kind of KINDS) {
        samples[kind].push(results[kind]);
        log(`${store} run ${run}: ${kind.padEnd(24)} p50 ${results[kind].latency.p50.toFixed(2)} ms, p99 ${results[kind].latency.p99.toFixed(2)} ms, ${results[kind].meanHits.toFixed(1)} hits per page on average${failedText(results[kind].failed)}`);
      }
    }
  } finally {
    await deployment.stop();
  }
  const kinds = Object.fromEntries(
    KINDS.map((kind) => {
      const p99 = spreadOf(samples[kind].map((s) => s.latency.p99));
      return [
        kind,
        {
          query: queryOf(kind, '<fellow>'),
          runs: samples[kind],
          p50Ms: spreadOf(samples[kind].map((s) => s.latency.p50)),
          p99Ms: p99,
          targetP99Ms: TARGET_P99_MS[kind],
          metTarget: p99.median < TARGET_P99_MS[kind] && samples[kind].every((run) => Object.keys(run.failed).length === 0),
        },
      ];
    }),
  ) as Record<Kind, SearchKindFigures>;
  const description = store === 'sqlite' ? 'SQLite (WAL)' : process.env['MONGODB_URI'] ? 'MongoDB (MONGODB_URI)' : 'MongoDB API (FerretDB)';
  return {
    figures: {
      store: description,
      messages: total,
      chats: options.searchChats,
      chatsPerUser: Math.round((options.searchChats * Math.min(options.searchRoom, options.searchUsers)) / options.searchUsers),
      seedSeconds,
      seedMessagesPerSec: total / seedSeconds,
      kinds,
    },
    indexSize,
  };
}

function queryOf(kind: Kind, fellow: string): string {
  switch (kind) {
    case 'one word, common':
      return COMMON_TERM;
    case 'one word, rare':
      return RARE_TERM;
    case '3 words + from:, common':
      return `${COMMON_TERM} ${SECOND_TERM} ${THIRD_TERM} from:@${fellow}`;
    case '3 words + from:, rare':
      return `${RARE_TERM} ${SECOND_TERM} ${THIRD_TERM} from:@${fellow}`;
  }
}

/** One run: a warm-up, then `queries` searches of each kind, interleaved, one at a time. */
async function searchRun(url: string, users: readonly BenchUser[], queries: number): Promise<Record<Kind, RunFigures>> {
  const searchers = users.slice(0, Math.min(SEARCHERS, users.length));
  const sockets: Socket[] = [];
  try {
    for (const searcher of searchers) sockets.push(await authenticatedSocket(url, searcher.token));
    let turn = 0;
    const ask = async (kind: Kind): Promise<{ ms: number; hits: number; failed: string | null }> => {
      const index = turn++ % searchers.length;
      const searcher = searchers[index]!;
      const fellow = searcher.fellows[turn % searcher.fellows.length] ?? searcher.username;
      const started = performance.now();
      const answer = (await sockets[index]!.timeout(30_000).emitWithAck('message:search', { query: queryOf(kind, fellow), limit: PAGE_LIMIT })) as {
        ok: boolean;
        data?: { hits: unknown[] };
        error?: { code: string; message: string };
      };
      const ms = performance.now() - started;
      if (!answer.ok) return { ms, hits: 0, failed: answer.error?.code ?? 'unknown' };
      return { ms, hits: answer.data!.hits.length, failed: null };
    };
    const warmUps = Math.min(WARM_UP_QUERIES, Math.max(2, Math.ceil(queries / 10)));
    for (let i = 0; i < warmUps; i += 1) for (const kind of KINDS) await ask(kind);
    const times = Object.fromEntries(KINDS.map((kind) => [kind, [] as number[]])) as Record<Kind, number[]>;
    const hits = Object.fromEntries(KINDS.map((kind) => [kind, 0])) as Record<Kind, number>;
    const failed = Object.fromEntries(KINDS.map((kind) => [kind, {} as Record<string, number>])) as Record<Kind, Record<string, number>>;
    for (let i = 0; i < queries; i += 1) {
      for (const kind of KINDS) {
        const answer = await ask(kind);
        if (answer.failed) failed[kind][answer.failed] = (failed[kind][answer.failed] ?? 0) + 1;
        else times[kind].push(answer.ms);
        hits[kind] += answer.hits;
      }
    }
    return Object.fromEntries(
      KINDS.map((kind) => [kind, { latency: summarize(times[kind]), meanHits: hits[kind] / queries, failed: failed[kind] }]),
    ) as Record<Kind, RunFigures>;
  } finally {
    for (const socket of sockets) socket.close();
  }
}

function failedText(failed: Record<string, number>): string {
  const entries = Object.entries(failed);
  return entries.length === 0 ? '' : `; FAILED ${entries.map(([code, count]) => `${code}:${count}`).join(', ')}`;
}

// ---------------------------------------------------------------- index size

/** The search index's own objects: the FTS5 tables, its watermark and the position index on messages. */
const INDEX_OBJECTS = /^(message_search|messages_search_row$)/;

function measureIndexSize(file: string): IndexSizeFigures {
  const db = new Database(file, { timeout: 10_000 });
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const rows = db.prepare<[], { name: string; bytes: number }>('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC').all();
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const pageCount = db.pragma('page_count', { simple: true }) as number;
    const databaseBytes = pageSize * pageCount;
    const byObject = Object.fromEntries(rows.map((row) => [row.name, row.bytes]));
    // messages.search_row lives inside the messages table's rows: its bytes are counted as the
    // record format stores them (a header byte and a 1- to 4-byte integer; ≥ 8,388,608 takes 4).
    const positionColumnBytes = db
      .prepare<[], number>(
        `SELECT coalesce(sum(CASE WHEN search_row IS NULL THEN 1 WHEN search_row < 128 THEN 2 WHEN search_row < 32768 THEN 3
           WHEN search_row < 8388608 THEN 4 ELSE 5 END), 0) FROM messages`,
      )
      .pluck()
      .get()!;
    byObject['messages.search_row (column, estimated)'] = positionColumnBytes;
    const indexBytes = positionColumnBytes + rows.filter((row) => INDEX_OBJECTS.test(row.name)).reduce((sum, row) => sum + row.bytes, 0);
    const share = indexBytes / databaseBytes;
    return { databaseBytes, indexBytes, share, byObject, targetShare: 0.3, metTarget: share <= 0.3 };
  } finally {
    db.close();
  }
}

function countIndexed(file: string): number {
  const db = new Database(file, { readonly: true, timeout: 10_000 });
  try {
    return db
      .prepare<[], number>(
        `SELECT count(*) FROM messages INDEXED BY messages_search_row
         WHERE search_row <= (SELECT indexed_to FROM message_search_state) AND kind = 'text' AND deleted_at IS NULL AND body <> ''`,
      )
      .pluck()
      .get()!;
  } finally {
    db.close();
  }
}

function emptyIndexSize(): IndexSizeFigures {
  return { databaseBytes: 0, indexBytes: 0, share: NaN, byObject: {}, targetShare: 0.3, metTarget: false };
}

// ---------------------------------------------------------------- send rate, indexing on and off

async function sendRate(options: BenchOptions, pinned: boolean, log: (line: string) => void): Promise<SendFigures> {
  const steps: SendStep[] = [];
  for (let pair = 1; pair <= options.searchSendPairs; pair += 1) {
    for (const setting of ['indexing on', 'indexing off'] as const) {
      const prepared = await prepareDeployment(
        { store: 'sqlite', redis: false, nodes: 1, env: { ...productBenchEnv(), ...(setting === 'indexing off' && { NODE_OPTIONS: `--import=${pathToFileURL(NO_INDEX_HOOK).href}` }) } },
        async (storage, jwtSecret) => {
          const users = await seedUsersAndRooms(storage, { users: options.clients, roomSize: options.roomSize, bcryptCost: 4, jwtSecret, prefix: 'bench' });
          const rooms = new Map<string, string[]>();
          for (const user of users) rooms.set(user.chatId, [...(rooms.get(user.chatId) ?? []), user.id]);
          const chats = [...rooms].map(([id, memberIds]) => ({ id, memberIds }));
          if (options.searchPrefill > 0) await appendMessages(storage, chats, options.searchPrefill, 5_000, pair, () => {});
          return users;
        },
      );
      const deployment = await prepared.start();
      const generator = LoadGenerator.spawn();
      try {
        const server = deployment.servers[0]!;
        await generator.connectToProduct(server, prepared.seeded, pinned);
        const spec = (durationS: number): RunSpec => ({ rate: options.rate, durationMs: durationS * 1000, drainMs: options.drainS * 1000, bodyBytes: options.bodyBytes });
        log(`${setting} #${pair}: ${options.searchPrefill.toLocaleString('en')} messages prefilled; warm-up ${SEND_WARM_UP_S} s, then ${options.durationS} s at ${options.rate} msg/s ...`);
        await generator.run(spec(SEND_WARM_UP_S));
        const run = await measuredRun(generator, [server.pid], spec(options.durationS));
        // The switch worked: the messages sent during the step are in the index only with indexing on.
        const indexedDuringRun = countIndexed(join(deployment.dataDir, 'chat.sqlite')) - options.searchPrefill;
        if ((setting === 'indexing on') !== indexedDuringRun > 0) throw new Error(`${setting}: ${indexedDuringRun} messages were indexed during the step`);
        steps.push({ setting, pair, run, pinned, indexedDuringRun });
        log(`${setting} #${pair}: ${describeRun(run)}; ${indexedDuringRun} messages indexed`);
      } finally {
        await generator.close();
        await deployment.stop();
      }
    }
  }
  const perCpuSecond = (run: MeasuredRun) => (run.serverCpuMsPerMessage ? 1000 / run.serverCpuMsPerMessage : NaN);
  const of = (setting: SendStep['setting'], figure: (run: MeasuredRun) => number | null) =>
    spreadOf(steps.filter((step) => step.setting === setting).map((step) => figure(step.run) ?? NaN));
  const settings = Object.fromEntries(
    (['indexing on', 'indexing off'] as const).map((setting) => [
      setting,
      {
        deliveredPerSec: of(setting, (run) => run.deliveredPerSec),
        cpuMsPerMessage: of(setting, (run) => run.serverCpuMsPerMessage),
        messagesPerCpuSecond: of(setting, perCpuSecond),
        p99Ms: of(setting, (run) => run.latency.p99),
      },
    ]),
  ) as SendFigures['settings'];
  const ratio = (figure: (run: MeasuredRun) => number) =>
    spreadOf(
      Array.from({ length: options.searchSendPairs }, (_, index) => {
        const on = steps.find((step) => step.pair === index + 1 && step.setting === 'indexing on')!.run;
        const off = steps.find((step) => step.pair === index + 1 && step.setting === 'indexing off')!.run;
        return figure(on) / figure(off);
      }),
    );
  const ratios = { deliveredPerSec: ratio((run) => run.deliveredPerSec), messagesPerCpuSecond: ratio(perCpuSecond) };
  return {
    prefill: options.searchPrefill,
    steps,
    settings,
    ratios,
    targetDrop: 0.1,
    metTarget: 1 - ratios.messagesPerCpuSecond.median <= 0.1 && 1 - ratios.deliveredPerSec.median <= 0.1,
    allDelivered: steps.every((step) => runPassed(step.run, Infinity)),
  };
}

// ---------------------------------------------------------------- report

function printStore(figures: SearchStoreFigures): void {
  console.log('');
  console.log(
    `search on ${figures.store}: ${figures.messages.toLocaleString('en')} messages in ${figures.chats} chats (each searcher in ${figures.chatsPerUser}), ` +
      `seeded through append in ${figures.seedSeconds.toFixed(0)} s (${Math.round(figures.seedMessagesPerSec).toLocaleString('en')}/s); page of ${PAGE_LIMIT}; median (min–max) of ${figures.kinds[KINDS[0]].runs.length} runs`,
  );
  for (const kind of KINDS) {
    const k = figures.kinds[kind];
    console.log(
      `  ${kind.padEnd(24)} p50 ${formatSpread(k.p50Ms, 2, ' ms')}, p99 ${formatSpread(k.p99Ms, 2, ' ms')}; target p99 < ${k.targetP99Ms} ms: ${k.metTarget ? 'met' : 'NOT met'}` +
        `${k.runs.map((run) => failedText(run.failed)).join('')}   (${k.query})`,
    );
  }
}

function printIndexSize(size: IndexSizeFigures): void {
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  console.log(
    `  SQLite file ${mib(size.databaseBytes)}, search index ${mib(size.indexBytes)} = ${(100 * size.share).toFixed(1)} % of it; target ≤ 30 %: ${size.metTarget ? 'met' : 'NOT met'}`,
  );
  const top = Object.entries(size.byObject).slice(0, 8).map(([name, bytes]) => `${name} ${mib(bytes)}`);
  console.log(`  largest: ${top.join(', ')}`);
  const parts = Object.entries(size.byObject).filter(([name]) => INDEX_OBJECTS.test(name) || name.startsWith('messages.search_row'));
  console.log(`  search index: ${parts.map(([name, bytes]) => `${name} ${mib(bytes)}`).join(', ')}`);
}

function printSend(options: BenchOptions, send: SendFigures): void {
  const percent = (spread: Spread) => formatSpread({ ...spread, median: 100 * spread.median, min: 100 * spread.min, max: 100 * spread.max }, 1, ' %');
  console.log('');
  console.log(
    `send path: ${options.clients} clients, rooms of ${options.roomSize}, ${options.rate} msg/s for ${options.durationS} s over ${send.prefill.toLocaleString('en')} prefilled messages; ` +
      `${options.searchSendPairs} pairs, fresh server each step; median (min–max)`,
  );
  for (const [setting, s] of Object.entries(send.settings)) {
    console.log(
      `  ${setting.padEnd(13)} deliveries/s ${formatSpread(s.deliveredPerSec, 0)}, server CPU ${formatSpread(s.cpuMsPerMessage, 3)} ms per message ` +
        `= ${formatSpread(s.messagesPerCpuSecond, 0)} messages per CPU-second, p99 ${formatSpread(s.p99Ms, 1, ' ms')}`,
    );
  }
  console.log(`  on/off: deliveries/s ${percent(send.ratios.deliveredPerSec)}, messages per CPU-second ${percent(send.ratios.messagesPerCpuSecond)}`);
  console.log(`  target: drop ≤ 10 %: ${send.metTarget ? 'met' : 'NOT met'}; everything delivered once: ${send.allDelivered ? 'yes' : 'NO'}`);
  console.log('');
}
