/**
 * The main scenario: the same client load against the product and against the bare socket.io
 * relay, at one rate or as a sweep of rates.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchOptions } from '../bench-options.js';
import { startBareServer } from '../bare-deployment.js';
import { LoadGenerator } from '../load-generator.js';
import type { ClientSpec, RunSpec, TargetKind } from '../load-protocol.js';
import { measuredRun, runPassed, type MeasuredRun } from '../measured-run.js';
import { prepareDeployment } from '../product-deployment.js';
import { seedUsersAndRooms } from '../seed-store.js';

export interface ServerRuns {
  server: TargetKind;
  description: string;
  connect: { clients: number; failed: number; elapsedMs: number; firstError?: string };
  runs: MeasuredRun[];
  /** Sweep only: the highest offered rate that passed (p99 under target, nothing lost). */
  bestRate: number | null;
}

export interface MessageLoadResult {
  product: ServerRuns;
  bare: ServerRuns | null;
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

/** With --cpu-prof: the environment that makes a server process write its CPU profile into <dir>/<name>/ when it exits. */
export function cpuProfileEnv(options: BenchOptions, name: string): Record<string, string> {
  if (!options.cpuProfDir) return {};
  return { NODE_OPTIONS: `--import=${pathToFileURL(CPU_PROFILE_HOOK).href}`, CPU_PROFILE_DIR: join(resolve(options.cpuProfDir), name) };
}

export async function runMessageLoad(options: BenchOptions, log: (line: string) => void): Promise<MessageLoadResult> {
  log(`seeding ${options.clients} users in rooms of ${options.roomSize} ...`);
  const prepared = await prepareDeployment(
    { store: options.mongo ? 'mongo' : 'sqlite', redis: options.redis, nodes: options.nodes, env: { ...productBenchEnv(), ...cpuProfileEnv(options, 'product') } },
    (storage, jwtSecret) =>
      seedUsersAndRooms(storage, { users: options.clients, roomSize: options.roomSize, bcryptCost: 4, jwtSecret, prefix: 'bench' }),
  );
  const deployment = await prepared.start();
  try {
    log(`product: ${deployment.description} at ${deployment.urls.join(', ')}`);
    const productClients: ClientSpec[] = prepared.seeded.map((user, index) => ({
      url: deployment.urls[index % deployment.urls.length]!,
      token: user.token,
      room: user.chatId,
    }));
    const product = await loadOneServer('product', deployment.description, productClients, deployment.servers.map((s) => s.pid), options, log);

    let bare: ServerRuns | null = null;
    if (options.bare) {
      const bareServer = await startBareServer(cpuProfileEnv(options, 'bare'));
      try {
        const bareClients: ClientSpec[] = prepared.seeded.map((user) => ({ url: bareServer.url, room: user.chatId }));
        bare = await loadOneServer('bare', 'bare socket.io 4 relay, 1 process', bareClients, [bareServer.pid], options, log);
      } finally {
        await bareServer.stop();
      }
    }
    return { product, bare };
  } finally {
    await deployment.stop();
  }
}

async function loadOneServer(
  server: TargetKind,
  description: string,
  clients: ClientSpec[],
  serverPids: number[],
  options: BenchOptions,
  log: (line: string) => void,
): Promise<ServerRuns> {
  const generator = LoadGenerator.spawn();
  try {
    const connect = await generator.connect(server, clients);
    log(`${server}: ${connect.clients} clients connected in ${Math.round(connect.elapsedMs)} ms${connect.failed ? `, ${connect.failed} failed (${connect.firstError})` : ''}`);
    if (connect.clients === 0) throw new Error(`${server}: no client could connect: ${connect.firstError}`);
    const runs: MeasuredRun[] = [];
    let bestRate: number | null = null;
    const spec = (rate: number, durationS: number): RunSpec => ({
      rate,
      durationMs: durationS * 1000,
      drainMs: options.drainS * 1000,
      bodyBytes: options.bodyBytes,
    });
    if (!options.sweep) {
      // A short warm-up so that JIT compilation and SQLite's page cache do not count.
      await generator.run(spec(Math.min(options.rate, 200), 1));
      const run = await measuredRun(generator, serverPids, spec(options.rate, options.durationS));
      runs.push(run);
      log(`${server}: ${describeRun(run)}`);
    } else {
      await generator.run(spec(Math.min(options.sweepStart, 200), 1));
      const step = async (rate: number): Promise<boolean> => {
        const run = await measuredRun(generator, serverPids, spec(rate, options.sweepDurationS));
        runs.push(run);
        const passed = runPassed(run, options.p99TargetMs);
        log(`${server}: ${describeRun(run)} ${passed ? 'pass' : 'FAIL'}`);
        if (passed) bestRate = Math.max(bestRate ?? 0, rate);
        // Let queues drain before the next step.
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        return passed;
      };
      let failedAt: number | null = null;
      for (let rate = options.sweepStart; rate <= options.sweepMax; rate = Math.round(rate * options.sweepFactor)) {
        if (!(await step(rate))) {
          failedAt = rate;
          break;
        }
      }
      // Narrow down between the last pass and the first failure.
      for (let refinement = 0; refinement < 2 && failedAt !== null && bestRate !== null; refinement += 1) {
        const middle = Math.round((bestRate + failedAt) / 2);
        if (middle <= bestRate || middle >= failedAt) break;
        if (!(await step(middle))) failedAt = middle;
      }
      runs.sort((x, y) => x.offeredRate - y.offeredRate);
    }
    return { server, description, connect, runs, bestRate };
  } finally {
    await generator.close();
  }
}

export function describeRun(run: MeasuredRun): string {
  const refused = Object.entries(run.ackErrors).map(([code, count]) => `${code}:${count}`).join(',');
  return (
    `${run.offeredRate} msg/s offered: ${Math.round(run.deliveredPerSec)} deliveries/s, ` +
    `p50 ${run.latency.p50.toFixed(1)} p99 ${run.latency.p99.toFixed(1)} ms, lost ${run.lost}, dup ${run.duplicated}` +
    `${refused ? `, refused ${refused}` : ''}${run.ackMissing ? `, unanswered ${run.ackMissing}` : ''}, ` +
    `server CPU ${run.serverCpuPercent.map((c) => (c === null ? '?' : `${Math.round(c)}%`)).join('+')}` +
    ` (${run.serverCpuMsPerMessage === null ? '?' : run.serverCpuMsPerMessage.toFixed(3)} ms/msg), ` +
    `generator CPU ${run.loadClientCpuPercent === null ? '?' : `${Math.round(run.loadClientCpuPercent)}%`}, send lag p99 ${run.sendLagP99Ms.toFixed(1)} ms`
  );
}
