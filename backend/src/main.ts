/**
 * The process: reads and validates the configuration, resolves the JWT secret, starts the
 * chat server through the composition root (chat-server.ts, where every dependency is built
 * once; the wiring order is in its one comment) and stops it cleanly on SIGTERM / SIGINT.
 */
import { mkdirSync } from 'node:fs';
import { ConfigError, parseEnvironment, type Config } from './config.js';
import { resolveJwtSecret } from './jwt-secret.js';
import { createLogger } from './logger.js';
import { startChatServer } from './chat-server.js';

async function main(): Promise<void> {
  let raw;
  try {
    raw = parseEnvironment(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
  const logger = createLogger(raw.LOG_LEVEL);
  // A promise nobody awaited must not stop the service for everyone (Node's default is to
  // exit): it is logged as the bug it is, and the process keeps serving.
  process.on('unhandledRejection', (reason: unknown) => {
    logger.error({ err: reason }, 'unhandled promise rejection');
  });
  mkdirSync(raw.DATA_DIR, { recursive: true });
  const config: Config = { ...raw, JWT_SECRET: resolveJwtSecret(raw.JWT_SECRET, raw.DATA_DIR, logger) };
  const server = await startChatServer(config, logger);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
