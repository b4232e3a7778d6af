/**
 * The main scenario: the same client load against the product and against the bare socket.io
 * relay, at one rate or as a sweep of rates, measured the way an outsider would:
 *
 * - every step (one rate, one server) runs on a fresh server — and, for the product, a fresh
 *   store — so that no backlog or warm state carries over from the step before;
 * - each step warms up at its own rate (`--warm-up` s) before the measured window;
 * - with `--pin`, the server process(es) run on core 0 and the load generator on core 1;
 * - with `--pairs N`, the product and the bare relay alternate N times, and each figure is
 *   reported per pair (product/bare) and as the median over the pairs;
 * - with `--nodes N` (N > 1, Redis), the product runs once with the classic and once with the
 *   sharded Redis adapter, and each room's members all connect to one process (`--placement
 *   room`), so that the CPU each process spends per delivered message shows which processes
 *   pay for rooms they have no member in.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchOptions } from '../bench-options.js';
import { startBareServer } from '../bare-deployment.js';
import { LoadGenerator } from '../load-generator.js';
import type { ClientSpec, RunSpec, TargetKind } from '../load-protocol.js';
import { measuredRun, runPassed, type MeasuredRun } from '../measured-run.js';
import { canPin, pin } from '../pinning.js';
import { prepareDeployment } from '../product-deployment.js';
import { seedUsersAndRooms, type SeededUser } from '../seed-store.js';
import { spreadOf, type Spread } from '../spread.js';

/** One server set-up the load is offered to: the product (with a fan-out) or the bare relay. */
export interface Target {
  server: TargetKind;
  /** Short name in the report: `product`, `product (sharded)`, `bare`. */
  name: string;
  /** Extra environment of the product processes (REDIS_ADAPTER). */
  env: Record<string, string>;
}

export interface ServerRuns {
  server: TargetKind;
  name: string;
  description: string;
  pair: number;
  runs: MeasuredRun[];
  /** Sweep only: the highest offered rate that passed (p99 under target, nothing lost). */
  bestRate: number | null;
  /** Sweep only: rates below bestRate that did not pass (the target must hold at every rate up to it). */
  failedBelowBest: number[];
}

export interface PairRatios {
  /** Per pair, product/bare (or the first target over the last one). */
  bestRate: Spread | null;
  /** At each rate both measured in every pair: p99 and server CPU per delivery, product/bare. */
  atRate: Array<{ rate: number; p99: Spread; cpuPerDelivery: Spread }>;
}

export interface MessageLoadResult {
  pinned: boolean;
  targets: Target[];
  /** Every series measured, in order: pair 1 of every target, pair 2, ... */
  series: ServerRuns[];
  /** For each product target against the bare relay, when it ran. */
  ratios: Record<string, PairRatios>;
}

/** Environment for every product process in the benchmark. */
export function productBenchEnv(bcryptCost = 4): Record<string, string> {
  return {
    BCRYPT_COST: String(bcryptCost),
    LOG_LEVEL: 'warn',
    // The per-socket budget (default 20 events/s) protects against one abusive socket; the
    // benchmark measures throughput, so it is lifted here.
    SOCKET_EVENTS_PER_SECOND: '100000',
    SOCKET_EVENTS_BURST: '100000',
    // Likewise each user's write budget (default 20/s), which every message takes from.
    WRITES_PER_SECOND: '100000',
    WRITES_BURST: '100000',
  };
}

const CPU_PROFILE_HOOK = fileURLToPath(new URL('../cpu-profile-hook.mjs', import.meta.url));
const LOOP_TRACE_HOOK = fileURLToPath(new URL('../loop-trace-hook.mjs', import.meta.url));

/**
 * With --cpu-prof: the environment that makes a server process write its CPU profile, and its
 * event-loop delay, GC pauses and long turns, into <dir>/<name>/ when it exits.
 */
