import { DestroyRef, Injectable, computed, inject, signal, untracked, type Signal } from '@angular/core';
import { MAX_ATTACHMENT_URLS, type AttachmentUrl } from '@shared';
import { Connection } from '../connection/connection.service';
import { NO_URLS, idsToAsk, nextRenewal, urlsReceived } from './state/attachment-urls';

/**
 * Signed download URLs of attachments (`attachment:urls`), kept until shortly before they expire
 * and asked for again after that. Asks from one turn of the event loop go out as one request
 * (at most MAX_ATTACHMENT_URLS ids each). Session-scoped.
 */
@Injectable()
export class AttachmentUrls {
  private readonly connection = inject(Connection);
  private readonly cache = signal(NO_URLS);
  /** Bumped when a cached URL is due for renewal: `ensure` called from an effect runs again. */
  private readonly tick = signal(0);
  private readonly wanted = new Set<string>();
  private readonly asking = new Set<string>();
  /** Ids the server gave no URL for (not a member, gone): not asked again until the next renewal. */
  private readonly refused = signal<ReadonlySet<string>>(new Set());
  private timer: ReturnType<typeof setTimeout> | undefined;
  private flushing = false;
  private ended = false;

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      this.ended = true;
      clearTimeout(this.timer);
    });
  }

  /** The URLs of an attachment as last issued (kept on screen while a new set is asked for); null before any. */
  urlOf(id: string): Signal<AttachmentUrl | null> {
    return computed(() => this.cache()[id]?.url ?? null);
  }

  /** The server gave no URL for this attachment: it is not available to this user. */
  unavailable(id: string): Signal<boolean> {
    return computed(() => this.refused().has(id));
  }

  /**
   * Makes sure these attachments have fresh URLs, asking for those that do not. Called from an
   * effect it runs again when one of them is due for renewal, and when the connection comes back.
   */
  ensure(ids: readonly string[]): void {
    this.tick();
    if (this.connection.state() !== 'online' || ids.length === 0) return;
    untracked(() => {
      const refused = this.refused();
      for (const id of idsToAsk(this.cache(), ids, Date.now())) {
        if (!this.asking.has(id) && !refused.has(id)) this.wanted.add(id);
      }
      if (this.wanted.size > 0 && !this.flushing) {
        this.flushing = true;
        queueMicrotask(() => void this.flush());
      }
    });
  }

  private flush(): void {
    this.flushing = false;
    const ids = [...this.wanted];
    this.wanted.clear();
    for (let start = 0; start < ids.length; start += MAX_ATTACHMENT_URLS) {
      const batch = ids.slice(start, start + MAX_ATTACHMENT_URLS);
      for (const id of batch) this.asking.add(id);
      void this.ask(batch);
    }
  }

  private async ask(ids: string[]): Promise<void> {
    try {
      const { urls } = await this.connection.request('attachment:urls', { attachmentIds: ids });
      if (this.ended) return;
      this.cache.update((cache) => urlsReceived(cache, urls, Date.now()));
      const given = new Set(urls.map((url) => url.id));
      const missing = ids.filter((id) => !given.has(id));
      if (missing.length > 0) this.refused.update((set) => new Set([...set, ...missing]));
      this.scheduleRenewal();
    } catch {
      // Offline or refused: asked again when the connection is back, or at the next renewal.
    } finally {
      for (const id of ids) this.asking.delete(id);
    }
  }

  /** At the first URL's renewal time, the effects that asked look again (and forgiven refusals are retried). */
  private scheduleRenewal(): void {
    const now = Date.now();
    const at = nextRenewal(this.cache(), now);
    if (at === null) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.ended) return;
      this.refused.set(new Set());
      this.tick.update((n) => n + 1);
      this.scheduleRenewal();
    }, Math.max(500, at - now));
  }
}
