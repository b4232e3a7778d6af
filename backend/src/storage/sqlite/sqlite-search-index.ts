import type { Database, Statement } from 'better-sqlite3';
import { codePointLength, containsEveryTerm, INDEXED_TERM_LENGTH, searchText, trigramsOf } from '../search-text.js';
import { InvalidInputError } from '../errors.js';
import type { MessageRecord, MessageSearch, MessageSearchPage } from '../storage.js';
import { MESSAGE_COLUMNS, rowToMessage, type MessageRow } from './sqlite-rows.js';
import { UnsyncedCommit } from './unsynced-commit.js';

/** Candidates read from the index per round while a page fills (a round's misses are terms too short for the index, or trigrams that meet outside a term). */
const ROUND_SIZE = 100;
/** Messages indexed per catch-up transaction when the store closes, all at once. */
const CATCH_UP_BATCH = 1000;
/**
 * Messages indexed per catch-up transaction while the store serves: one slice per event-loop
 * turn, the next after the I/O that waited meanwhile. A slice of 1,000 (about 600 messages at
 * 1,200 msg/s, every half second) held the loop long enough to set the message p99.
 */
const CATCH_UP_SLICE = 100;
/** How long after a commit the catch-up runs: the messages of that time are indexed together. */
const CATCH_UP_DELAY_MS = 500;

/**
 * A string as an FTS5 string literal: in double quotes, its own double quotes doubled. Inside a
 * string FTS5 reads nothing as syntax (`*`, `^`, `:`, parentheses, NEAR, AND, OR, NOT), so a
 * user's text never reaches the FTS parser as anything but text.
 */
export function ftsLiteral(term: string): string {
  return `"${term.replaceAll('"', '""')}"`;
}

/**
 * The MATCH expression for the terms the trigram index can look up: every trigram of every such
 * term (AND), each a string of its own. The index keeps no positions (detail=none), so it finds
 * the messages that hold all those trigrams somewhere, a superset of the matches; every
 * candidate is checked against its body. null when no term is long enough.
 */
export function ftsMatchOf(terms: readonly string[]): string | null {
  const trigrams = new Set(terms.filter((term) => codePointLength(term) >= INDEXED_TERM_LENGTH).flatMap(trigramsOf));
  return trigrams.size === 0 ? null : [...trigrams].map(ftsLiteral).join(' AND ');
}

function indexable(message: Pick<MessageRecord, 'kind' | 'deletedAt' | 'body'>): boolean {
  return message.kind === 'text' && message.deletedAt === null && message.body !== '';
}

type SearchRow = MessageRow & { search_row: number };
type PendingRow = Pick<MessageRow, 'kind' | 'body' | 'deleted_at'> & { search_row: number };
type PageQuery = { match: string; chats: string; after: number; sender: string | null; from: string | null; before: string | null; size: number };
type TailQuery = Omit<PageQuery, 'match' | 'size'> & { indexed: number };

const SEARCH_COLUMNS = `m.search_row AS search_row, ${MESSAGE_COLUMNS.split(',').map((column) => `m.${column.trim()}`).join(', ')}`;
const FILTERS = `m.chat_id IN (SELECT value FROM json_each(@chats))
  AND m.kind = 'text' AND m.deleted_at IS NULL
  AND (@sender IS NULL OR m.sender_id = @sender)
  AND (@from IS NULL OR m.created_at >= @from)
  AND (@before IS NULL OR m.created_at < @before)`;

/**
 * The message search index (migration 9).
 * - Every message gets a search position when it is appended (messages.search_row, in append
 *   order, never reused): newest first is position descending, and the FTS5 rowid is the position.
 * - The FTS5 table (trigram, contentless, detail=none) is written in batches after the commit,
 *   not by the append: `message_search_state.indexed_to` is the position up to which every
 *   message is in it (the watermark, moved in the transaction that indexes). A search reads the
 *   positions above the watermark from the messages themselves (the tail, a few hundred at most
 *   while the catch-up keeps up) and the index below it, and checks every candidate against its
 *   current body, so a message is found from the moment it commits.
 * - Below the watermark an edit or a delete rewrites the entry in its own transaction; above it
 *   nothing is needed (the catch-up reads the message as it is then). Removing a message row
 *   removes its entry through the trigger.
 * A crash loses nothing: what was not indexed is still above the watermark, and the catch-up
 * runs when the store opens.
 */
