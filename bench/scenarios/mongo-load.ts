/**
 * `npm run bench -- --mongo`: the MongoDB store under message load, side by side with what the
 * store itself does on this machine, in one run on one FerretDB (or MONGODB_URI):
 *  1. the store's raw rates with the same driver: single insertOne (20 concurrent writers) and
 *     insertMany of 100 documents, into a collection with the messages' unique indexes;
 *  2. the product, one process, then two processes with Redis, at rooms of --room, stepping the
 *     offered rate up (--sweep-start, x --sweep-factor, up to --sweep-max, --sweep-duration s
 *     each) until a step fails: p99 >= 100 ms, or anything lost, refused or unanswered. Every step
 *     gets a fresh database, fresh server(s) and load generator, and a warm-up at its own rate
 *     (--warm-up s). The failing step shows the overload behaviour (what is refused, how fast).
 *     With a local FerretDB, its own CPU is reported beside the servers'.
 */
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import type { BenchOptions } from '../bench-options.js';
import { LoadGenerator } from '../load-generator.js';
import type { RunSpec } from '../load-protocol.js';
import { measuredRun, runPassed, type MeasuredRun } from '../measured-run.js';
import { canPin, pin } from '../pinning.js';
import { cpuPercent, sampleCpu } from '../process-usage.js';
import { prepareDeployment } from '../product-deployment.js';
import { seedUsersAndRooms } from '../seed-store.js';
import { cpuProfileEnv, describeRun, placeClients, productBenchEnv } from './message-load.js';

/** The target of the MongoDB store: p99 under 100 ms. */
export const MONGO_P99_TARGET_MS = 100;
const RAW_SECONDS = 3;
const RAW_WRITERS = 20;

export interface RawStoreRates {
  insertOnePerSec: number;
  insertManyDocsPerSec: number;
}

/** A step's run, with the CPU of the store's own process (a local FerretDB; null for MONGODB_URI). */
export type MongoRun = MeasuredRun & { storeCpuPercent: number | null };

export interface MongoConfigRuns {
  description: string;
  nodes: number;
  runs: MongoRun[];
  /** The highest offered rate that passed. */
  bestRate: number | null;
}

export interface MongoLoadResult {
  store: string;
  raw: RawStoreRates;
  configs: MongoConfigRuns[];
}

export async function runMongoLoad(options: BenchOptions, log: (line: string) => void): Promise<MongoLoadResult> {
  const cleanups: Array<() => Promise<void>> = [];
  const previousUri = process.env['MONGODB_URI'];
  try {
    let store = 'MongoDB (MONGODB_URI)';
    let storePid: number | null = null;
    if (!previousUri) {
      const { startFerretDb } = await import('../../backend/test/support/ferretdb.js');
      const ferret = await startFerretDb();
      cleanups.push(() => ferret.stop());
      // Every deployment below takes a fresh database on this one server.
      process.env['MONGODB_URI'] = ferret.uri;
      store = 'FerretDB 1.x (SQLite backend)';
      storePid = ferret.pid ?? null;
    }
    const raw = await measureRawRates(process.env['MONGODB_URI']!, log);
    log(`store: ${store}: insertOne ${Math.round(raw.insertOnePerSec)}/s (${RAW_WRITERS} writers), insertMany(100) ${Math.round(raw.insertManyDocsPerSec)} docs/s`);
    const configs: MongoConfigRuns[] = [];
    for (const nodes of options.mongoProcesses) configs.push(await loadConfig(options, nodes, storePid, log));
    printMongoLoad(options, store, raw, configs);
    return { store, raw, configs };
  } finally {
    if (previousUri === undefined) delete process.env['MONGODB_URI'];
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  }
}

async function loadConfig(options: BenchOptions, nodes: number, storePid: number | null, log: (line: string) => void): Promise<MongoConfigRuns> {
  const runs: MongoRun[] = [];
  let bestRate: number | null = null;
  let description = '';
  for (let rate = options.sweepStart; rate <= options.sweepMax; rate = Math.round(rate * options.sweepFactor)) {
    const step = await measureStep(options, nodes, rate, storePid, log);
    description = step.description;
    runs.push(step.run);
    const passed = runPassed(step.run, MONGO_P99_TARGET_MS);
    log(`${nodes} process(es): ${describeRun(step.run)}, ack max ${step.run.ackLatency.max.toFixed(0)} ms, store CPU ${formatPercent(step.run.storeCpuPercent)} ${passed ? 'pass' : 'FAIL'}`);
    if (!passed) break;
    bestRate = rate;
  }
  return { description, nodes, runs, bestRate };
}

