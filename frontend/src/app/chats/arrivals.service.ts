import { DestroyRef, Injectable, inject } from '@angular/core';
import type { Message } from '@shared';
import { Subject } from 'rxjs';
import { SessionStore } from '../session/session-store';
import { isFromOther, messageArrived } from '../session/state/session-state';

/** New messages as they reach a chat: the chat's summary and typing line follow, and other people's pop up. */
@Injectable()
export class ArrivalsService {
  private readonly store = inject(SessionStore);

  /** Messages from other people as they arrive live (not the ones a sync catches up on). */
  readonly incoming = new Subject<Message>();

  constructor() {
    inject(DestroyRef).onDestroy(() => this.incoming.complete());
  }

  /** A message the client did not hold reached its chat. */
  arrived(message: Message): void {
    this.store.update((state) => messageArrived(state, message));
    this.announce(message);
  }

  /** Pops up someone else's message without touching the chat's summary. */
  announce(message: Message): void {
    if (isFromOther(this.store.snapshot(), message)) this.incoming.next(message);
  }
}
