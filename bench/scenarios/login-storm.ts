/**
 * `--login-storm`: messages flow at a moderate rate (--login-rate msg/s) from the load
 * generator while --logins concurrent POST /api/auth/login requests hit the same process, the
 * password hashes at bcrypt cost --bcrypt-cost (the server's BCRYPT_COST). bcrypt runs in
 * libuv's thread pool, so the event loop, and message latency, should barely notice.
 * Reports message p99 without and during the storm (target < 50 ms) and the login latencies.
 */
import bcrypt from 'bcrypt';
import { io } from 'socket.io-client';
import type { BenchOptions } from '../bench-options.js';
import { summarize, type LatencySummary } from '../latency-summary.js';
import { LoadGenerator } from '../load-generator.js';
import type { ClientSpec, RunSpec } from '../load-protocol.js';
import { measuredRun, type MeasuredRun } from '../measured-run.js';
import { prepareDeployment } from '../product-deployment.js';
import { BENCH_PASSWORD, seedUsersAndRooms } from '../seed-store.js';
import { productBenchEnv } from './message-load.js';

const BASELINE_S = 5;
const STORM_DELAY_MS = 1_000;

export interface LoginStormFigures {
  bcryptCost: number;
  logins: number;
  loginsOk: number;
  loginLatency: LatencySummary;
  /** New sockets authenticating during the storm: connect + `authentication` round trip, ms (null: dropped unauthenticated). */
  socketAuthDuringStormMs: Array<number | null>;
  stormSeconds: number;
  messageRate: number;
  baseline: MeasuredRun;
  duringStorm: MeasuredRun;
  targetP99Ms: number;
  metTarget: boolean;
}

