import type { UpdateProfileRequest } from '../../../shared/src/schemas/profile.js';
import type { SelfUser } from '../../../shared/src/schemas/users.js';
import { AppError } from '../app-error.js';
import { avatarUrlOf } from '../attachments/avatar-url.js';
import { removeUnreferencedBlobs } from '../attachments/blob-cleanup.js';
import type { FileServices } from '../attachments/file-services.js';
import type { Actor, LiveUpdates } from '../live-updates.js';
import type { AttachmentRecord, Storage, UserPatch } from '../storage/storage.js';
import { toPublicUser, toSelfUser } from './user-views.js';

/**
 * The signed-in user changes their names, e-mail, gender or picture. `avatarAttachmentId` names
 * an upload of theirs made with `purpose=avatar` (validation_failed otherwise): its square WebP
 * becomes `avatarUrl`, and the upload record and its original go (the picture stays, under its
 * content address); null removes the picture. When a field others see changed,
 * every authenticated socket gets `user:updated`, so lists and chat titles follow at once.
 * E-mail addresses are not unique (registration does not make them so either).
 * @throws AppError 401 when the account is gone.
 */
export async function updateOwnProfile(
  deps: { storage: Storage; live: Pick<LiveUpdates, 'toEveryone'>; files: FileServices },
  actor: Actor,
  request: UpdateProfileRequest,
): Promise<SelfUser> {
  const before = await deps.storage.users.byId(actor.userId);
  if (!before) throw new AppError('unauthenticated', 'Sign in first');
  const patch: UserPatch = {};
  if (request.firstName !== undefined && request.firstName !== before.firstName) patch.firstName = request.firstName;
  if (request.lastName !== undefined && request.lastName !== before.lastName) patch.lastName = request.lastName;
  if (request.email !== undefined && request.email !== before.email) patch.email = request.email;
  if (request.gender !== undefined && request.gender !== before.gender) patch.gender = request.gender;
  const avatar = request.avatarAttachmentId ? await avatarUpload(deps.storage, actor, request.avatarAttachmentId) : null;
  if (avatar) patch.avatarUrl = avatarUrlOf(avatar.thumbKey!);
  if (request.avatarAttachmentId === null && before.avatarUrl !== null) patch.avatarUrl = null;
  if (patch.avatarUrl === before.avatarUrl) delete patch.avatarUrl;
  if (Object.keys(patch).length === 0) return toSelfUser(before);

  const user = await deps.storage.users.update(actor.userId, patch);
  if (avatar) {
    await deps.storage.attachments.delete([avatar.id]);
    await removeUnreferencedBlobs(deps, [avatar.blobKey]);
  }
  const seenByOthers =
    patch.firstName !== undefined || patch.lastName !== undefined || patch.gender !== undefined || patch.avatarUrl !== undefined;
  if (seenByOthers) deps.live.toEveryone('user:updated', toPublicUser(user));
  return toSelfUser(user);
}

/** The caller's own avatar upload. @throws AppError validation_failed otherwise. */
async function avatarUpload(storage: Storage, actor: Actor, id: string): Promise<AttachmentRecord> {
  const [record] = await storage.attachments.byIds([id]);
  if (!record || record.uploaderId !== actor.userId || record.purpose !== 'avatar' || !record.thumbKey) {
    throw new AppError('validation_failed', 'Name a picture you uploaded with purpose=avatar', { avatarAttachmentId: 'must be your avatar upload' });
  }
  return record;
}
