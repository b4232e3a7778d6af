import type { ChatSummary, Message } from '@shared';
import type { ChatMessage } from '../../timeline/state/chat-message';
import { lastStoredMessage } from '../../timeline/state/merge-messages';
import type { Timeline } from '../../timeline/state/timelines';

/** The newest message the client knows of in a chat: the last one it holds, or the summary's. */
export function newestKnownMessage(chat: ChatSummary, timeline: Timeline | undefined): ChatMessage | Message | null {
  const stored = lastStoredMessage(timeline?.list ?? []);
  return stored && (!chat.lastMessage || stored.seq >= chat.lastMessage.seq) ? stored : chat.lastMessage;
}
