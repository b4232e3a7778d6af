import { focusedElement } from '../core/focused-element';
import { Directive, ElementRef, afterNextRender, inject, output } from '@angular/core';

/** What Tab can land on inside a dialog. */
const FOCUSABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  '[tabindex]:not([tabindex="-1"])',
].join(', ');

/**
 * Opens a native <dialog> as a modal once rendered: focus moves in and stays in (Tab wraps
 * around at either end), Escape and the backdrop close it, focus goes back to the control
 * that opened it, and `closed` tells the owner to remove it.
 */
@Directive({
  selector: 'dialog[appModal]',
  host: {
    class: 'app-dialog',
    '(close)': 'onClose()',
    '(click)': 'onClick($event)',
    '(keydown.escape)': 'onEscape($event)',
    '(keydown.tab)': 'onTab($event, false)',
    '(keydown.shift.tab)': 'onTab($event, true)',
  },
})
export class ModalDialog {
  private readonly dialog = inject<ElementRef<HTMLDialogElement>>(ElementRef).nativeElement;
  /** The control focused when the dialog was asked for: focus returns there. */
  private readonly opener = asHtmlElement(focusedElement());
  readonly closed = output<void>();

  constructor() {
    afterNextRender(() => {
      if (!this.dialog.open) this.dialog.showModal();
    });
  }

  close(): void {
    if (this.dialog.open) this.dialog.close();
    else this.closed.emit();
  }

  /**
   * Back to the opener, unless focus already went somewhere on purpose (say, into the chat
   * the dialog just created). Owners whose opener is gone (a menu item) place focus on
   * `closed` themselves.
   */
  protected onClose(): void {
    const focused = focusedElement();
    const focusIsLost = !focused || focused === document.body || this.dialog.contains(focused);
    if (focusIsLost && this.opener?.isConnected && this.opener !== document.body) this.opener.focus();
    this.closed.emit();
  }

  /** A click on the backdrop lands on the dialog element itself. */
  protected onClick(event: MouseEvent): void {
    if (event.target === this.dialog) this.close();
  }

  protected onEscape(event: Event): void {
    event.preventDefault();
    event.stopPropagation();
    this.close();
  }

  /** Tab from the last control goes to the first, Shift+Tab from the first to the last. */
  protected onTab(event: Event, backwards: boolean): void {
    const controls = Array.from(this.dialog.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
      (element) => element.getClientRects().length > 0,
    );
    const first = controls[0];
    const last = controls.at(-1);
    if (!first || !last) return;
    const current = focusedElement();
    const wrapTo = backwards ? (current === first || current === this.dialog ? last : null) : current === last ? first : null;
    if (wrapTo) {
      event.preventDefault();
      wrapTo.focus();
    }
  }
}

function asHtmlElement(element: Element | null): HTMLElement | null {
  return element instanceof HTMLElement ? element : null;
}
