import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { TickState } from '../core/tick-state';

const LABELS: Record<TickState, string> = {
  pending: 'Sending',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Seen',
};

const MARKS: Record<TickState, string> = {
  pending: '🕓',
  sent: '✓',
  delivered: '✓✓',
  read: '✓✓',
};

/** ✓ stored, ✓✓ delivered to everyone, coloured ✓✓ seen by everyone; a clock while sending. */
@Component({
  selector: 'app-message-ticks',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <span class="ticks" data-testid="tick" role="img" [attr.data-state]="state()" [attr.aria-label]="label()" [title]="label()">
      <span aria-hidden="true">{{ mark() }}</span>
    </span>
    @if (state() === 'read' && showSeen()) {
      <span class="seen" data-testid="seen">Seen</span>
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
      letter-spacing: 0;
      padding-right: 0;
      font-size: 0.7rem;
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

  protected readonly label = computed(() => LABELS[this.state()]);
  protected readonly mark = computed(() => MARKS[this.state()]);
}
