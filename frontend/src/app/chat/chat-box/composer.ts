import {
  ChangeDetectionStrategy,
  Component,
  type ElementRef,
  Injector,
  afterNextRender,
  computed,
  effect,
  inject,
  output,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { MAX_MESSAGE_LENGTH } from '@shared';
import { fullName } from '../../core/full-name';
import { Drafts } from '../../offline/drafts.service';
import { mentionNameOf } from '../../mentions/state/mention-names';
import { mentionQueryAt, mentionSuggestions, moveActive, pickMention, type MentionQuery } from '../../mentions/state/mention-query';
import { toReadable, toTokens, type Mentionable } from '../../mentions/state/mention-text';
import { SessionStore } from '../../session/session-store';
import { MessageActions } from '../../timeline/message-actions.service';
import { TypingService } from '../../typing/typing.service';
import { EmojiPickerDialog } from '../emoji-picker-dialog';
import { markdownText } from '../markdown';
import { messageLine } from '../../attachments/state/attachment-summary';
import { fileSize } from '../../attachments/state/file-size';
import { likelyKind } from '../../attachments/state/picked-files';
import { ChatBoxModel } from './chat-box-model';
import { ComposerFiles } from './composer-files';
import { ComposerIntent } from './composer-intent';

/** How much of the message answered the reply banner shows. */
const BANNER_PREVIEW_LENGTH = 80;
/** From how many characters the composer shows how close the message is to the limit. */
export const COUNTER_FROM = 3500;
const count = new Intl.NumberFormat('en-US');

/**
 * Where the user writes: Enter sends, Shift+Enter breaks the line, typing is announced. It also
 * answers a message (the banner says which) and edits one of ours in place of a new one: Up in an
 * empty field edits the newest, Enter saves, Escape cancels either.
 *
 * Typing `@` offers the chat's other members, filtered by name and username as the user types
 * (a listbox the field controls: arrows move, Enter or Tab picks, Escape closes, a click picks).
 * The field shows `@Name`; what is sent carries the `<@userId>` token (mention-text.ts), and a
 * message being edited shows its tokens as names again.
 *
 * Files come with the attach button, a drop on the chat box, or a picture pasted into the field;
 * they wait above the field (each can be taken off) and go with the next message, whose text is
 * then their optional caption.
 */
@Component({
  selector: 'form[appComposer]',
  imports: [EmojiPickerDialog],
  templateUrl: './composer.html',
  styleUrl: './composer.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    '(submit)': '$event.preventDefault(); send()',
  },
})
export class Composer {
  protected readonly box = inject(ChatBoxModel);
  protected readonly typing = inject(TypingService);
  protected readonly intent = inject(ComposerIntent);
  protected readonly attached = inject(ComposerFiles);
  private readonly actions = inject(MessageActions);
  private readonly store = inject(SessionStore);
  private readonly drafts = inject(Drafts);
  private readonly injector = inject(Injector);
  private readonly field = viewChild.required<ElementRef<HTMLTextAreaElement>>('field');
  private readonly fileInput = viewChild<ElementRef<HTMLInputElement>>('fileInput');
  protected readonly fileSize = fileSize;
  protected readonly likelyKind = likelyKind;
  /** Something to send: text, or files (then the text is their optional caption). */
  protected readonly sendable = computed(() => !!this.draft().trim() || (!this.intent.editing() && this.attached.files().length > 0));

  protected readonly maxLength = MAX_MESSAGE_LENGTH;
  protected readonly draft = signal('');
  protected readonly picking = signal(false);
  /** A message went out. */
  readonly sent = output<void>();

  /** The chat's other members, as the autocomplete offers them and as `@Name` is turned into tokens. */
  protected readonly mentionable = computed<Mentionable[]>(() => {
    const myId = this.box.me().id;
    return (this.box.chat()?.members ?? []).flatMap((member) => {
      const user = member.userId === myId ? undefined : this.store.userById(member.userId);
      return user ? [{ id: user.id, name: fullName(user), username: user.username }] : [];
    });
  });
  /** The `@…` being typed at the caret. */
  private readonly mention = signal<MentionQuery | null>(null);
  private caretAt = 0;
  /** The mention whose suggestions were closed with Escape: they stay closed until it changes. */
  private readonly dismissed = signal<MentionQuery | null>(null);
  protected readonly suggestions = computed(() => {
    const mention = this.mention();
    const dismissed = this.dismissed();
    if (!mention || (dismissed?.start === mention.start && dismissed.query === mention.query)) return [];
    return mentionSuggestions(this.mentionable(), mention.query);
  });
  protected readonly activeSuggestion = signal(0);
  protected readonly suggesting = computed(() => this.suggestions().length > 0);

