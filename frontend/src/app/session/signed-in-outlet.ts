import { NgComponentOutlet } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, input, type Type } from '@angular/core';
import { SessionScope } from './session-scope';

/**
 * Shows a signed-in page under the session's injector, so the page and everything in it get the
 * session's services; when the session ends, the page goes with it.
 */
@Component({
  selector: 'app-signed-in-outlet',
  imports: [NgComponentOutlet],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (scope.injector(); as injector) {
      <ng-container *ngComponentOutlet="page(); environmentInjector: injector" />
    }
  `,
  styles: `
    :host {
      display: block;
      height: 100%;
    }
  `,
})
export class SignedInOutlet {
  protected readonly scope = inject(SessionScope);
  /** The page to show; the route hands it over. */
  readonly page = input.required<Type<unknown>>();
}
