import { z } from 'zod';
import { idSchema } from './common.js';
import { named } from './wire-registry.js';

export { MENTION_TOKEN, mentionToken, mentionedIds } from '../mention-tokens.js';

/**
 * Mentions. A message body names a user as the token `<@userId>` (the user's id, a ULID), so a
 * mention follows renames: clients show the token as `@` and the user's current name. The
 * server reads the tokens of every text message it stores (send and edit) and keeps, as the
 * message's `mentions`, the ids of the chat's members at that moment, the sender left out. A
 * token naming anyone else stays in the body as text and has no effect: no highlight, no
 * unread mention, no notification.
 */


/**
 * What a member is told about a chat, chosen per member and per chat: `all` messages, only
 * `mentions` of them (and the unread badge counts only those), or nothing at all (`muted`: no
 * badge, no notification). Only ever shown to that member.
 */
export const NOTIFY_LEVELS = ['all', 'mentions', 'muted'] as const;
export const notifyLevelSchema = z.enum(NOTIFY_LEVELS, { message: 'must be all, mentions or muted' });
export type NotifyLevel = z.output<typeof notifyLevelSchema>;

/** `chat:notify`: the caller's notification level for one chat. */
export const setNotifySchema = z.strictObject({ chatId: idSchema, level: notifyLevelSchema });
export type SetNotifyRequest = z.infer<typeof setNotifySchema>;

/** The answer to `chat:notify`, and the `chat:notify` event the caller's other sessions get. */
export const notifySettingSchema = named(
  'NotifySetting',
  z.strictObject({ chatId: z.string(), level: notifyLevelSchema }),
);
export type NotifySetting = z.output<typeof notifySettingSchema>;
