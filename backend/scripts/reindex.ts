/**
 * `npm run reindex`: rebuilds the message search index from the stored messages, for a database
 * from before search existed (it heals on its own too: SQLite fills the index when it migrates,
 * MongoDB indexes a chat on its first search) or after an upgrade that changes how text is
 * indexed. It opens the store the server would open: MONGODB_URI when set, otherwise the SQLite
 * file in DATA_DIR (default ./data), the environment read and checked as the server reads it.
 * The server may keep running: on SQLite the rebuild is one transaction (searches see the old
 * index until it commits); on MongoDB searches made during the rebuild may miss messages of
 * chats not indexed yet. Prints the progress and the count; exits 1 on failure.
 */
import { ConfigError, parseEnvironment } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createStorage } from '../src/storage/create-storage.js';

async function main(): Promise<number> {
  let config;
  try {
    config = parseEnvironment(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 78;
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  const storage = await createStorage(config, logger);
  try {
    console.log(`reindex: rebuilding the message search index (${storage.name})`);
    let reported = 0;
    const indexed = await storage.messages.rebuildSearchIndex((count) => {
      if (count - reported >= 1000) {
        reported = count;
        console.log(`reindex: ${count} messages indexed`);
      }
    });
    console.log(`reindex: done, ${indexed} messages indexed`);
    return 0;
  } finally {
    await storage.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('reindex failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
