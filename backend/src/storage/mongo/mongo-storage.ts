/**
 * The MongoDB adapter (mongoose), selected by MONGODB_URI. It runs on MongoDB and on FerretDB
 * 1.x (the CI leg), so it keeps to what both serve the same way:
 * - no multi-document transactions; "all or nothing" is done by checking first and removing
 *   what was written when a later step fails;
 * - whatever must hold under concurrency (one seq per message, one changeSeq per change to a
 *   message, one direct chat per pair, one spend per refresh token, one membership per user
 *   and chat, one reaction per user and emoji) rests on inserts into unique indexes. FerretDB
 *   1.x applies an update by reading the document and writing it back whole, so concurrent
 *   updates of one document can lose each other there: no $inc counters, no compare-and-set
 *   updates (a message document changed concurrently is settled from its change rows, see
 *   MongoMessageStore.change);
 * - sparse instead of partial unique indexes, with the field left out instead of null;
 * - plain finds and counts instead of aggregation.
 * Dates are stored as the ISO-8601 strings the port uses; ids are our ULIDs, stored as `_id`.
 * Every read uses .lean() and maps the result to the port's plain records.
 */
import mongoose, { type Connection } from 'mongoose';
import { StoreUnavailableError } from '../errors.js';
import type { Storage } from '../storage.js';
import { MongoAttachmentStore } from './mongo-attachment-store.js';
import { MongoAuditStore } from './mongo-audit-store.js';
import { MongoBlockStore } from './mongo-block-store.js';
import { MongoChatStore } from './mongo-chat-store.js';
import { translateMongoError, withMongoErrors } from './mongo-errors.js';
import { MongoEventLog } from './mongo-event-log.js';
import { MongoLeaseStore } from './mongo-lease-store.js';
import { MongoMemberStore } from './mongo-member-store.js';
import { MongoWebhookStore } from './mongo-webhook-store.js';
import { MongoMemberLists } from './mongo-member-lists.js';
import { LocalCacheBus, RedisCacheBus, type CacheBus } from './mongo-cache-bus.js';
import { RedisEventLogTurns, SingleProcessTurns, type EventLogTurns } from './event-log-turns.js';
import type { AppendLimits } from './mongo-append-batches.js';
import { MongoMessageStore } from './mongo-message-store.js';
import { registerModels, type MongoModels } from './mongo-models.js';
import { MongoRefreshTokenStore } from './mongo-refresh-token-store.js';
import { openMongoSsoTokenUseStore, type MongoSsoTokenUseStore } from './mongo-sso-token-use-store.js';
import { MongoUserStore } from './mongo-user-store.js';
import { LEGACY_SEARCH_TERMS } from './search-posting-model.js';

export interface MongoStorageOptions {
  /** A mongodb:// URI; the database is the one it names (mongoose's default when it names none). */
  uri: string;
  /** How long to wait for a reachable server before an operation fails as unavailable. */
  serverSelectionTimeoutMS?: number;
  /** How long an operation may wait for the server's answer before it fails as unavailable (a frozen server). */
  socketTimeoutMS?: number;
  /**
   * Redis, when several processes share the database: the caches of member lists and chat seqs
   * are kept in line across them through its pub/sub (mongo-cache-bus.ts). Without it, this
   * process is taken to be the only one.
   */
  redisUrl?: string;
  /** The append queue's limits (tests make them small). */
  appendLimits?: AppendLimits;
}

/** Connections per process; an operation waits at most WAIT_QUEUE_TIMEOUT_MS for one, then fails as unavailable. */
const MAX_POOL_SIZE = 20;
/** How long start-up waits for Redis (REDIS_URL) before giving up. */
const REDIS_CONNECT_TIMEOUT_MS = 10_000;
const WAIT_QUEUE_TIMEOUT_MS = 5_000;

/**
 * Connects, creates the indexes the adapter relies on (awaited, so the unique rules hold from
 * the first write), and returns the storage. Each call has its own connection, not mongoose's
 * global one, so several storages can be open at once.
 * @throws StoreUnavailableError when the server cannot be reached.
 */
