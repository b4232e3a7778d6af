import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterOutlet } from '@angular/router';
import { ToastService } from './core/toast.service';

@Component({
  selector: 'app-root',
  imports: [RouterOutlet],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <a class="skip-link" href="#main-content" data-testid="skip-link" (click)="skipToMain($event)">Skip to main content</a>
    <router-outlet />
    <div class="toasts" aria-live="polite" role="status">
      @for (toast of toasts.toasts(); track toast.id) {
        <div class="toast" [class.toast-error]="toast.kind === 'error'" data-testid="toast">
          <span>{{ toast.text }}</span>
          <button type="button" class="icon-button" aria-label="Dismiss" (click)="toasts.dismiss(toast.id)">×</button>
        </div>
      }
    </div>
  `,
  styles: `
    .toasts {
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
      font-size: 0.92rem;
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
export class App {
  protected readonly toasts = inject(ToastService);
  private readonly document = inject(DOCUMENT);

  /** Moves the focus to the page's main content (every page has a `<main id="main-content">`). */
  protected skipToMain(event: Event): void {
    const main = this.document.getElementById('main-content');
    if (!main) return;
    event.preventDefault();
    if (!main.hasAttribute('tabindex')) main.setAttribute('tabindex', '-1');
    main.focus();
  }
}