export function cpuProfileEnv(options: BenchOptions, name: string): Record<string, string> {
  if (!options.cpuProfDir) return {};
  return {
    NODE_OPTIONS: `--import=${pathToFileURL(CPU_PROFILE_HOOK).href} --import=${pathToFileURL(LOOP_TRACE_HOOK).href}`,
    CPU_PROFILE_DIR: join(resolve(options.cpuProfDir), name),
  };
}

/** The product targets: one, or with several processes the classic and the sharded Redis adapter. */
export function productTargets(options: BenchOptions): Target[] {
  if (options.nodes > 1 && options.adapter === 'both') {
    return [
      { server: 'product', name: 'product (classic)', env: { REDIS_ADAPTER: 'classic' } },
      { server: 'product', name: 'product (sharded)', env: { REDIS_ADAPTER: 'sharded' } },
    ];
  }
  const adapter: Record<string, string> = options.adapter === 'both' ? {} : { REDIS_ADAPTER: options.adapter };
  return [{ server: 'product', name: 'product', env: adapter }];
}

export async function runMessageLoad(options: BenchOptions, log: (line: string) => void): Promise<MessageLoadResult> {
  const pinned = options.pin && canPin();
  if (options.pin) log(pinned ? 'server process(es) pinned to core 0, load generator to core 1' : 'cannot pin here (needs taskset and two cores): not pinned');
  const targets = [...productTargets(options), ...(options.bare ? [{ server: 'bare' as const, name: 'bare', env: {} }] : [])];
  const series: ServerRuns[] = [];
  for (let pair = 1; pair <= options.pairs; pair += 1) {
    for (const target of targets) {
      const runs = await runSeries(target, pair, pinned, options, log);
      series.push(runs);
      if (options.sweep) log(`${target.name} #${pair}: highest passing rate ${runs.bestRate ?? 'none'} msg/s${runs.failedBelowBest.length ? `; failed below it at ${runs.failedBelowBest.join(', ')} msg/s` : ''}`);
    }
  }
  const ratios: Record<string, PairRatios> = {};
  if (options.bare) {
    for (const target of targets.filter((t) => t.server === 'product')) ratios[target.name] = pairRatios(series, target.name, 'bare', options.pairs);
  }
  return { pinned, targets, series, ratios };
}

/** Per pair: `name` over `reference`, for the best rate and at every rate both measured. */
function pairRatios(series: ServerRuns[], name: string, reference: string, pairs: number): PairRatios {
  const pairsOf = Array.from({ length: pairs }, (_, index) => ({
    mine: series.find((s) => s.name === name && s.pair === index + 1)!,
    theirs: series.find((s) => s.name === reference && s.pair === index + 1)!,
  }));
  const best = pairsOf.map(({ mine, theirs }) => (mine.bestRate !== null && theirs.bestRate ? mine.bestRate / theirs.bestRate : NaN));
  const rates = [...new Set(pairsOf[0]!.mine.runs.map((run) => run.offeredRate))].filter((rate) =>
    pairsOf.every(({ mine, theirs }) => mine.runs.some((r) => r.offeredRate === rate) && theirs.runs.some((r) => r.offeredRate === rate)),
  );
  const at = (rate: number, figure: (run: MeasuredRun) => number | null) =>
    spreadOf(
      pairsOf.map(({ mine, theirs }) => {
        const a = figure(mine.runs.find((r) => r.offeredRate === rate)!);
        const b = figure(theirs.runs.find((r) => r.offeredRate === rate)!);
        return a === null || b === null || b === 0 ? NaN : a / b;
      }),
    );
  return {
    bestRate: best.every(Number.isNaN) ? null : spreadOf(best),
    atRate: rates.sort((a, b) => a - b).map((rate) => ({ rate, p99: at(rate, (run) => run.latency.p99), cpuPerDelivery: at(rate, (run) => run.serverCpuMsPerDelivery) })),
  };
}

