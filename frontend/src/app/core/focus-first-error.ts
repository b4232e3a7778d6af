import { afterNextRender, type Injector } from '@angular/core';

/**
 * After a submit failed, moves the focus to the first error the form shows once it is rendered:
 * the first field marked invalid (where the user fixes it, its message read with it), else the
 * first error message (made focusable for this). Without it the focus stays on a submit button
 * that may be disabled or removed, and falls back to <body>.
 */
export function focusFirstError(host: HTMLElement, injector: Injector): void {
  afterNextRender(
    () => {
      const target =
        host.querySelector<HTMLElement>('[aria-invalid="true"]') ?? host.querySelector<HTMLElement>('.form-error, .field-error');
      if (!target) return;
      const field = target.matches('input, select, textarea, button');
      if (!field && !target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
      target.focus();
    },
    { injector },
  );
}
