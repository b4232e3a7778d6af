/**
 * The chat server as a real operating-system process (`node --import tsx backend/src/main.ts`),
 * for tests and tools that need several processes or need to kill one: the cluster test, the
 * benchmark, `npm run cluster`.
 *
 * The child gets a small, explicit environment (PATH, HOME, TMPDIR and what the caller passes),
 * so a REDIS_URL or MONGODB_URI of the calling shell never leaks into it by accident.
 */
import { fileURLToPath } from 'node:url';
import { LOOPBACK, startLoopbackProcess, startOnFreePort, type LoopbackProcess } from './loopback-process.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

export interface ServerProcessOptions {
  /** Variables for the server (DATA_DIR, JWT_SECRET, REDIS_URL, ...). PORT and HOST are set here unless given. */
  env: Record<string, string | undefined>;
  /** Raise the open-file limit of the child (through `sh -c 'ulimit -n N; exec node ...'`). */
  maxOpenFiles?: number;
  /** Copy the child's stdout/stderr to ours, prefixed with this label. */
  echo?: string;
}

export interface ServerProcess extends LoopbackProcess {
  /** http://127.0.0.1:<port> */
  url: string;
}

/** Starts one server process and resolves once /healthz answers. */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const fixedPort = options.env['PORT'];
  if (fixedPort) return startOnPort(options, Number(fixedPort));
  return startOnFreePort((port) => startOnPort(options, port));
}

async function startOnPort(options: ServerProcessOptions, port: number): Promise<ServerProcess> {
  const env: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  Object.assign(env, { HOST: LOOPBACK, LOG_LEVEL: 'warn' });
  for (const [name, value] of Object.entries(options.env)) if (value !== undefined) env[name] = value;
  env['PORT'] = String(port);

  const nodeArgs = ['--import', 'tsx', MAIN];
  const raiseOpenFiles = `ulimit -n ${options.maxOpenFiles} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$0" "$@"`;
  const url = `http://${LOOPBACK}:${port}`;
  const server = await startLoopbackProcess({
    name: 'server process',
    ...(options.maxOpenFiles
      ? { command: '/bin/sh', args: ['-c', raiseOpenFiles, process.execPath, ...nodeArgs] }
      : { command: process.execPath, args: nodeArgs }),
    port,
    cwd: REPO_ROOT,
    env,
    isReady: () => healthy(url),
    startTimeoutMs: 30_000,
    stopTimeoutMs: 10_000,
    pollMs: 100,
    echo: options.echo,
  });
  return { ...server, url };
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
