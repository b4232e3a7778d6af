import { HttpErrorResponse } from '@angular/common/http';
import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import { Subject, firstValueFrom, timeout } from 'rxjs';
import type {
  AuthTokens,
  ChatSummary,
  ChatVisibility,
  HistoryPage,
  Message,
  OpenedChat,
  PublicUser,
  Receipt,
  RegisterRequest,
  RoomSearchHit,
  SelfUser,
  UpdateGroupRequest,
  UserWithPresence,
} from '@shared';
// Straight from its file: importing a value through '@shared' would evaluate the zod schemas in the
// first chunk, before zod-config.ts has switched zod's eval probe off (the CSP forbids eval).
import { newClientId } from '@shared/client-id';
import { AccessTokenStore } from './access-token-store';
import { AuthApiService } from './auth-api.service';
import { pendingMessage, type ChatMessage } from './chat-message';
import { fullName } from './full-name';
import { firstStoredMessage, lastStoredMessage, mergeMessages } from './merge-messages';
import { advanceWatermark, hasHoleAbove, newestStoredSeq, watermarkMessage } from './message-watermark';
import { refreshDelayMs } from './refresh-delay';
import { REFRESH_LOCK_NAME, withRefreshLock } from './refresh-lock';
import { SocketFactory, type ChatSocket } from './socket-factory';
import {
  RequestError,
  socketRequest,
  type RequestEvent,
  type RequestPayload,
  type RequestResult,
} from './socket-request';
import { messageReceipts, type MessageReceipts, type TickState } from './tick-state';

export type ConnectionState = 'signed-out' | 'connecting' | 'online' | 'offline';

export interface ChatMessages {
  list: readonly ChatMessage[];
  /** Older messages exist on the server. */
  hasMore: boolean;
  /** History was fetched; otherwise `list` only buffers live messages until the chat is opened. */
  loaded: boolean;
  /**
   * Once loaded: the highest seq up to which `list` holds every message, from the oldest page
   * loaded on. Catching up starts from here, so a message that never arrived live is fetched.
   */
  watermark: number;
}

interface OutboxEntry {
  chatId: string;
  clientId: string;
  body: string;
  attempts: number;
}

/** How long the client waits and repeats; exported so specs can drive the clock. */
export const CHAT_TIMING = {
  ackTimeoutMs: 10_000,
  /** `typing: false` goes out after this long without a keystroke. */
  typingIdleMs: 2_000,
  /** While typing goes on, `typing: true` is repeated at most this often. */
  typingRepeatMs: 3_000,
  /** Someone else's typing line disappears if no update arrives within this time. */
  remoteTypingMs: 6_000,
  /** Back-off before resending after the server said it is busy. */
  retryBusyMs: 2_000,
  /** Retry of a failed token refresh when the server could not be reached. */
  refreshRetryMs: 10_000,
  /** A refresh holds a lock shared by all tabs; it must end even if the server never answers. */
  refreshTimeoutMs: 15_000,
  /** A live message past a hole waits this long for the missing ones before asking the server. */
  holeFillDelayMs: 1_000,
  pageSize: 10,
} as const;

const RETRYABLE_CODES = new Set(['timeout', 'rate_limited', 'store_unavailable', 'internal']);
const MAX_SYNC_ROUNDS = 10;

/**
 * The client's single source of truth: who is signed in, the one socket.io connection, and
 * everything it brings (users, chats, messages, receipts, typing). Components read signals
 * and call methods; nothing else talks to the socket.
 */
@Injectable({ providedIn: 'root' })
export class MainService {
  private readonly authApi = inject(AuthApiService);
  private readonly tokens = inject(AccessTokenStore);
  private readonly socketFactory = inject(SocketFactory);
  private readonly router = inject(Router);
  private readonly refreshLockName = inject(REFRESH_LOCK_NAME);

  private readonly me = signal<SelfUser | null>(null);
  private readonly connectionState = signal<ConnectionState>('signed-out');
  private readonly userMap = signal<ReadonlyMap<string, UserWithPresence>>(new Map());
  private readonly chatMap = signal<Readonly<Record<string, ChatSummary>>>({});
  private readonly messageMap = signal<Readonly<Record<string, ChatMessages>>>({});
  private readonly typingMap = signal<Readonly<Record<string, readonly string[]>>>({});
  private readonly blocked = signal<ReadonlySet<string>>(new Set());
  private readonly olderLoading = signal<ReadonlySet<string>>(new Set());

  /** The signed-in user, or null. */
  readonly currentUser = this.me.asReadonly();
  readonly connection = this.connectionState.asReadonly();
  /** Everyone but the signed-in user: online first, then by name. */
  readonly users = computed(() => {
    const myId = this.me()?.id;
    return [...this.userMap().values()]
      .filter((u) => u.id !== myId)
      .sort((a, b) => Number(b.online) - Number(a.online) || fullName(a).localeCompare(fullName(b)));
  });
  /** The user's chats, most recent activity first. */
  readonly chats = computed(() =>
    Object.values(this.chatMap()).sort((a, b) => b.lastActivityAt.localeCompare(a.lastActivityAt)),
  );
  readonly messages = this.messageMap.asReadonly();
  /** chatId → ids of the other members typing there now. */
  readonly typing = this.typingMap.asReadonly();
  readonly blockedUserIds = this.blocked.asReadonly();
  readonly loadingOlder = this.olderLoading.asReadonly();
  readonly totalUnread = computed(() => this.chats().reduce((sum, c) => sum + c.unreadCount, 0));

