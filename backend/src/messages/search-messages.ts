import { DEFAULT_PAGE_SIZE } from '../../../shared/src/schemas/common.js';
import type { SearchHit, SearchMessagesRequest, SearchResult } from '../../../shared/src/schemas/search.js';
import { requireMember } from '../chats/membership-guard.js';
import type { Actor } from '../live-updates.js';
import { codePointLength, containsEveryTerm, INDEXED_TERM_LENGTH, searchText } from '../storage/search-text.js';
import type { ChatRecord, MessageRecord, Storage } from '../storage/storage.js';
import { decodeCursor, encodeCursor, queryDigest } from './search-cursor.js';
import { parseSearchQuery, type ParsedSearch } from './search-query.js';
import { snippetOf } from './search-snippet.js';

/**
 * A query with no term as long as the index's shortest (3 characters) is answered by scanning
 * recent history instead: the newest SCAN_MESSAGES_PER_CHAT messages of each of the caller's
 * SCAN_CHATS most recently active chats (10,000 messages at most).
 */
export const SCAN_CHATS = 50;
export const SCAN_MESSAGES_PER_CHAT = 200;

interface Scope {
  chatIds: string[];
  /** The chats already read, by id. */
  chats: Map<string, ChatRecord>;
}

/**
 * Message search: the messages the caller may read that match the query, newest first, a page at
 * a time. The caller may read a chat's messages while a member of it, its whole history (the
 * rule readHistory applies: a member reads every message, including those from before joining),
 * so the chats searched are those the caller is a member of at the moment of the request: a chat
 * left or removed from stops matching at once. Notices and deleted messages never match; an
 * edited message matches its new text only (the stores keep their index in step with the
 * messages). With `chatId`, only that chat (members only, as history: `not_found` otherwise).
 */
export async function searchMessages(deps: { storage: Storage }, actor: Actor, request: SearchMessagesRequest): Promise<SearchResult> {
  const { storage } = deps;
  const parsed = parseSearchQuery(request.query);
  const limit = request.limit ?? DEFAULT_PAGE_SIZE;
  const digest = queryDigest(parsed, request.chatId);
  const indexed = parsed.terms.some((term) => codePointLength(term) >= INDEXED_TERM_LENGTH);
  const after = request.before === undefined ? null : decodeCursor(request.before, digest, indexed ? 'i' : 's');

  const [scope, senderId] = await Promise.all([scopeOf(storage, actor, request.chatId, parsed), senderOf(storage, parsed)]);
  if (scope.chatIds.length === 0 || senderId === undefined) return { hits: [], next: null };

  const filters = { senderId, createdFrom: parsed.createdFrom, createdBefore: parsed.createdBefore };
  let messages: MessageRecord[];
  let next: string | null;
  if (indexed) {
    const page = await storage.messages.search({ chatIds: scope.chatIds, terms: parsed.terms, ...filters, after, limit });
    messages = page.messages;
    next = page.next === null ? null : encodeCursor(digest, 'i', page.next);
  } else {
    const recent = await scanRecent(storage, scope, (message) => matches(message, parsed.terms, filters));
    const remaining = after === null ? recent : recent.filter((message) => message.id < after);
    messages = remaining.slice(0, limit);
    next = remaining.length > limit ? encodeCursor(digest, 's', messages[messages.length - 1]!.id) : null;
  }
  return { hits: await hitsOf(storage, actor, scope, messages, parsed.terms), next };
}

