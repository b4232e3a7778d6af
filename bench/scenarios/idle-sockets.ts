/**
 * `--idle N`: N authenticated sockets that stay idle on one server process; reports the
 * server's resident memory before and after, and its CPU while they idle (heartbeats only).
 *
 * The sockets belong to N/10 users with 10 tabs each (MAX_SOCKETS_PER_USER's default), in group
 * chats of --room members. They are opened from several load-client processes (2,500 each).
 */
import type { BenchOptions } from '../bench-options.js';
import { LoadGenerator } from '../load-generator.js';
import type { ClientSpec } from '../load-protocol.js';
import { cpuPercent, rssMiB, sampleCpu } from '../process-usage.js';
import { prepareDeployment } from '../product-deployment.js';
import { seedUsersAndRooms } from '../seed-store.js';
import { productBenchEnv } from './message-load.js';

const SOCKETS_PER_USER = 10;
const SOCKETS_PER_GENERATOR = 2_500;
const IDLE_OBSERVATION_MS = 10_000;

export interface IdleFigures {
  sockets: number;
  users: number;
  connected: number;
  failed: number;
  firstError?: string;
  connectSeconds: number;
  serverRssBeforeMiB: number;
  serverRssAfterMiB: number;
  /** (after - before) / connected. */
  kibPerSocket: number;
  idleServerCpuPercent: number | null;
  targetMiB: number;
  metTarget: boolean;
}

export async function runIdleSockets(options: BenchOptions, sockets: number, log: (line: string) => void): Promise<IdleFigures> {
  const users = Math.ceil(sockets / SOCKETS_PER_USER);
  log(`idle: seeding ${users} users (${SOCKETS_PER_USER} sockets each) ...`);
  const prepared = await prepareDeployment(
    {
      store: options.mongo ? 'mongo' : 'sqlite',
      redis: options.redis,
      nodes: 1,
      env: { ...productBenchEnv(), MAX_SOCKETS_PER_USER: String(SOCKETS_PER_USER) },
      maxOpenFiles: sockets + 4_096,
    },
    (storage, jwtSecret) => seedUsersAndRooms(storage, { users, roomSize: options.roomSize, bcryptCost: 4, jwtSecret, prefix: 'idle' }),
  );
  const deployment = await prepared.start();
  const generators: LoadGenerator[] = [];
  try {
    const server = deployment.servers[0]!;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const before = rssMiB(server.pid) ?? NaN;
    log(`idle: server RSS before ${before.toFixed(0)} MiB; opening ${sockets} sockets ...`);

    const specs: ClientSpec[] = Array.from({ length: sockets }, (_, index) => {
      const user = prepared.seeded[index % users]!;
      return { url: server.url, token: user.token, room: user.chatId };
    });
    const started = performance.now();
    const parts: ClientSpec[][] = [];
    for (let start = 0; start < specs.length; start += SOCKETS_PER_GENERATOR) parts.push(specs.slice(start, start + SOCKETS_PER_GENERATOR));
    const outcomes = await Promise.all(
      parts.map((part) => {
        const generator = LoadGenerator.spawn({ maxOpenFiles: part.length + 1_024 });
        generators.push(generator);
        return generator.connect('product', part, 25);
      }),
    );
    const connectSeconds = (performance.now() - started) / 1000;
    const connected = outcomes.reduce((sum, outcome) => sum + outcome.clients, 0);
    const failed = outcomes.reduce((sum, outcome) => sum + outcome.failed, 0);
    const firstError = outcomes.find((outcome) => outcome.firstError)?.firstError;
    log(`idle: ${connected} sockets authenticated in ${connectSeconds.toFixed(1)} s${failed ? `, ${failed} failed (${firstError})` : ''}`);

    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const cpuStart = sampleCpu(server.pid);
    await new Promise((resolve) => setTimeout(resolve, IDLE_OBSERVATION_MS));
    const idleCpu = cpuPercent(cpuStart, sampleCpu(server.pid));
    const after = rssMiB(server.pid) ?? NaN;
    const figures: IdleFigures = {
      sockets,
      users,
      connected,
      failed,
      ...(firstError && { firstError }),
      connectSeconds,
      serverRssBeforeMiB: before,
      serverRssAfterMiB: after,
      kibPerSocket: connected > 0 ? ((after - before) * 1024) / connected : NaN,
      idleServerCpuPercent: idleCpu,
      targetMiB: 1024,
      metTarget: after < 1024 && connected === sockets,
    };
    console.log('');
    console.log(`idle sockets: ${connected}/${sockets} authenticated (${users} users) in ${connectSeconds.toFixed(1)} s`);
    console.log(`server RSS: ${before.toFixed(0)} MiB before, ${after.toFixed(0)} MiB with the sockets open (${figures.kibPerSocket.toFixed(1)} KiB per socket); target < 1024 MiB: ${figures.metTarget ? 'met' : 'NOT met'}`);
    console.log(`server CPU while idle: ${idleCpu === null ? '?' : idleCpu.toFixed(1)} % of one core`);
    console.log('');
    return figures;
  } finally {
    await Promise.all(generators.map((generator) => generator.close()));
    await deployment.stop();
  }
}