export async function runLoginStorm(options: BenchOptions, log: (line: string) => void): Promise<LoginStormFigures> {
  const cost = options.bcryptCost;
  const prepared = await prepareDeployment(
    {
      store: options.mongo ? 'mongo' : 'sqlite',
      redis: options.redis,
      nodes: 1,
      env: {
        ...productBenchEnv(cost),
        // Every login comes from one address, all at once: lift the guessing throttle.
        LOGIN_ATTEMPTS_PER_IP: '1000000',
        LOGIN_ATTEMPTS_PER_USERNAME: '1000000',
      },
    },
    (storage, jwtSecret) => seedUsersAndRooms(storage, { users: options.clients, roomSize: options.roomSize, bcryptCost: cost, jwtSecret, prefix: 'storm' }),
  );
  const deployment = await prepared.start();
  const generator = LoadGenerator.spawn();
  try {
    const url = deployment.urls[0]!;
    const pids = deployment.servers.map((server) => server.pid);
    const clients: ClientSpec[] = prepared.seeded.map((user) => ({ url, token: user.token, room: user.chatId }));
    const connect = await generator.connect('product', clients);
    if (connect.clients === 0) throw new Error(`no client could connect: ${connect.firstError}`);

    // How long one hash check takes here, to size the storm's message run.
    const hash = await bcrypt.hash(BENCH_PASSWORD, cost);
    const probeStarted = performance.now();
    await bcrypt.compare(BENCH_PASSWORD, hash);
    const oneCheckMs = performance.now() - probeStarted;
    const expectedStormMs = (oneCheckMs * options.logins) / 2;

    const spec = (durationMs: number): RunSpec => ({ rate: options.loginRate, durationMs, drainMs: options.drainS * 1000, bodyBytes: options.bodyBytes });
    await generator.run(spec(1_000));
    const baseline = await measuredRun(generator, pids, spec(BASELINE_S * 1000));
    log(`login storm: baseline at ${options.loginRate} msg/s: p99 ${baseline.latency.p99.toFixed(1)} ms`);

    log(`login storm: ${options.logins} concurrent logins at bcrypt cost ${cost} (~${oneCheckMs.toFixed(0)} ms per check here) ...`);
    const runDurationMs = Math.max(5_000, STORM_DELAY_MS + expectedStormMs * 1.2);
    const messages = measuredRun(generator, pids, spec(runDurationMs));
    await new Promise((resolve) => setTimeout(resolve, STORM_DELAY_MS));
    const stormStarted = performance.now();
    const logins = Promise.all(
      Array.from({ length: options.logins }, (_, index) => logIn(url, prepared.seeded[index % prepared.seeded.length]!.username)),
    );
    // Meanwhile, a few fresh sockets authenticate (token check, then the user's chats).
    const socketAuthDuringStormMs: Array<number | null> = [];
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    for (let index = 0; index < 3; index += 1) socketAuthDuringStormMs.push(await timeSocketAuthentication(url, prepared.seeded[index]!.token));
    const loginTimes = await logins;
    const stormSeconds = (performance.now() - stormStarted) / 1000;
    const duringStorm = await messages;
    const okTimes = loginTimes.filter((time): time is number => time !== null);
    const figures: LoginStormFigures = {
      bcryptCost: cost,
      logins: options.logins,
      loginsOk: okTimes.length,
      loginLatency: summarize(okTimes),
      socketAuthDuringStormMs,
      stormSeconds,
      messageRate: options.loginRate,
      baseline,
      duringStorm,
      targetP99Ms: 50,
      metTarget: duringStorm.latency.p99 < 50 && duringStorm.lost === 0,
    };
    console.log('');
    console.log(`login storm: ${figures.loginsOk}/${options.logins} logins succeeded in ${stormSeconds.toFixed(1)} s at bcrypt cost ${cost} ` +
      `(login p50 ${figures.loginLatency.p50.toFixed(0)} ms, p99 ${figures.loginLatency.p99.toFixed(0)} ms)`);
    console.log(`messages at ${options.loginRate} msg/s: p99 ${baseline.latency.p99.toFixed(1)} ms before, ${duringStorm.latency.p99.toFixed(1)} ms during the storm ` +
      `(run of ${(runDurationMs / 1000).toFixed(1)} s), lost ${duringStorm.lost}; target p99 < 50 ms: ${figures.metTarget ? 'met' : 'NOT met'}`);
    console.log(`new sockets authenticating during the storm: ${socketAuthDuringStormMs.map((ms) => (ms === null ? 'dropped' : `${ms.toFixed(0)} ms`)).join(', ')}`);
    console.log(`server CPU during the storm run: ${duringStorm.serverCpuPercent.map((c) => (c === null ? '?' : c.toFixed(0))).join('+')} %`);
    console.log('');
    return figures;
  } finally {
    await generator.close();
    await deployment.stop();
  }
}

/** One login; resolves with its duration in ms, or null when it failed. */
async function logIn(url: string, username: string): Promise<number | null> {
  const started = performance.now();
  try {
    const response = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: BENCH_PASSWORD }),
      signal: AbortSignal.timeout(120_000),
    });
    await response.arrayBuffer();
    return response.ok ? performance.now() - started : null;
  } catch {
    return null;
  }
}

/**
 * Connects a fresh socket, authenticates it and resolves with the time that took (ms), or null
 * when the server dropped it first (unauthorized, or not authenticated within AUTH_TIMEOUT_MS).
 */
async function timeSocketAuthentication(url: string, token: string): Promise<number | null> {
  const started = performance.now();
  const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  try {
    const authenticated = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 60_000);
      const done = (outcome: boolean) => {
        clearTimeout(timer);
        resolve(outcome);
      };
      socket.once('connect_error', () => done(false));
      socket.once('unauthorized', () => done(false));
      socket.once('disconnect', () => done(false));
      socket.once('authenticated', () => done(true));
      socket.once('connect', () => socket.emit('authentication', { token }));
    });
    return authenticated ? performance.now() - started : null;
  } finally {
    socket.close();
  }
}
