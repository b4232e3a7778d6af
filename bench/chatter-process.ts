/**
 * A chat member in a process of its own, for the upload benchmark: it sends a message every
 * `everyMs` and times each ack, so that the figure is what a member elsewhere sees, not the lag of
 * the load generator's own event loop (which streams the uploads).
 *
 *   const chatter = startChatter({ url, token, chatId, everyMs: 20 });
 *   await chatter.ready; chatter.start(); ...; const samples = await chatter.stop();
 *
 * Run as a child of this module (`fork` with IPC); messages: `{start}`, `{stop}` → `{samples}`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Socket } from 'socket.io-client';
import { authenticatedSocket } from './authenticated-socket.js';

export interface Chatter {
  /** Resolves once the socket is signed in. */
  ready: Promise<void>;
  pid: number;
  start(): void;
  /** Stops sending; resolves with every ack's round trip in ms (10,000 for one never acknowledged). */
  stop(): Promise<number[]>;
  close(): Promise<void>;
}

type ToChatter = { kind: 'start' } | { kind: 'stop' };
type FromChatter = { kind: 'ready' } | { kind: 'samples'; samples: number[] } | { kind: 'failed'; message: string };

const ACK_TIMEOUT_MS = 10_000;

export function startChatter(options: { url: string; token: string; chatId: string; everyMs: number }): Chatter {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, CHATTER: JSON.stringify(options) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = async (kind: FromChatter['kind']): Promise<FromChatter> => {
    for (;;) {
      const [message] = (await once(child, 'message')) as [FromChatter];
      if (message.kind === 'failed') throw new Error(`chatter: ${message.message}`);
      if (message.kind === kind) return message;
    }
  };
  return {
    ready: next('ready').then(() => undefined),
    pid: child.pid!,
    start: () => child.send({ kind: 'start' } satisfies ToChatter),
    async stop() {
      const samples = next('samples');
      child.send({ kind: 'stop' } satisfies ToChatter);
      return ((await samples) as Extract<FromChatter, { kind: 'samples' }>).samples;
    },
    async close() {
      if (child.exitCode !== null) return;
      child.kill();
      await once(child, 'exit');
    },
  };
}

/** The child's side: sign in, then send while started. */
async function runChatter(): Promise<void> {
  const { url, token, chatId, everyMs } = JSON.parse(process.env['CHATTER']!) as { url: string; token: string; chatId: string; everyMs: number };
  const send = (message: FromChatter) => process.send!(message);
  let socket: Socket;
  try {
    socket = await authenticatedSocket(url, token);
  } catch (error) {
    send({ kind: 'failed', message: String(error) });
    return;
  }
  let samples: number[] = [];
  let timer: NodeJS.Timeout | null = null;
  const pending = new Set<Promise<void>>();
  process.on('message', (message: ToChatter) => {
    if (message.kind === 'start' && timer === null) {
      samples = [];
      timer = setInterval(() => {
        const started = performance.now();
        const sent = socket
          .timeout(ACK_TIMEOUT_MS)
          .emitWithAck('chat:message', { chatId, clientId: randomUUID(), body: 'meanwhile' })
          .then(
            () => void samples.push(performance.now() - started),
            () => void samples.push(ACK_TIMEOUT_MS),
          )
          .finally(() => pending.delete(sent));
        pending.add(sent);
      }, everyMs);
    } else if (message.kind === 'stop') {
      if (timer) clearInterval(timer);
      timer = null;
      void Promise.all(pending).then(() => send({ kind: 'samples', samples }));
    }
  });
  process.on('disconnect', () => {
    socket.disconnect();
    process.exit(0);
  });
  send({ kind: 'ready' });
}

if (process.env['CHATTER'] && process.send) void runChatter();
