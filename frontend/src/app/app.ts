import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterOutlet } from '@angular/router';
import { ToastList } from './core/toast-list';

@Component({
  selector: 'app-root',
  imports: [RouterOutlet, ToastList],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <a class="skip-link" href="#main-content" data-testid="skip-link" (click)="skipToMain($event)">Skip to main content</a>
    <router-outlet />
    <app-toast-list />
  `,
})
export class App {
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
