import Database from 'better-sqlite3';
import { ConflictError, InvalidInputError, NotFoundError, StorageError, StoreUnavailableError } from '../errors.js';

/** Which port field a unique constraint protects, keyed by the columns SQLite names in its error. */
const CONFLICT_FIELDS: Readonly<Record<string, string>> = {
  'users.id': 'id',
  'users.username_key': 'username',
  'users.external_id': 'externalId',
  'chats.id': 'id',
  'chats.direct_key': 'directKey',
  'members.chat_id, members.user_id': 'member',
  'messages.id': 'id',
  'messages.chat_id, messages.seq': 'seq',
  'messages.client_id, messages.sender_id': 'clientId',
  'blocks.blocker_id, blocks.blocked_id': 'block',
  'refresh_tokens.id': 'id',
  'refresh_tokens.token_hash': 'tokenHash',
  'audit_log.id': 'id',
};

/** Result codes that mean the file cannot be used right now, rather than that the request was wrong. */
const UNAVAILABLE_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|CORRUPT|NOTADB|PROTOCOL|NOLFS)/;

/** Turns a better-sqlite3 error into the typed storage error the port promises. */
export function translateSqliteError(error: unknown): unknown {
  if (error instanceof StorageError) return error;
  if (error instanceof Database.SqliteError) {
    const code = error.code;
    if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      const columns = error.message.replace(/^UNIQUE constraint failed: /, '');
      return new ConflictError(CONFLICT_FIELDS[columns] ?? columns);
    }
    if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return new NotFoundError('referenced record', '');
    if (code.startsWith('SQLITE_CONSTRAINT')) return new InvalidInputError(error.message);
    if (UNAVAILABLE_CODES.test(code)) return new StoreUnavailableError(error);
    return error;
  }
  // better-sqlite3 throws a TypeError for any call on a closed connection.
  if (error instanceof TypeError && /database connection is not open/.test(error.message)) {
    return new StoreUnavailableError(error);
  }
  return error;
}

/** Runs one synchronous database operation and rethrows its failure as a storage error. */
export function withStorageErrors<T>(operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    throw translateSqliteError(error);
  }
}
