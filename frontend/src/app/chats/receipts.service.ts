import { Injectable, inject } from '@angular/core';
import type { ChatSummary, Message, Receipt } from '@shared';
import { Connection } from '../connection/connection.service';
import { SessionStore } from '../session/session-store';
import { unseenBelow, unseenMentionsBelow } from '../reading/state/reading-position';
import type { ChatMessage } from '../timeline/state/chat-message';
import { applyReceipt, isReadUpTo, markChatRead } from './state/chats';
import { newestKnownMessage } from './state/newest-message';

/** Receipts both ways: ours (received, read) to the server, and the members' as they come in. */
@Injectable()
export class ReceiptsService {
  private readonly connection = inject(Connection);
  private readonly store = inject(SessionStore);

  /** A member received or read messages: their ticks move. */
  onReceipt(receipt: Receipt): void {
    this.store.update((state) => ({ ...state, chats: applyReceipt(state.chats, receipt, state.me.id) }));
  }

  /** Tells the server we received a message. */
  delivered(message: Message): void {
    this.connection.request('chat:delivered', { chatId: message.chatId, messageId: message.id }).catch(() => undefined);
  }

  /** Tells the server we received the newest message of every chat (or of `chatIds`) we had not confirmed. */
  confirmDeliveries(chatIds?: readonly string[]): void {
    const { chats, timelines, me } = this.store.snapshot();
    const all = chatIds ? chatIds.map((id) => chats.byId[id]).filter((c): c is ChatSummary => !!c) : Object.values(chats.byId);
    for (const chat of all) {
      const newest = newestKnownMessage(chat, timelines[chat.id]);
      const mine = chat.members.find((m) => m.userId === me.id);
      if (newest && newest.senderId !== me.id && (!mine || mine.deliveredSeq < newest.seq)) this.delivered(newest);
    }
  }

  /**
   * The reader has seen the chat up to `seen` (the newest message that was on screen in a
   * focused, visible window): `chat:read` names it, and the unread count keeps what lies after it.
   */
  markSeen(seen: ChatMessage): void {
    const { chats, timelines, me } = this.store.snapshot();
    const chat = chats.byId[seen.chatId];
    if (!chat || seen.local || seen.seq <= 0 || this.connection.state() !== 'online') return;
    const mine = chat.members.find((m) => m.userId === me.id);
    const readSeq = Math.max(mine?.readSeq ?? 0, seen.seq);
    const list = timelines[seen.chatId]?.list ?? [];
    const unreadAfter = unseenBelow(list, readSeq, me.id);
    const mentionsAfter = unseenMentionsBelow(list, readSeq, me.id);
    if (isReadUpTo(chat, me.id, seen.seq, unreadAfter) && chat.unreadMentionCount <= mentionsAfter) return;
    this.store.update((state) => ({
      ...state,
      chats: markChatRead(state.chats, seen.chatId, state.me.id, seen.seq, unreadAfter, mentionsAfter),
    }));
    if (mine && mine.readSeq >= seen.seq) return;
    this.connection.request('chat:read', { chatId: seen.chatId, upTo: seen.id }).catch(() => undefined);
  }
}