  /** Messages from other people as they arrive live (not the ones a sync catches up on). */
  readonly incomingMessages = new Subject<Message>();
  /** Chats that disappeared: left, removed, deleted. */
  readonly removedChats = new Subject<string>();

  private socket: ChatSocket | null = null;
  private connectionAbort = new AbortController();
  private connectedBefore = false;
  private unauthorizedInRow = 0;
  private serverDisconnects = 0;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<boolean> | null = null;
  /** Bumped whenever a session ends, so late answers for an old session are ignored. */
  private sessionGeneration = 0;
  private restoring: Promise<boolean> | null = null;
  private reloadUsersTimer: ReturnType<typeof setTimeout> | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly outbox = new Map<string, OutboxEntry>();
  private pumping = false;
  private readonly ownTyping = new Map<string, { lastSentAt: number; idle: ReturnType<typeof setTimeout> }>();
  private readonly remoteTypingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** chatId → the pending request for messages missing below a live one. */
  private readonly holeTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Chats with a `sync` under way; their holes wait for its answer. */
  private readonly syncingChats = new Set<string>();
  /** chatId → the newest seq in the server's last summary of the chat: its unread count covers up to there. */
  private readonly summarizedSeq = new Map<string, number>();
  private readonly onBrowserOffline = () => this.goOffline();
  private readonly onBrowserOnline = () => this.goOnline();

  constructor() {
    inject(DestroyRef).onDestroy(() => this.endSession());
  }

  // ---------------------------------------------------------------- session

  /** Resolves true when a session exists or could be restored from the refresh cookie. */
  ensureSession(): Promise<boolean> {
    if (this.me()) return Promise.resolve(true);
    this.restoring ??= this.restore().finally(() => (this.restoring = null));
    return this.restoring;
  }

  /** Logs in; HTTP errors reach the caller untouched (the login form reads them). */
  async login(username: string, password: string): Promise<SelfUser> {
    const tokens = await firstValueFrom(this.authApi.login({ username, password }));
    this.startSession(tokens);
    return tokens.user;
  }

  register(request: RegisterRequest): Promise<SelfUser> {
    return firstValueFrom(this.authApi.register(request));
  }

  async logout(): Promise<void> {
    try {
      await firstValueFrom(this.authApi.logout());
    } catch {
      // The local session ends whatever the server says.
    } finally {
      this.endSession();
    }
    await this.router.navigate(['/login']);
  }

  /** Gets a fresh access token now; false when the session is over or the server unreachable. */
  refreshNow(): Promise<boolean> {
    if (this.refreshing) return this.refreshing;
    const refreshing = this.refreshTokens().finally(() => {
      if (this.refreshing === refreshing) this.refreshing = null;
    });
    this.refreshing = refreshing;
    return refreshing;
  }

  private async restore(): Promise<boolean> {
    try {
      const tokens = await this.fetchTokens();
      if (!this.me()) this.startSession(tokens);
      return true;
    } catch {
      return false;
    }
  }

  private async refreshTokens(): Promise<boolean> {
    if (!this.me()) return false;
    const session = this.sessionGeneration;
    try {
      const tokens = await this.fetchTokens();
      if (session !== this.sessionGeneration) return false;
      this.applyTokens(tokens);
      this.me.set(tokens.user);
      return true;
    } catch (error) {
      // A session that ended (or was replaced) meanwhile is not this refresh's to end.
      if (session !== this.sessionGeneration) return false;
      const status = error instanceof HttpErrorResponse ? error.status : 0;
      if (status === 401 || status === 403) {
        this.endSession();
        void this.router.navigate(['/login'], { queryParams: { returnUrl: this.router.url, expired: 1 } });
        return false;
      }
      clearTimeout(this.refreshTimer);
      this.refreshTimer = setTimeout(() => void this.refreshNow(), CHAT_TIMING.refreshRetryMs);
      return false;
    }
  }

  /** One refresh over HTTP, serialised with the other tabs and never hanging on forever. */
  private fetchTokens(): Promise<AuthTokens> {
    return withRefreshLock(this.refreshLockName, () =>
      firstValueFrom(this.authApi.refresh().pipe(timeout(CHAT_TIMING.refreshTimeoutMs))),
    );
  }

  private startSession(tokens: AuthTokens): void {
    this.endSession();
    this.applyTokens(tokens);
    this.me.set(tokens.user);
    this.connect();
  }

