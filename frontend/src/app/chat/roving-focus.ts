import { focusedElement } from '../core/focused-element';
import { Directive, ElementRef, afterEveryRender, inject } from '@angular/core';

/**
 * Makes a long list of buttons one stop in the Tab order: Tab enters the list at the item
 * marked `aria-current` (or the one last used), the arrow keys move within it, Home and End
 * jump to its ends. Each `<li>` is a row; Left and Right move between the buttons of a row.
 */
@Directive({
  selector: '[appRovingFocus]',
  host: {
    '(keydown)': 'onKey($event)',
    '(focusin)': 'onFocusIn($event)',
  },
})
export class RovingFocus {
  private readonly list = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
  /** The item that takes focus when Tab enters the list. */
  private current: HTMLElement | null = null;

  constructor() {
    afterEveryRender({ write: () => this.updateTabStops() });
  }

  protected onFocusIn(event: FocusEvent): void {
    const target = event.target as HTMLElement;
    if (this.items().includes(target)) {
      this.current = target;
      this.updateTabStops();
    }
  }

  protected onKey(event: KeyboardEvent): void {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const rows = this.rows();
    const row = rows.findIndex((buttons) => buttons.includes(event.target as HTMLElement));
    if (row < 0) return;
    const column = rows[row]!.indexOf(event.target as HTMLElement);
    let next: HTMLElement | undefined;
    switch (event.key) {
      case 'ArrowDown':
        next = this.at(rows[Math.min(row + 1, rows.length - 1)]!, column);
        break;
      case 'ArrowUp':
        next = this.at(rows[Math.max(row - 1, 0)]!, column);
        break;
      case 'ArrowRight':
        next = rows[row]![column + 1];
        break;
      case 'ArrowLeft':
        next = rows[row]![column - 1];
        break;
      case 'Home':
        next = rows[0]![0];
        break;
      case 'End':
        next = rows.at(-1)![0];
        break;
      default:
        return;
    }
    event.preventDefault();
    if (next) {
      this.current = next;
      this.updateTabStops();
      next.focus();
    }
  }

  /** The buttons of each row (`li`) that has any. */
  private rows(): HTMLElement[][] {
    return Array.from(this.list.querySelectorAll<HTMLElement>(':scope > li'))
      .map((li) => Array.from(li.querySelectorAll<HTMLElement>('button:not([disabled])')))
      .filter((buttons) => buttons.length > 0);
  }

  private items(): HTMLElement[] {
    return this.rows().flat();
  }

  private at(row: HTMLElement[], column: number): HTMLElement | undefined {
    return row[Math.min(column, row.length - 1)];
  }

  /**
   * Exactly one item of the list is reachable with Tab: while focus is elsewhere, the one
   * marked `aria-current` if there is one, else the one used last, else the first.
   */
  private updateTabStops(): void {
    const items = this.items();
    const marked = items.find((item) => item.getAttribute('aria-current') === 'true');
    if (marked && !this.list.contains(focusedElement())) this.current = marked;
    if (!this.current || !items.includes(this.current)) this.current = items[0] ?? null;
    for (const item of items) item.tabIndex = item === this.current ? 0 : -1;
  }
}
