import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { until } from './until.js';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
/** The built app; E2E_STATIC_DIR may point at another build (absolute, or relative to the repository). */
const STATIC_DIR = process.env['E2E_STATIC_DIR'] || 'dist/frontend/browser';

export interface RunningServer {
  /** http://127.0.0.1:<port>, the one host the pages use (cookies are host-scoped). */
  readonly url: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done();
    else child.once('exit', () => done());
  });
}

/**
 * Starts the real chat server (`node --import tsx backend/src/main.ts`) on a free port with a
 * fresh SQLite data directory and the built Angular app, and waits for /healthz. `extraEnv` adds
 * or overrides configuration variables.
 */
export async function startServer(extraEnv: Readonly<Record<string, string>> = {}): Promise<RunningServer> {
  if (!existsSync(resolve(REPO_ROOT, STATIC_DIR, 'index.html'))) {
    throw new Error(`${STATIC_DIR}/index.html is missing: build the app first (npm run build)`);
  }
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-e2e-data-'));
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'backend/src/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? tmpdir(),
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      BCRYPT_COST: '4',
      LOG_LEVEL: 'warn',
      STATIC_DIR,
      JWT_SECRET: randomBytes(32).toString('hex'),
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const forced = setTimeout(() => child.kill('SIGKILL'), 8_000);
      await exited(child);
      clearTimeout(forced);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await until(
      'the server to answer /healthz',
      async () => {
        if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${output}`);
        const response = await fetch(`${url}/healthz`);
        return response.ok;
      },
      30_000,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}
