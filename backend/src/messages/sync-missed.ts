import { DEFAULT_PAGE_SIZE } from '../../../shared/src/schemas/common.js';
import type { MessageChange } from '../../../shared/src/schemas/message-changes.js';
import type { SyncRequest, SyncResult } from '../../../shared/src/schemas/sync.js';
import { listChats } from '../chats/list-chats.js';
import type { Actor } from '../live-updates.js';
import type { ChangeRecord, MessageRecord, Storage } from '../storage/storage.js';
import { historyPage } from '../timeline/history-page.js';
import { messageViews, toMessageChange } from '../timeline/message-view.js';

/** At most this many messages per chat in one sync answer. */
export const SYNC_PAGE_SIZE = 200;
/** At most this many change rows per chat are read for one sync answer. */
export const SYNC_CHANGES_PAGE_SIZE = 200;

type ChatSync = SyncResult['chats'][string];

/**
 * What a client missed while it was away. For every chat it names (with the id of the last
 * message it has), the messages after that one, oldest first, at most 200; `hasMore` then means
 * "sync again from the last one". For a chat named with null, or with an id the chat does not
 * know, it gets the latest page instead, and `hasMore` means older messages exist (page back with
 * `chat:history`). Chats the user is not a member of are simply absent from the answer.
 * The chat list comes along, so chats created meanwhile show up too.
 *
 * Changes (edits, deletes, reactions): for a chat named in `changes` with the change position the
 * client has applied, the changes after it to the messages the client holds (seq up to its last
 * message; newer ones come in `messages`, as they are now), each message once, as it is now, in
 * the order of its newest change of the page. At most 200 change rows are read per chat and
 * answer: `hasMoreChanges` then means "sync again from `changeSeq`". `changeSeq` is the position
 * the client has reached once it applied the answer. A chat not named in `changes` (or whose
 * messages came as the latest page) gets no changes, and `changeSeq` = the chat's current
 * change position, read before its messages, so no change can fall between the two.
 */
export async function syncMissed(deps: { storage: Storage }, actor: Actor, request: SyncRequest): Promise<SyncResult> {
  const { storage } = deps;
  const mine = new Set(await storage.members.chatIdsOfUser(actor.userId));
  const chats: SyncResult['chats'] = {};
  for (const [chatId, lastId] of Object.entries(request.chats)) {
    if (!mine.has(chatId)) continue;
    const synced = await syncChat(storage, chatId, lastId, request.changes?.[chatId]);
    if (synced) chats[chatId] = synced;
  }
  const { chats: summaries } = await listChats(deps, actor);
  return { chats, summaries };
}

async function syncChat(storage: Storage, chatId: string, lastId: string | null, appliedChangeSeq: number | undefined): Promise<ChatSync | null> {
  // The change position first: whatever changes after it is read again later, never skipped.
  const [chat, last] = await Promise.all([storage.chats.byId(chatId), lastId === null ? null : storage.messages.byId(lastId)]);
  if (!chat) return null;
  const noChanges = { changes: [], changeSeq: chat.lastChangeSeq, hasMoreChanges: false };
  if (!last || last.chatId !== chatId) return { ...(await historyPage(storage, chatId, null, DEFAULT_PAGE_SIZE)), ...noChanges };
  if (appliedChangeSeq === undefined) {
    const { messages, hasMore } = await newMessages(storage, chatId, last.seq);
    return { messages: await messageViews(storage, messages), hasMore, ...noChanges };
  }

  // Change rows before messages: a change stored after the rows were read is past the answer's
  // changeSeq, and the messages (read after) show it or an older state that the next sync fixes.
  const rows = await storage.messages.changesAfter(chatId, appliedChangeSeq, SYNC_CHANGES_PAGE_SIZE + 1);
  const hasMoreChanges = rows.length > SYNC_CHANGES_PAGE_SIZE;
  const covered = hasMoreChanges ? rows.slice(0, SYNC_CHANGES_PAGE_SIZE) : rows;
  const newestRows = newestRowPerMessage(covered);
  const [{ messages, hasMore }, changed] = await Promise.all([
    newMessages(storage, chatId, last.seq),
    newestRows.size > 0 ? storage.messages.byIds([...newestRows.keys()]) : Promise.resolve([]),
  ]);
  // Messages after the client's last one come whole in `messages` (or in a later sync page).
  const held = changed.filter((message) => message.chatId === chatId && message.seq <= last.seq);
  held.sort((a, b) => newestRows.get(a.id)!.changeSeq - newestRows.get(b.id)!.changeSeq);
  const views = await messageViews(storage, [...messages, ...held]);
  const changes: MessageChange[] = views.slice(messages.length).map((view) => {
    const row = newestRows.get(view.id)!;
    // A tombstone is a delete, whichever change a racing delete overtook last.
    return toMessageChange(chatId, row.changeSeq, view.deletedAt !== null ? 'delete' : row.kind, view);
  });
  const lastCovered = covered.at(-1)?.changeSeq ?? 0;
  const changeSeq = hasMoreChanges ? lastCovered : Math.max(lastCovered, chat.lastChangeSeq);
  return { messages: views.slice(0, messages.length), hasMore, changes, changeSeq, hasMoreChanges };
}

async function newMessages(storage: Storage, chatId: string, afterSeq: number): Promise<{ messages: MessageRecord[]; hasMore: boolean }> {
  const rows = await storage.messages.after(chatId, afterSeq, SYNC_PAGE_SIZE + 1);
  return { messages: rows.slice(0, SYNC_PAGE_SIZE), hasMore: rows.length > SYNC_PAGE_SIZE };
}

/** messageId → its newest change row among these (rows come in changeSeq order). */
function newestRowPerMessage(rows: readonly ChangeRecord[]): Map<string, ChangeRecord> {
  const newest = new Map<string, ChangeRecord>();
  for (const row of rows) newest.set(row.messageId, row);
  return newest;
}
