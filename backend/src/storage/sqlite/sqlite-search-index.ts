import type { Database, Statement } from 'better-sqlite3';
import { codePointLength, containsEveryTerm, INDEXED_TERM_LENGTH, searchText } from '../search-text.js';
import { InvalidInputError } from '../errors.js';
import type { MessageRecord, MessageSearch, MessageSearchPage } from '../storage.js';
import { MESSAGE_COLUMNS, rowToMessage, type MessageRow } from './sqlite-rows.js';

/** Candidates read from the index per round while a page fills (a round's misses are terms too short for the index). */
const ROUND_SIZE = 100;

/**
 * A term as an FTS5 string literal: in double quotes, its own double quotes doubled. Inside a
 * string FTS5 reads nothing as syntax (`*`, `^`, `:`, parentheses, NEAR, AND, OR, NOT), so a
 * user's text never reaches the FTS parser as anything but text.
 */
export function ftsLiteral(term: string): string {
  return `"${term.replaceAll('"', '""')}"`;
}

/** The MATCH expression for the terms the trigram index can look up: all of them (AND). null when none can. */
export function ftsMatchOf(terms: readonly string[]): string | null {
  const indexed = terms.filter((term) => codePointLength(term) >= INDEXED_TERM_LENGTH);
  return indexed.length === 0 ? null : indexed.map(ftsLiteral).join(' AND ');
}

function indexable(message: Pick<MessageRecord, 'kind' | 'deletedAt' | 'body'>): boolean {
  return message.kind === 'text' && message.deletedAt === null && message.body !== '';
}

type SearchRow = MessageRow & { row_id: number };

/**
 * The message search index (migration 8): message_search_rows numbers each indexed message, and
 * message_search (FTS5, trigram, contentless) holds its normalised body under that number.
 * Every write runs inside the caller's transaction.
 */
export class SqliteSearchIndex {
  private readonly insertRow: Statement<[string, number]>;
  private readonly selectRowId: Statement<[string, number], number>;
  private readonly insertText: Statement<[number, string]>;
  private readonly deleteText: Statement<[number]>;
  private readonly deleteRow: Statement<[number]>;
  private readonly selectPage: Statement<[{ match: string; chats: string; after: number; sender: string | null; from: string | null; before: string | null; size: number }], SearchRow>;

  constructor(private readonly db: Database) {
    this.insertRow = db.prepare('INSERT INTO message_search_rows (chat_id, seq) VALUES (?, ?)');
    this.selectRowId = db.prepare<[string, number], number>('SELECT row_id FROM message_search_rows WHERE chat_id = ? AND seq = ?').pluck();
    this.insertText = db.prepare('INSERT INTO message_search (rowid, body) VALUES (?, ?)');
    this.deleteText = db.prepare('DELETE FROM message_search WHERE rowid = ?');
    this.deleteRow = db.prepare('DELETE FROM message_search_rows WHERE row_id = ?');
    // The index is the outer loop (CROSS JOIN), read from the newest rowid down, so a page stops
    // as soon as it has its rows; the caller's chats are a set the rows are checked against.
    this.selectPage = db.prepare(
      `SELECT r.row_id AS row_id, ${MESSAGE_COLUMNS.split(',').map((column) => `m.${column.trim()}`).join(', ')}
       FROM message_search AS f
       CROSS JOIN message_search_rows AS r ON r.row_id = f.rowid
       CROSS JOIN messages AS m ON m.chat_id = r.chat_id AND m.seq = r.seq
       WHERE message_search MATCH @match AND f.rowid < @after
         AND r.chat_id IN (SELECT value FROM json_each(@chats))
         AND m.kind = 'text' AND m.deleted_at IS NULL
         AND (@sender IS NULL OR m.sender_id = @sender)
         AND (@from IS NULL OR m.created_at >= @from)
         AND (@before IS NULL OR m.created_at < @before)
       ORDER BY f.rowid DESC
       LIMIT @size`,
    );
  }

