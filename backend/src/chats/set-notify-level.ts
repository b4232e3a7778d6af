import type { NotifySetting, SetNotifyRequest } from '../../../shared/src/schemas/mentions.js';
import { notBackTo, type Actor, type LiveUpdates } from '../live-updates.js';
import type { Storage } from '../storage/storage.js';
import { requireMember } from './membership-guard.js';

/**
 * The member chooses what they hear of a chat: `all`, `mentions` or `muted`. Stored on their
 * membership, so it follows them to every device; only they are told (their other sessions get
 * `chat:notify`), and only their own chat summaries carry it. Members only (`not_found` for
 * anyone else, as for a missing chat). Setting the level it already has stores nothing and tells
 * no one; the answer is the same.
 */
export async function setNotifyLevel(deps: { storage: Storage; live: LiveUpdates }, actor: Actor, request: SetNotifyRequest): Promise<NotifySetting> {
  const { member } = await requireMember(deps.storage, request.chatId, actor.userId);
  const setting = { chatId: request.chatId, level: request.level };
  if (member.notify === request.level) return setting;
  await deps.storage.members.update(request.chatId, actor.userId, { notify: request.level });
  deps.live.toUsers([actor.userId], 'chat:notify', setting, notBackTo(actor));
  return setting;
}
