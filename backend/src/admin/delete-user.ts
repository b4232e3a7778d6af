import type { AdminDeleteUserQuery } from '../../../shared/src/schemas/admin.js';
import { removeAttachments } from '../attachments/blob-cleanup.js';
import type { FileServices } from '../attachments/file-services.js';
import type { AdminActor } from './admin-actor.js';
import { assertNotSelf, endSessions, loadTargetUser, type AdminDeps, type UserTarget } from './admin-deps.js';

/**
 * Deletes an account for good. Its sessions end first. Its messages are either kept, with no
 * sender (clients show them as from a "deleted user"), or erased: `?messages=keep` (the
 * default) or `?messages=erase`; erased messages take their attachments along (records and the
 * blobs nothing else refers to), and uploads never attached go either way. Memberships, blocks and refresh tokens go with the account.
 * @throws AppError 400, 404, 403 when administrators delete themselves.
 */
export async function deleteUser(
  deps: AdminDeps & { files: FileServices },
  actor: AdminActor,
  { messages }: AdminDeleteUserQuery,
  { id: userId }: UserTarget,
): Promise<null> {
  assertNotSelf(actor, userId, 'delete');
  const user = await loadTargetUser(deps.storage, userId);
  await endSessions(deps, userId, 'deleted');
  await deps.storage.messages.detachSender(userId, messages);
  const uploads = await deps.storage.attachments.ofUploader(userId);
  await removeAttachments(deps, messages === 'erase' ? uploads : uploads.filter((upload) => upload.messageId === null));
  await deps.storage.users.delete(userId);
  await deps.audit.record(actor, 'user.delete', userId, { username: user.username, messages });
  deps.logger.info({ userId, messages }, 'admin deleted a user');
  return null;
}
