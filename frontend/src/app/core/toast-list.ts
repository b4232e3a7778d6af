import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { ToastService } from './toast.service';

/** The toasts of ToastService at the foot of the window, each with a dismiss button; the app and the widget both show them. */
@Component({
  selector: 'app-toast-list',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { 'aria-live': 'polite', role: 'status' },
  template: `
    @for (toast of toasts.toasts(); track toast.id) {
      <div class="toast" [class.toast-error]="toast.kind === 'error'" data-testid="toast">
        <span>{{ toast.text }}</span>
        <button type="button" class="icon-button" aria-label="Dismiss" (click)="toasts.dismiss(toast.id)">×</button>
      </div>
    }
  `,
  styles: `
    :host {
      position: fixed;
      bottom: 16px;
      left: 50%;
      transform: translateX(-50%);
      display: flex;
      flex-direction: column;
      gap: 8px;
      z-index: 1000;
      width: min(92vw, 420px);
      pointer-events: none;
    }
    .toast {
      pointer-events: auto;
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 12px;
      padding: 10px 12px 10px 16px;
      border-radius: 10px;
      background: var(--inverse);
      color: var(--on-inverse);
      box-shadow: var(--shadow-lg);
      font-size: 0.92em;
    }
    .toast-error {
      background: var(--danger);
      color: var(--on-brand);
    }
    .toast .icon-button {
      color: inherit;
    }
  `,
})
export class ToastList {
  protected readonly toasts = inject(ToastService);
}
