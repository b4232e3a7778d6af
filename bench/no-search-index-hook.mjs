/**
 * Preloaded into a server process by `npm run bench -- --search` for the send-rate steps with
 * "indexing off" (NODE_OPTIONS=--import=<this file>): the SQLite search index gives appended
 * messages no search position (so nothing is written to messages_search_row) and never runs its
 * catch-up (normalising bodies and writing the FTS5 table), so the same build runs the same send
 * path without any search work. Nothing else changes; the product has no switch for it.
 */
import { register } from 'tsx/esm/api';

register();
const { SqliteSearchIndex } = await import('../backend/src/storage/sqlite/sqlite-search-index.ts');
SqliteSearchIndex.prototype.positions = function positions() {
  return () => null;
};
SqliteSearchIndex.prototype.scheduleCatchUp = function scheduleCatchUp() {};