export class SqliteSearchIndex {
  private readonly selectIndexedTo: Statement<[], number>;
  private readonly selectNewestPosition: Statement<[], number>;
  private readonly selectPosition: Statement<[string, number], number | null>;
  private readonly insertText: Statement<[number, string]>;
  private readonly deleteText: Statement<[number]>;
  private readonly selectTail: Statement<[TailQuery], SearchRow>;
  private readonly selectPage: Statement<[PageQuery], SearchRow>;
  private readonly unsynced: UnsyncedCommit;
  private readonly catchUpOnce: (limit: number) => { passed: number; indexed: number };
  private readonly searchInSnapshot: (search: MessageSearch) => MessageSearchPage;
  private catchUpTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly db: Database) {
    this.selectIndexedTo = db.prepare<[], number>('SELECT indexed_to FROM message_search_state').pluck();
    this.selectNewestPosition = db
      .prepare<[], number>('SELECT search_row FROM messages WHERE search_row IS NOT NULL ORDER BY search_row DESC LIMIT 1')
      .pluck();
    this.selectPosition = db.prepare<[string, number], number | null>('SELECT search_row FROM messages WHERE chat_id = ? AND seq = ?').pluck();
    this.insertText = db.prepare('INSERT INTO message_search (rowid, body) VALUES (?, ?)');
    this.deleteText = db.prepare('DELETE FROM message_search WHERE rowid = ?');
    // The tail: positions above the watermark, newest first, straight from the messages.
    this.selectTail = db.prepare(
      `SELECT ${SEARCH_COLUMNS} FROM messages AS m INDEXED BY messages_search_row
       WHERE m.search_row > @indexed AND m.search_row < @after AND ${FILTERS}
       ORDER BY m.search_row DESC`,
    );
    // The index is the outer loop (CROSS JOIN), read from the newest rowid down, so a page stops
    // as soon as it has its rows; the caller's chats are a set the rows are checked against.
    this.selectPage = db.prepare(
      `SELECT ${SEARCH_COLUMNS}
       FROM message_search AS f
       CROSS JOIN messages AS m INDEXED BY messages_search_row ON m.search_row = f.rowid
       WHERE message_search MATCH @match AND f.rowid < @after AND ${FILTERS}
       ORDER BY f.rowid DESC
       LIMIT @size`,
    );
    this.unsynced = new UnsyncedCommit(db);
    const catchUp = db.transaction((limit: number) => indexPending(db, limit));
    this.catchUpOnce = (limit) => catchUp.immediate(limit);
    this.searchInSnapshot = db.transaction((search: MessageSearch) => this.searchNow(search)).deferred;
    this.scheduleCatchUp();
  }

  /**
   * Hands out the search positions of one batch of appends, inside its transaction: after the
   * newest position given out and after the watermark (so a position freed by a removed message
   * is never given again). Every message gets one, notices and all; only text is indexed.
   */
  positions(): () => number | null {
    let last = Math.max(this.selectNewestPosition.get() ?? 0, this.selectIndexedTo.get()!);
    return () => (last += 1);
  }

  /** After a commit that appended messages: index them shortly, together with whatever comes meanwhile. */
  scheduleCatchUp(delayMs = CATCH_UP_DELAY_MS): void {
    if (this.catchUpTimer !== null || this.stopped) return;
    this.catchUpTimer = setTimeout(() => {
      this.catchUpTimer = null;
      this.runCatchUp();
    }, delayMs);
    this.catchUpTimer.unref();
  }

  /**
   * One catch-up batch. Like an append batch, it commits with `synchronous = NORMAL` and does not
   * wait for a sync: the index and its watermark move in one transaction, so a power cut loses
   * both together and the catch-up does that part again.
   */
  private runCatchUp(): void {
    let passed: number;
    try {
      passed = this.catchUpNormalSync(CATCH_UP_SLICE);
    } catch {
      // Busy, or the store is failing: searches stay exact (they read the tail); try again later.
      this.scheduleCatchUp(10 * CATCH_UP_DELAY_MS);
      return;
    }
    if (passed === CATCH_UP_SLICE) this.scheduleCatchUp(0);
  }

  private catchUpNormalSync(limit: number): number {
    return this.unsynced.run(() => this.catchUpOnce(limit).passed);
  }

  /** The store closes: no more catch-ups after this one, which indexes everything still pending. */
  stop(): void {
    if (this.catchUpTimer !== null) clearTimeout(this.catchUpTimer);
    this.catchUpTimer = null;
    this.stopped = true;
    try {
      while (this.catchUpNormalSync(CATCH_UP_BATCH) === CATCH_UP_BATCH);
    } catch {
      // Left for the catch-up of the next start.
    }
  }

  /**
   * A message after an edit or a delete, inside the change's transaction: below the watermark its
   * entry follows the new body (or goes); above it the catch-up has not read it yet and will
   * read it as it is then.
   */
  changed(before: MessageRecord, after: MessageRecord): void {
    const position = this.selectPosition.get(after.chatId, after.seq);
    if (position === undefined || position === null || position > this.selectIndexedTo.get()!) return;
    if (indexable(before)) this.deleteText.run(position);
    if (indexable(after)) this.insertText.run(position, searchText(after.body));
  }

  search(search: MessageSearch): MessageSearchPage {
    return this.searchInSnapshot(search);
  }

  /** search(), in one read transaction: the watermark, the tail and the index as of one moment. */
  private searchNow(search: MessageSearch): MessageSearchPage {
    const match = ftsMatchOf(search.terms);
    if (match === null) throw new RangeError('a search needs a term the index can look up');
    let after = search.after === null ? Number.MAX_SAFE_INTEGER : Number(search.after);
    if (!Number.isSafeInteger(after)) throw new InvalidInputError('not a search position of this store');
    const filters = {
      chats: JSON.stringify(search.chatIds),
      sender: search.senderId,
      from: search.createdFrom,
      before: search.createdBefore,
    };
    const hits: SearchRow[] = [];
    // One more hit than the page shows tells whether another page follows.
    const take = (row: SearchRow): boolean => {
      if (containsEveryTerm(searchText(row.body), search.terms)) hits.push(row);
      return hits.length > search.limit;
    };
    const indexed = this.selectIndexedTo.get()!;
    if (after > indexed + 1) {
      for (const row of this.selectTail.iterate({ ...filters, indexed, after })) if (take(row)) break;
    }
    after = Math.min(after, indexed + 1);
    while (hits.length <= search.limit) {
      const rows = this.selectPage.all({ ...filters, match, after, size: ROUND_SIZE });
      for (const row of rows) if (take(row)) break;
      if (rows.length < ROUND_SIZE) break;
      after = rows[rows.length - 1]!.search_row;
    }
    const page = hits.slice(0, search.limit);
    return {
      messages: page.map(rowToMessage),
      next: hits.length > search.limit ? String(page[page.length - 1]!.search_row) : null,
    };
  }

  /** Empties the index and indexes every stored text message again, oldest first, in one transaction. */
  rebuild(progress?: (indexed: number) => void): number {
    return this.db.transaction(() => {
      this.db.exec("INSERT INTO message_search (message_search) VALUES ('delete-all'); UPDATE message_search_state SET indexed_to = 0;");
      return indexEveryPending(this.db, progress);
    }).immediate();
  }
}

