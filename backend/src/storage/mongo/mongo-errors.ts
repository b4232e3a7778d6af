import mongoose from 'mongoose';
import { ConflictError, InvalidInputError, StorageError, StoreUnavailableError } from '../errors.js';

const { MongoNetworkError, MongoServerSelectionError, MongoTopologyClosedError, MongoNotConnectedError } = mongoose.mongo;

const DUPLICATE_KEY_CODES = new Set([11000, 11001]);

/**
 * Server error codes that say the server cannot serve us right now (shutting down, stepping
 * down, unreachable) rather than that the request was wrong.
 */
const UNAVAILABLE_SERVER_CODES = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  89, // NetworkTimeout
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

/**
 * Which port field each unique index protects, keyed by the index's fields joined by ','.
 * `_id` is left out on purpose: what it means depends on the collection, so the caller names it.
 */
const CONFLICT_FIELDS: Readonly<Record<string, string>> = {
  usernameLower: 'username',
  externalId: 'externalId',
  directKey: 'directKey',
  senderClientKey: 'clientId',
  'chatId,userId': 'member',
  'chatId,seq': 'seq',
  'chatId,changeSeq': 'changeSeq',
  'messageId,userId,emoji': 'reaction',
  'blockerId,blockedId': 'block',
  tokenHash: 'tokenHash',
};

/** The same map keyed by index name, for servers that name the index in the message only. */
const CONFLICT_FIELDS_BY_INDEX_NAME: Readonly<Record<string, string>> = {
  users_usernameLower: 'username',
  users_externalId: 'externalId',
  chats_directKey: 'directKey',
  messages_senderClientKey: 'clientId',
  memberships_chatId_userId: 'member',
  messages_chatId_seq: 'seq',
  messageChanges_chatId_changeSeq: 'changeSeq',
  reactions_messageId_userId_emoji: 'reaction',
  blocks_blockerId_blockedId: 'block',
  refreshTokens_tokenHash: 'tokenHash',
};

interface DriverErrorShape {
  code?: unknown;
  codeName?: unknown;
  keyPattern?: unknown;
  message?: unknown;
  writeErrors?: Array<{ code?: unknown; errmsg?: unknown; err?: { code?: unknown; errmsg?: unknown } }>;
}

/**
 * FerretDB 1.x (SQLite) reports a unique index refusing an *update* not as E11000 but as an
 * InternalError carrying SQLite's text, which names the index as "<table>_<our index name>".
 */
const FERRETDB_UNIQUE_FAILURE = /UNIQUE constraint failed: index '([^']+)'/;

/**
 * True for E11000, whether thrown by a single write or by the first failed write of a batch,
 * and for FerretDB's way of saying the same about an update.
 */
export function isDuplicateKeyError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const shape = error as DriverErrorShape;
  if (DUPLICATE_KEY_CODES.has(shape.code as number)) return true;
  const first = shape.writeErrors?.[0];
  if (first !== undefined && DUPLICATE_KEY_CODES.has((first.code ?? first.err?.code) as number)) return true;
  return shape.code === 1 && FERRETDB_UNIQUE_FAILURE.test(String(shape.message ?? ''));
}

/**
 * The port field a duplicate key error is about: from the key pattern MongoDB reports, else
 * from the index named in the message; null when the server says neither (FerretDB 1.x
 * reports an insert's duplicate only as "E11000 duplicate key error collection: <ns>").
 */
export function duplicateKeyField(error: unknown): string | null {
  const shape = error as DriverErrorShape;
  if (typeof shape.keyPattern === 'object' && shape.keyPattern !== null) {
    const fields = Object.keys(shape.keyPattern).join(',');
    if (fields === '_id') return null;
    return CONFLICT_FIELDS[fields] ?? fields;
  }
  const first = shape.writeErrors?.[0];
  const message = String(first?.errmsg ?? first?.err?.errmsg ?? shape.message ?? '');
  const indexName = /index: (\S+)/.exec(message)?.[1];
  if (indexName !== undefined) {
    return indexName === '_id_' ? null : (CONFLICT_FIELDS_BY_INDEX_NAME[indexName] ?? indexName);
  }
  const sqliteIndex = FERRETDB_UNIQUE_FAILURE.exec(message)?.[1];
  if (sqliteIndex !== undefined) {
    const known = Object.keys(CONFLICT_FIELDS_BY_INDEX_NAME).find((name) => sqliteIndex.endsWith(`_${name}`));
    if (known !== undefined) return CONFLICT_FIELDS_BY_INDEX_NAME[known] ?? null;
  }
  return null;
}

