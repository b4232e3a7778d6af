import { Directive, ElementRef, afterNextRender, inject, output } from '@angular/core';

/**
 * Opens a native <dialog> as a modal once rendered: focus moves in, Escape and the backdrop
 * close it, and `closed` tells the owner to remove it.
 */
@Directive({
  selector: 'dialog[appModal]',
  host: {
    class: 'app-dialog',
    '(close)': 'closed.emit()',
    '(click)': 'onClick($event)',
  },
})
export class ModalDialog {
  private readonly dialog = inject<ElementRef<HTMLDialogElement>>(ElementRef).nativeElement;
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

  /** A click on the backdrop lands on the dialog element itself. */
  protected onClick(event: MouseEvent): void {
    if (event.target === this.dialog) this.close();
  }
}