  /** What is sent: the draft with its `@Name`s as tokens, trimmed. */
  private readonly wire = computed(() => toTokens(this.draft(), this.mentionable()).trim());
  /** The message's length as the server counts it: trimmed, mentions as their tokens. */
  protected readonly length = computed(() => this.wire().length);
  /** How many characters must go before the message can be sent; 0 when it fits. */
  protected readonly overBy = computed(() => Math.max(0, this.length() - this.maxLength));
  /** "3,612 / 4,000" near the limit, null well under it. */
  protected readonly counter = computed(() =>
    this.length() >= COUNTER_FROM ? `${count.format(this.length())} / ${count.format(this.maxLength)}` : null,
  );
  protected readonly overText = computed(() => {
    const over = this.overBy();
    return over === 0 ? '' : `Too long: remove ${count.format(over)} ${over === 1 ? 'character' : 'characters'} to send.`;
  });

  /** "Bruno Costa: see you at…" for the reply banner. */
  protected readonly replyBanner = computed(() => {
    const message = this.intent.replyTo();
    if (!message) return null;
    const me = message.senderId === this.box.me().id;
    const sender = me ? null : this.store.userById(message.senderId);
    const name = me ? 'yourself' : sender ? fullName(sender) : 'Someone';
    const text = messageLine(markdownText(message.body, mentionNameOf((id) => this.store.userById(id))), message.attachments);
    const preview = text.length > BANNER_PREVIEW_LENGTH ? `${text.slice(0, BANNER_PREVIEW_LENGTH)}…` : text;
    return { name, preview };
  });

  /** The draft put aside while a message is edited; it comes back when the edit ends. */
  private setAside = '';
  /** Where an emoji chosen in the picker goes, and whether one was. */
  private caret: { start: number; end: number } | null = null;
  private inserted = false;

  constructor() {
    effect(() => {
      if (this.intent.focusRequests() === 0) return;
      untracked(() => this.beginIntent());
    });
    // Files dropped on the box: writing a caption goes on in the field.
    effect(() => {
      if (this.attached.focusRequests() === 0) return;
      afterNextRender(() => this.focus(), { injector: this.injector });
    });
    // The chat's draft comes back (kept while the box was closed, or by the browser over a reload).
    let draftShown = false;
    effect(() => {
      if (draftShown || !this.drafts.loaded()) return;
      draftShown = true;
      untracked(() => {
        const saved = this.drafts.textOf(this.box.chatId());
        if (saved && !this.draft()) this.draft.set(saved);
      });
    });
  }

  focus(): void {
    this.field().nativeElement.focus();
  }

  protected onInput(event: Event): void {
    const field = event.target as HTMLTextAreaElement;
    const value = field.value;
    this.draft.set(value);
    this.followCaret(field);
    if (this.intent.editing()) return;
    this.drafts.set(this.box.chatId(), value);
    if (value.trim()) this.typing.noteTyping(this.box.chatId());
    else this.typing.stopTyping(this.box.chatId());
  }

  protected onEnter(event: Event): void {
    const key = event as KeyboardEvent;
    if (key.shiftKey || key.isComposing) return;
    event.preventDefault();
    if (this.suggesting()) {
      this.pickSuggestion(this.activeSuggestion());
      return;
    }
    this.send();
  }

  /** Tab picks the highlighted person while suggestions show; otherwise it moves focus as usual. */
  protected onTab(event: Event): void {
    if (!this.suggesting() || (event as KeyboardEvent).shiftKey) return;
    event.preventDefault();
    this.pickSuggestion(this.activeSuggestion());
  }

  /** Arrows, Home and End move through the suggestions while they show. */
  protected onSuggestionKey(event: Event): boolean {
    if (!this.suggesting()) return false;
    const key = (event as KeyboardEvent).key as 'ArrowDown' | 'ArrowUp' | 'Home' | 'End';
    event.preventDefault();
    this.activeSuggestion.update((active) => moveActive(active, this.suggestions().length, key));
    return true;
  }

  /** The caret moved (a click, an arrow sideways): the mention being typed may have changed. */
  protected onCaretMove(event: Event): void {
    this.followCaret(event.target as HTMLTextAreaElement);
  }

  protected pickSuggestion(index: number): void {
    const person = this.suggestions()[index];
    const mention = this.mention();
    if (!person || !mention) return;
    const picked = pickMention(this.draft(), mention, this.caretAt, person);
    this.setDraft(picked.text);
    this.mention.set(null);
    const field = this.field().nativeElement;
    field.focus();
    field.setSelectionRange(picked.caret, picked.caret);
    this.caretAt = picked.caret;
  }

