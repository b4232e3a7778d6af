/**
 * Preloaded into a server process by `npm run bench -- --search` for the send-rate steps with
 * "indexing off" (NODE_OPTIONS=--import=<this file>): the SQLite search index's write on append
 * (SqliteSearchIndex.added: normalising the body and the two INSERTs) becomes a no-op, so the
 * same build runs the same send path without the FTS write. Nothing else changes; the
 * product has no switch for it.
 */
import { register } from 'tsx/esm/api';

register();
const { SqliteSearchIndex } = await import('../backend/src/storage/sqlite/sqlite-search-index.ts');
SqliteSearchIndex.prototype.added = function added() {};
