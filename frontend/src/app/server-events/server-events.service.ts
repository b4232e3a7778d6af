import { Injectable, inject } from '@angular/core';
import type { Message, SelfUser } from '@shared';
import { ArrivalsService } from '../chats/arrivals.service';
import { ChatActions } from '../chats/chat-actions.service';
import { ReceiptsService } from '../chats/receipts.service';
import { setNotifyLevel, upsertChat } from '../chats/state/chats';
import { Connection } from '../connection/connection.service';
import { LocalRestore } from '../offline/local-restore.service';
import { Outbox } from '../outbox/outbox.service';
import { PeopleService } from '../people/people.service';
import { SessionStore } from '../session/session-store';
import { messageChanged } from '../session/state/message-changed';
import { chatRemoved, isFromOther, messagesReceived, userUpdated } from '../session/state/session-state';
import { CatchUp } from '../sync/catch-up.service';
import { dropUnopened } from '../timeline/state/timelines';
import { TimelineSync } from '../sync/timeline-sync.service';
import { TypingService } from '../typing/typing.service';

/**
 * Where everything the server pushes comes in: each event becomes one state transition (and
 * whatever it has to tell the server back). A new kind of event is one more line here.
 */
@Injectable()
export class ServerEvents {
  private readonly connection = inject(Connection);
  private readonly store = inject(SessionStore);
  private readonly arrivals = inject(ArrivalsService);
  private readonly receipts = inject(ReceiptsService);
  private readonly actions = inject(ChatActions);
  private readonly people = inject(PeopleService);
  private readonly typing = inject(TypingService);
  private readonly outbox = inject(Outbox);
  private readonly catchUp = inject(CatchUp);
  private readonly timelineSync = inject(TimelineSync);
  private readonly localRestore = inject(LocalRestore);

  /** Wires the events up and connects. */
  start(): void {
    const on = this.connection.on.bind(this.connection);
    on('presence', (event) => this.people.onPresence(event));
    on('user:updated', (user) => this.store.update((state) => userUpdated(state, user)));
    on('chat:created', ({ chat }) => this.store.update((state) => ({ ...state, chats: upsertChat(state.chats, chat) })));
    on('chat:updated', ({ chat }) => this.store.update((state) => ({ ...state, chats: upsertChat(state.chats, chat) })));
    on('chat:removed', ({ chatId }) => this.store.update((state) => chatRemoved(state, chatId)));
    on('chat:message', (message) => this.onMessage(message));
    // A change past a missed one leaves a gap in the chat's change position; TimelineSync fills it.
    on('message:changed', (change) => this.store.update((state) => messageChanged(state, change)));
    on('chat:typing', (event) => this.typing.onRemoteTyping(event));
    on('chat:receipt', (receipt) => this.receipts.onReceipt(receipt));
    on('chat:notify', ({ chatId, level }) => this.store.update((state) => ({ ...state, chats: setNotifyLevel(state.chats, chatId, level) })));
    this.connection.authenticated.subscribe((user) => void this.onAuthenticated(user));
    this.connection.disconnected.subscribe(() => this.onDisconnected());
    this.connection.open();
  }

  /**
   * After each (re)authentication: catch up on what was missed — from what the browser kept, once
   * it is shown — then send what waited.
   */
  private async onAuthenticated(user: SelfUser): Promise<void> {
    this.store.update((state) => ({ ...state, me: user }));
    await this.localRestore.done;
    try {
      await this.catchUp.run();
    } catch {
      // A failed catch-up leaves what we have; the next reconnect tries again.
    }
    void this.outbox.pump();
  }

  private onMessage(message: Message): void {
    if (!this.store.chatById(message.chatId)) {
      void this.fetchUnknownChat(message);
      return;
    }
    const arrived = this.store.updateWith((state) => messagesReceived(state, message.chatId, [message]));
    if (arrived.length === 0) return;
    if (isFromOther(this.store.snapshot(), message)) this.receipts.delivered(message);
    this.arrivals.arrived(message);
  }

  /** A message in a chat the client does not know: someone started it, or added us. */
  private async fetchUnknownChat(message: Message): Promise<void> {
    try {
      this.actions.absorb(await this.connection.request('chat:get', { chatId: message.chatId }));
      this.store.updateWith((state) => messagesReceived(state, message.chatId, [message]));
      if (isFromOther(this.store.snapshot(), message)) {
        this.receipts.delivered(message);
        this.arrivals.announce(message);
      }
    } catch {
      // Not ours to see (or offline): the next sync brings the chat list up to date.
    }
  }

  private onDisconnected(): void {
    this.typing.reset();
    this.timelineSync.cancelHoles();
    this.store.update((state) => ({ ...state, timelines: dropUnopened(state.timelines) }));
  }
}