  protected suggestionId(index: number): string {
    return `mention-${this.box.chatId()}-${index}`;
  }

  private followCaret(field: HTMLTextAreaElement): void {
    this.caretAt = field.selectionStart ?? field.value.length;
    const mention = mentionQueryAt(field.value, this.caretAt);
    const before = this.mention();
    if (mention?.start !== before?.start || mention?.query !== before?.query) this.activeSuggestion.set(0);
    this.mention.set(mention);
  }

  /** Up in an empty field edits our newest message; with suggestions showing it moves through them. */
  protected onArrowUp(event: Event): void {
    if (this.onSuggestionKey(event)) return;
    if (this.draft() !== '' || this.intent.editing()) return;
    const list = this.box.timeline()?.list ?? [];
    const myId = this.box.me().id;
    const newest = [...list].reverse().find((m) => m.senderId === myId && m.kind === 'text' && !m.local && m.deletedAt === null);
    if (!newest) return;
    event.preventDefault();
    this.intent.edit(newest);
  }

  /** Escape closes the suggestions, or ends an edit (the draft before it comes back) or a reply; otherwise the box handles it. */
  protected onEscape(event: Event): void {
    if (this.suggesting()) {
      event.preventDefault();
      event.stopPropagation();
      this.dismissed.set(this.mention());
      return;
    }
    if (!this.intent.editing() && !this.intent.replyTo()) return;
    event.preventDefault();
    event.stopPropagation();
    this.cancelIntent();
  }

  protected cancelIntent(): void {
    const wasEditing = !!this.intent.editing();
    this.intent.clear();
    if (wasEditing) this.setDraft(this.setAside);
    this.setAside = '';
    this.focus();
  }

  protected send(): void {
    const text = this.wire();
    if (!this.sendable() || this.box.partnerBlocked() || this.overBy() > 0) return;
    const chatId = this.box.chatId();
    const editing = this.intent.editing();
    if (editing) {
      if (!text) return;
      this.actions.edit(chatId, editing.id, text);
      this.cancelIntent();
      return;
    }
    const replyTo = this.intent.replyTo();
    this.actions.send(chatId, text, replyTo?.id, this.attached.take());
    this.drafts.clear(chatId);
    this.intent.clear();
    this.draft.set('');
    this.mention.set(null);
    this.sent.emit();
    // The binding may not have seen the typed text yet; clear the field itself too.
    const field = this.field().nativeElement;
    field.value = '';
    field.focus();
  }

  protected chooseFiles(): void {
    this.fileInput()?.nativeElement.click();
  }

  protected onFilesChosen(event: Event): void {
    const input = event.target as HTMLInputElement;
    this.attached.add(Array.from(input.files ?? []), 'picked');
    // The same file may be chosen again later.
    input.value = '';
  }

  /** A picture (or other file) pasted into the field joins the files; pasted text stays text. */
  protected onPaste(event: ClipboardEvent): void {
    const data = event.clipboardData;
    const files = Array.from(data?.files ?? []);
    if (files.length === 0 || this.intent.editing() || data?.types.includes('text/plain')) return;
    event.preventDefault();
    this.attached.add(files, 'pasted');
  }

  protected openPicker(): void {
    const field = this.field().nativeElement;
    this.caret = { start: field.selectionStart, end: field.selectionEnd };
    this.inserted = false;
    this.picking.set(true);
  }

  protected insertEmoji(emoji: string): void {
    const value = this.draft();
    const { start, end } = this.caret ?? { start: value.length, end: value.length };
    this.setDraft(value.slice(0, start) + emoji + value.slice(end));
    if (!this.intent.editing()) this.drafts.set(this.box.chatId(), this.draft());
    this.caret = { start: start + emoji.length, end: start + emoji.length };
    this.inserted = true;
  }

  /** The picker closed: with an emoji put in, writing goes on right after it. */
  protected pickerClosed(): void {
    this.picking.set(false);
    if (!this.inserted || !this.caret) return;
    const field = this.field().nativeElement;
    field.focus();
    field.setSelectionRange(this.caret.start, this.caret.end);
  }

  private beginIntent(): void {
    const editing = this.intent.editing();
    if (editing) {
      if (!this.setAside) this.setAside = this.draft();
      this.typing.stopTyping(this.box.chatId());
      this.setDraft(toReadable(editing.body, mentionNameOf((id) => this.store.userById(id))));
    }
    afterNextRender(
      () => {
        const field = this.field().nativeElement;
        field.focus();
        field.setSelectionRange(field.value.length, field.value.length);
      },
      { injector: this.injector },
    );
  }

  private setDraft(value: string): void {
    this.draft.set(value);
    this.mention.set(null);
    this.field().nativeElement.value = value;
  }

}
