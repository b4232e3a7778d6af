import { ChangeDetectionStrategy, Component, type ElementRef, inject, output, signal, viewChild } from '@angular/core';
import { MAX_MESSAGE_LENGTH } from '@shared';
import { Outbox } from '../../outbox/outbox.service';
import { TypingService } from '../../typing/typing.service';
import { ChatBoxModel } from './chat-box-model';

/** Where the user writes: Enter sends, Shift+Enter breaks the line, typing is announced. */
@Component({
  selector: 'form[appComposer]',
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
  private readonly outbox = inject(Outbox);
  private readonly field = viewChild.required<ElementRef<HTMLTextAreaElement>>('field');

  protected readonly maxLength = MAX_MESSAGE_LENGTH;
  protected readonly draft = signal('');
  /** A message went out. */
  readonly sent = output<void>();

  focus(): void {
    this.field().nativeElement.focus();
  }

  protected onInput(event: Event): void {
    const value = (event.target as HTMLTextAreaElement).value;
    this.draft.set(value);
    if (value.trim()) this.typing.noteTyping(this.box.chatId());
    else this.typing.stopTyping(this.box.chatId());
  }

  protected onEnter(event: Event): void {
    const key = event as KeyboardEvent;
    if (key.shiftKey || key.isComposing) return;
    event.preventDefault();
    this.send();
  }

  protected send(): void {
    const text = this.draft().trim();
    if (!text || this.box.partnerBlocked()) return;
    this.outbox.send(this.box.chatId(), text);
    this.draft.set('');
    this.sent.emit();
    // The binding may not have seen the typed text yet; clear the field itself too.
    const field = this.field().nativeElement;
    field.value = '';
    field.focus();
  }
}