  /** A new message: indexed when it is text. */
  added(message: MessageRecord): void {
    if (!indexable(message)) return;
    const rowId = Number(this.insertRow.run(message.chatId, message.seq).lastInsertRowid);
    this.insertText.run(rowId, searchText(message.body));
  }

  /** A message after an edit or a delete: its entry follows the new body, or goes. It keeps its place in the order. */
  changed(message: MessageRecord): void {
    const rowId = this.selectRowId.get(message.chatId, message.seq);
    if (rowId !== undefined) this.deleteText.run(rowId);
    if (!indexable(message)) {
      if (rowId !== undefined) this.deleteRow.run(rowId);
      return;
    }
    if (rowId === undefined) this.added(message);
    else this.insertText.run(rowId, searchText(message.body));
  }

  search(search: MessageSearch): MessageSearchPage {
    const match = ftsMatchOf(search.terms);
    if (match === null) throw new RangeError('a search needs a term the index can look up');
    const hits: SearchRow[] = [];
    let after = search.after === null ? Number.MAX_SAFE_INTEGER : Number(search.after);
    if (!Number.isSafeInteger(after)) throw new InvalidInputError('not a search position of this store');
    // One more hit than the page shows tells whether another page follows.
    while (hits.length <= search.limit) {
      const rows = this.selectPage.all({
        match,
        chats: JSON.stringify(search.chatIds),
        after,
        sender: search.senderId,
        from: search.createdFrom,
        before: search.createdBefore,
        size: ROUND_SIZE,
      });
      for (const row of rows) {
        if (containsEveryTerm(searchText(row.body), search.terms)) hits.push(row);
        if (hits.length > search.limit) break;
      }
      if (rows.length < ROUND_SIZE) break;
      after = rows[rows.length - 1]!.row_id;
    }
    const page = hits.slice(0, search.limit);
    return {
      messages: page.map(rowToMessage),
      next: hits.length > search.limit ? String(page[page.length - 1]!.row_id) : null,
    };
  }

  /** Empties the index and indexes every stored text message again, oldest first. */
  rebuild(progress?: (indexed: number) => void): number {
    return this.db.transaction(() => {
      this.db.exec("DELETE FROM message_search_rows; INSERT INTO message_search (message_search) VALUES ('delete-all');");
      return indexEveryMessage(this.db, progress);
    }).immediate();
  }
}

/** Indexes every text message that is not deleted, numbered by (created_at, id); for migration 8 and rebuild. */
export function indexEveryMessage(db: Database, progress?: (indexed: number) => void): number {
  type Source = Pick<MessageRow, 'id' | 'chat_id' | 'seq' | 'body' | 'created_at'>;
  const chunk = db.prepare<[string, string, string, number], Source>(
    `SELECT id, chat_id, seq, body, created_at FROM messages
     WHERE kind = 'text' AND deleted_at IS NULL AND body <> '' AND (created_at > ? OR (created_at = ? AND id > ?))
     ORDER BY created_at, id LIMIT ?`,
  );
  const insertRow = db.prepare<[string, number]>('INSERT INTO message_search_rows (chat_id, seq) VALUES (?, ?)');
  const insertText = db.prepare<[number, string]>('INSERT INTO message_search (rowid, body) VALUES (?, ?)');
  let indexed = 0;
  let last = { created_at: '', id: '' };
  // A chunk at a time: better-sqlite3 does not write while a statement of the same connection iterates.
  for (;;) {
    const rows = chunk.all(last.created_at, last.created_at, last.id, 1000);
    for (const message of rows) {
      const rowId = Number(insertRow.run(message.chat_id, message.seq).lastInsertRowid);
      insertText.run(rowId, searchText(message.body));
    }
    indexed += rows.length;
    if (rows.length === 0) break;
    last = rows[rows.length - 1]!;
    progress?.(indexed);
  }
  return indexed;
}