/**
 * Indexes up to `limit` messages above the watermark, in position order, and moves the watermark
 * past them. Runs inside the caller's transaction. `passed`: the positions read; `indexed`: the
 * text messages among them that went into the index.
 */
function indexPending(db: Database, limit: number): { passed: number; indexed: number } {
  const indexedTo = db.prepare<[], number>('SELECT indexed_to FROM message_search_state').pluck().get()!;
  const rows = db
    .prepare<[number, number], PendingRow>(
      `SELECT search_row, kind, body, deleted_at FROM messages INDEXED BY messages_search_row
       WHERE search_row > ? ORDER BY search_row LIMIT ?`,
    )
    .all(indexedTo, limit);
  const insertText = db.prepare<[number, string]>('INSERT INTO message_search (rowid, body) VALUES (?, ?)');
  let indexed = 0;
  for (const row of rows) {
    if (!indexable({ kind: row.kind, body: row.body, deletedAt: row.deleted_at })) continue;
    insertText.run(row.search_row, searchText(row.body));
    indexed += 1;
  }
  if (rows.length > 0) db.prepare('UPDATE message_search_state SET indexed_to = ?').run(rows[rows.length - 1]!.search_row);
  return { passed: rows.length, indexed };
}

/** Indexes everything above the watermark, a chunk at a time; for migration 9 and rebuild. Returns the text messages indexed. */
export function indexEveryPending(db: Database, progress?: (indexed: number) => void): number {
  let indexed = 0;
  for (;;) {
    const chunk = indexPending(db, 1000);
    indexed += chunk.indexed;
    if (chunk.passed === 0) break;
    progress?.(indexed);
  }
  return indexed;
}
