import type { Database } from 'better-sqlite3';
import { searchText } from '../search-text.js';
import { indexEveryPending } from './sqlite-search-index.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Runs after `sql`, in the same transaction: a step SQL alone cannot do (normalising text in JavaScript). */
  then?: (db: Database) => void;
}

/**
 * The schema, one step per entry. Append new steps; never edit one that has shipped.
 *
 * Notes on the choices:
 * - `users.username_key` holds the lower-cased username; its unique index makes names
 *   unique case-insensitively and serves prefix search as an index range.
 * - `messages` is clustered by (chat_id, seq) (WITHOUT ROWID), so a history page, the last
 *   message of a chat and an unread count all read neighbouring rows.
 * - `messages.sender_id` has no foreign key: the caller decides (detachSender) what happens
 *   to a deleted user's messages, in whichever order it likes.
 * - `members_hidden` is a partial index holding only hidden memberships, so un-hiding a chat
 *   on every append touches only the rows that need it, however large the group.
 * - The idempotency index is keyed by (client_id, sender_id), client_id first: clients send
 *   time-ordered UUIDv7 client ids, so new entries land at the index's right edge, a page or two
 *   per commit, instead of one page per sender (step 2).
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE users (
        id            TEXT PRIMARY KEY,
        username      TEXT NOT NULL,
        username_key  TEXT NOT NULL,
        first_name    TEXT NOT NULL,
        last_name     TEXT NOT NULL,
        email         TEXT NOT NULL,
        gender        TEXT NOT NULL,
        avatar_url    TEXT,
        password_hash TEXT,
        role          TEXT NOT NULL CHECK (role IN ('user', 'admin')),
        status        TEXT NOT NULL CHECK (status IN ('active', 'disabled', 'banned', 'deleted')),
        external_id   TEXT,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL
      );
      CREATE UNIQUE INDEX users_username_key ON users (username_key);
      CREATE UNIQUE INDEX users_external_id ON users (external_id);

      CREATE TABLE chats (
        id               TEXT PRIMARY KEY,
        kind             TEXT NOT NULL CHECK (kind IN ('direct', 'group')),
        name             TEXT,
        name_key         TEXT,
        password_hash    TEXT,
        direct_key       TEXT,
        last_seq         INTEGER NOT NULL DEFAULT 0,
        created_at       TEXT NOT NULL,
        last_activity_at TEXT NOT NULL
      );
      CREATE UNIQUE INDEX chats_direct_key ON chats (direct_key);
      CREATE INDEX chats_kind_last_activity ON chats (kind, last_activity_at, id);

      CREATE TABLE members (
        chat_id       TEXT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
        user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        role          TEXT NOT NULL CHECK (role IN ('admin', 'member')),
        joined_at     TEXT NOT NULL,
        delivered_seq INTEGER NOT NULL DEFAULT 0,
        read_seq      INTEGER NOT NULL DEFAULT 0,
        hidden        INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
        PRIMARY KEY (chat_id, user_id)
      ) WITHOUT ROWID;
      CREATE INDEX members_user_hidden ON members (user_id, hidden);
      CREATE INDEX members_hidden ON members (chat_id) WHERE hidden = 1;

      CREATE TABLE messages (
        chat_id    TEXT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
        seq        INTEGER NOT NULL,
        id         TEXT NOT NULL,
        kind       TEXT NOT NULL CHECK (kind IN ('text', 'notice')),
        sender_id  TEXT,
        client_id  TEXT,
        body       TEXT NOT NULL,
        notice     TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (chat_id, seq)
      ) WITHOUT ROWID;
      CREATE UNIQUE INDEX messages_id ON messages (id);
      CREATE UNIQUE INDEX messages_sender_client ON messages (sender_id, client_id);

      CREATE TABLE blocks (
        blocker_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        blocked_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        PRIMARY KEY (blocker_id, blocked_id)
      ) WITHOUT ROWID;
      CREATE INDEX blocks_blocked ON blocks (blocked_id);

      CREATE TABLE refresh_tokens (
        id         TEXT PRIMARY KEY,
        user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        family_id  TEXT NOT NULL,
        token_hash TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        created_at TEXT NOT NULL,
        used_at    TEXT,
        revoked_at TEXT
      );
      CREATE UNIQUE INDEX refresh_tokens_token_hash ON refresh_tokens (token_hash);
      CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
      CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

      CREATE TABLE audit_log (
        id         TEXT PRIMARY KEY,
        actor_id   TEXT,
        action     TEXT NOT NULL,
        target_id  TEXT,
        details    TEXT,
        created_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'idempotency index keyed by client id first',
    sql: `
      DROP INDEX messages_sender_client;
      CREATE UNIQUE INDEX messages_client_sender ON messages (client_id, sender_id);
    `,
  },
  {
    // Chat visibility. Before this step every group was searchable and open to anyone.
    // The rule for existing chats (legacyVisibility in storage.ts, the same for MongoDB
    // documents without the field) never exposes a chat that was not meant to be found:
    // a group WITH a password was made as a "join room with pass" room, so it stays public;
    // every group WITHOUT one becomes private (only the people its admins add can see it);
    // direct chats are private. Search now reads public groups through a partial index, so
    // chats_kind_last_activity, which served nothing else, goes.
    version: 3,
    name: 'chat visibility: password groups stay public, all others become private',
    sql: `
      ALTER TABLE chats ADD COLUMN visibility TEXT NOT NULL DEFAULT 'private' CHECK (visibility IN ('private', 'public'));
      UPDATE chats SET visibility = 'public' WHERE kind = 'group' AND password_hash IS NOT NULL;
      CREATE INDEX chats_public_groups ON chats (last_activity_at, id) WHERE kind = 'group' AND visibility = 'public';
      DROP INDEX chats_kind_last_activity;
    `,
  },
  {
    // use_key: SHA-256 of a host SSO token's issuer and jti (storage/sso-token-uses.ts). A row
    // lives until expires_at (ISO-8601); after that the token is refused as expired anyway.
    version: 4,
    name: 'single-use SSO tokens',
    sql: `
      CREATE TABLE sso_token_uses (
        use_key    TEXT PRIMARY KEY,
        expires_at TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX sso_token_uses_expires_at ON sso_token_uses (expires_at);
    `,
  },
  {
    // Edits, deletes and reactions (MessageStore.change). Every change takes the chat's next
    // change_seq (chats.last_change_seq + 1, in the change's transaction) and is logged in
    // message_changes, clustered by (chat_id, change_seq) so that a sync from a change position
    // reads neighbouring rows. A message keeps the change_seq of its newest change; existing
    // messages and chats start at 0 (never changed). A delete erases the body (''), so the text
    // is gone from the file, not hidden. Reactions are rows of their own, keyed by
    // (message_id, user_id, emoji); change_seq (of the reaction that put it there) orders them
    // oldest first and breaks ties of created_at. They go with their message when it is erased
    // (detachSender 'erase') through the foreign key on messages(id).
    version: 5,
    name: 'message changes: edits, deletes, reactions, replies',
    sql: `
      ALTER TABLE messages ADD COLUMN edited_at TEXT;
      ALTER TABLE messages ADD COLUMN deleted_at TEXT;
      ALTER TABLE messages ADD COLUMN deleted_by TEXT CHECK (deleted_by IN ('sender', 'admin'));
      ALTER TABLE messages ADD COLUMN reply_to_id TEXT;
      ALTER TABLE messages ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE chats ADD COLUMN last_change_seq INTEGER NOT NULL DEFAULT 0;

      CREATE TABLE message_changes (
        chat_id    TEXT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
        change_seq INTEGER NOT NULL,
        message_id TEXT NOT NULL,
        kind       TEXT NOT NULL CHECK (kind IN ('edit', 'delete', 'react')),
        actor_id   TEXT NOT NULL,
        at         TEXT NOT NULL,
        PRIMARY KEY (chat_id, change_seq)
      ) WITHOUT ROWID;

      CREATE TABLE reactions (
        message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
        user_id    TEXT NOT NULL,
        emoji      TEXT NOT NULL,
        created_at TEXT NOT NULL,
        change_seq INTEGER NOT NULL,
        PRIMARY KEY (message_id, user_id, emoji)
      ) WITHOUT ROWID;
    `,
  },
  {
    // When each member's read position last moved ("Seen by" lists show it). Reads made before
    // this step have no time: read_at stays NULL until the member's read position moves again.
    version: 6,
    name: 'members: time of the read position',
    sql: `
      ALTER TABLE members ADD COLUMN read_at TEXT;
    `,
  },
  {
    // Mentions and notification levels.
    // A message keeps the ids it mentions as a JSON array (NULL: none) for its views, and each
    // (mentioned user, message) is also a row of `mentions`, clustered by (user_id, chat_id,
    // seq): a member's unread mentions in a chat are one index range after their read_seq,
    // however long the chat. Only live messages have rows there: an edit rewrites its rows, a
    // delete removes them, and erasing a sender's messages removes theirs (by the
    // (chat_id, seq) index). The sender is never among a message's mentions. Existing messages
    // mention nobody. members.notify is the member's own level: all (the default), mentions, muted.
    version: 7,
    name: 'mentions and per-member notification levels',
    sql: `
      ALTER TABLE messages ADD COLUMN mentions TEXT;
      ALTER TABLE members ADD COLUMN notify TEXT NOT NULL DEFAULT 'all' CHECK (notify IN ('all', 'mentions', 'muted'));

      CREATE TABLE mentions (
        user_id TEXT NOT NULL,
        chat_id TEXT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
        seq     INTEGER NOT NULL,
        PRIMARY KEY (user_id, chat_id, seq)
      ) WITHOUT ROWID;
      CREATE INDEX mentions_message ON mentions (chat_id, seq);
    `,
  },
  {
    // Message search (MessageStore.search; sqlite-search-index.ts).
    // - message_search is an FTS5 table with the trigram tokenizer over the *normalised* body
    //   (storage/search-text.ts, the function the MongoDB index uses too), so both stores match
    //   the same way: partial words, CJK without spaces, case and accents folded. The normalised
    //   text is made in JavaScript, so the table cannot be an external-content table over
    //   messages.body (FTS5 would re-tokenise the raw body on delete and rebuild); it is
    //   contentless (content='') with contentless_delete=1: it keeps only the index, no copy of
    //   the text, and a row is deleted by its rowid. remove_diacritics 1 folds what normalising
    //   left (harmless: a match is checked against the normalised body anyway).
    // - message_search_rows gives each indexed message its FTS rowid, in the order the messages
    //   were indexed, so newest first is rowid descending and a page reads the index from its
    //   end; existing messages are numbered by (created_at, id).
    // - Only text messages that are not deleted are indexed. append, edit and delete write the
    //   index in the transaction that writes the message (SqliteMessageStore); removing a message
    //   row (detachSender 'erase') removes its index entry through the trigger, whoever deletes it.
    version: 8,
    name: 'message search: trigram FTS5 index of normalised bodies',
    sql: `
      CREATE TABLE message_search_rows (
        row_id  INTEGER PRIMARY KEY,
        chat_id TEXT NOT NULL,
        seq     INTEGER NOT NULL,
        UNIQUE (chat_id, seq)
      );
      CREATE VIRTUAL TABLE message_search USING fts5(
        body, content = '', contentless_delete = 1, tokenize = 'trigram remove_diacritics 1'
      );
      CREATE TRIGGER messages_search_forget AFTER DELETE ON messages BEGIN
        DELETE FROM message_search
          WHERE rowid = (SELECT row_id FROM message_search_rows WHERE chat_id = old.chat_id AND seq = old.seq);
        DELETE FROM message_search_rows WHERE chat_id = old.chat_id AND seq = old.seq;
      END;
    `,
    then: (db) => {
      indexEveryMessageOfMigration8(db);
    },
  },
  {
    // Message search, smaller and off the send path (sqlite-search-index.ts). Replaces step 8's
    // tables.
    // - messages.search_row: each message's search position, handed out in append order and
    //   never reused (existing messages are numbered by (created_at, id)); newest first is
    //   position descending. It is the FTS5 rowid, so no map from rowid to message is needed:
    //   messages_search_row (partial, positions only) leads from a hit to its message.
    // - message_search keeps no positions within a body (detail=none): a search looks up every
    //   trigram of its terms and checks each candidate against the body, as it did before.
    // - The FTS5 table is written in batches after the appends commit; indexed_to is the position
    //   up to which it holds every message (the watermark). Searches read the positions above it
    //   from the messages themselves. Edits and deletes below it rewrite the entry in their
    //   transaction; removing a message row (detachSender 'erase', a removed chat) removes its
    //   entry through the trigger. Every message is indexed here, in the migration.
    version: 9,
    name: 'message search: positions in messages, a position-free index written after the commit',
    sql: `
      DROP TRIGGER messages_search_forget;
      DROP TABLE message_search;
      DROP TABLE message_search_rows;
      ALTER TABLE messages ADD COLUMN search_row INTEGER;
      UPDATE messages SET search_row = numbered.position
        FROM (SELECT chat_id, seq, row_number() OVER (ORDER BY created_at, id) AS position FROM messages) AS numbered
        WHERE messages.chat_id = numbered.chat_id AND messages.seq = numbered.seq;
      CREATE INDEX messages_search_row ON messages (search_row) WHERE search_row IS NOT NULL;
      CREATE TABLE message_search_state (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        indexed_to INTEGER NOT NULL
      );
      INSERT INTO message_search_state (id, indexed_to) VALUES (1, 0);
      CREATE VIRTUAL TABLE message_search USING fts5(
        body, content = '', contentless_delete = 1, detail = none, tokenize = 'trigram remove_diacritics 1'
      );
      CREATE TRIGGER messages_search_forget AFTER DELETE ON messages
        WHEN old.search_row <= (SELECT indexed_to FROM message_search_state)
          AND old.kind = 'text' AND old.deleted_at IS NULL AND old.body <> ''
      BEGIN
        DELETE FROM message_search WHERE rowid = old.search_row;
      END;
    `,
    then: (db) => {
      indexEveryPending(db);
    },
  },
  {
    // Files and pictures (AttachmentStore). An upload is a row from the start; a message claims
    // it by (uploader_id, client_id) in its send, then links it by message_id once stored. The
    // bytes live in the BlobStore under blob_key / preview_key / thumb_key (SHA-256 hex), which
    // several rows may share. No foreign keys: the use cases remove rows and blobs together.
    // - attachments_message: a page of history reads its messages' attachments in one range each;
    // - attachments_claim: claims, releases and links by (uploader, clientId);
    // - attachments_uploader_created: the daily quota sums one uploader's recent rows;
    // - attachments_orphans: only the rows not linked to a message, by age, for the sweeper;
    // - the three key indexes answer "does any row still refer to this blob?".
    version: 10,
    name: 'attachments: uploaded files and pictures',
    sql: `
      CREATE TABLE attachments (
        id          TEXT PRIMARY KEY,
        uploader_id TEXT NOT NULL,
        purpose     TEXT NOT NULL CHECK (purpose IN ('message', 'avatar')),
        name        TEXT NOT NULL,
        size        INTEGER NOT NULL,
        mime        TEXT NOT NULL,
        kind        TEXT NOT NULL CHECK (kind IN ('image', 'file')),
        width       INTEGER,
        height      INTEGER,
        animated    INTEGER NOT NULL DEFAULT 0 CHECK (animated IN (0, 1)),
        blob_key    TEXT NOT NULL,
        preview_key TEXT,
        thumb_key   TEXT,
        chat_id     TEXT,
        client_id   TEXT,
        message_id  TEXT,
        position    INTEGER NOT NULL DEFAULT 0,
        created_at  TEXT NOT NULL
      );
      CREATE INDEX attachments_message ON attachments (message_id, position) WHERE message_id IS NOT NULL;
      CREATE INDEX attachments_claim ON attachments (uploader_id, client_id) WHERE client_id IS NOT NULL;
      CREATE INDEX attachments_uploader_created ON attachments (uploader_id, created_at);
      CREATE INDEX attachments_orphans ON attachments (created_at) WHERE message_id IS NULL;
      CREATE INDEX attachments_blob_key ON attachments (blob_key);
      CREATE INDEX attachments_preview_key ON attachments (preview_key) WHERE preview_key IS NOT NULL;
      CREATE INDEX attachments_thumb_key ON attachments (thumb_key) WHERE thumb_key IS NOT NULL;
    `,
  },
  // Webhooks:
  // - `webhook_events` is the ordered log they deliver, written in the transaction that writes
  //   the message, change or membership (so a committed message always has its events). AUTOINCREMENT:
  //   a position is never handed out again, even after the oldest events are pruned. Rows name
  //   what happened, never a body.
  // - `webhooks` holds each subscription with its cursor (the last position delivered) and its
  //   failure state; `leases` lets one process deliver a subscription at a time when there is no Redis.
  {
    version: 11,
    name: 'webhooks: event log, subscriptions, leases',
    sql: `
      CREATE TABLE webhook_events (
        position   INTEGER PRIMARY KEY AUTOINCREMENT,
        id         TEXT NOT NULL UNIQUE,
        type       TEXT NOT NULL,
        chat_id    TEXT NOT NULL,
        message_id TEXT,
        user_id    TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX webhook_events_created_at ON webhook_events (created_at);

      CREATE TABLE webhooks (
        id                TEXT PRIMARY KEY,
        url               TEXT NOT NULL,
        events            TEXT NOT NULL,
        secret            TEXT NOT NULL,
        active            INTEGER NOT NULL CHECK (active IN (0, 1)),
        cursor            INTEGER NOT NULL DEFAULT 0,
        failing_since     TEXT,
        last_error        TEXT,
        last_attempt_at   TEXT,
        next_attempt_at   TEXT,
        last_delivered_at TEXT,
        attempts          INTEGER NOT NULL DEFAULT 0,
        paused_reason     TEXT,
        created_at        TEXT NOT NULL,
        updated_at        TEXT NOT NULL
      );

      CREATE TABLE leases (
        name       TEXT PRIMARY KEY,
        holder     TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
];

/** Step 8's indexing of the messages already stored, as it shipped (step 9 replaces its tables). */
function indexEveryMessageOfMigration8(db: Database): void {
  type Source = { id: string; chat_id: string; seq: number; body: string; created_at: string };
  const chunk = db.prepare<[string, string, string, number], Source>(
    `SELECT id, chat_id, seq, body, created_at FROM messages
     WHERE kind = 'text' AND deleted_at IS NULL AND body <> '' AND (created_at > ? OR (created_at = ? AND id > ?))
     ORDER BY created_at, id LIMIT ?`,
  );
  const insertRow = db.prepare<[string, number]>('INSERT INTO message_search_rows (chat_id, seq) VALUES (?, ?)');
  const insertText = db.prepare<[number, string]>('INSERT INTO message_search (rowid, body) VALUES (?, ?)');
  let last = { created_at: '', id: '' };
  for (;;) {
    const rows = chunk.all(last.created_at, last.created_at, last.id, 1000);
    for (const message of rows) {
      const rowId = Number(insertRow.run(message.chat_id, message.seq).lastInsertRowid);
      insertText.run(rowId, searchText(message.body));
    }
    if (rows.length === 0) break;
    last = rows[rows.length - 1]!;
  }
}

/**
 * Brings the file up to the newest schema. Safe when several processes open the same file at
 * once: the check and the steps run in one IMMEDIATE transaction, so one process migrates and
 * the others, once the busy timeout lets them in, find nothing left to do.
 * Versions need not be consecutive: every step not yet recorded runs, lowest version first.
 * Returns the versions applied by this call.
 */
export function runMigrations(db: Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  db.exec(`
    CREATE TABLE IF NOT EXISTS schema_migrations (
      version    INTEGER PRIMARY KEY,
      name       TEXT NOT NULL,
      applied_at TEXT NOT NULL
    )
  `);
  const appliedVersions = db.prepare<[], { version: number }>('SELECT version FROM schema_migrations');
  const recordMigration = db.prepare<[number, string, string]>(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );

  const migrate = db.transaction((): number[] => {
    const applied = new Set(appliedVersions.all().map((row) => row.version));
    const pending = migrations
      .filter((migration) => !applied.has(migration.version))
      .sort((a, b) => a.version - b.version);
    for (const migration of pending) {
      db.exec(migration.sql);
      migration.then?.(db);
      recordMigration.run(migration.version, migration.name, new Date().toISOString());
    }
    return pending.map((migration) => migration.version);
  });
  return migrate.immediate();
}
