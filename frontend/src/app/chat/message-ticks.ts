import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { TickState } from '../chats/state/tick-state';

const LABELS: Record<TickState, string> = {
  pending: 'Sending',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Seen',
};

const MARKS: Record<Exclude<TickState, 'pending'>, string> = {
  sent: '✓',
  delivered: '✓✓',
  read: '✓✓',
};

/** ✓ stored, ✓✓ delivered to everyone, coloured ✓✓ seen by everyone; a clock while sending. */
@Component({
  selector: 'app-message-ticks',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <span class="ticks" data-testid="tick" role="img" [attr.data-state]="state()" [attr.aria-label]="text()" [title]="text()">
      @if (state() === 'pending') {
        <svg aria-hidden="true" width="12" height="12" viewBox="0 0 16 16">
          <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" stroke-width="1.5" />
          <path d="M8 4.5V8l2.5 1.5" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" />
        </svg>
      } @else {
        <span aria-hidden="true">{{ mark() }}</span>
      }
    </span>
    @if (state() === 'read' && showSeen()) {
      <span class="seen" data-testid="seen">Seen{{ seenAt() ? ' ' + seenAt() : '' }}</span>
    }
  `,
  styles: `
    :host {
      display: inline-flex;
      align-items: center;
      gap: 4px;
    }
    .ticks {
      font-size: 0.78rem;
      letter-spacing: -0.22em;
      padding-right: 0.22em;
      color: var(--muted);
      line-height: 1;
    }
    .ticks[data-state='pending'] {
      display: inline-flex;
      letter-spacing: 0;
      padding-right: 0;
    }
    .ticks[data-state='read'] {
      color: var(--read);
      font-weight: 700;
    }
    .seen {
      font-size: 0.72rem;
      color: var(--read);
      font-weight: 600;
    }
  `,
})
export class MessageTicks {
  readonly state = input.required<TickState>();
  /** The word "Seen" beside the ticks (only on the newest of our read messages). */
  readonly showSeen = input(false);
  /** When it was seen (a clock time), shown after "Seen" when known. */
  readonly seenAt = input<string | null>(null);
  /** What the ticks mean in words (e.g. how many in a group have it); by default the state's name. */
  readonly label = input<string | null>(null);

  protected readonly text = computed(() => this.label() ?? LABELS[this.state()]);
  protected readonly mark = computed(() => {
    const state = this.state();
    return state === 'pending' ? '' : MARKS[state];
  });
}
