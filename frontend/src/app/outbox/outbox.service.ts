import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import type { ReplyQuote } from '@shared';
// Straight from its file: importing a value through '@shared' would evaluate the zod schemas in the
// first chunk, before zod-config.ts has switched zod's eval probe off (the CSP forbids eval).
import { newClientId } from '@shared/client-id';
import { AttachmentUploads, UploadCancelled, UploadError } from '../attachments/attachment-uploads.service';
import { likelyKind, type PickedFile } from '../attachments/state/picked-files';
import { showPending } from '../chats/state/chats';
import { CHAT_TIMING } from '../connection/chat-timing';
import { Connection } from '../connection/connection.service';
import { RequestError } from '../connection/socket-request';
import { ToastService } from '../core/toast.service';
import { LocalStore } from '../offline/local-store.service';
import { SessionStore } from '../session/session-store';
import { changedLocally, localChangeDone, localChangeFailed } from '../session/state/message-changed';
import { messageAcked, removedChats } from '../session/state/session-state';
import { pendingMessage } from '../timeline/state/chat-message';
import type { LocalChange } from '../timeline/state/local-change';
import { heldMessage } from '../timeline/state/timeline-changes';
import { addPending, discardFailed, markFailed, setPendingUploads } from '../timeline/state/timelines';
import { TypingService } from '../typing/typing.service';
import { sendEntry, type ChangeEntry, type MessageEntry, type OutboxEntry, type QueuedFile } from './outbox-entry';
import { inQueueOrder, pendingUploads, showQueued } from './state/queued';

/** Errors after which the same request is sent again; any other refusal is final. */
const RETRYABLE_CODES = new Set(['timeout', 'rate_limited', 'store_unavailable', 'internal']);

/**
 * Our messages and our changes to messages (edits, deletes, reactions) on their way: shown at
 * once as pending, sent one at a time and in order while online, and resent after a lost ack —
 * a message with the same clientId, a change as the same wanted state — so the server applies
 * each once. Each entry is also kept in the browser (LocalStore) until the server has it, so a
 * reload, even offline, shows and sends it again with the same clientId; a message the server
 * refuses stays kept, marked, until the user retries or deletes it. While an entry is queued but
 * not yet kept, leaving the page asks first.
 *
 * A message with files shows them as pending too; the files are uploaded (all at once, each with
 * its progress in AttachmentUploads) when the message's turn comes, and the message goes out
 * naming the stored attachments. Until uploaded, a file's bytes are kept in the browser with its
 * entry, so a file picked offline goes once the network is back, also after a reload. A file the
 * server refuses (too big, over the allowance, not accepted) marks the message as not sent, with
 * the reason; a lost connection only delays it.
 */
@Injectable()
export class Outbox {
  private readonly connection = inject(Connection);
  private readonly store = inject(SessionStore);
  private readonly typing = inject(TypingService);
  private readonly toasts = inject(ToastService);
  private readonly local = inject(LocalStore);
  private readonly uploads = inject(AttachmentUploads);
  private queue = new Map<string, OutboxEntry>();
  /** Messages the server refused for good, by clientId: kept until retried or deleted. */
  private readonly refusedMessages = new Map<string, MessageEntry>();
  /** Keys of queued entries not (yet) kept in the browser. */
  private readonly unkept = signal<ReadonlySet<string>>(new Set());
  private order = Date.now();
  private pumping = false;
  private ended = false;
  private readonly onBeforeUnload = (event: BeforeUnloadEvent) => {
    if (!this.unsaved()) return;
    event.preventDefault();
    // Older browsers show the question only when returnValue is set.
    event.returnValue = '';
  };

  /** Something is queued that the browser has not kept: closing or reloading the page would lose it. */
  readonly unsaved = computed(() => this.unkept().size > 0);

  constructor() {
    this.store.onChange(({ before, after }) => {
      const gone = new Set(removedChats(before, after));
      if (gone.size === 0) return;
      for (const [key, entry] of [...this.queue, ...this.refusedMessages]) {
        if (!gone.has(entry.chatId)) continue;
        this.queue.delete(key);
        this.refusedMessages.delete(key);
        this.forget(key);
      }
    });
    inject(DestroyRef).onDestroy(() => {
      this.ended = true;
      this.queue.clear();
      this.refusedMessages.clear();
      window.removeEventListener('beforeunload', this.onBeforeUnload);
    });
  }

