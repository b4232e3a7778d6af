/**
 * A throw-away redis-server on a free loopback port, for the cluster test, the benchmark and
 * `npm run cluster`. Nothing is persisted (no RDB, no AOF); the working directory is a temp
 * folder removed on stop.
 *
 * The binary is the first of $REDIS_SERVER_BIN, /usr/bin/redis-server, `redis-server` on PATH
 * that exists.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable, onPath } from './find-executable.js';
import { LOOPBACK, startLoopbackProcess, startOnFreePort } from './loopback-process.js';

export interface RunningRedis {
  /** redis://127.0.0.1:<port> */
  url: string;
  port: number;
  /** The redis-server process id (undefined for an external Redis). */
  pid: number | undefined;
  /** Stops exactly this redis-server (no-op for an external one) and removes its folder. */
  stop(): Promise<void>;
}

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
  const binary = findExecutable('redis-server', [process.env['REDIS_SERVER_BIN'], '/usr/bin/redis-server', ...onPath('redis-server')], {
    hint: 'Install redis-server or set REDIS_SERVER_BIN.',
  });
  const directory = mkdtempSync(join(tmpdir(), 'chat-redis-'));
  try {
    const redis = await startOnFreePort((port) =>
      startLoopbackProcess({
        name: 'redis-server',
        command: binary,
        args: ['--port', String(port), '--bind', LOOPBACK, '--save', '', '--appendonly', 'no', '--dir', directory, '--loglevel', 'warning'],
        port,
        isReady: () => answersPing(port),
        startTimeoutMs: 10_000,
        stopTimeoutMs: 5_000,
      }),
    );
    return {
      url: `redis://${LOOPBACK}:${redis.port}`,
      port: redis.port,
      pid: redis.pid,
      stop: async () => {
        await redis.stop();
        rmSync(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
}

/** Sends an inline PING and waits for +PONG. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: LOOPBACK, port });
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