/** One step: a fresh database and server(s), a fresh load generator, a warm-up at `rate`, then the measured window. */
async function measureStep(
  options: BenchOptions,
  nodes: number,
  rate: number,
  storePid: number | null,
  log: (line: string) => void,
): Promise<{ description: string; run: MongoRun }> {
  const prepared = await prepareDeployment({ store: 'mongo', redis: nodes > 1, nodes, env: { ...productBenchEnv(), ...cpuProfileEnv(options, `mongo-${nodes}`) } }, (storage, jwtSecret) =>
    seedUsersAndRooms(storage, { users: options.clients, roomSize: options.roomSize, bcryptCost: 4, jwtSecret, prefix: 'bench' }),
  );
  const deployment = await prepared.start();
  const generator = LoadGenerator.spawn();
  try {
    if (options.pin && canPin()) {
      for (const server of deployment.servers) pin(server.pid, 0);
      pin(generator.pid, 1);
    }
    const connect = await generator.connect('product', placeClients(prepared.seeded, deployment.urls, options.placement));
    if (connect.failed) log(`${nodes} process(es) at ${rate} msg/s: ${connect.failed} clients failed to connect (${connect.firstError})`);
    const spec = (durationS: number): RunSpec => ({ rate, durationMs: durationS * 1000, drainMs: options.drainS * 1000, bodyBytes: options.bodyBytes });
    if (options.warmUpS > 0) await generator.run(spec(options.warmUpS));
    const storeBefore = storePid === null ? null : sampleCpu(storePid);
    const run = await measuredRun(generator, deployment.servers.map((server) => server.pid), spec(options.sweepDurationS));
    const storeCpuPercent = storePid === null ? null : cpuPercent(storeBefore, sampleCpu(storePid));
    return { description: deployment.description, run: { ...run, storeCpuPercent } };
  } finally {
    await generator.close();
    await deployment.stop();
  }
}

function formatPercent(percent: number | null): string {
  return percent === null ? '?' : `${percent.toFixed(0)} %`;
}

/** The store's own rates, with the driver the product uses, into a collection indexed like `messages`. */
async function measureRawRates(baseUri: string, log: (line: string) => void): Promise<RawStoreRates> {
  const client = await new mongoose.mongo.MongoClient(baseUri).connect();
  const db = client.db(`chat_bench_raw_${randomBytes(4).toString('hex')}`);
  try {
    const collection = db.collection('messages');
    await collection.createIndex({ chatId: 1, seq: 1 }, { unique: true });
    await collection.createIndex({ senderClientKey: 1 }, { unique: true, sparse: true });
    let seq = 0;
    const doc = () => {
      seq += 1;
      const id = randomBytes(13).toString('hex');
      return { _id: id as never, chatId: `chat-${seq % 100}`, seq, kind: 'text', senderId: 'u', clientId: id, senderClientKey: `u:${id}`, body: 'x'.repeat(64), notice: null, createdAt: new Date().toISOString() };
    };
    log(`measuring the store's raw insert rates (${RAW_SECONDS} s each) ...`);
    const until = (seconds: number) => Date.now() + seconds * 1000;
    let inserted = 0;
    const oneStart = Date.now();
    const oneEnd = until(RAW_SECONDS);
    await Promise.all(
      Array.from({ length: RAW_WRITERS }, async () => {
        while (Date.now() < oneEnd) {
          await collection.insertOne(doc());
          inserted += 1;
        }
      }),
    );
    const insertOnePerSec = (inserted * 1000) / (Date.now() - oneStart);
    inserted = 0;
    const manyStart = Date.now();
    const manyEnd = until(RAW_SECONDS);
    while (Date.now() < manyEnd) {
      await collection.insertMany(Array.from({ length: 100 }, doc), { ordered: true });
      inserted += 100;
    }
    const insertManyDocsPerSec = (inserted * 1000) / (Date.now() - manyStart);
    return { insertOnePerSec, insertManyDocsPerSec };
  } finally {
    await db.dropDatabase().catch(() => {});
    await client.close();
  }
}

function printMongoLoad(options: BenchOptions, store: string, raw: RawStoreRates, configs: MongoConfigRuns[]): void {
  console.log('');
  console.log(
    `MongoDB store on ${store}: ${options.clients} clients, rooms of ${options.roomSize}, ${options.bodyBytes}-byte bodies, ${options.sweepDurationS} s per step after ${options.warmUpS} s of warm-up, a fresh database and server(s) per step`,
  );
  console.log(`the store itself: insertOne ${Math.round(raw.insertOnePerSec)}/s (${RAW_WRITERS} concurrent writers), insertMany(100) ${Math.round(raw.insertManyDocsPerSec)} docs/s`);
  const rows: string[][] = [['config', 'offered/s', 'acked', 'refused', 'unanswered', 'lost', 'dup', 'p50 ms', 'p99 ms', 'max ms', 'ack p99', 'ack max', 'srv CPU %', 'store CPU %']];
  for (const config of configs) {
    for (const run of config.runs) {
      rows.push([
        `${config.nodes} process${config.nodes > 1 ? 'es + Redis' : ''}`,
        String(run.offeredRate),
        String(run.acked),
        Object.entries(run.ackErrors).map(([code, count]) => `${code}:${count}`).join(',') || '0',
        String(run.ackMissing),
        String(run.lost),
        String(run.duplicated),
        run.latency.p50.toFixed(1),
        run.latency.p99.toFixed(1),
        run.latency.max.toFixed(0),
        run.ackLatency.p99.toFixed(1),
        run.ackLatency.max.toFixed(0),
        run.serverCpuPercent.map((c) => (c === null ? '?' : c.toFixed(0))).join('+'),
        run.storeCpuPercent === null ? '?' : run.storeCpuPercent.toFixed(0),
      ]);
    }
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows) console.log(row.map((cell, column) => cell.padStart(widths[column]!)).join('  '));
  for (const config of configs) {
    // The store's speed moves from run to run on a shared machine; the ratio to its own insert rate in the same run does less.
    const perRawInsert = config.bestRate === null ? '' : ` (${(config.bestRate / raw.insertOnePerSec).toFixed(2)}× the store's own insertOne rate in this run)`;
    console.log(`${config.nodes} process(es): highest rate with p99 < ${MONGO_P99_TARGET_MS} ms and nothing lost or refused: ${config.bestRate ?? 'none'} msg/s${perRawInsert}`);
  }
  console.log('');
}
