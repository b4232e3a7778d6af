import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import type { QuoteView } from './message-views';

/** The message a reply answers, inside the reply's bubble; activating it goes to the original. */
@Component({
  selector: 'app-reply-quote',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <button
      type="button"
      class="quote"
      data-testid="reply-quote"
      [class.deleted]="quote().deleted"
      [attr.aria-label]="label()"
      (click)="jump.emit(quote().messageId)"
    >
      @if (quote().deleted) {
        <span class="preview">Message deleted</span>
      } @else {
        <span class="who">{{ quote().senderName }}</span>
        <span class="preview" data-testid="reply-quote-preview">{{ quote().preview }}</span>
      }
    </button>
  `,
  styles: `
    :host {
      display: block;
      margin: 2px 0 4px;
    }
    .quote {
      display: flex;
      flex-direction: column;
      width: 100%;
      padding: 3px 8px;
      border: none;
      border-left: 3px solid var(--accent);
      border-radius: 6px;
      background: var(--tint);
      color: var(--ink-soft);
      font-size: 0.82rem;
      text-align: left;
      cursor: pointer;
    }
    .quote:hover {
      background: var(--hover);
    }
    .who {
      font-weight: 700;
      color: var(--brand-text);
    }
    .preview {
      display: -webkit-box;
      -webkit-line-clamp: 2;
      -webkit-box-orient: vertical;
      overflow: hidden;
      overflow-wrap: anywhere;
    }
    .deleted .preview {
      font-style: italic;
    }
  `,
})
export class ReplyQuote {
  readonly quote = input.required<QuoteView>();
  /** Go to the original: the id of the message quoted. */
  readonly jump = output<string>();

  protected label(): string {
    const quote = this.quote();
    return quote.deleted ? 'Reply to a deleted message' : `Go to the message from ${quote.senderName}: ${quote.preview}`;
  }
}
