import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  type ElementRef,
  Injector,
  afterNextRender,
  computed,
  effect,
  inject,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import type { SearchHit } from '@shared';
import { Announcer } from '../chat/announcer';
import { ChatNavigator } from '../chat/chat-navigator.service';
import { fullTime, listTime } from '../chat/chat-time';
import { chatTitle } from '../chat/chat-title';
import { fullName } from '../core/full-name';
import { SessionStore } from '../session/session-store';
import { MessageSearch } from './message-search.service';
import { SearchSnippet } from './search-snippet';
import { groupHitsByChat, hitsInGroupOrder, movedActive } from './state/hit-groups';

/** A pause in typing this long runs the search. */
const TYPING_PAUSE_MS = 300;

/**
 * The message search box above the chat list, and its results grouped by chat. A combobox with
 * a listbox of hits: typing searches, the arrow keys move through the hits, Enter opens the chat
 * at the hit, Escape clears. Ctrl+K (⌘K) anywhere on the page puts the focus in the box.
 */
@Component({
  selector: 'app-message-search-box',
  imports: [SearchSnippet],
  templateUrl: './message-search-box.html',
  styleUrl: './message-search-box.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    '[class.showing-results]': 'showingResults()',
    '(document:keydown)': 'onDocumentKey($event)',
  },
})
export class MessageSearchBox {
  private readonly search = inject(MessageSearch);
  private readonly store = inject(SessionStore);
  private readonly navigator = inject(ChatNavigator);
  private readonly announcer = inject(Announcer);
  private readonly injector = inject(Injector);
  private readonly input = viewChild.required<ElementRef<HTMLInputElement>>('input');
  private readonly results = viewChild<ElementRef<HTMLElement>>('results');

  protected readonly state = this.search.state;
  /** What the box holds: searched after a pause in typing, or at once on Enter. */
  protected readonly text = signal('');
  /** Index of the active hit in `ordered()`; -1 when none is. */
  protected readonly active = signal(-1);
  protected readonly groups = computed(() =>
    groupHitsByChat(this.state().hits).map((group) => ({ ...group, name: this.chatName(group.hits[0]!) })),
  );
  protected readonly ordered = computed(() => hitsInGroupOrder(this.groups()));
  protected readonly activeHit = computed(() => this.ordered()[this.active()] ?? null);
  protected readonly showingResults = computed(() => this.state().status !== 'idle');
  /** The chat searched, by name; null when every chat is. */
  protected readonly scopeName = computed(() => {
    const chatId = this.state().chatId;
    if (!chatId) return null;
    const chat = this.store.chatById(chatId);
    return chat ? chatTitle(chat, this.store.me().id, (id) => this.store.userById(id)) : 'this chat';
  });
  /** Told to screen readers (through the page's one live region) as the results change. */
  protected readonly summary = computed(() => {
    const state = this.state();
    if (state.status === 'loading') return 'Searching…';
    if (state.status === 'failed') return state.error ?? '';
    if (state.status !== 'done') return '';
    const count = state.hits.length;
    if (count === 0) return 'No messages found.';
    return `${count}${state.next ? '+' : ''} message${count === 1 ? '' : 's'} found in ${this.groups().length} chat${this.groups().length === 1 ? '' : 's'}.`;
  });

  private typingTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    inject(DestroyRef).onDestroy(() => clearTimeout(this.typingTimer));
    // Asked to take the focus (Ctrl+K, "Search in this chat").
    effect(() => {
      if (this.search.focusRequests() === 0) return;
      untracked(() => afterNextRender(() => this.focusBox(), { injector: this.injector }));
    });
    // What was found is told once, through the page's announcer.
    effect(() => {
      const summary = this.summary();
      if (summary) untracked(() => this.announcer.announce(summary));
    });
    // A new search: no hit is active until the arrow keys pick one.
    effect(() => {
      if (this.state().status === 'loading') untracked(() => this.active.set(-1));
    });
    // The active hit stays in sight.
    effect(() => {
      const hit = this.activeHit();
      if (!hit) return;
      untracked(() =>
        afterNextRender(() => this.results()?.nativeElement.querySelector(`#${this.optionId(hit)}`)?.scrollIntoView({ block: 'nearest' }), {
          injector: this.injector,
        }),
      );
    });
  }

  protected optionId(hit: SearchHit): string {
    return `search-hit-${hit.messageId}`;
  }

  protected groupId(chatId: string): string {
    return `search-group-${chatId}`;
  }

  protected senderName(hit: SearchHit): string {
    if (hit.senderId === null) return 'Deleted account';
    if (hit.senderId === this.store.me().id) return 'You';
    const sender = this.store.userById(hit.senderId);
    return sender ? fullName(sender) : 'Someone';
  }

  protected time(hit: SearchHit): string {
    return listTime(hit.createdAt);
  }

  protected fullTime(hit: SearchHit): string {
    return fullTime(hit.createdAt);
  }

  protected onInput(event: Event): void {
    const value = (event.target as HTMLInputElement).value;
    this.text.set(value);
    clearTimeout(this.typingTimer);
    if (!value.trim()) {
      this.search.clear();
      return;
    }
    this.typingTimer = setTimeout(() => void this.search.search(value), TYPING_PAUSE_MS);
  }

  protected onKey(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      if (!this.text() && !this.state().chatId) return;
      event.preventDefault();
      event.stopPropagation();
      this.clear();
      return;
    }
    if (event.key === 'Enter') {
      event.preventDefault();
      const hit = this.activeHit();
      if (hit) this.open(hit);
      else this.searchNow();
      return;
    }
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const next = movedActive(this.active(), this.ordered().length, event.key);
    if (next === null) return;
    event.preventDefault();
    this.active.set(next);
  }

  /** Ctrl+K / ⌘K from anywhere on the page. */
  protected onDocumentKey(event: KeyboardEvent): void {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey || event.key.toLowerCase() !== 'k') return;
    event.preventDefault();
    this.focusBox();
  }

  /** Escape or the clear button: the query and its results go; a second time, the chat limit too. */
  protected clear(): void {
    clearTimeout(this.typingTimer);
    if (this.text() || this.state().status !== 'idle') {
      this.text.set('');
      this.search.clear();
    } else {
      this.search.clear(true);
    }
    this.focusBox();
  }

  protected searchEverywhere(): void {
    clearTimeout(this.typingTimer);
    this.search.clear(true);
    if (this.text().trim()) void this.search.search(this.text());
    this.focusBox();
  }

  protected retry(): void {
    this.searchNow();
  }

  protected async loadMore(): Promise<void> {
    const before = this.ordered().length;
    await this.search.loadMore();
    // With no further page the button goes: the focus returns to the box, at the first new hit.
    if (!this.state().next && this.ordered().length > before) {
      this.active.set(before);
      this.focusBox();
    }
  }

  /** Opens the hit's chat at the hit. */
  protected open(hit: SearchHit): void {
    this.active.set(this.ordered().indexOf(hit));
    this.navigator.openAt(hit.chatId, hit.messageId);
  }

  private searchNow(): void {
    clearTimeout(this.typingTimer);
    void this.search.search(this.text());
  }

  private focusBox(): void {
    const input = this.input().nativeElement;
    input.focus();
    input.select();
  }

  private chatName(hit: SearchHit): string {
    if (hit.chatKind === 'group') return hit.chatName ?? 'Group';
    const peer = this.store.userById(hit.peerId);
    return peer ? fullName(peer) : 'Direct chat';
  }
}
