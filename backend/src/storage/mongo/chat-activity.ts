import type { ChatRecord, MessageRecord } from '../storage.js';
import { docToChat, type ChatDoc } from './chat-model.js';
import { withMongoErrors } from './mongo-errors.js';
import type { MongoModels } from './mongo-models.js';
import { changeIdOf, type MessageChangeDoc } from './message-change-model.js';
import { docToMessage, type MessageDoc } from './message-model.js';

export interface ChatWithNewestMessage {
  chat: ChatRecord;
  newestMessage: MessageRecord | null;
}

/**
 * Chats as readers should see them: lastSeq and lastActivityAt are the newer of what the chat
 * document says and what its newest message says. Appending stores the message first and
 * moves the chat's fields after (see MongoMessageStore.append); on FerretDB 1.x that second
 * write can lose a race with another write to the same chat, and on either server it never
 * happens if the process dies between the two. The message is the truth. The same holds for
 * lastChangeSeq and the chat's newest change (MongoMessageStore.change).
 * Two indexed lookups per chat, on (chatId, seq) and (chatId, changeSeq) from the end.
 */
export async function withNewestMessages(models: MongoModels, docs: ChatDoc[]): Promise<ChatWithNewestMessage[]> {
  const [newest, newestChanges] = await withMongoErrors(() =>
    Promise.all([
      Promise.all(docs.map((doc) => models.messages.findOne({ chatId: doc._id }).sort({ seq: -1 }).lean<MessageDoc>())),
      Promise.all(docs.map((doc) => newestChangeSeq(models, doc._id, doc.lastChangeSeq ?? 0))),
    ]),
  );
  return docs.map((doc, index) => {
    const message = newest[index] ? docToMessage(newest[index]) : null;
    const chat = docToChat(doc);
    chat.lastChangeSeq = Math.max(chat.lastChangeSeq, newestChanges[index] ?? 0);
    if (message !== null) {
      chat.lastSeq = Math.max(chat.lastSeq, message.seq);
      if (message.createdAt > chat.lastActivityAt) chat.lastActivityAt = message.createdAt;
    }
    return { chat, newestMessage: message };
  });
}

/** How many positions past the known one are looked up by _id before asking the (chatId, changeSeq) index. */
const PROBE_STEPS = 3;

/**
 * The changeSeq of the chat's newest change in the log; 0 when none. `known` is a position known
 * to be taken (the chat's lastChangeSeq, which lags at most by the changes in flight): positions
 * are gap-free, and one is claimed only once the one before exists, so the first free _id after
 * it is the end of the log. Far behind, the index answers instead.
 */
export async function newestChangeSeq(models: MongoModels, chatId: string, known: number): Promise<number> {
  let newest = known;
  for (let step = 0; step < PROBE_STEPS; step += 1) {
    if ((await models.messageChanges.exists({ _id: changeIdOf(chatId, newest + 1) })) === null) return newest;
    newest += 1;
  }
  const row = await models.messageChanges
    .findOne({ chatId }, { changeSeq: 1 })
    .sort({ changeSeq: -1 })
    .lean<Pick<MessageChangeDoc, 'changeSeq'>>();
  return Math.max(newest, row?.changeSeq ?? 0);
}

/** The newest activity first; ids break ties, newest id first, as the index does. */
export function byNewestActivity(a: { chat: ChatRecord }, b: { chat: ChatRecord }): number {
  if (a.chat.lastActivityAt !== b.chat.lastActivityAt) return a.chat.lastActivityAt > b.chat.lastActivityAt ? -1 : 1;
  return a.chat.id > b.chat.id ? -1 : a.chat.id < b.chat.id ? 1 : 0;
}
