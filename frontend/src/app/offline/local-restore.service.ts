import { Injectable, inject, signal } from '@angular/core';
import { Outbox } from '../outbox/outbox.service';
import { SessionStore } from '../session/session-store';
import { Drafts } from './drafts.service';
import { LocalStore } from './local-store.service';
import { restoreSnapshot } from './state/snapshot';

/**
 * At the start of a session: shows what the browser kept — chats, people and history seen, the
 * drafts, the outbox (pending and refused messages, pending changes) — and from then on keeps
 * the state. Catching up with the server waits for it, so it starts from what was kept.
 */
@Injectable()
export class LocalRestore {
  private readonly local = inject(LocalStore);
  private readonly store = inject(SessionStore);
  private readonly outbox = inject(Outbox);
  private readonly drafts = inject(Drafts);
  private readonly openPanels = signal<readonly string[] | null>(null);

  /** The chat panels open at the last visit; null until what was kept is read. */
  readonly panels = this.openPanels.asReadonly();
  /** Settles once what was kept is shown (at once when nothing is kept). */
  readonly done: Promise<void> = this.run();

  private async run(): Promise<void> {
    const saved = await this.local.load();
    this.store.update((state) => restoreSnapshot(state, saved.snapshot));
    this.outbox.restore(saved.outbox);
    this.drafts.restore(saved.drafts);
    this.openPanels.set(saved.panels);
    this.local.follow();
  }
}
