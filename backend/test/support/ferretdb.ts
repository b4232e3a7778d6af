/**
 * Starts a throw-away FerretDB (SQLite handler) on a free loopback port for tests, so the
 * MongoDB adapter can be exercised without a MongoDB server.
 *
 * The binary is the first of these that runs: $FERRETDB_BIN, `ferretdb` on PATH,
 * $HOME/go/bin/ferretdb. ("Runs" means `ferretdb --version` exits 0: a build made without its
 * version file panics at start-up, and is passed over.)
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface RunningFerretDb {
  /** mongodb://127.0.0.1:<port>/ — append a database name. */
  uri: string;
  /** Stops exactly this FerretDB process and removes its data directory. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;

export async function startFerretDb(): Promise<RunningFerretDb> {
  const binary = findFerretDbBinary();
  const directory = mkdtempSync(join(tmpdir(), 'chat-ferretdb-'));
  try {
    // Another process may take the port between our probe and FerretDB's bind: try a few ports.
    for (let attempt = 1; ; attempt += 1) {
      const port = await freePort();
      const child = spawn(
        binary,
        [
          '--handler=sqlite',
          `--sqlite-url=file:${directory}/`,
          `--listen-addr=${HOST}:${port}`,
          '--telemetry=disable',
          `--state-dir=${directory}`,
          `--debug-addr=${HOST}:0`,
          '--log-level=error',
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
        stderr = (stderr + chunk).slice(-4_000);
      });
      try {
        await waitUntilListening(child, port, () => stderr);
      } catch (error) {
        await stopChild(child);
        if (attempt < 3) continue;
        throw error;
      }
      return {
        uri: `mongodb://${HOST}:${port}/`,
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

function findFerretDbBinary(): string {
  const candidates = [
    process.env.FERRETDB_BIN,
    ...(process.env.PATH ?? '').split(delimiter).filter(Boolean).map((folder) => join(folder, 'ferretdb')),
    join(homedir(), 'go', 'bin', 'ferretdb'),
  ].filter((candidate): candidate is string => Boolean(candidate));
  for (const candidate of candidates) {
    if (!isExecutable(candidate)) continue;
    const probe = spawnSync(candidate, ['--version'], { stdio: 'ignore', timeout: 10_000 });
    if (probe.status === 0) return candidate;
  }
  throw new Error(
    `no working ferretdb binary: tried ${candidates.join(', ')}. ` +
      'Install FerretDB 1.x (go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2 needs ' +
      'build/version/version.txt) or set FERRETDB_BIN.',
  );
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A port the OS considers free right now. */
function freePort(): Promise<number> {
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

async function waitUntilListening(child: ChildProcess, port: number, stderr: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`ferretdb exited (${child.exitCode ?? child.signalCode}) before listening: ${stderr().trim()}`);
    }
    if (await accepts(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`ferretdb did not listen on ${HOST}:${port} within ${START_TIMEOUT_MS} ms: ${stderr().trim()}`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: HOST, port });
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

/** SIGTERM to this child only; SIGKILL if it has not exited in time. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
