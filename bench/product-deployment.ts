/**
 * The product as the benchmark runs it: its store (a SQLite file in a temp DATA_DIR, or MongoDB:
 * MONGODB_URI or a throw-away FerretDB), optionally its own redis-server, seeded through the
 * storage port, then N server processes sharing all of it. stop() ends exactly the processes
 * started here and removes the temp folders.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createStorage } from '../backend/src/storage/create-storage.js';
import type { Storage } from '../backend/src/storage/storage.js';
import { startRedisServer, type RunningRedis } from '../backend/test/support/redis-server.js';
import { startServerProcess, type ServerProcess } from '../backend/test/support/server-process.js';

export interface DeploymentOptions {
  store: 'sqlite' | 'mongo';
  redis: boolean;
  nodes: number;
  /** Extra server environment (limits, BCRYPT_COST, ...). */
  env: Record<string, string>;
  maxOpenFiles?: number;
}

export interface Deployment {
  urls: string[];
  servers: ServerProcess[];
  jwtSecret: string;
  dataDir: string;
  /** Human-readable description of the store and the fan-out, for the report. */
  description: string;
  /** Env shared by every server process. */
  env: Record<string, string>;
  redis?: RunningRedis;
  stop(): Promise<void>;
}

/**
 * Prepares the store and runs `seed` on it; the servers start afterwards with `start()` (which
 * cleans everything up itself when a server fails to start).
 */
export async function prepareDeployment<T>(
  options: DeploymentOptions,
  seed: (storage: Storage, jwtSecret: string, dataDir: string) => Promise<T>,
): Promise<{ seeded: T; start: () => Promise<Deployment> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-bench-'));
  const jwtSecret = randomBytes(48).toString('base64url');
  const cleanups: Array<() => Promise<void>> = [async () => rmSync(dataDir, { recursive: true, force: true })];
  const cleanUp = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  };
  try {
    let mongoUri: string | undefined;
    if (options.store === 'mongo') {
      const base = process.env['MONGODB_URI'];
      if (base) {
        mongoUri = withDatabase(base, `chat_bench_${randomBytes(4).toString('hex')}`);
      } else {
        const { startFerretDb } = await import('../backend/test/support/ferretdb.js');
        const ferret = await startFerretDb();
        cleanups.push(() => ferret.stop());
        mongoUri = `${ferret.uri}chat_bench`;
      }
    }
    let redis: RunningRedis | undefined;
    if (options.redis || options.nodes > 1) {
      redis = await startRedisServer();
      cleanups.push(() => redis!.stop());
    }

    const storage = await createStorage({ DATA_DIR: dataDir, MONGODB_URI: mongoUri }, pino({ level: 'silent' }));
    let seeded: T;
    try {
      seeded = await seed(storage, jwtSecret, dataDir);
    } finally {
      await storage.close();
    }

    const env: Record<string, string> = {
      DATA_DIR: dataDir,
      JWT_SECRET: jwtSecret,
      STATIC_DIR: join(dataDir, 'no-static-app'),
      ...(mongoUri && { MONGODB_URI: mongoUri }),
      ...(redis && { REDIS_URL: redis.url }),
      ...options.env,
    };
    const start = async (): Promise<Deployment> => {
      const servers: ServerProcess[] = [];
      const stopServers = async () => {
        await Promise.all(servers.map((server) => server.stop()));
      };
      cleanups.push(stopServers);
      try {
        for (let index = 0; index < Math.max(1, options.nodes); index += 1) {
          servers.push(await startServerProcess({ env, ...(options.maxOpenFiles && { maxOpenFiles: options.maxOpenFiles }) }));
        }
      } catch (error) {
        await cleanUp();
        throw error;
      }
      const store = options.store === 'mongo' ? (process.env['MONGODB_URI'] ? 'MongoDB (MONGODB_URI)' : 'MongoDB API (FerretDB)') : 'SQLite (WAL)';
      return {
        urls: servers.map((server) => server.url),
        servers,
        jwtSecret,
        dataDir,
        description: `${store}${redis ? `, Redis adapter, ${servers.length} process(es)` : ', 1 process'}`,
        env,
        ...(redis && { redis }),
        stop: cleanUp,
      };
    };
    return { seeded, start };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/** `uri` with its database replaced, keeping credentials and options. */
function withDatabase(uri: string, database: string): string {
  const scheme = /^mongodb(\+srv)?:\/\//.exec(uri)?.[0];
  if (!scheme) throw new Error('MONGODB_URI must start with mongodb:// or mongodb+srv://');
  const rest = uri.slice(scheme.length);
  const queryStart = rest.indexOf('?');
  const beforeQuery = queryStart === -1 ? rest : rest.slice(0, queryStart);
  const query = queryStart === -1 ? '' : rest.slice(queryStart);
  const pathStart = beforeQuery.indexOf('/');
  const hosts = pathStart === -1 ? beforeQuery : beforeQuery.slice(0, pathStart);
  return `${scheme}${hosts}/${database}${query}`;
}
