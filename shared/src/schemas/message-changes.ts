import { z } from 'zod';
import { idSchema } from './common.js';
import { messageBodySchema, messageSchema } from './messages.js';
import { named } from './wire-registry.js';

/**
 * Changes to messages a client may already hold: edits, deletes and reactions. Each one takes
 * the chat's next change position (`changeSeq`, 1, 2, 3… per chat, apart from the messages'
 * `seq`), and its live event carries it, so a client that sees a gap knows it missed a change
 * and catches up with `sync`, as it does for messages.
 */

const messageRefShape = { chatId: idSchema, messageId: idSchema };

/** The sender replaces the body of their own text message. */
export const editMessageSchema = z.strictObject({ ...messageRefShape, body: messageBodySchema });
export type EditMessageRequest = z.infer<typeof editMessageSchema>;

/** The sender deletes their own message, or a group admin deletes any message of the group. */
export const deleteMessageSchema = z.strictObject(messageRefShape);
export type DeleteMessageRequest = z.infer<typeof deleteMessageSchema>;

/** At most this many UTF-8 bytes in one emoji (the longest ZWJ sequences are about 35). */
export const MAX_EMOJI_BYTES = 64;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const pictographic = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;
/** Letters, digits and punctuation have no place in an emoji (keycaps such as 1️⃣ aside). */
const text = /[\p{L}\p{N}\p{P}\s]/u;
const keycap = /^[0-9#*]\uFE0F?\u20E3$/u;
/** Zero-width joiners, the emoji variation selector and tag characters (subdivision flags): parts of an emoji, not text. */
const joinersAndSelectors = /\u200D|\uFE0F|[\u{E0020}-\u{E007F}]/gu;

/** Whether `value` is exactly one emoji: one grapheme, pictographic (or a flag, or a keycap). */
export function isSingleEmoji(value: string): boolean {
  if (value.length === 0 || new TextEncoder().encode(value).length > MAX_EMOJI_BYTES) return false;
  const segments = [...graphemes.segment(value)];
  if (segments.length !== 1) return false;
  if (keycap.test(value)) return true;
  return pictographic.test(value) && !text.test(value.replace(joinersAndSelectors, ''));
}

export const emojiSchema = z.string().refine(isSingleEmoji, 'must be a single emoji');

/**
 * Puts the user's reaction with this emoji on the message (`on: true`) or takes it off (`false`).
 * Saying the wanted state, rather than "toggle", makes a retry harmless.
 */
export const reactSchema = z.strictObject({ ...messageRefShape, emoji: emojiSchema, on: z.boolean() });
export type ReactRequest = z.infer<typeof reactSchema>;

/** Which change a `message:changed` event or a sync entry reports. */
export const CHANGE_KINDS = ['edit', 'delete', 'react'] as const;
export const changeKindSchema = z.enum(CHANGE_KINDS);
export type ChangeKind = z.output<typeof changeKindSchema>;

/**
 * A change to a message: the chat's change position it took, and the message as it is after it
 * (the whole message, so applying it is "keep the state with the higher changeSeq").
 */
export const messageChangeSchema = named(
  'MessageChange',
  z.strictObject({
    chatId: z.string(),
    changeSeq: z.number().int(),
    kind: changeKindSchema,
    message: messageSchema,
  }),
);
export type MessageChange = z.output<typeof messageChangeSchema>;
