import { ChangeDetectionStrategy, Component, input, output, signal } from '@angular/core';
import { LongPress } from '../long-press';
import type { ReactionView } from './reaction-views';

/** A reaction turned on or off by the user. */
export interface ReactionToggle {
  emoji: string;
  on: boolean;
}

/**
 * The reactions under a message: emoji and count, ours highlighted. A click turns ours on or off;
 * who reacted shows on hover and, on a phone, on a long press.
 */
@Component({
  selector: 'app-reaction-chips',
  imports: [LongPress],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { 'data-testid': 'reactions' },
  template: `
    <div class="chips" role="group" aria-label="Reactions">
      @for (reaction of reactions(); track reaction.emoji) {
        <button
          type="button"
          class="chip"
          data-testid="reaction-chip"
          [attr.data-emoji]="reaction.emoji"
          [class.mine]="reaction.mine"
          [class.pending]="reaction.pending"
          [attr.aria-pressed]="reaction.mine"
          [attr.aria-label]="reaction.emoji + ' ' + reaction.count + ', ' + reaction.names + (reaction.pending ? ' (saving)' : '')"
          [title]="reaction.names"
          [disabled]="!enabled()"
          (appLongPress)="showing.set(reaction.emoji)"
          (click)="toggled.emit({ emoji: reaction.emoji, on: !reaction.mine })"
        >
          <span class="emoji" aria-hidden="true">{{ reaction.emoji }}</span>
          <span class="count" aria-hidden="true">{{ reaction.count }}</span>
        </button>
      }
    </div>
    @if (shownNames(); as names) {
      <p class="who" role="status" data-testid="reaction-names">
        {{ names }}
        <button type="button" class="close" aria-label="Hide who reacted" (click)="showing.set(null)">×</button>
      </p>
    }
  `,
  styles: `
    :host {
      display: block;
      margin-top: -4px;
      padding: 0 6px;
      position: relative;
    }
    .chips {
      display: flex;
      flex-wrap: wrap;
      gap: 4px;
    }
    .chip {
      display: inline-flex;
      align-items: center;
      gap: 3px;
      height: 24px;
      padding: 0 7px;
      border: 1px solid var(--line);
      border-radius: 12px;
      background: var(--surface);
      box-shadow: var(--shadow);
      font-size: 0.8rem;
      cursor: pointer;
    }
    .chip.mine {
      border-color: var(--accent);
      background: var(--brand-soft);
      color: var(--brand-strong);
      font-weight: 700;
    }
    .chip.pending {
      opacity: 0.6;
      border-style: dashed;
    }
    .chip:disabled {
      cursor: default;
    }
    .emoji {
      font-family: var(--emoji-font);
      font-size: 0.95rem;
      line-height: 1;
    }
    .who {
      display: flex;
      align-items: center;
      gap: 6px;
      margin: 4px 0 0;
      padding: 2px 8px;
      border-radius: 8px;
      background: var(--inverse);
      color: var(--on-inverse);
      font-size: 0.75rem;
    }
    .close {
      border: none;
      background: none;
      color: inherit;
      cursor: pointer;
    }
  `,
})
export class ReactionChips {
  readonly reactions = input.required<ReactionView[]>();
  /** Whether the chips can be clicked (a stored message that is not deleted). */
  readonly enabled = input(true);
  readonly toggled = output<ReactionToggle>();

  /** The emoji whose reactors a long press asked to see. */
  protected readonly showing = signal<string | null>(null);

  protected shownNames(): string | null {
    const emoji = this.showing();
    const reaction = emoji ? this.reactions().find((r) => r.emoji === emoji) : undefined;
    return reaction ? `${reaction.emoji} ${reaction.names}` : null;
  }
}
