import type { AttachmentUrl, AttachmentUrls, AttachmentUrlsRequest } from '../../../shared/src/schemas/attachments.js';
import type { Actor } from '../live-updates.js';
import type { AttachmentRecord, Storage } from '../storage/storage.js';
import type { FileUrlSigner } from './signed-urls.js';

type Deps = { storage: Storage; files: { signer: FileUrlSigner } };

/**
 * Signed download URLs for attachments of messages in chats the caller is a member of now.
 * Ids the caller may not see (unknown, not attached to a message, in a chat they are not a
 * member of, of a deleted message) are left out of the answer rather than refused, so that no
 * answer tells an outsider whether an id exists, and one gone attachment does not spoil a page.
 */
export async function attachmentUrls(deps: Deps, actor: Actor, request: AttachmentUrlsRequest): Promise<AttachmentUrls> {
  const { storage } = deps;
  const records = (await storage.attachments.byIds([...new Set(request.attachmentIds)])).filter(
    (record): record is AttachmentRecord & { messageId: string; chatId: string } => record.messageId !== null && record.chatId !== null,
  );
  const chatIds = [...new Set(records.map((record) => record.chatId))];
  const [memberships, messages] = await Promise.all([
    Promise.all(chatIds.map((chatId) => storage.members.get(chatId, actor.userId))),
    storage.messages.byIds(records.map((record) => record.messageId)),
  ]);
  const memberOf = new Set(chatIds.filter((_, index) => memberships[index] !== null));
  const live = new Set(messages.filter((message) => message.deletedAt === null).map((message) => message.id));
  const byId = new Map(records.map((record) => [record.id, record]));
  const urls: AttachmentUrl[] = [];
  for (const id of request.attachmentIds) {
    const record = byId.get(id);
    if (!record || !memberOf.has(record.chatId) || !live.has(record.messageId)) continue;
    byId.delete(id);
    urls.push(urlsOf(deps.files.signer, record, actor.userId));
  }
  return { urls };
}

function urlsOf(signer: FileUrlSigner, record: AttachmentRecord, userId: string): AttachmentUrl {
  const original = signer.sign(record.id, 'original', userId);
  const url: AttachmentUrl = { id: record.id, original: original.url, expiresAt: new Date(original.exp * 1000).toISOString() };
  if (record.previewKey) url.preview = signer.sign(record.id, 'preview', userId).url;
  if (record.thumbKey) url.thumb = signer.sign(record.id, 'thumb', userId).url;
  return url;
}