  /**
   * The outbox the browser kept, after a reload: shown again (pending, or refused), and queued in
   * front of anything sent since, in its old order; it goes out once online.
   */
  restore(entries: readonly OutboxEntry[]): void {
    if (entries.length === 0) return;
    this.store.update((state) => showQueued(state, entries));
    const kept = new Map<string, OutboxEntry>();
    for (const entry of inQueueOrder(entries)) {
      if (!this.store.chatById(entry.chatId)) {
        void this.local.deleteEntry(entry.key);
        continue;
      }
      this.order = Math.max(this.order, entry.order);
      if (entry.type === 'message' && entry.failed !== undefined) this.refusedMessages.set(entry.key, entry);
      else kept.set(entry.key, { ...entry, attempts: 0 });
    }
    this.queue = new Map([...kept, ...this.queue]);
    void this.pump();
  }

  /**
   * Shows the message as pending and queues it; it goes out now when online, else after the next
   * authentication. `replyTo`: the id of the message in the chat it answers.
   */
  send(chatId: string, body: string, replyTo?: string, picked: readonly PickedFile[] = []): void {
    const files = picked.map(({ key, file, name, size, mime }): QueuedFile => ({ key, name, size, mime, kind: likelyKind(mime), blob: file }));
    this.sendWith(chatId, body, replyTo, files);
  }

  private sendWith(chatId: string, body: string, replyTo: string | undefined, files: QueuedFile[]): void {
    const text = body.trim();
    if (!text && files.length === 0) return;
    const clientId = newClientId();
    const quote = replyTo ? this.quoteOf(chatId, replyTo) : null;
    const pending = pendingMessage(chatId, this.store.me().id, clientId, text, new Date(), quote, pendingUploads(files));
    this.store.update((state) => ({
      ...state,
      timelines: addPending(state.timelines, pending),
      chats: showPending(state.chats, pending),
    }));
    this.typing.stopTyping(chatId);
    this.enqueue({
      type: 'message',
      key: clientId,
      chatId,
      body: text,
      ...(replyTo ? { replyTo } : {}),
      quote,
      ...(files.length > 0 ? { files } : {}),
      createdAt: pending.createdAt,
      order: ++this.order,
      attempts: 0,
    });
  }

  /** Shows a change of ours to a stored message as pending and queues it, like a message. */
  change(chatId: string, messageId: string, change: LocalChange): void {
    this.store.update((state) => changedLocally(state, chatId, messageId, change));
    this.enqueue({ type: 'change', key: change.id, chatId, messageId, change, order: ++this.order, attempts: 0 });
  }

  /** Removes a message the server refused: from the list and from the browser's copy of the outbox. */
  discardFailed(chatId: string, clientId: string): void {
    this.store.update((state) => ({ ...state, timelines: discardFailed(state.timelines, chatId, clientId) }));
    this.refusedMessages.delete(clientId);
    this.forget(clientId);
  }

  /** Sends a refused message again, as a new message (a new clientId) in place of the refused one. */
  retryFailed(chatId: string, clientId: string): void {
    const entry = this.refusedMessages.get(clientId);
    if (!entry) return;
    this.discardFailed(chatId, clientId);
    this.sendWith(chatId, entry.body, entry.replyTo, entry.files ?? []);
  }

  /**
   * Takes one file off a message of ours still on its way (stopping its upload); a message left
   * with neither files nor text goes altogether.
   */
  cancelFile(chatId: string, clientId: string, fileKey: string): void {
    const entry = this.queue.get(clientId) ?? this.refusedMessages.get(clientId);
    if (entry?.type !== 'message' || !entry.files?.some((file) => file.key === fileKey)) return;
    entry.files = entry.files.filter((file) => file.key !== fileKey);
    this.uploads.cancel(fileKey);
    if (entry.files.length === 0 && !entry.body) {
      this.queue.delete(clientId);
      this.refusedMessages.delete(clientId);
      this.store.update((state) => ({ ...state, timelines: discardFailed(state.timelines, chatId, clientId) }));
      this.forget(clientId);
      return;
    }
    this.showFiles(entry);
    this.keep(entry);
  }