export async function openMongoStorage(options: MongoStorageOptions): Promise<Storage> {
  const connection = mongoose.createConnection(options.uri, {
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5_000,
    // A frozen server must fail operations within seconds; reads and writes are retried once.
    socketTimeoutMS: options.socketTimeoutMS ?? 5_000,
    connectTimeoutMS: options.socketTimeoutMS ?? 5_000,
    // Fail at once instead of queueing operations while disconnected, and bound the queue for a
    // connection: a store that falls behind refuses operations within seconds instead of piling them up.
    bufferCommands: false,
    maxPoolSize: MAX_POOL_SIZE,
    waitQueueTimeoutMS: WAIT_QUEUE_TIMEOUT_MS,
    // Indexes are created below, once and awaited, rather than in the background.
    autoIndex: false,
    autoCreate: false,
  });
  let bus: CacheBus = new LocalCacheBus();
  let turns: EventLogTurns = new SingleProcessTurns();
  try {
    await connection.asPromise();
    if (options.redisUrl) {
      // One channel per database: processes on other databases of the same Redis do not hear each other.
      const redisBus = new RedisCacheBus(options.redisUrl, `chat-store-cache:${connection.name}`);
      bus = redisBus;
      const redisTurns = new RedisEventLogTurns(options.redisUrl, connection.name);
      turns = redisTurns;
      await Promise.all([redisBus.ready(REDIS_CONNECT_TIMEOUT_MS), redisTurns.ready(REDIS_CONNECT_TIMEOUT_MS)]);
    }
    const models = registerModels(connection);
    await createIndexes(models);
    await dropLegacySearchTerms(connection, models);
    const ssoTokenUses = await openMongoSsoTokenUseStore(connection);
    return new MongoStorage(connection, models, ssoTokenUses, bus, turns, options.appendLimits);
  } catch (error) {
    await connection.close().catch(() => undefined);
    await bus.close();
    await turns.close();
    throw translateMongoError(error);
  }
}

/**
 * createIndexes rather than syncIndexes: FerretDB 1.x accepts `sparse` but leaves it out of
 * listIndexes, so syncIndexes would see a difference on every start and rebuild those indexes.
 */
async function createIndexes(models: MongoModels): Promise<void> {
  for (const model of Object.values(models) as Array<MongoModels[keyof MongoModels]>) {
    await model.createIndexes();
  }
}

/**
 * A database written by an earlier version holds its search postings one document per trigram,
 * in `search_terms`. They are dropped with every chat's search mark, so each chat is indexed
 * again, one document per message, by its next search (or by `npm run reindex`). The marks go
 * first: a process stopped in between leaves the old collection, dropped at its next start.
 * Two processes starting at once may both try; the loser finds nothing left to drop.
 */
async function dropLegacySearchTerms(connection: Connection, models: MongoModels): Promise<void> {
  const legacy = await connection.db!.listCollections({ name: LEGACY_SEARCH_TERMS }, { nameOnly: true }).toArray();
  if (legacy.length === 0) return;
  await models.searchMarks.deleteMany({});
  await connection.db!.dropCollection(LEGACY_SEARCH_TERMS).catch((error: unknown) => {
    if ((error as { codeName?: string }).codeName !== 'NamespaceNotFound') throw error;
  });
}

class MongoStorage implements Storage {
  readonly name = 'mongo' as const;
  readonly users;
  readonly chats;
  readonly members;
  readonly messages: MongoMessageStore;
  readonly blocks;
  readonly refreshTokens;
  readonly audit;
  readonly events;
  readonly webhooks;
  readonly leases;
  readonly attachments;

  constructor(
    private readonly connection: Connection,
    models: MongoModels,
    readonly ssoTokenUses: MongoSsoTokenUseStore,
    private readonly bus: CacheBus,
    private readonly turns: EventLogTurns,
    appendLimits?: AppendLimits,
  ) {
    this.events = new MongoEventLog(models, turns);
    this.webhooks = new MongoWebhookStore(models);
    this.leases = new MongoLeaseStore(models);
    const memberLists = new MongoMemberLists(bus);
    this.users = new MongoUserStore(models, memberLists);
    this.chats = new MongoChatStore(models, memberLists);
    this.members = new MongoMemberStore(models, memberLists, this.events);
    this.messages = new MongoMessageStore(models, this.events, memberLists, bus, appendLimits);
    bus.listen({
      event: (event) => {
        memberLists.apply(event);
        this.messages.applyCacheEvent(event);
      },
      lost: () => {
        memberLists.clearHere();
        this.messages.cacheLost();
      },
    });
    this.blocks = new MongoBlockStore(models);
    this.refreshTokens = new MongoRefreshTokenStore(models);
    this.audit = new MongoAuditStore(models);
    this.attachments = new MongoAttachmentStore(models);
  }

  async ping(): Promise<void> {
    const db = this.connection.db;
    if (!db) throw new StoreUnavailableError(new Error('not connected'));
    await withMongoErrors(() => db.admin().ping());
  }

  async close(): Promise<void> {
    // Bounded: a store that went away must not hold the shutdown.
    await this.messages.flush(2_000);
    await this.bus.close();
    await this.turns.close();
    await this.connection.close();
  }
}
