/**
 * The chat server as a real operating-system process (`node --import tsx backend/src/main.ts`),
 * for tests and tools that need several processes or need to kill one: the cluster test, the
 * benchmark, `npm run cluster`.
 *
 * The child gets a small, explicit environment (PATH, HOME, TMPDIR and what the caller passes),
 * so a REDIS_URL or MONGODB_URI of the calling shell never leaks into it by accident.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './redis-server.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

export interface ServerProcessOptions {
  /** Variables for the server (DATA_DIR, JWT_SECRET, REDIS_URL, ...). PORT and HOST are set here unless given. */
  env: Record<string, string | undefined>;
  /** Raise the open-file limit of the child (through `sh -c 'ulimit -n N; exec node ...'`). */
  maxOpenFiles?: number;
  /** Copy the child's stdout/stderr to ours, prefixed with this label. */
  echo?: string;
}

export interface ServerProcess {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  pid: number;
  child: ChildProcess;
  /** The last few kilobytes of the child's output (for failure messages). */
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends a signal to exactly this process. */
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after a grace period; resolves once it has exited. */
  stop(): Promise<void>;
}

/** Starts one server process and resolves once /healthz answers. */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  for (let attempt = 1; ; attempt += 1) {
    const port = options.env['PORT'] ? Number(options.env['PORT']) : await freePort();
    try {
      return await startOnPort(options, port);
    } catch (error) {
      // Another process may have taken the free port meanwhile; try a fresh one.
      if (options.env['PORT'] || attempt >= 3 || !(error instanceof PortTakenError)) throw error;
    }
  }
}

class PortTakenError extends Error {}

async function startOnPort(options: ServerProcessOptions, port: number): Promise<ServerProcess> {
  const env: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  Object.assign(env, { HOST, LOG_LEVEL: 'warn' });
  for (const [name, value] of Object.entries(options.env)) if (value !== undefined) env[name] = value;
  env['PORT'] = String(port);

  const nodeArgs = ['--import', 'tsx', MAIN];
  const child = options.maxOpenFiles
    ? spawn('/bin/sh', ['-c', `ulimit -n ${options.maxOpenFiles} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$0" "$@"`, process.execPath, ...nodeArgs], {
        cwd: REPO_ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    : spawn(process.execPath, nodeArgs, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error('could not spawn the server process');
  const pid = child.pid;

  let output = '';
  const keep = (stream: NodeJS.WriteStream) => (chunk: string) => {
    output = (output + chunk).slice(-8_000);
    if (options.echo) stream.write(chunk.replace(/^(?=.)/gm, `[${options.echo}] `));
  };
  child.stdout?.setEncoding('utf8').on('data', keep(process.stdout));
  child.stderr?.setEncoding('utf8').on('data', keep(process.stderr));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });

  const url = `http://${HOST}:${port}`;
  const handle: ServerProcess = {
    url,
    port,
    pid,
    child,
    output: () => output,
    exited,
    kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const message = `server process exited (${child.exitCode ?? child.signalCode}) before it answered: ${output.trim()}`;
      throw /EADDRINUSE/.test(output) ? new PortTakenError(message) : new Error(message);
    }
    if (await healthy(url)) return handle;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await handle.stop();
  throw new Error(`server process did not answer on ${url} within ${START_TIMEOUT_MS} ms: ${output.trim()}`);
}

async function healthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}
