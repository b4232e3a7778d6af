import type { Attachment, Message } from '@shared';

/** One picture of a chat, with the message that carries it. */
export interface ChatPicture {
  attachment: Attachment;
  messageId: string;
}

/** The pictures of a chat's messages as held, oldest first (a message's own in their order); deleted messages have none. */
export function chatPictures(messages: readonly Pick<Message, 'id' | 'deletedAt' | 'attachments'>[]): ChatPicture[] {
  return messages.flatMap((message) =>
    message.deletedAt !== null
      ? []
      : (message.attachments ?? []).filter((a) => a.kind === 'image').map((attachment) => ({ attachment, messageId: message.id })),
  );
}

/** Where the lightbox goes on a key: Left and Right step (stopping at the ends), Home and End jump; null for any other key. */
export function pictureStep(index: number, count: number, key: string): number | null {
  if (count === 0) return null;
  const target = { ArrowLeft: index - 1, ArrowRight: index + 1, Home: 0, End: count - 1 }[key];
  if (target === undefined) return null;
  return Math.max(0, Math.min(count - 1, target));
}
