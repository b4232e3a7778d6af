import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { ModalDialog } from './modal-dialog';

@Component({
  imports: [ModalDialog],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <button type="button" id="opener" (click)="open.set(true)">Open</button>
    <button type="button" id="elsewhere">Elsewhere</button>
    @if (open()) {
      <dialog appModal (closed)="open.set(false); closings = closings + 1" aria-label="Test dialog">
        <input id="first" />
        <button type="button" id="hidden-button" hidden>Never shown</button>
        <button type="button" id="last">Done</button>
      </dialog>
    }
  `,
})
class DialogHost {
  readonly open = signal(false);
  closings = 0;
}

describe('ModalDialog', () => {
  let fixture: ComponentFixture<DialogHost>;
  let host: HTMLElement;

  beforeEach(async () => {
    fixture = TestBed.createComponent(DialogHost);
    host = fixture.nativeElement;
    await fixture.whenStable();
  });

  const byId = <T extends HTMLElement>(id: string) => host.querySelector<T>(`#${id}`);
  const key = (target: Element, name: string, shiftKey = false) =>
    target.dispatchEvent(new KeyboardEvent('keydown', { key: name, shiftKey, bubbles: true, cancelable: true }));

  async function openFromOpener(): Promise<HTMLDialogElement> {
    byId('opener')!.focus();
    byId('opener')!.click();
    await fixture.whenStable();
    const dialog = host.querySelector('dialog')!;
    expect(dialog.open).toBeTrue();
    return dialog;
  }

  /** The native `close` event comes in a task of its own. */
  function closeEvent(dialog: HTMLDialogElement): Promise<unknown> {
    return new Promise((resolve) => dialog.addEventListener('close', resolve, { once: true }));
  }

  it('opens as a modal: what lies behind it cannot take focus', async () => {
    const dialog = await openFromOpener();
    expect(dialog.contains(document.activeElement)).toBeTrue();
    byId('elsewhere')!.focus();
    expect(document.activeElement).not.toBe(byId('elsewhere'));
  });

  it('closes on Escape and gives focus back to the control that opened it', async () => {
    const dialog = await openFromOpener();
    const closing = closeEvent(dialog);
    byId('first')!.focus();
    key(byId('first')!, 'Escape');
    expect(dialog.open).toBeFalse();
    await closing;
    await fixture.whenStable();
    expect(host.querySelector('dialog')).toBeNull();
    expect(fixture.componentInstance.closings).toBe(1);
    expect(document.activeElement).toBe(byId('opener'));
  });

  it('keeps Tab inside: past the last control it wraps to the first, and back', async () => {
    await openFromOpener();
    byId('last')!.focus();
    key(byId('last')!, 'Tab');
    expect(document.activeElement).toBe(byId('first'));
    key(byId('first')!, 'Tab', true);
    expect(document.activeElement).toBe(byId('last'));
  });
});