/** One target: one fixed-rate step, or a sweep of steps, each on a fresh server. */
async function runSeries(target: Target, pair: number, pinned: boolean, options: BenchOptions, log: (line: string) => void): Promise<ServerRuns> {
  const runs: MeasuredRun[] = [];
  let description = '';
  const step = async (rate: number): Promise<boolean> => {
    const result = await runStep(target, rate, pinned, options, log);
    description = result.description;
    runs.push(result.run);
    const passed = runPassed(result.run, options.p99TargetMs);
    log(`${target.name} #${pair}: ${describeRun(result.run)}${options.sweep ? (passed ? ' pass' : ' FAIL') : ''}`);
    return passed;
  };
  if (!options.sweep) {
    await step(options.rate);
    return { server: target.server, name: target.name, description, pair, runs, bestRate: null, failedBelowBest: [] };
  }
  const passes = new Map<number, boolean>();
  if (options.sweepRates.length > 0) {
    for (const rate of options.sweepRates) passes.set(rate, await step(rate));
  } else {
    // Up by --sweep-factor; a failure does not end the climb, two in a row do (one slow step on a
    // busy machine is not the limit).
    let failuresInARow = 0;
    for (let rate = options.sweepStart; rate <= options.sweepMax && failuresInARow < 2; rate = Math.round(rate * options.sweepFactor)) {
      const passed = await step(rate);
      passes.set(rate, passed);
      failuresInARow = passed ? 0 : failuresInARow + 1;
    }
    // Narrow down between the highest pass and the first failure above it.
    for (let refinement = 0; refinement < 2; refinement += 1) {
      const best = highestPass(passes);
      const failedAbove = [...passes].filter(([rate, passed]) => !passed && best !== null && rate > best).map(([rate]) => rate);
      if (best === null || failedAbove.length === 0) break;
      const middle = Math.round((best + Math.min(...failedAbove)) / 2);
      if (passes.has(middle) || middle <= best) break;
      passes.set(middle, await step(middle));
    }
  }
  runs.sort((x, y) => x.offeredRate - y.offeredRate);
  const bestRate = highestPass(passes);
  const failedBelowBest = [...passes].filter(([rate, passed]) => !passed && bestRate !== null && rate < bestRate).map(([rate]) => rate).sort((a, b) => a - b);
  return { server: target.server, name: target.name, description, pair, runs, bestRate, failedBelowBest };
}

function highestPass(passes: Map<number, boolean>): number | null {
  const passed = [...passes].filter(([, ok]) => ok).map(([rate]) => rate);
  return passed.length ? Math.max(...passed) : null;
}

/** A fresh server (and store), a fresh load generator, a warm-up at `rate`, then the measured window. */
export async function runStep(target: Target, rate: number, pinned: boolean, options: BenchOptions, log: (line: string) => void): Promise<{ run: MeasuredRun; description: string }> {
  const spec = (durationS: number): RunSpec => ({ rate, durationMs: durationS * 1000, drainMs: options.drainS * 1000, bodyBytes: options.bodyBytes });
  const windowS = options.sweep ? options.sweepDurationS : options.durationS;
  if (target.server === 'bare') {
    const bare = await startBareServer(cpuProfileEnv(options, 'bare'));
    const generator = LoadGenerator.spawn();
    try {
      if (pinned) {
        pin(bare.pid, 0);
        pin(generator.pid, 1);
      }
      await connect(generator, 'bare', benchRooms(options).map((room) => ({ url: bare.url, room })), log);
      if (options.warmUpS > 0) await generator.run(spec(options.warmUpS));
      return { run: await measuredRun(generator, [bare.pid], spec(windowS)), description: 'bare socket.io 4 relay, 1 process' };
    } finally {
      await generator.close();
      await bare.stop();
    }
  }
  const prepared = await prepareDeployment(
    {
      store: options.mongo ? 'mongo' : 'sqlite',
      redis: options.redis,
      nodes: options.nodes,
      env: { ...productBenchEnv(), ...target.env, ...cpuProfileEnv(options, target.name.replace(/\W+/g, '-').replace(/-$/, '')) },
    },
    (storage, jwtSecret) => seedUsersAndRooms(storage, { users: options.clients, roomSize: options.roomSize, bcryptCost: 4, jwtSecret, prefix: 'bench' }),
  );
  const deployment = await prepared.start();
  const generator = LoadGenerator.spawn();
  try {
    const pids = deployment.servers.map((server) => server.pid);
    if (pinned) {
      for (const pid of pids) pin(pid, 0);
      pin(generator.pid, 1);
    }
    await connect(generator, 'product', placeClients(prepared.seeded, deployment.urls, options.placement), log);
    if (options.warmUpS > 0) await generator.run(spec(options.warmUpS));
    return { run: await measuredRun(generator, pids, spec(windowS)), description: `${deployment.description}${target.env['REDIS_ADAPTER'] ? ` (${target.env['REDIS_ADAPTER']} adapter)` : ''}` };
  } finally {
    await generator.close();
    await deployment.stop();
  }
}

