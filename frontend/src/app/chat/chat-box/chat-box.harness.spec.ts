import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { ChatSummary, Message, SelfUser, UserWithPresence } from '@shared';
import { SessionStore } from '../../session/session-store';
import { aSelfUser, aUser } from '../../core/testing/chat-fixtures';
import { FakeSocket } from '../../core/testing/fake-socket';
import { stableTwice } from '../../core/testing/wait';
import { chatTestProviders, signIn } from '../../core/testing/signed-in';
import { ChatBox } from './chat-box';

/**
 * For the chat box's specs (no specs of its own): a signed-in session over a fake socket, and
 * one chat box rendered on a chat whose history the fake server answers with.
 */
export class ChatBoxHarness {
  readonly me: SelfUser = aSelfUser('ana');
  readonly bruno: UserWithPresence = aUser('bruno');
  readonly carla: UserWithPresence = aUser('carla');
  socket!: FakeSocket;
  store!: SessionStore;
  fixture!: ComponentFixture<ChatBox>;
  element!: HTMLElement;

  /** Sets TestBed up before each spec of the enclosing `describe`. */
  constructor() {
    beforeEach(() => {
      this.socket = new FakeSocket();
      TestBed.configureTestingModule({ providers: chatTestProviders(this.socket) });
    });
  }

  /** `heightPx`: the box's height, for specs about what is on screen (else it grows with its content). */
  async render(chat: ChatSummary, history: Message[], hasMore = false, heightPx?: number): Promise<void> {
    this.store = (await signIn(this.socket, this.me, { users: [this.bruno, this.carla], chats: [chat] })).get(SessionStore);
    this.socket.respond('chat:get', () => ({ ok: true, data: { chat, history: { messages: history, hasMore } } }));
    this.fixture = TestBed.createComponent(ChatBox);
    this.fixture.componentRef.setInput('chatId', chat.id);
    this.element = this.fixture.nativeElement;
    if (heightPx !== undefined) this.element.style.height = `${heightPx}px`;
    await this.stable();
  }

  stable(): Promise<void> {
    return stableTwice(this.fixture);
  }

  /** Does `action` and waits for the dialog to close (its close event comes in a task of its own) and the box to settle. */
  async closing(dialog: HTMLDialogElement, action: () => void): Promise<void> {
    const closed = new Promise((resolve) => dialog.addEventListener('close', resolve, { once: true }));
    action();
    await closed;
    await this.stable();
  }

  all(testId: string, within: ParentNode = this.element): HTMLElement[] {
    return Array.from(within.querySelectorAll<HTMLElement>(`[data-testid="${testId}"]`));
  }

  one(testId: string, within: ParentNode = this.element): HTMLElement | null {
    return within.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
  }

  /** The message (`data-testid="message"`) with this id. */
  message(id: string): HTMLElement {
    const found = this.element.querySelector<HTMLElement>(`[data-message-id="${id}"]`);
    if (!found) throw new Error(`no message ${id}`);
    return found;
  }

  /** A dialog the box opened: they live in the box, shown as modals. */
  dialog(testId: string): HTMLDialogElement | null {
    return document.querySelector<HTMLDialogElement>(`dialog[data-testid="${testId}"]`);
  }

  key(target: Element, key: string, init: KeyboardEventInit = {}): boolean {
    return target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init }));
  }

  /** Types into the composer as a person would (the field's value, then its input event). */
  type(text: string): HTMLTextAreaElement {
    const input = this.one('message-input') as HTMLTextAreaElement;
    input.value = text;
    input.dispatchEvent(new Event('input'));
    return input;
  }
}
