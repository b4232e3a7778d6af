/**
 * What the durable store alone costs per message: `npm run bench -- --store-appends`.
 *
 * A child process (pinned to core 0 with --pin) opens a fresh SQLite store, seeds --clients users
 * in rooms of --room, and appends text messages of --body bytes through the storage port at
 * --rate per second, open-loop (message k is due at t0 + k/rate, acknowledged or not), each from
 * the next user in turn into that user's room — the appends the product makes for the message
 * load, with no sockets, validation or fan-out around them. After --warm-up s it measures
 * --duration s: the process's CPU (every thread: the event loop, the WAL sync and checkpoint
 * threads) per appended message, and the time from each append's due time to its resolution (on
 * disk). The same process with every append answered at once, without the store (which is
 * still open), measures what the harness itself costs; then the bare socket.io relay takes the
 * message load at the same rate (server on core 0, load generator on core 1). The three alternate
 * --pairs times, each on a fresh store and process.
 *
 * The store's own cost (store minus harness) is the floor under the product's CPU per message:
 * the product does everything the relay does, and appends on top of it. So its CPU per message
 * is at least (1 + store/relay) times the relay's.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { newClientId } from '../../shared/src/client-id.js';
import { createStorage } from '../../backend/src/storage/create-storage.js';
import type { BenchOptions } from '../bench-options.js';
import { summarize as summarizeLatencies, type LatencySummary } from '../latency-summary.js';
import { canPin, pin } from '../pinning.js';
import { seedUsersAndRooms } from '../seed-store.js';
import { formatSpread, spreadOf } from '../spread.js';
import { describeRun, runStep } from './message-load.js';

interface StoreAppendsSpec {
  /** Answer every append at once without the store: the harness's own cost. */
  harnessOnly: boolean;
  rate: number;
  clients: number;
  roomSize: number;
  bodyBytes: number;
  warmUpS: number;
  durationS: number;
}

export interface StoreAppendsRun {
  harnessOnly: boolean;
  rate: number;
  appendedPerSecond: number;
  /** CPU of the whole process (all threads) as a share of one core, over the window. */
  cpuPercent: number;
  cpuMsPerMessage: number;
  /** Of cpuMsPerMessage: in user space, and in the kernel (file writes, locks, syncs). */
  userMsPerMessage: number;
  systemMsPerMessage: number;
  latency: LatencySummary;
  failed: number;
}

export interface StoreAppendsPair {
  store: StoreAppendsRun;
  harness: StoreAppendsRun;
  /** The bare relay's server CPU per message at the same rate (fan-out included). */
  bareCpuMsPerMessage: number | null;
  /** (store - harness) / bare. */
  storeOverBare: number | null;
}

type FromChild = { kind: 'result'; run: StoreAppendsRun } | { kind: 'failed'; message: string };

export async function runStoreAppends(options: BenchOptions, log: (line: string) => void): Promise<{ pinned: boolean; pairs: StoreAppendsPair[] }> {
  const pinned = options.pin && canPin();
  if (options.pin && !pinned) log('cannot pin here (taskset missing or one core): running unpinned');
  const pairs: StoreAppendsPair[] = [];
  for (let pair = 1; pair <= options.pairs; pair += 1) {
    const store = await appendsInChild(options, false, pinned);
    log(`store alone #${pair}: ${describe(store)}`);
    const harness = await appendsInChild(options, true, pinned);
    log(`harness only #${pair}: ${describe(harness)}`);
    const { run: bare } = await runStep({ server: 'bare', name: 'bare', env: {} }, options.rate, pinned, options, log);
    log(`bare #${pair}: ${describeRun(bare)}`);
    const bareCpuMsPerMessage = bare.serverCpuMsPerMessage;
    const storeOverBare = bareCpuMsPerMessage ? (store.cpuMsPerMessage - harness.cpuMsPerMessage) / bareCpuMsPerMessage : null;
    pairs.push({ store, harness, bareCpuMsPerMessage, storeOverBare });
  }
  const ratios = pairs.map((pair) => pair.storeOverBare).filter((ratio): ratio is number => ratio !== null);
  log(
    `the store's own CPU per message ((store - harness) / bare relay, ${options.rate} msg/s${pinned ? ', pinned' : ''}), per pair: ` +
      `${pairs.map((pair) => pair.storeOverBare?.toFixed(2) ?? '-').join(', ')}; median ${ratios.length > 0 ? formatSpread(spreadOf(ratios), 2) : '-'}`,
  );
  return { pinned, pairs };
}

function describe(run: StoreAppendsRun): string {
  return (
    `${run.rate} msg/s offered, ${run.appendedPerSecond.toFixed(0)} appended/s, ` +
    `resolved after p50 ${run.latency.p50.toFixed(1)} p99 ${run.latency.p99.toFixed(1)} max ${run.latency.max.toFixed(1)} ms, ` +
    `CPU ${run.cpuPercent.toFixed(0)}% (${run.cpuMsPerMessage.toFixed(3)} ms/msg: user ${run.userMsPerMessage.toFixed(3)}, ` +
    `kernel ${run.systemMsPerMessage.toFixed(3)}), failed ${run.failed}`
  );
}

