import { codePointLength, containsEveryTerm, INDEXED_TERM_LENGTH, searchText, trigramsOf } from '../search-text.js';
import type { MessageRecord, MessageSearch, MessageSearchPage } from '../storage.js';
import type { ChatDoc } from './chat-model.js';
import { docToMessage, type MessageDoc } from './message-model.js';
import { isDuplicateKeyError, translateMongoError, withMongoErrors } from './mongo-errors.js';
import type { MongoModels } from './mongo-models.js';
import type { SearchMarkDoc } from './search-mark-model.js';
import type { SearchPostingDoc } from './search-posting-model.js';

/** Messages read per round while catching a chat up, and candidates checked per round while a page fills. */
const ROUND_SIZE = 200;
/** Rounds of bringing a changed message's postings in line with its body (each lost race costs one). */
const MAX_REINDEX_ROUNDS = 5;

type IndexedFields = Pick<MessageDoc, '_id' | 'chatId' | 'seq' | 'kind' | 'body' | 'deletedAt'>;

function indexable(doc: IndexedFields): boolean {
  return doc.kind === 'text' && doc.deletedAt == null && doc.body !== '';
}

/**
 * The message search index of the MongoDB adapter, the same on MongoDB and FerretDB 1.x (which
 * has no `$text`, no text indexes, no transactions, and does not push `$regex` down): one
 * document per message with every distinct trigram of its normalised body
 * (search-posting-model.ts). A search looks up the messages of the caller's chats holding every
 * trigram of the longer terms, and checks each candidate against the message's normalised body,
 * so the index may hold more than the truth (a stale posting finds nothing) but must not hold less.
 *
 * Writing a message and writing its postings are two steps with no transaction around them, and
 * the send does not wait for the second: postings are written in the background, batch after
 * batch (MongoSearchBacklog, `addedMany`), and a backlog the store cannot keep up with is
 * dropped. What that (or a crash) leaves, and how it heals:
 * - an appended message without postings: each chat has a mark (search-mark-model.ts), "every
 *   seq up to here is indexed". The background writer moves it from n-1 to n+k once the postings
 *   of n..n+k are in (a conditional update, so it never moves past a message that is not indexed;
 *   a lost race or a dropped backlog only leaves it behind). Before every search, each chat searched whose newest seq (its
 *   lastSeq, or the newer one this process knows) is past its mark
 *   is caught up: its messages after the mark are indexed (a message's postings are keyed by its
 *   id, so indexing it twice stores it once) and the mark moves to the last of them. A chat
 *   stored before search existed has no mark and is indexed whole by its first search (or by
 *   `npm run reindex`). A message whose append died before the chat's lastSeq moved is caught up
 *   once the chat's next message moves it;
 * - an edit or delete whose postings were not rewritten: the mark's `changeSeq` plays the same
 *   part for the chat's change log; the catch-up re-indexes every message edited or deleted
 *   after it. Until then, a deleted message's stale postings find nothing (a deleted body is
 *   empty), and an edited one is found by its new words only once caught up.
 * A fresh write never replaces postings already there: whoever wrote them first wrote the body
 * as it was then, and an edit after that rewrites them (`changed`). Two edits of one message
 * racing each other end with postings for the body that won: each
 * writer reads the message again after writing and goes round again while the body differs.
 */
export class MongoSearchIndex {
  constructor(
    private readonly models: MongoModels,
    /**
     * The newest seq of a chat this process knows to be stored (its own appends, and other
     * processes' through the cache bus): the chat's lastSeq is written later than its messages
     * (ChatActivityWriter), so a search takes the newer of the two.
     */
    private readonly knownSeq: (chatId: string) => number | undefined = () => undefined,
  ) {}

  /**
   * After appends (in the background, see MongoSearchBacklog): index the messages in one
   * insertMany, then move each chat's mark past them where it stood just before the first of
   * them (a conditional update: it never moves past a message that is not indexed; a mark that
   * is elsewhere stays, and the next search catches the chat up).
   */
  async addedMany(messages: readonly MessageRecord[]): Promise<void> {
    if (messages.length === 0) return;
    await this.writeFresh(messages.map((message) => ({ _id: message.id, ...message })));
    const runs = new Map<string, { first: number; last: number }>();
    for (const message of [...messages].sort((a, b) => a.seq - b.seq)) {
      const run = runs.get(message.chatId);
      if (!run) runs.set(message.chatId, { first: message.seq, last: message.seq });
      else if (message.seq === run.last + 1) run.last = message.seq;
    }
    const fromStart = [...runs].filter(([, run]) => run.first === 1);
    const after = [...runs].filter(([, run]) => run.first > 1);
    await withMongoErrors(() =>
      Promise.all([
        fromStart.length === 0
          ? Promise.resolve()
          : this.models.searchMarks.collection
              .insertMany(fromStart.map(([chatId, run]) => ({ _id: chatId, seq: run.last, changeSeq: 0 })) as never[], { ordered: false })
              .catch((error: unknown) => {
                if (!isDuplicateKeyError(error)) throw error;
              }),
        after.length === 0
          ? Promise.resolve()
          : this.models.searchMarks.collection.bulkWrite(
              after.map(([chatId, run]) => ({ updateOne: { filter: { _id: chatId, seq: run.first - 1 } as never, update: { $set: { seq: run.last } } } })),
              { ordered: false },
            ),
      ]),
    );
  }

