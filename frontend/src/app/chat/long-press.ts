import { Directive, DestroyRef, ElementRef, inject, output } from '@angular/core';

/** How long a finger has to rest on the element. */
export const LONG_PRESS_MS = 500;
/** Moving further than this (a scroll) is not a press. */
const SLOP_PX = 10;

/**
 * `(appLongPress)` fires when a finger (or pen) rests on the element for LONG_PRESS_MS without
 * moving: the phone's way to reach what a mouse finds by hovering. The context menu and the
 * click that the same press would cause are held back then.
 */
@Directive({
  selector: '[appLongPress]',
  host: {
    '(pointerdown)': 'onDown($event)',
    '(pointermove)': 'onMove($event)',
    '(pointerup)': 'cancel()',
    '(pointercancel)': 'cancel()',
    '(pointerleave)': 'cancel()',
    '(contextmenu)': 'onContextMenu($event)',
  },
})
export class LongPress {
  readonly appLongPress = output<void>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private start: { x: number; y: number } | null = null;
  private fired = false;

  constructor() {
    const element: HTMLElement = inject(ElementRef).nativeElement;
    // Capturing on the element itself runs before the element's own click handlers.
    const swallowClick = (event: Event) => {
      if (!this.fired) return;
      this.fired = false;
      event.preventDefault();
      event.stopImmediatePropagation();
    };
    element.addEventListener('click', swallowClick, { capture: true });
    inject(DestroyRef).onDestroy(() => {
      this.cancel();
      element.removeEventListener('click', swallowClick, { capture: true });
    });
  }

  protected onDown(event: PointerEvent): void {
    this.cancel();
    this.fired = false;
    if (event.pointerType === 'mouse') return;
    this.start = { x: event.clientX, y: event.clientY };
    this.timer = setTimeout(() => {
      this.timer = null;
      this.fired = true;
      this.appLongPress.emit();
    }, LONG_PRESS_MS);
  }

  protected onMove(event: PointerEvent): void {
    if (!this.start) return;
    if (Math.hypot(event.clientX - this.start.x, event.clientY - this.start.y) > SLOP_PX) this.cancel();
  }

  protected cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.start = null;
  }

  protected onContextMenu(event: Event): void {
    if (this.fired || this.timer) event.preventDefault();
  }
}
