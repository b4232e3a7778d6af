import { Injectable, inject } from '@angular/core';
import type { ChatVisibility, NotifyLevel, OpenedChat, RoomSearchHit, UpdateGroupRequest } from '@shared';
import { Connection } from '../connection/connection.service';
import { SessionStore } from '../session/session-store';
import { chatOpened, chatRemoved } from '../session/state/session-state';
import { setNotifyLevel, upsertChat } from './state/chats';

/** What the user does with chats: open, create, join, change, leave, delete. */
@Injectable()
export class ChatActions {
  private readonly connection = inject(Connection);
  private readonly store = inject(SessionStore);

  /** Opens (or creates) the direct chat with a user and loads its latest messages. */
  async openDirect(userId: string): Promise<string> {
    const known = this.store.directChatWith(userId);
    if (known && this.store.timelines()[known.id]?.loaded) return known.id;
    return this.absorb(await this.connection.request('chat:open', { userId }));
  }

  /** Makes sure a chat's latest messages are loaded. */
  async openChat(chatId: string): Promise<void> {
    if (this.store.timelines()[chatId]?.loaded) return;
    this.absorb(await this.connection.request('chat:get', { chatId }));
  }

  /** A private group for the people picked, or a public room (optionally with a password) anyone signed in can find. */
  async createGroup(name: string, memberIds: readonly string[], visibility: ChatVisibility, password?: string): Promise<string> {
    const { chat } = await this.connection.request('group:create', {
      name,
      memberIds: [...memberIds],
      visibility,
      ...(password && visibility === 'public' ? { password } : {}),
    });
    this.store.update((state) => ({ ...state, chats: upsertChat(state.chats, chat) }));
    return chat.id;
  }

  async searchRooms(query: string): Promise<RoomSearchHit[]> {
    const { rooms } = await this.connection.request('group:search', { query });
    return rooms;
  }

  async joinRoom(chatId: string, password?: string): Promise<string> {
    return this.absorb(await this.connection.request('group:join', { chatId, ...(password ? { password } : {}) }));
  }

  async updateGroup(request: UpdateGroupRequest): Promise<void> {
    const { chat } = await this.connection.request('group:update', request);
    this.store.update((state) => ({ ...state, chats: upsertChat(state.chats, chat) }));
  }

  async leaveGroup(chatId: string): Promise<void> {
    await this.connection.request('group:leave', { chatId });
    this.store.update((state) => chatRemoved(state, chatId));
  }

  /** What the user hears of a chat (all, mentions, muted); stored on the server, so every device follows. */
  async setNotifyLevel(chatId: string, level: NotifyLevel): Promise<void> {
    const setting = await this.connection.request('chat:notify', { chatId, level });
    this.store.update((state) => ({ ...state, chats: setNotifyLevel(state.chats, setting.chatId, setting.level) }));
  }

  /** Hides a chat from the user's list until a new message arrives. */
  async deleteChat(chatId: string): Promise<void> {
    await this.connection.request('chat:delete', { chatId });
    this.store.update((state) => chatRemoved(state, chatId));
  }

  /** Takes in a chat the server sent with its latest page. */
  absorb(opened: OpenedChat): string {
    this.store.update((state) => chatOpened(state, opened.chat, opened.history));
    return opened.chat.id;
  }
}
