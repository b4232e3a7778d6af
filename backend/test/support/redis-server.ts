/**
 * A throw-away redis-server on a free loopback port, for the cluster test, the benchmark and
 * `npm run cluster`. Nothing is persisted (no RDB, no AOF); the working directory is a temp
 * folder removed on stop.
 *
 * The binary is the first of $REDIS_SERVER_BIN, /usr/bin/redis-server, `redis-server` on PATH
 * that exists.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface RunningRedis {
  /** redis://127.0.0.1:<port> */
  url: string;
  port: number;
  /** The redis-server process id (undefined for an external Redis). */
  pid: number | undefined;
  /** Stops exactly this redis-server (no-op for an external one) and removes its folder. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

/** REDIS_TEST_URL when set (left running on stop), otherwise a fresh redis-server. */
export async function redisForTests(): Promise<RunningRedis> {
  const external = process.env['REDIS_TEST_URL'];
  if (external && external.trim() !== '') {
    const port = Number(new URL(external).port || 6379);
    return { url: external, port, pid: undefined, stop: async () => {} };
  }
  return startRedisServer();
}

export async function startRedisServer(): Promise<RunningRedis> {
  const binary = findRedisServerBinary();
  const directory = mkdtempSync(join(tmpdir(), 'chat-redis-'));
  try {
    for (let attempt = 1; ; attempt += 1) {
      const port = await freePort();
      const child = spawn(
        binary,
        ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no', '--dir', directory, '--loglevel', 'warning'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      const keep = (chunk: string) => {
        output = (output + chunk).slice(-4_000);
      };
      child.stdout?.setEncoding('utf8').on('data', keep);
      child.stderr?.setEncoding('utf8').on('data', keep);
      try {
        await waitForPong(child, port, () => output);
      } catch (error) {
        await stopChild(child);
        if (attempt < 3) continue;
        throw error;
      }
      return {
        url: `redis://${HOST}:${port}`,
        port,
        pid: child.pid,
        stop: async () => {
          await stopChild(child);
          rmSync(directory, { recursive: true, force: true });
        },
      };
    }
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
}

function findRedisServerBinary(): string {
  const candidates = [
    process.env['REDIS_SERVER_BIN'],
    '/usr/bin/redis-server',
    ...(process.env['PATH'] ?? '').split(delimiter).filter(Boolean).map((folder) => join(folder, 'redis-server')),
  ].filter((candidate): candidate is string => Boolean(candidate));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // try the next one
    }
  }
  throw new Error(`no redis-server binary: tried ${candidates.join(', ')}. Install redis-server or set REDIS_SERVER_BIN.`);
}

/** A port the OS considers free right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPong(child: ChildProcess, port: number, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`redis-server exited (${child.exitCode ?? child.signalCode}) before answering: ${output().trim()}`);
    }
    if (await answersPing(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server did not answer on ${HOST}:${port} within ${START_TIMEOUT_MS} ms: ${output().trim()}`);
}

/** Sends an inline PING and waits for +PONG. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: HOST, port });
    let answer = '';
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString('utf8');
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
    socket.once('error', () => done(false));
  });
}

/** SIGTERM to this child only; SIGKILL if it has not exited in time. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