  /** Sends what is queued one at a time, in order, while online. */
  async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        const entry = this.queue.values().next().value;
        if (!entry || this.ended || this.connection.state() !== 'online') return;
        if (!(await this.sendOne(entry))) return;
      }
    } finally {
      this.pumping = false;
    }
  }

  /** The quote a pending reply shows until the server sends its own. */
  private quoteOf(chatId: string, messageId: string): ReplyQuote {
    const original = heldMessage(this.store.timelines(), chatId, messageId);
    const deleted = original?.deletedAt != null;
    return { messageId, senderId: original?.senderId ?? null, preview: deleted ? '' : (original?.body ?? ''), deleted };
  }

  /** One attempt; false when the connection is gone and sending must wait. */
  private async sendOne(entry: OutboxEntry): Promise<boolean> {
    if (entry.type === 'message' && entry.files?.some((file) => !file.attachment)) {
      await this.uploadFiles(entry);
      // Uploaded, cancelled, refused or delayed: the queue's head is looked at afresh.
      return true;
    }
    entry.attempts++;
    try {
      const { message } = await sendEntry(this.connection, entry);
      this.queue.delete(entry.key);
      this.forget(entry.key);
      if (entry.type === 'message') this.store.update((state) => messageAcked(state, message));
      else this.store.update((state) => localChangeDone(state, entry.key, entry.change.kind, message));
    } catch (error) {
      const failure = error instanceof RequestError ? error : new RequestError('internal', 'Not sent.');
      if (failure.code === 'offline') return false;
      if (!RETRYABLE_CODES.has(failure.code)) {
        this.queue.delete(entry.key);
        if (entry.type === 'message') this.refused(entry, failure.message);
        else this.changeRefused(entry, failure.message);
      } else if (failure.code !== 'timeout') {
        await new Promise((resolve) => setTimeout(resolve, CHAT_TIMING.retryBusyMs));
      }
    }
    return true;
  }

  /**
   * Uploads the message's files that are not stored yet, all at once. Each stored one is noted
   * (and kept so in the browser, without its bytes); a refused one marks the message as not sent.
   * After a lost connection or a busy server it waits a moment, and the pump tries again.
   */
  private async uploadFiles(entry: MessageEntry): Promise<void> {
    const waiting = (entry.files ?? []).filter((file) => !file.attachment);
    const outcomes = await Promise.all(waiting.map((file) => this.uploadFile(entry, file)));
    if (this.ended || !this.queue.has(entry.key)) return;
    const problem = outcomes.find((outcome) => outcome !== 'stored' && outcome !== 'delayed');
    if (problem !== undefined) {
      this.queue.delete(entry.key);
      this.refused(entry, problem);
    } else if (outcomes.includes('delayed')) {
      await new Promise((resolve) => setTimeout(resolve, CHAT_TIMING.retryBusyMs));
    }
  }

  /** One file of the message: 'stored' (or cancelled), 'delayed', or why it can never be sent. */
  private async uploadFile(entry: MessageEntry, file: QueuedFile): Promise<string> {
    if (!file.blob) return `“${file.name}” is no longer available here: pick it again.`;
    try {
      file.attachment = await this.uploads.upload(file.key, file.blob, file.name);
      delete file.blob;
      if (this.queue.has(entry.key) && !this.ended) {
        this.showFiles(entry);
        void this.local.saveEntry({ ...entry, attempts: 0 });
      }
      return 'stored';
    } catch (error) {
      if (error instanceof UploadCancelled) return 'stored';
      const upload = error instanceof UploadError ? error.problem : null;
      return upload?.final ? upload.text : 'delayed';
    }
  }

  /** The pending copy of the message shows its files as they are now. */
  private showFiles(entry: MessageEntry): void {
    const uploads = pendingUploads(entry.files);
    this.store.update((state) => ({ ...state, timelines: setPendingUploads(state.timelines, entry.chatId, entry.key, uploads) }));
  }

  /** Queues an entry and keeps it in the browser; until kept, leaving the page asks first. */
  private enqueue(entry: OutboxEntry): void {
    this.queue.set(entry.key, entry);
    this.keep(entry);
    void this.pump();
  }

  private keep(entry: OutboxEntry): void {
    this.unkept.update((keys) => new Set(keys).add(entry.key));
    this.listenForUnload();
    void this.local.saveEntry({ ...entry, attempts: 0 }).then((kept) => {
      // Only what is still queued holds the page: a refused message is no longer on its way.
      if (kept || !this.queue.has(entry.key)) this.settleKept(entry.key);
    });
  }

  /** The entry is done with (sent, deleted, or its chat gone): out of the browser too. */
  private forget(key: string): void {
    this.settleKept(key);
    void this.local.deleteEntry(key);
  }

  private settleKept(key: string): void {
    if (!this.unkept().has(key)) return;
    this.unkept.update((keys) => {
      const next = new Set(keys);
      next.delete(key);
      return next;
    });
    this.listenForUnload();
  }

  /**
   * The page listens for beforeunload only while it has something to ask about: a page with such a
   * listener may be kept out of the browser's back/forward cache.
   */
  private listenForUnload(): void {
    if (this.unsaved() && !this.ended) window.addEventListener('beforeunload', this.onBeforeUnload);
    else window.removeEventListener('beforeunload', this.onBeforeUnload);
  }

  private refused(entry: MessageEntry, reason: string): void {
    this.store.update((state) => ({ ...state, timelines: markFailed(state.timelines, entry.chatId, entry.key, reason) }));
    const failed: MessageEntry = { ...entry, failed: reason };
    this.refusedMessages.set(entry.key, failed);
    this.keep(failed);
  }

  private changeRefused(entry: ChangeEntry, reason: string): void {
    this.forget(entry.key);
    this.store.update((state) => localChangeFailed(state, entry.chatId, entry.messageId, entry.key, reason));
    this.toasts.error(reason);
  }
}