/** The chats to search: the caller's, or the one asked for, narrowed to the group `in:#name` names. */
async function scopeOf(storage: Storage, actor: Actor, chatId: string | undefined, parsed: ParsedSearch): Promise<Scope> {
  const chats = new Map<string, ChatRecord>();
  let chatIds: string[];
  if (chatId !== undefined) {
    const { chat } = await requireMember(storage, chatId, actor.userId);
    chats.set(chat.id, chat);
    chatIds = [chat.id];
  } else {
    chatIds = await storage.members.chatIdsOfUser(actor.userId);
  }
  if (parsed.in === null) return { chatIds, chats };
  await readChats(storage, chats, chatIds);
  const wanted = searchText(parsed.in);
  const named = chatIds.filter((id) => {
    const chat = chats.get(id);
    return chat?.kind === 'group' && chat.name !== null && searchText(chat.name) === wanted;
  });
  return { chatIds: named, chats };
}

/** The sender `from:@name` names: null without the filter, undefined when nobody has that name (nothing matches). */
async function senderOf(storage: Storage, parsed: ParsedSearch): Promise<string | null | undefined> {
  if (parsed.from === null) return null;
  const user = await storage.users.byUsername(parsed.from);
  return user?.id;
}

async function readChats(storage: Storage, chats: Map<string, ChatRecord>, ids: readonly string[]): Promise<void> {
  const missing = [...new Set(ids)].filter((id) => !chats.has(id));
  const read = await Promise.all(missing.map((id) => storage.chats.byId(id)));
  for (const chat of read) if (chat) chats.set(chat.id, chat);
}

interface Filters {
  senderId: string | null;
  createdFrom: string | null;
  createdBefore: string | null;
}

function matches(message: MessageRecord, terms: readonly string[], filters: Filters): boolean {
  return (
    message.kind === 'text' &&
    message.deletedAt === null &&
    (filters.senderId === null || message.senderId === filters.senderId) &&
    (filters.createdFrom === null || message.createdAt >= filters.createdFrom) &&
    (filters.createdBefore === null || message.createdAt < filters.createdBefore) &&
    containsEveryTerm(searchText(message.body), terms)
  );
}

/** The short-query scan: matching messages among the recent history of the most recently active chats, newest (highest id) first. */
async function scanRecent(storage: Storage, scope: Scope, keep: (message: MessageRecord) => boolean): Promise<MessageRecord[]> {
  await readChats(storage, scope.chats, scope.chatIds);
  const recent = scope.chatIds
    .map((id) => scope.chats.get(id))
    .filter((chat): chat is ChatRecord => chat !== undefined)
    .sort((x, y) => (x.lastActivityAt < y.lastActivityAt ? 1 : x.lastActivityAt > y.lastActivityAt ? -1 : 0))
    .slice(0, SCAN_CHATS);
  const pages = await Promise.all(recent.map((chat) => storage.messages.before(chat.id, null, SCAN_MESSAGES_PER_CHAT)));
  return pages
    .flat()
    .filter(keep)
    .sort((x, y) => (x.id < y.id ? 1 : x.id > y.id ? -1 : 0));
}

async function hitsOf(storage: Storage, actor: Actor, scope: Scope, messages: MessageRecord[], terms: readonly string[]): Promise<SearchHit[]> {
  await readChats(storage, scope.chats, messages.map((message) => message.chatId));
  const directIds = [...new Set(messages.map((message) => message.chatId))].filter((id) => scope.chats.get(id)?.kind === 'direct');
  const peers = new Map<string, string | null>();
  await Promise.all(
    directIds.map(async (id) => {
      const members = await storage.members.list(id);
      peers.set(id, members.find((member) => member.userId !== actor.userId)?.userId ?? null);
    }),
  );
  return messages.map((message) => {
    const chat = scope.chats.get(message.chatId);
    const direct = chat?.kind !== 'group';
    return {
      messageId: message.id,
      chatId: message.chatId,
      chatKind: direct ? 'direct' : 'group',
      chatName: direct ? null : (chat?.name ?? null),
      peerId: direct ? (peers.get(message.chatId) ?? null) : null,
      seq: message.seq,
      senderId: message.senderId,
      createdAt: message.createdAt,
      editedAt: message.editedAt,
      snippet: snippetOf(message.body, terms),
    };
  });
}
