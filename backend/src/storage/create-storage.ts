import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Storage } from './storage.js';

/**
 * MONGODB_URI selects the mongoose adapter (which keeps its caches in line with the other
 * processes through REDIS_URL); otherwise the embedded SQLite file under DATA_DIR.
 */
export async function createStorage(config: Pick<Config, 'MONGODB_URI' | 'DATA_DIR'> & Partial<Pick<Config, 'REDIS_URL'>>, logger: Logger): Promise<Storage> {
  if (config.MONGODB_URI) {
    const { openMongoStorage } = await import('./mongo/mongo-storage.js');
    const storage = await openMongoStorage({ uri: config.MONGODB_URI, ...(config.REDIS_URL && { redisUrl: config.REDIS_URL }) });
    logger.info({ store: 'mongo' }, 'storage ready');
    return storage;
  }
  const { openSqliteStorage } = await import('./sqlite/sqlite-storage.js');
  const file = join(config.DATA_DIR, 'chat.sqlite');
  const storage = await openSqliteStorage({ file });
  logger.info({ store: 'sqlite', file }, 'storage ready');
  return storage;
}
