/**
 * `npm run cluster [-- --nodes N] [--port 3001]`: several chat server processes that act as one.
 *
 * Uses REDIS_URL when set, otherwise starts a redis-server on a free loopback port. Starts N
 * (default 2) server processes on ports 3001, 3002, ... that share one store: MONGODB_URI when
 * set, otherwise the SQLite file in DATA_DIR (default ./data). Every other variable of the
 * environment (JWT_SECRET, BCRYPT_COST, ...) is passed through. Put any load balancer in front
 * (WebSocket transport only: no sticky sessions needed). SIGINT/SIGTERM stop all of them.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveJwtSecret } from '../src/jwt-secret.js';
import { createLogger } from '../src/logger.js';
import { startRedisServer, type RunningRedis } from '../test/support/redis-server.js';
import { startServerProcess, type ServerProcess } from '../test/support/server-process.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { nodes: { type: 'string', default: '2' }, port: { type: 'string', default: '3001' } },
    strict: true,
  });
  const nodes = Number(values.nodes);
  const firstPort = Number(values.port);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 32) throw new Error('--nodes must be 1..32');
  if (!Number.isInteger(firstPort) || firstPort < 1 || firstPort + nodes > 65_536) throw new Error('--port must be a port number');

  const logger = createLogger(process.env['LOG_LEVEL'] ?? 'info');
  const dataDir = resolve(process.env['DATA_DIR'] ?? './data');
  mkdirSync(dataDir, { recursive: true });
  // Every process must sign and verify with the same secret: resolve it once, here.
  const jwtSecret = resolveJwtSecret(process.env['JWT_SECRET'] || undefined, dataDir, logger);

  let redis: RunningRedis | undefined;
  const servers: ServerProcess[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await Promise.all(servers.map((server) => server.stop()));
    await redis?.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    let redisUrl = process.env['REDIS_URL'];
    if (!redisUrl) {
      redis = await startRedisServer();
      redisUrl = redis.url;
      console.log(`redis-server (pid ${redis.pid}) on ${redis.url}`);
    }
    const shared: Record<string, string | undefined> = {
      ...process.env,
      DATA_DIR: dataDir,
      JWT_SECRET: jwtSecret,
      REDIS_URL: redisUrl,
      LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'info',
      HOST: process.env['HOST'] ?? '0.0.0.0',
    };
    for (let index = 0; index < nodes; index += 1) {
      const port = firstPort + index;
      servers.push(await startServerProcess({ env: { ...shared, PORT: String(port) }, echo: `node ${index + 1}` }));
    }
    const store = process.env['MONGODB_URI'] ? 'MongoDB (MONGODB_URI)' : `SQLite in ${dataDir}`;
    console.log(`\n${nodes} chat server processes on ${store}, sharing ${redisUrl.replace(/\/\/[^@]*@/, '//***@')}:`);
    for (const server of servers) console.log(`  http://localhost:${server.port}  (pid ${server.pid})`);
    console.log('Ctrl-C stops them all.\n');

    // If one dies, say so; the others keep serving.
    for (const server of servers) {
      void server.exited.then(({ code, signal }) => {
        if (!stopping) console.error(`process on port ${server.port} exited (${code ?? signal}); the others keep serving`);
      });
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    await stopAll(1);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