async function appendsInChild(options: BenchOptions, harnessOnly: boolean, pinned: boolean): Promise<StoreAppendsRun> {
  const spec: StoreAppendsSpec = {
    harnessOnly,
    rate: options.rate,
    clients: options.clients,
    roomSize: options.roomSize,
    bodyBytes: options.bodyBytes,
    warmUpS: options.warmUpS,
    durationS: options.durationS,
  };
  const child = fork(fileURLToPath(import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, STORE_APPENDS: JSON.stringify(spec) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  if (pinned) pin(child.pid!, 0);
  const exited = once(child, 'exit');
  // A child that dies without answering ends the benchmark instead of leaving it waiting.
  const reply = await Promise.race([
    once(child, 'message').then(([message]) => message as FromChild),
    exited.then(([code]): FromChild => ({ kind: 'failed', message: `the child exited with ${String(code)} before answering` })),
  ]);
  await exited;
  if (reply.kind === 'failed') throw new Error(`store appends: ${reply.message}`);
  return reply.run;
}

/** The child: one fresh store, appended to at the rate (or, harness only, not). */
async function measureAppends(spec: StoreAppendsSpec): Promise<StoreAppendsRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-store-appends-'));
  const storage = await createStorage({ DATA_DIR: dataDir, MONGODB_URI: undefined }, pino({ level: 'silent' }));
  try {
    const users = await seedUsersAndRooms(storage, {
      users: spec.clients,
      roomSize: spec.roomSize,
      bcryptCost: 4,
      jwtSecret: 'store-appends-only',
      prefix: 'store',
    });
    const padding = 'x'.repeat(Math.max(0, spec.bodyBytes - 20));
    const startAt = performance.now() + 100;
    const windowStart = startAt + spec.warmUpS * 1000;
    const windowEnd = windowStart + spec.durationS * 1000;
    const latencies: number[] = [];
    let appendedInWindow = 0;
    let failed = 0;
    let cpuAtStart: NodeJS.CpuUsage | null = null;
    let cpuInWindow: NodeJS.CpuUsage | null = null;
    let next = 0;
    const outstanding = new Set<Promise<void>>();
    await new Promise<void>((done) => {
      const tick = setInterval(() => {
        const now = performance.now();
        if (cpuAtStart === null && now >= windowStart) cpuAtStart = process.cpuUsage();
        if (cpuInWindow === null && now >= windowEnd) cpuInWindow = process.cpuUsage(cpuAtStart ?? undefined);
        if (now >= windowEnd) {
          clearInterval(tick);
          done();
          return;
        }
        for (let due = startAt + (next * 1000) / spec.rate; due <= now; due = startAt + (next * 1000) / spec.rate) {
          const user = users[next % users.length]!;
          const counted = due >= windowStart && due < windowEnd;
          next += 1;
          const message = { chatId: user.chatId, kind: 'text' as const, senderId: user.id, clientId: newClientId(), body: `${due.toFixed(3)}|${padding}`, notice: null };
          const append = (spec.harnessOnly ? Promise.resolve() : storage.messages.append(message))
            .then(
              () => {
                if (!counted) return;
                appendedInWindow += 1;
                latencies.push(performance.now() - due);
              },
              () => {
                failed += 1;
              },
            )
            .finally(() => outstanding.delete(append));
          outstanding.add(append);
        }
      }, 1);
    });
    await Promise.all(outstanding);
    const cpu = cpuInWindow ?? process.cpuUsage(cpuAtStart ?? undefined);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    return {
      harnessOnly: spec.harnessOnly,
      rate: spec.rate,
      appendedPerSecond: appendedInWindow / spec.durationS,
      cpuPercent: (100 * cpuMs) / (spec.durationS * 1000),
      cpuMsPerMessage: appendedInWindow > 0 ? cpuMs / appendedInWindow : Number.NaN,
      userMsPerMessage: appendedInWindow > 0 ? cpu.user / 1000 / appendedInWindow : Number.NaN,
      systemMsPerMessage: appendedInWindow > 0 ? cpu.system / 1000 / appendedInWindow : Number.NaN,
      latency: summarizeLatencies(latencies),
      failed,
    };
  } finally {
    await storage.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const childSpec = process.env['STORE_APPENDS'];
if (childSpec && process.send) {
  measureAppends(JSON.parse(childSpec) as StoreAppendsSpec).then(
    (run) => process.send!({ kind: 'result', run } satisfies FromChild, () => process.exit(0)),
    (error: unknown) => process.send!({ kind: 'failed', message: error instanceof Error ? error.message : String(error) } satisfies FromChild, () => process.exit(1)),
  );
}