/** True when the error says the server could not be reached or cannot serve right now. */
const UNAVAILABLE_ERROR_NAMES: ReadonlySet<string> = new Set([
  'MongooseServerSelectionError',
  'MongoPoolClearedError',
  'PoolClearedError',
  'MongoPoolClosedError',
  'PoolClosedError',
  'MongoWaitQueueTimeoutError',
  'WaitQueueTimeoutError',
  'MongoServerClosedError',
  'MongoOperationTimeoutError',
  'MongoNetworkTimeoutError',
]);

/**
 * Socket-level system errors. The driver normally wraps them in MongoNetworkError, but a write
 * to a connection the server has just closed can surface as Node's own EPIPE error.
 */
const SOCKET_ERROR_CODES: ReadonlySet<string> = new Set([
  'EPIPE',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ENOTCONN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

function hasLabel(error: object, label: string): boolean {
  const labels = (error as { errorLabels?: unknown }).errorLabels;
  if (labels instanceof Set) return labels.has(label);
  return Array.isArray(labels) && labels.includes(label);
}

/**
 * True when the error, or any error it wraps, says the store cannot be reached now. The driver
 * wraps on several paths: a bulk write that timed out is a MongoBulkWriteError whose
 * `errorResponse` is the MongoNetworkTimeoutError; other errors carry theirs as `cause`, and a
 * server selection failure as `reason`. A duplicate key stays a conflict: it is checked first.
 */
export function isUnavailableError(error: unknown): boolean {
  const seen = new Set<unknown>();
  let pending: unknown[] = [error];
  // Bounded: wrapped chains are short, and `seen` stops a cycle.
  for (let depth = 0; depth < 6 && pending.length > 0; depth += 1) {
    const next: unknown[] = [];
    for (const candidate of pending) {
      if (typeof candidate !== 'object' || candidate === null || seen.has(candidate)) continue;
      seen.add(candidate);
      if (isUnavailableItself(candidate)) return true;
      next.push(...wrappedErrors(candidate));
    }
    pending = next;
  }
  return false;
}

/** The errors one driver error carries inside it. */
function wrappedErrors(error: object): unknown[] {
  const shape = error as { cause?: unknown; errorResponse?: unknown; reason?: unknown; writeConcernError?: unknown; originalError?: unknown };
  return [shape.cause, shape.errorResponse, shape.reason, shape.writeConcernError, shape.originalError];
}

function isUnavailableItself(error: unknown): boolean {
  if (
    error instanceof MongoNetworkError ||
    error instanceof MongoServerSelectionError ||
    error instanceof MongoTopologyClosedError ||
    error instanceof MongoNotConnectedError
  ) {
    return true;
  }
  if (typeof error !== 'object' || error === null) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  // mongoose wraps server selection failures in its own class; the driver's connection-pool
  // and server-lifecycle errors (a pool cleared or closed because the server went away, a
  // closed server handle, a wait-queue or operation timeout) all mean "not reachable now".
  if (typeof name === 'string' && UNAVAILABLE_ERROR_NAMES.has(name)) return true;
  if (hasLabel(error, 'ResetPool') || hasLabel(error, 'SystemOverloadedError')) return true;
  if (typeof code === 'string') return SOCKET_ERROR_CODES.has(code);
  return typeof code === 'number' && UNAVAILABLE_SERVER_CODES.has(code);
}

/**
 * Turns a mongoose or driver error into the typed storage error the port promises.
 * `idConflictField` names what a duplicate `_id` (or an unnamed duplicate) means for this call.
 */
export function translateMongoError(error: unknown, idConflictField = 'id'): unknown {
  if (error instanceof StorageError) return error;
  if (isDuplicateKeyError(error)) return new ConflictError(duplicateKeyField(error) ?? idConflictField);
  if (isUnavailableError(error)) return new StoreUnavailableError(error);
  if (error instanceof mongoose.Error.ValidationError || error instanceof mongoose.Error.CastError) {
    return new InvalidInputError(error.message);
  }
  return error;
}

/** Runs one storage operation and rethrows its failure as a storage error. */
export async function withMongoErrors<T>(operation: () => Promise<T>, idConflictField?: string): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw translateMongoError(error, idConflictField);
  }
}

/** The index of the document an ordered insertMany stopped at. */
export function firstFailedIndex(error: unknown): number | null {
  const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
  const first = Array.isArray(writeErrors) ? (writeErrors[0] as { index?: unknown } | undefined) : (writeErrors as { index?: unknown } | undefined);
  return typeof first?.index === 'number' ? first.index : null;
}
