/**
 * A child process that serves on a loopback port (redis-server, FerretDB, the chat server):
 * started, waited for until it answers, and stopped. Signals go to exactly this process, never
 * to one found by name. `startOnFreePort` picks the port and, when the child finds it taken
 * (another process bound it between the probe and the child's bind), tries a fresh one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { sleep } from './waiting.js';

export const LOOPBACK = '127.0.0.1';

const OUTPUT_KEPT_CHARS = 8_000;
const PORT_ATTEMPTS = 3;

export interface LoopbackProcessOptions {
  /** Names the process in error messages. */
  name: string;
  command: string;
  args: string[];
  port: number;
  cwd?: string;
  /** The child's whole environment (ours when not given). */
  env?: NodeJS.ProcessEnv;
  /** Polled until it resolves true: the process serves on its port. */
  isReady(): Promise<boolean>;
  startTimeoutMs: number;
  /** How long `stop` waits after its signal before it sends SIGKILL. */
  stopTimeoutMs: number;
  /** How often `isReady` is polled (50 ms unless told). */
  pollMs?: number;
  /** Copy the child's output to ours, every line prefixed with `[echo] `. */
  echo?: string;
}

export interface LoopbackProcess {
  port: number;
  pid: number;
  child: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last few kilobytes of its output (for failure messages). */
  output(): string;
  isRunning(): boolean;
  /** Sends a signal to exactly this process, while it runs. */
  kill(signal: NodeJS.Signals): void;
  /**
   * Sends `signal` (SIGTERM unless told; SIGKILL plays a crash), then SIGKILL after the grace
   * period; resolves once the process has exited. A frozen process is thawed first.
   */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** SIGSTOP: the process keeps its connections open but answers nothing. */
  freeze(): void;
  /** SIGCONT: a frozen process goes on. */
  thaw(): void;
}

/** The child exited because its port was taken. */
export class PortTakenError extends Error {}

/** Starts the process and resolves once `isReady` says it serves. */
export async function startLoopbackProcess(options: LoopbackProcessOptions): Promise<LoopbackProcess> {
  const { name, port } = options;
  const child = spawn(options.command, options.args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (stream: NodeJS.WriteStream) => (chunk: string) => {
    output = (output + chunk).slice(-OUTPUT_KEPT_CHARS);
    if (options.echo) stream.write(chunk.replace(/^(?=.)/gm, `[${options.echo}] `));
  };
  // Without a listener, a command that cannot be spawned would crash the test process.
  child.once('error', (error) => keep(process.stderr)(`${error.message}\n`));
  child.stdout?.setEncoding('utf8').on('data', keep(process.stdout));
  child.stderr?.setEncoding('utf8').on('data', keep(process.stderr));
  if (child.pid === undefined) throw new Error(`could not start ${name} (${options.command})`);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));

  const isRunning = () => child.exitCode === null && child.signalCode === null;
  const handle: LoopbackProcess = {
    port,
    pid: child.pid,
    child,
    exited,
    output: () => output,
    isRunning,
    kill(signal) {
      if (isRunning()) child.kill(signal);
    },
    async stop(signal = 'SIGTERM') {
      if (!isRunning()) return;
      child.kill('SIGCONT');
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), options.stopTimeoutMs);
      await exited;
      clearTimeout(timer);
    },
    freeze() {
      if (isRunning()) child.kill('SIGSTOP');
    },
    thaw() {
      if (isRunning()) child.kill('SIGCONT');
    },
  };

  const deadline = Date.now() + options.startTimeoutMs;
  while (Date.now() < deadline) {
    if (!isRunning()) {
      // Let the last of its output arrive: it says why.
      await Promise.race([closed, sleep(1_000)]);
      const message = `${name} exited (${child.exitCode ?? child.signalCode}) before it answered on ${LOOPBACK}:${port}: ${output.trim()}`;
      throw /address already in use/i.test(output) ? new PortTakenError(message) : new Error(message);
    }
    if (await options.isReady()) return handle;
    await sleep(options.pollMs ?? 50);
  }
  await handle.stop();
  throw new Error(`${name} did not answer on ${LOOPBACK}:${port} within ${options.startTimeoutMs} ms: ${output.trim()}`);
}

/** Runs `start` on a free port; when the port is taken meanwhile, on a fresh one (three tries in all). */
export async function startOnFreePort<T>(start: (port: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await start(await freePort());
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}

/** A loopback port the OS considers free right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Whether something accepts TCP connections on the loopback port. */
export function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: LOOPBACK, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