/**
 * Connects every client; on a busy machine a few may time out: they then take no part (their
 * rooms are a member short, and nobody expects deliveries to them), and the log says how many.
 * More than 1 % failing ends the benchmark.
 */
async function connect(generator: LoadGenerator, kind: TargetKind, clients: ClientSpec[], log: (line: string) => void): Promise<void> {
  const connected = await generator.connect(kind, clients);
  if (connected.failed > clients.length / 100) throw new Error(`${kind}: ${connected.failed} of ${clients.length} clients could not connect: ${connected.firstError}`);
  if (connected.failed > 0) log(`${kind}: ${connected.failed} of ${clients.length} clients could not connect (${connected.firstError}); going on without them`);
}

/** The bare relay's rooms: the product's layout (consecutive clients, --room per room) without a store. */
function benchRooms(options: BenchOptions): string[] {
  return Array.from({ length: options.clients }, (_, index) => `room-${Math.floor(index / options.roomSize)}`);
}

/**
 * Which process each client connects to: `room` puts every member of a room on one process
 * (rooms dealt round-robin over the processes), `one` puts every client on the first process (the
 * others serve nobody: what they spend is what the fan-out costs them), `spread` deals the
 * clients themselves round-robin, so that every room has members on every process.
 */
export function placeClients(users: SeededUser[], urls: string[], placement: BenchOptions['placement']): ClientSpec[] {
  const roomIndex = new Map<string, number>();
  return users.map((user, index) => {
    if (!roomIndex.has(user.chatId)) roomIndex.set(user.chatId, roomIndex.size);
    const processIndex = placement === 'room' ? roomIndex.get(user.chatId)! : placement === 'one' ? 0 : index;
    return { url: urls[processIndex % urls.length]!, token: user.token, room: user.chatId };
  });
}

export function describeRun(run: MeasuredRun): string {
  const refused = Object.entries(run.ackErrors).map(([code, count]) => `${code}:${count}`).join(',');
  return (
    `${run.offeredRate} msg/s offered: ${Math.round(run.deliveredPerSec)} deliveries/s, ` +
    `p50 ${run.latency.p50.toFixed(1)} p99 ${run.latency.p99.toFixed(1)} max ${run.latency.max.toFixed(1)} ms, lost ${run.lost}, dup ${run.duplicated}` +
    `${refused ? `, refused ${refused}` : ''}${run.ackMissing ? `, unanswered ${run.ackMissing}` : ''}, ` +
    `server CPU ${run.serverCpuPercent.map((c) => (c === null ? '?' : `${Math.round(c)}%`)).join('+')}` +
    ` (${run.serverCpuMsPerMessage === null ? '?' : run.serverCpuMsPerMessage.toFixed(3)} ms/msg, ` +
    `${run.serverCpuMsPerDelivery === null ? '?' : (1000 * run.serverCpuMsPerDelivery).toFixed(1)} µs/delivery), ` +
    `generator CPU ${run.loadClientCpuPercent === null ? '?' : `${Math.round(run.loadClientCpuPercent)}%`}, send lag p99 ${run.sendLagP99Ms.toFixed(1)} ms`
  );
}