  private applyTokens(tokens: AuthTokens): void {
    this.tokens.set(tokens.accessToken);
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refreshNow(), refreshDelayMs(tokens.expiresIn));
  }

  /** Forgets everything about the session, locally. */
  private endSession(): void {
    this.sessionGeneration++;
    this.refreshing = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.removeAllListeners();
      socket.disconnect();
    }
    this.connectionAbort.abort();
    window.removeEventListener('offline', this.onBrowserOffline);
    window.removeEventListener('online', this.onBrowserOnline);
    clearTimeout(this.refreshTimer);
    clearTimeout(this.reloadUsersTimer);
    clearTimeout(this.reconnectTimer);
    for (const typing of this.ownTyping.values()) clearTimeout(typing.idle);
    for (const timer of this.remoteTypingTimers.values()) clearTimeout(timer);
    this.ownTyping.clear();
    this.remoteTypingTimers.clear();
    this.clearHoleTimers();
    this.syncingChats.clear();
    this.summarizedSeq.clear();
    this.outbox.clear();
    this.tokens.clear();
    this.connectedBefore = false;
    this.unauthorizedInRow = 0;
    this.serverDisconnects = 0;
    this.me.set(null);
    this.connectionState.set('signed-out');
    this.userMap.set(new Map());
    this.chatMap.set({});
    this.messageMap.set({});
    this.typingMap.set({});
    this.blocked.set(new Set());
    this.olderLoading.set(new Set());
  }

  // ---------------------------------------------------------------- connection

  private connect(): void {
    const socket = this.socketFactory.create();
    this.socket = socket;
    this.connectionState.set('connecting');
    socket.on('connect', () => void this.onConnect(socket));
    socket.on('connect_error', () => this.connectionState.set('offline'));
    socket.on('disconnect', (reason) => this.onDisconnect(socket, reason));
    socket.on('authenticated', (user) => void this.onAuthenticated(socket, user));
    socket.on('unauthorized', () => this.onUnauthorized());
    socket.on('session:ended', () => {
      this.endSession();
      void this.router.navigate(['/login'], { queryParams: { ended: 1 } });
    });
    socket.on('presence', ({ userId, online }) => this.onPresence(userId, online));
    socket.on('user:updated', (user) => this.onUserUpdated(user));
    socket.on('chat:created', ({ chat }) => this.upsertSummary(chat));
    socket.on('chat:updated', ({ chat }) => this.upsertSummary(chat));
    socket.on('chat:removed', ({ chatId }) => this.dropChat(chatId));
    socket.on('chat:message', (message) => this.onServerMessage(message));
    socket.on('chat:typing', ({ chatId, userId, typing }) => this.onRemoteTyping(chatId, userId, typing));
    socket.on('chat:receipt', (receipt) => this.onReceipt(receipt));
    window.addEventListener('offline', this.onBrowserOffline);
    window.addEventListener('online', this.onBrowserOnline);
    socket.connect();
  }

  /** socketio-auth: every (re)connection authenticates first, on reconnect with a fresh token. */
  private async onConnect(socket: ChatSocket): Promise<void> {
    this.connectionState.set('connecting');
    if (this.connectedBefore) await this.refreshNow();
    this.connectedBefore = true;
    const token = this.tokens.accessToken();
    if (socket !== this.socket || !socket.connected || !token) return;
    socket.emit('authentication', { token });
  }

  private async onAuthenticated(socket: ChatSocket, user: SelfUser): Promise<void> {
    if (socket !== this.socket) return;
    this.unauthorizedInRow = 0;
    this.serverDisconnects = 0;
    this.me.set(user);
    this.connectionAbort = new AbortController();
    this.connectionState.set('online');
    try {
      await this.resync();
    } catch {
      // A failed catch-up leaves what we have; the next reconnect tries again.
    }
    void this.pumpOutbox();
  }

  private onUnauthorized(): void {
    // The server closes the socket after this; onDisconnect reconnects, onConnect refreshes.
    this.unauthorizedInRow++;
    if (this.unauthorizedInRow >= 3) {
      this.endSession();
      void this.router.navigate(['/login'], { queryParams: { expired: 1 } });
    }
  }

  private onDisconnect(socket: ChatSocket, reason: string): void {
    if (socket !== this.socket) return;
    this.connectionAbort.abort();
    this.connectionState.set('offline');
    for (const timer of this.remoteTypingTimers.values()) clearTimeout(timer);
    this.remoteTypingTimers.clear();
    this.typingMap.set({});
    for (const typing of this.ownTyping.values()) clearTimeout(typing.idle);
    this.ownTyping.clear();
    // The catch-up after the next authentication starts from every watermark anyway.
    this.clearHoleTimers();
    // Live messages buffered for chats never opened may now have gaps: drop them.
    this.messageMap.update((map) => Object.fromEntries(Object.entries(map).filter(([, entry]) => entry.loaded)));
    if (reason === 'io server disconnect') {
      // socket.io does not reconnect by itself after the server closed the socket.
      const delay = Math.min(500 * 2 ** this.serverDisconnects++, 10_000);
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = setTimeout(() => {
        if (this.socket === socket && this.me()) socket.connect();
      }, delay);
    }
  }

  private goOffline(): void {
    if (this.socket?.connected) this.socket.disconnect();
    if (this.me()) this.connectionState.set('offline');
  }

  private goOnline(): void {
    if (this.socket && !this.socket.connected && this.me()) this.socket.connect();
  }

  /** Catches up on everything missed: messages after each chat's watermark, chats, users, blocks. */
  private async resync(): Promise<void> {
    const cursors: Record<string, string | null> = {};
    for (const [chatId, entry] of Object.entries(this.messageMap())) {
      if (entry.loaded) cursors[chatId] = watermarkMessage(entry.watermark, entry.list)?.id ?? null;
    }
    const [, users, blocks] = await Promise.all([
      this.syncMessages(cursors, 'catch-up'),
      this.request('users:list', {}),
      this.request('user:blocks', {}),
    ]);
    this.userMap.set(new Map(users.users.map((u) => [u.id, u])));
    this.blocked.set(new Set(blocks.userIds));
  }

  /**
   * Asks for what each chat holds after its cursor (null: the latest page), page by page, and
   * merges it. Once the server has answered a chat completely, its watermark rises to the newest
   * seq returned or held before asking: the answer is authoritative, so a seq it left out does not
   * exist (a refused duplicate in MongoDB) and is not asked for again.
   * A `fill` comes after a live message past a hole; what it brings counts as arriving live.
   */
  private async syncMessages(cursors: Record<string, string | null>, purpose: 'catch-up' | 'fill'): Promise<void> {
    const chatIds = Object.keys(cursors);
    const heldBefore = new Map(chatIds.map((id) => [id, newestStoredSeq(this.messageMap()[id]?.list ?? [])]));
    for (const chatId of chatIds) this.syncingChats.add(chatId);
    try {
      let request = cursors;
      for (let round = 0; round < MAX_SYNC_ROUNDS; round++) {
        const result = await this.request('sync', { chats: request });
        if (round === 0 && purpose === 'catch-up') this.replaceSummaries(result.summaries);
        const again: Record<string, string | null> = {};
        for (const [chatId, page] of Object.entries(result.chats)) {
          if (!(chatId in request) || !this.chatMap()[chatId] || !this.messageMap()[chatId]?.loaded) continue;
          const latestPage = request[chatId] === null;
          const arrived = latestPage ? this.absorbLatestPage(chatId, page) : this.storeMessages(chatId, page.messages);
          if (purpose === 'fill') for (const message of arrived) this.noteArrival(message);
          const last = page.messages[page.messages.length - 1];
          if (page.hasMore && !latestPage && last) {
            // Everything up to this page's end is held now; the rest comes with the next round.
            this.raiseWatermark(chatId, last.seq);
            again[chatId] = last.id;
          } else {
            this.raiseWatermark(chatId, Math.max(last?.seq ?? 0, heldBefore.get(chatId) ?? 0));
          }
        }
        if (Object.keys(again).length === 0) break;
        request = again;
      }
    } finally {
      for (const chatId of chatIds) this.syncingChats.delete(chatId);
    }
    // Live messages past a new hole may have come in meanwhile.
    for (const chatId of chatIds) this.watchForHole(chatId);
    this.confirmDeliveries(purpose === 'catch-up' ? undefined : chatIds);
  }

  /** Asks for the messages missing below a live one, unless they turn up by then. */
  private watchForHole(chatId: string): void {
    const entry = this.messageMap()[chatId];
    if (!entry?.loaded || !hasHoleAbove(entry.watermark, entry.list)) {
      clearTimeout(this.holeTimers.get(chatId));
      this.holeTimers.delete(chatId);
      return;
    }
    if (this.holeTimers.has(chatId) || this.syncingChats.has(chatId)) return;
    this.holeTimers.set(
      chatId,
      setTimeout(() => {
        this.holeTimers.delete(chatId);
        void this.fillHole(chatId);
      }, CHAT_TIMING.holeFillDelayMs),
    );
  }

  private async fillHole(chatId: string): Promise<void> {
    const entry = this.messageMap()[chatId];
    if (!entry?.loaded || !hasHoleAbove(entry.watermark, entry.list) || this.syncingChats.has(chatId)) return;
    if (this.connectionState() !== 'online') return;
    try {
      await this.syncMessages({ [chatId]: watermarkMessage(entry.watermark, entry.list)?.id ?? null }, 'fill');
    } catch {
      // Offline or refused: the next live message past the hole, or the next catch-up, asks again.
    }
  }

  private clearHoleTimers(): void {
    for (const timer of this.holeTimers.values()) clearTimeout(timer);
    this.holeTimers.clear();
  }

  /** Tells the server we received the newest message of every chat (or of `chatIds`) we had not confirmed. */
  private confirmDeliveries(chatIds?: readonly string[]): void {
    const myId = this.me()?.id;
    const all = this.chatMap();
    const chats = chatIds ? chatIds.map((id) => all[id]).filter((c): c is ChatSummary => !!c) : Object.values(all);
    for (const chat of chats) {
      const stored = lastStoredMessage(this.messageMap()[chat.id]?.list ?? []);
      const newest = stored && (!chat.lastMessage || stored.seq >= chat.lastMessage.seq) ? stored : chat.lastMessage;
      const mine = chat.members.find((m) => m.userId === myId);
      if (newest && newest.senderId !== myId && (!mine || mine.deliveredSeq < newest.seq)) this.sendDelivered(newest);
    }
  }

  private request<E extends RequestEvent>(event: E, payload: RequestPayload<E>): Promise<RequestResult<E>> {
    const socket = this.socket;
    if (!socket || this.connectionState() !== 'online') {
      return Promise.reject(new RequestError('offline', 'You are offline. Try again when the connection is back.'));
    }
    return socketRequest(socket, event, payload, CHAT_TIMING.ackTimeoutMs, this.connectionAbort.signal);
  }

  // ---------------------------------------------------------------- incoming events

  private onServerMessage(message: Message): void {
    if (!this.chatMap()[message.chatId]) {
      void this.fetchUnknownChat(message);
      return;
    }
    if (this.storeMessages(message.chatId, [message]).length === 0) return;
    if (this.isFromOther(message)) this.sendDelivered(message);
    this.noteArrival(message);
  }

  /** A new message reached the chat: its summary, and for other people's, typing and the pop-up. */
  private noteArrival(message: Message): void {
    const fromOther = this.isFromOther(message);
    this.touchSummary(message, fromOther && message.kind === 'text');
    if (fromOther) {
      if (message.senderId) this.setRemoteTyping(message.chatId, message.senderId, false);
      this.incomingMessages.next(message);
    }
  }

  private async fetchUnknownChat(message: Message): Promise<void> {
    try {
      const opened = await this.request('chat:get', { chatId: message.chatId });
      this.absorbOpened(opened);
      this.storeMessages(message.chatId, [message]);
      if (this.isFromOther(message)) {
        this.sendDelivered(message);
        this.incomingMessages.next(message);
      }
    } catch {
      // Not ours to see (or offline): the next sync brings the chat list up to date.
    }
  }

  private onPresence(userId: string, online: boolean): void {
    const user = this.userMap().get(userId);
    if (!user) {
      this.reloadUsersSoon();
      return;
    }
    this.userMap.update((map) => new Map(map).set(userId, { ...user, online }));
  }

  private onUserUpdated(user: PublicUser): void {
    this.userMap.update((map) => new Map(map).set(user.id, { ...user, online: map.get(user.id)?.online ?? false }));
    const me = this.me();
    if (me && me.id === user.id) this.me.set({ ...me, ...user });
  }

  private onReceipt(receipt: Receipt): void {
    const myId = this.me()?.id;
    this.chatMap.update((map) => {
      const chat = map[receipt.chatId];
      if (!chat) return map;
      const members = chat.members.map((m) =>
        m.userId !== receipt.userId
          ? m
          : {
              ...m,
              deliveredSeq: Math.max(m.deliveredSeq, receipt.seq),
              readSeq: receipt.status === 'read' ? Math.max(m.readSeq, receipt.seq) : m.readSeq,
            },
      );
      const readEverything =
        receipt.userId === myId && receipt.status === 'read' && receipt.seq >= (chat.lastMessage?.seq ?? 0);
      return { ...map, [chat.id]: { ...chat, members, unreadCount: readEverything ? 0 : chat.unreadCount } };
    });
  }

  private onRemoteTyping(chatId: string, userId: string, typing: boolean): void {
    if (userId === this.me()?.id) return;
    this.setRemoteTyping(chatId, userId, typing);
  }

  private setRemoteTyping(chatId: string, userId: string, typing: boolean): void {
    const key = `${chatId}/${userId}`;
    clearTimeout(this.remoteTypingTimers.get(key));
    this.remoteTypingTimers.delete(key);
    if (typing) {
      this.remoteTypingTimers.set(
        key,
        setTimeout(() => this.setRemoteTyping(chatId, userId, false), CHAT_TIMING.remoteTypingMs),
      );
    }
    const current = this.typingMap()[chatId] ?? [];
    if (current.includes(userId) === typing) return;
    const next = typing ? [...current, userId] : current.filter((id) => id !== userId);
    this.typingMap.update((map) => ({ ...map, [chatId]: next }));
  }

  private reloadUsersSoon(): void {
    clearTimeout(this.reloadUsersTimer);
    this.reloadUsersTimer = setTimeout(async () => {
      try {
        const { users } = await this.request('users:list', {});
        this.userMap.set(new Map(users.map((u) => [u.id, u])));
      } catch {
        // Presence for someone unknown can wait for the next sync.
      }
    }, 500);
  }

  // ---------------------------------------------------------------- state helpers

  /**
   * Adds messages to a chat's list, moves its watermark up through them and watches for a hole.
   * Returns the messages that were new.
   */
  private storeMessages(chatId: string, incoming: readonly Message[]): Message[] {
    const entry = this.messageMap()[chatId];
    const known = new Set(entry?.list.map((m) => m.id));
    const arrived: Message[] = [];
    for (const message of incoming) {
      if (known.has(message.id)) continue;
      known.add(message.id);
      arrived.push(message);
    }
    if (arrived.length === 0) return arrived;
    const list = mergeMessages(entry?.list ?? [], arrived);
    const loaded = entry?.loaded ?? false;
    this.messageMap.update((map) => ({
      ...map,
      [chatId]: {
        list,
        hasMore: entry?.hasMore ?? true,
        loaded,
        watermark: loaded ? advanceWatermark(entry!.watermark, list) : 0,
      },
    }));
    this.watchForHole(chatId);
    return arrived;
  }

  /** The server has answered for everything up to `seq`: the watermark moves there, and on if it can. */
  private raiseWatermark(chatId: string, seq: number): void {
    const entry = this.messageMap()[chatId];
    if (!entry?.loaded) return;
    const watermark = advanceWatermark(Math.max(entry.watermark, seq), entry.list);
    if (watermark !== entry.watermark) {
      this.messageMap.update((map) => ({ ...map, [chatId]: { ...entry, watermark } }));
    }
    this.watchForHole(chatId);
  }

  /**
   * Merges the chat's latest page into what is held (a catch-up for a chat without a watermark).
   * When older messages exist, held ones older than the page go: paging back brings them in order.
   */
  private absorbLatestPage(chatId: string, page: HistoryPage): Message[] {
    const entry = this.messageMap()[chatId];
    if (!entry) return [];
    const known = new Set(entry.list.map((m) => m.id));
    const oldest = page.messages[0];
    const kept = page.hasMore && oldest ? entry.list.filter((m) => m.local || m.seq >= oldest.seq) : entry.list;
    const list = mergeMessages(kept, page.messages);
    const hasMore = page.hasMore || entry.hasMore;
    this.messageMap.update((map) => ({ ...map, [chatId]: { ...entry, list, hasMore } }));
    return page.messages.filter((m) => !known.has(m.id));
  }

  private touchSummary(message: Message, countAsUnread: boolean): void {
    const myId = this.me()?.id;
    this.chatMap.update((map) => {
      const chat = map[message.chatId];
      if (!chat) return map;
      const newest = !chat.lastMessage || chat.lastMessage.seq <= message.seq;
      // The server's last summary counted everything up to its newest message, and nothing we
      // have read is unread; a message arriving out of order after a newer one still counts.
      const readSeq = chat.members.find((m) => m.userId === myId)?.readSeq ?? 0;
      const counted = message.seq <= Math.max(this.summarizedSeq.get(chat.id) ?? 0, readSeq);
      return {
        ...map,
        [chat.id]: {
          ...chat,
          lastMessage: newest ? message : chat.lastMessage,
          lastActivityAt: message.createdAt > chat.lastActivityAt ? message.createdAt : chat.lastActivityAt,
          unreadCount: chat.unreadCount + (countAsUnread && !counted ? 1 : 0),
        },
      };
    });
  }

  private upsertSummary(chat: ChatSummary): void {
    this.chatMap.update((map) => ({ ...map, [chat.id]: chat }));
    this.summarizedSeq.set(chat.id, chat.lastMessage?.seq ?? 0);
  }

  private replaceSummaries(summaries: readonly ChatSummary[]): void {
    const ids = new Set(summaries.map((c) => c.id));
    const gone = Object.keys(this.chatMap()).filter((id) => !ids.has(id));
    this.chatMap.set(Object.fromEntries(summaries.map((c) => [c.id, c])));
    for (const chat of summaries) this.summarizedSeq.set(chat.id, chat.lastMessage?.seq ?? 0);
    for (const chatId of gone) this.dropChat(chatId);
  }

  /**
   * Takes in a chat with its latest page. The first time, the watermark starts at the page's
   * newest message; live messages buffered before it stay if they are not older than the page
   * (older ones come back in order when paging back). Afterwards the page merges like any other.
   */
  private absorbOpened(opened: OpenedChat): void {
    const chatId = opened.chat.id;
    const page = opened.history;
    this.upsertSummary(opened.chat);
    const entry = this.messageMap()[chatId];
    if (entry?.loaded) {
      this.storeMessages(chatId, page.messages);
      return;
    }
    const oldest = page.messages[0];
    const buffered = (entry?.list ?? []).filter((m) => m.local || !page.hasMore || !oldest || m.seq >= oldest.seq);
    const list = mergeMessages(buffered, page.messages);
    const watermark = advanceWatermark(page.messages[page.messages.length - 1]?.seq ?? 0, list);
    this.messageMap.update((map) => ({ ...map, [chatId]: { list, hasMore: page.hasMore, loaded: true, watermark } }));
    this.watchForHole(chatId);
  }

  private dropChat(chatId: string): void {
    const hadChat = chatId in this.chatMap() || chatId in this.messageMap();
    this.chatMap.update((map) => withoutKey(map, chatId));
    this.messageMap.update((map) => withoutKey(map, chatId));
    this.typingMap.update((map) => withoutKey(map, chatId));
    clearTimeout(this.holeTimers.get(chatId));
    this.holeTimers.delete(chatId);
    this.summarizedSeq.delete(chatId);
    for (const [clientId, entry] of this.outbox) if (entry.chatId === chatId) this.outbox.delete(clientId);
    if (hadChat) this.removedChats.next(chatId);
  }

  private isFromOther(message: Message): boolean {
    return message.senderId !== null && message.senderId !== this.me()?.id;
  }

  private sendDelivered(message: Message): void {
    this.request('chat:delivered', { chatId: message.chatId, messageId: message.id }).catch(() => undefined);
  }

  // ---------------------------------------------------------------- reading

  userById(userId: string | null): UserWithPresence | undefined {
    return userId ? this.userMap().get(userId) : undefined;
  }

  chatById(chatId: string): ChatSummary | undefined {
    return this.chatMap()[chatId];
  }

  /** The direct chat between the signed-in user and `userId`, if one is listed. */
  directChatWith(userId: string): ChatSummary | undefined {
    return Object.values(this.chatMap()).find(
      (c) => c.kind === 'direct' && c.members.some((m) => m.userId === userId),
    );
  }

  /** The ticks beside one of our own messages; reading it in a template tracks receipts. */
  tickStateOf(message: ChatMessage): TickState {
    return this.receiptsOf(message).state;
  }

  /** The ticks and how many of the other members have the message; tracks receipts too. */
  receiptsOf(message: ChatMessage): MessageReceipts {
    const chat = this.chatMap()[message.chatId];
    return messageReceipts(message, chat?.members ?? [], this.me()?.id ?? '');
  }

  // ---------------------------------------------------------------- chats

  /** Opens (or creates) the direct chat with a user and loads its latest messages. */
  async openDirect(userId: string): Promise<string> {
    const known = this.directChatWith(userId);
    if (known && this.messageMap()[known.id]?.loaded) return known.id;
    const opened = await this.request('chat:open', { userId });
    this.absorbOpened(opened);
    return opened.chat.id;
  }

  /** Makes sure a chat's latest messages are loaded. */
  async openChat(chatId: string): Promise<void> {
    if (this.messageMap()[chatId]?.loaded) return;
    this.absorbOpened(await this.request('chat:get', { chatId }));
  }

  /** Loads the page of messages before the oldest one shown. */
  async loadOlder(chatId: string): Promise<void> {
    const entry = this.messageMap()[chatId];
    if (!entry?.loaded || !entry.hasMore || this.olderLoading().has(chatId)) return;
    const oldest = firstStoredMessage(entry.list);
    this.olderLoading.update((set) => new Set(set).add(chatId));
    try {
      const page = await this.request('chat:history', {
        chatId,
        limit: CHAT_TIMING.pageSize,
        ...(oldest ? { before: oldest.id } : {}),
      });
      const current = this.messageMap()[chatId];
      if (!current) return;
      const list = mergeMessages(current.list, page.messages);
      this.messageMap.update((map) => ({ ...map, [chatId]: { ...current, list, hasMore: page.hasMore } }));
    } finally {
      this.olderLoading.update((set) => {
        const next = new Set(set);
        next.delete(chatId);
        return next;
      });
    }
  }

  /** A private group for the people picked, or a public room (optionally with a password) anyone signed in can find. */
  async createGroup(name: string, memberIds: readonly string[], visibility: ChatVisibility, password?: string): Promise<string> {
    const { chat } = await this.request('group:create', {
      name,
      memberIds: [...memberIds],
      visibility,
      ...(password && visibility === 'public' ? { password } : {}),
    });
    this.upsertSummary(chat);
    return chat.id;
  }

  async searchRooms(query: string): Promise<RoomSearchHit[]> {
    const { rooms } = await this.request('group:search', { query });
    return rooms;
  }

  async joinRoom(chatId: string, password?: string): Promise<string> {
    const opened = await this.request('group:join', { chatId, ...(password ? { password } : {}) });
    this.absorbOpened(opened);
    return opened.chat.id;
  }

  async updateGroup(request: UpdateGroupRequest): Promise<void> {
    const { chat } = await this.request('group:update', request);
    this.upsertSummary(chat);
  }

  async leaveGroup(chatId: string): Promise<void> {
    await this.request('group:leave', { chatId });
    this.dropChat(chatId);
  }

  /** Hides a chat from the user's list until a new message arrives. */
  async deleteChat(chatId: string): Promise<void> {
    await this.request('chat:delete', { chatId });
    this.dropChat(chatId);
  }

  async block(userId: string): Promise<void> {
    await this.request('user:block', { userId });
    this.blocked.update((set) => new Set(set).add(userId));
  }

  async unblock(userId: string): Promise<void> {
    await this.request('user:unblock', { userId });
    this.blocked.update((set) => {
      const next = new Set(set);
      next.delete(userId);
      return next;
    });
  }

  /** Marks a chat read up to its newest message; the chat box calls this while it is visible. */
  markRead(chatId: string): void {
    const chat = this.chatMap()[chatId];
    const myId = this.me()?.id;
    if (!chat || !myId || this.connectionState() !== 'online') return;
    const stored = lastStoredMessage(this.messageMap()[chatId]?.list ?? []);
    const newest = stored && (!chat.lastMessage || stored.seq >= chat.lastMessage.seq) ? stored : chat.lastMessage;
    if (!newest || newest.seq <= 0) return;
    const mine = chat.members.find((m) => m.userId === myId);
    if (mine && mine.readSeq >= newest.seq && chat.unreadCount === 0) return;
    this.chatMap.update((map) => ({
      ...map,
      [chatId]: {
        ...chat,
        unreadCount: 0,
        members: chat.members.map((m) =>
          m.userId === myId
            ? { ...m, readSeq: Math.max(m.readSeq, newest.seq), deliveredSeq: Math.max(m.deliveredSeq, newest.seq) }
            : m,
        ),
      },
    }));
    this.request('chat:read', { chatId, upTo: newest.id }).catch(() => undefined);
  }

  // ---------------------------------------------------------------- sending

  /**
   * Shows the message at once as pending and queues it. It goes out now when online, else
   * after the next authentication; a lost ack is retried with the same clientId.
   */
  sendMessage(chatId: string, body: string): void {
    const text = body.trim();
    const me = this.me();
    if (!text || !me) return;
    const clientId = newClientId();
    const pending = pendingMessage(chatId, me.id, clientId, text, new Date());
    const entry = this.messageMap()[chatId];
    this.messageMap.update((map) => ({
      ...map,
      [chatId]: {
        list: mergeMessages(entry?.list ?? [], [pending]),
        hasMore: entry?.hasMore ?? true,
        loaded: entry?.loaded ?? false,
        watermark: entry?.watermark ?? 0,
      },
    }));
    this.chatMap.update((map) => {
      const chat = map[chatId];
      return chat ? { ...map, [chatId]: { ...chat, lastActivityAt: pending.createdAt, lastMessage: pending } } : map;
    });
    this.stopTyping(chatId);
    this.outbox.set(clientId, { chatId, clientId, body: text, attempts: 0 });
    void this.pumpOutbox();
  }

  /** Removes a message the server refused from the list. */
  discardFailed(chatId: string, clientId: string): void {
    this.messageMap.update((map) => {
      const entry = map[chatId];
      if (!entry) return map;
      return { ...map, [chatId]: { ...entry, list: entry.list.filter((m) => !(m.local && m.clientId === clientId)) } };
    });
  }

  /** Sends queued messages one at a time, in order, while online. */
  private async pumpOutbox(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        const entry = this.outbox.values().next().value;
        const socket = this.socket;
        if (!entry || !socket || this.connectionState() !== 'online') return;
        entry.attempts++;
        try {
          const { message } = await socketRequest(
            socket,
            'chat:message',
            { chatId: entry.chatId, clientId: entry.clientId, body: entry.body },
            CHAT_TIMING.ackTimeoutMs,
            this.connectionAbort.signal,
          );
          this.outbox.delete(entry.clientId);
          if (this.storeMessages(message.chatId, [message]).length > 0) this.touchSummary(message, false);
        } catch (error) {
          const failure = error instanceof RequestError ? error : new RequestError('internal', 'Not sent.');
          if (failure.code === 'offline') return;
          if (!RETRYABLE_CODES.has(failure.code)) {
            this.outbox.delete(entry.clientId);
            this.markFailed(entry, failure.message);
          } else if (failure.code !== 'timeout') {
            await new Promise((resolve) => setTimeout(resolve, CHAT_TIMING.retryBusyMs));
          }
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  private markFailed(entry: OutboxEntry, reason: string): void {
    this.messageMap.update((map) => {
      const chat = map[entry.chatId];
      if (!chat) return map;
      const list = chat.list.map((m) =>
        m.local && m.clientId === entry.clientId ? { ...m, local: 'failed' as const, error: reason } : m,
      );
      return { ...map, [entry.chatId]: { ...chat, list } };
    });
  }

  // ---------------------------------------------------------------- typing

  /** Call on every keystroke in a chat's input: throttled `typing: true`, `false` after 2 s idle. */
  noteTyping(chatId: string): void {
    if (this.connectionState() !== 'online' || !this.socket) return;
    const now = Date.now();
    const current = this.ownTyping.get(chatId);
    if (current) clearTimeout(current.idle);
    const lastSentAt = current?.lastSentAt ?? 0;
    const sendNow = !current || now - lastSentAt >= CHAT_TIMING.typingRepeatMs;
    if (sendNow) this.socket.emit('chat:typing', { chatId, typing: true });
    this.ownTyping.set(chatId, {
      lastSentAt: sendNow ? now : lastSentAt,
      idle: setTimeout(() => this.stopTyping(chatId), CHAT_TIMING.typingIdleMs),
    });
  }

  /** Says we stopped typing (sent, cleared the input, or went idle). */
  stopTyping(chatId: string): void {
    const current = this.ownTyping.get(chatId);
    if (!current) return;
    clearTimeout(current.idle);
    this.ownTyping.delete(chatId);
    if (this.connectionState() === 'online') this.socket?.emit('chat:typing', { chatId, typing: false });
  }
}

function withoutKey<T>(record: Readonly<Record<string, T>>, key: string): Readonly<Record<string, T>> {
  if (!(key in record)) return record;
  const { [key]: _removed, ...rest } = record;
  return rest;
}