  /** After an edit or delete: the message's postings follow its body as it is now. */
  async changed(messageId: string): Promise<void> {
    let indexed: IndexedFields | null = null;
    for (let round = 1; round <= MAX_REINDEX_ROUNDS; round += 1) {
      const doc = await withMongoErrors(() =>
        this.models.messages.findById(messageId, { chatId: 1, seq: 1, kind: 1, body: 1, deletedAt: 1 }).lean<IndexedFields>(),
      );
      if (!doc) return;
      if (indexed !== null && indexed.body === doc.body && indexed.deletedAt == doc.deletedAt) return;
      await this.write(messageId, doc);
      indexed = doc;
    }
  }

  /** After messages were removed (detachSender 'erase'): their postings go. */
  async removed(messages: ReadonlyArray<Pick<MessageDoc, 'chatId' | 'seq'>>): Promise<void> {
    const byChat = new Map<string, number[]>();
    for (const message of messages) byChat.set(message.chatId, [...(byChat.get(message.chatId) ?? []), message.seq]);
    await withMongoErrors(() =>
      Promise.all([...byChat].map(([chatId, seqs]) => this.models.searchPostings.deleteMany({ c: chatId, s: { $in: seqs } }))),
    );
  }

  async search(search: MessageSearch): Promise<MessageSearchPage> {
    const indexedTerms = search.terms.filter((term) => codePointLength(term) >= INDEXED_TERM_LENGTH);
    if (indexedTerms.length === 0) throw new RangeError('a search needs a term the index can look up');
    await this.catchUp(search.chatIds);
    const candidates = await this.candidates(search.chatIds, [...new Set(indexedTerms.flatMap(trigramsOf))]);
    const ordered = [...candidates].filter((id) => search.after === null || id < search.after).sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));

    const chats = new Set(search.chatIds);
    const hits: MessageRecord[] = [];
    for (let start = 0; start < ordered.length && hits.length <= search.limit; start += ROUND_SIZE) {
      const ids = ordered.slice(start, start + ROUND_SIZE);
      const docs = await withMongoErrors(() => this.models.messages.find({ _id: { $in: ids } }).lean<MessageDoc[]>());
      const byId = new Map(docs.map((doc) => [doc._id, doc]));
      for (const id of ids) {
        const doc = byId.get(id);
        if (doc && chats.has(doc.chatId) && matches(docToMessage(doc), search)) hits.push(docToMessage(doc));
        if (hits.length > search.limit) break;
      }
    }
    const page = hits.slice(0, search.limit);
    return { messages: page, next: hits.length > search.limit ? page[page.length - 1]!.id : null };
  }

  /** Empties the index and indexes every chat again from its first message. Returns the messages seen. */
  async rebuild(progress?: (indexed: number) => void): Promise<number> {
    await withMongoErrors(() => Promise.all([this.models.searchPostings.deleteMany({}), this.models.searchMarks.deleteMany({})]));
    const chats = await withMongoErrors(() => this.models.chats.find({}, { _id: 1 }).lean<Array<Pick<ChatDoc, '_id'>>>());
    let indexed = 0;
    for (const chat of chats) {
      indexed += await this.catchUpChat(chat._id, { _id: chat._id, seq: 0, changeSeq: 0 }, Number.MAX_SAFE_INTEGER, 0, (count) =>
        progress?.(indexed + count),
      );
      progress?.(indexed);
    }
    return indexed;
  }

  /** Message ids holding every trigram, within the chats. */
  private async candidates(chatIds: readonly string[], trigrams: string[]): Promise<Set<string>> {
    const postings = await withMongoErrors(() =>
      this.models.searchPostings.find({ t: { $all: trigrams }, c: { $in: [...chatIds] } }, { _id: 1 }).lean<Array<Pick<SearchPostingDoc, '_id'>>>(),
    );
    return new Set(postings.map((posting) => posting._id));
  }

  /** Brings the index of these chats up to their newest messages and changes (see the class comment). */
  private async catchUp(chatIds: readonly string[]): Promise<void> {
    const [marks, chats] = await withMongoErrors(() =>
      Promise.all([
        this.models.searchMarks.find({ _id: { $in: chatIds } }).lean<SearchMarkDoc[]>(),
        this.models.chats.find({ _id: { $in: chatIds } }, { lastSeq: 1, lastChangeSeq: 1 }).lean<Array<Pick<ChatDoc, '_id' | 'lastSeq' | 'lastChangeSeq'>>>(),
      ]),
    );
    const markOf = new Map(marks.map((mark) => [mark._id, mark]));
    for (const chat of chats) {
      const mark = markOf.get(chat._id) ?? { _id: chat._id, seq: 0, changeSeq: 0 };
      const lastChangeSeq = chat.lastChangeSeq ?? 0;
      const lastSeq = Math.max(chat.lastSeq, this.knownSeq(chat._id) ?? 0);
      if (lastSeq > mark.seq || lastChangeSeq > mark.changeSeq) await this.catchUpChat(chat._id, mark, lastSeq, lastChangeSeq);
    }
  }

  /** Indexes the chat's messages after the mark and re-indexes those changed after it; moves the mark. Returns the messages indexed. */
  private async catchUpChat(
    chatId: string,
    mark: SearchMarkDoc,
    lastSeq: number,
    lastChangeSeq: number,
    progress?: (indexed: number) => void,
  ): Promise<number> {
    let seq = mark.seq;
    let indexed = 0;
    for (;;) {
      const docs = await withMongoErrors(() =>
        this.models.messages
          .find({ chatId, seq: { $gt: seq, $lte: lastSeq } }, { chatId: 1, seq: 1, kind: 1, body: 1, deletedAt: 1 })
          .sort({ seq: 1 })
          .limit(ROUND_SIZE)
          .lean<IndexedFields[]>(),
      );
      await this.writeFresh(docs);
      indexed += docs.length;
      if (docs.length > 0) progress?.(indexed);
      if (docs.length < ROUND_SIZE) break;
      seq = docs[docs.length - 1]!.seq;
    }
    let changeSeq = mark.changeSeq;
    for (;;) {
      const changes = await withMongoErrors(() =>
        this.models.messageChanges
          .find({ chatId, changeSeq: { $gt: changeSeq }, kind: { $in: ['edit', 'delete'] } }, { changeSeq: 1, messageId: 1 })
          .sort({ changeSeq: 1 })
          .limit(ROUND_SIZE)
          .lean<Array<{ changeSeq: number; messageId: string }>>(),
      );
      for (const messageId of new Set(changes.map((change) => change.messageId))) await this.changed(messageId);
      if (changes.length < ROUND_SIZE) break;
      changeSeq = changes[changes.length - 1]!.changeSeq;
    }
    const reached = Math.max(lastSeq === Number.MAX_SAFE_INTEGER ? seq : lastSeq, mark.seq);
    const reachedChange = Math.max(lastChangeSeq, mark.changeSeq, changeSeq);
    const moveMark = () => this.models.searchMarks.updateOne({ _id: chatId }, { $max: { seq: reached, changeSeq: reachedChange } }, { upsert: true });
    await withMongoErrors(() =>
      moveMark().catch((error: unknown) => {
        // The background writer inserted the mark between this upsert's lookup and its insert: update it.
        if (!isDuplicateKeyError(error)) throw error;
        return moveMark();
      }),
    );
    return indexed;
  }

  /**
   * Writes the postings of messages just stored, in one insertMany. A message that has postings
   * already keeps them (see the class comment): its edits rewrite them.
   */
  private async writeFresh(docs: readonly IndexedFields[]): Promise<void> {
    const postings = docs.filter(indexable).map((doc) => postingOf(doc._id, doc));
    if (postings.length === 0) return;
    try {
      await this.models.searchPostings.collection.insertMany(postings as never[], { ordered: false });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw translateMongoError(error);
    }
  }

  /** Makes the message's postings those of its body as it is (none when it is not indexable). */
  private async write(messageId: string, doc: IndexedFields): Promise<void> {
    if (!indexable(doc)) {
      await withMongoErrors(() => this.models.searchPostings.deleteOne({ _id: messageId }));
      return;
    }
    const { _id, ...fields } = postingOf(messageId, doc);
    const replace = () => this.models.searchPostings.replaceOne({ _id }, fields, { upsert: true });
    await withMongoErrors(() =>
      replace().catch((error: unknown) => {
        // Another write inserted the postings between this upsert's lookup and its insert: replace them.
        if (!isDuplicateKeyError(error)) throw error;
        return replace();
      }),
    );
  }
}

function postingOf(messageId: string, doc: IndexedFields): SearchPostingDoc {
  return { _id: messageId, c: doc.chatId, s: doc.seq, t: trigramsOf(searchText(doc.body)) };
}

function matches(message: MessageRecord, search: MessageSearch): boolean {
  return (
    message.kind === 'text' &&
    message.deletedAt === null &&
    (search.senderId === null || message.senderId === search.senderId) &&
    (search.createdFrom === null || message.createdAt >= search.createdFrom) &&
    (search.createdBefore === null || message.createdAt < search.createdBefore) &&
    containsEveryTerm(searchText(message.body), search.terms)
  );
}
