import { TestBed } from '@angular/core/testing';
import { ToastList } from './toast-list';
import { ToastService } from './toast.service';

describe('ToastList', () => {
  it('shows each toast in a polite live region, errors marked, and dismisses one on its button', () => {
    const fixture = TestBed.createComponent(ToastList);
    const toasts = TestBed.inject(ToastService);
    toasts.show('You blocked Ana');
    toasts.error('Could not open the chat');
    fixture.detectChanges();

    const host = fixture.nativeElement as HTMLElement;
    expect(host.getAttribute('aria-live')).toBe('polite');
    expect(host.getAttribute('role')).toBe('status');
    const shown = () => [...host.querySelectorAll('[data-testid="toast"]')];
    expect(shown().map((t) => t.textContent?.replace('×', '').trim())).toEqual(['You blocked Ana', 'Could not open the chat']);
    expect(shown().map((t) => t.classList.contains('toast-error'))).toEqual([false, true]);

    shown()[0]!.querySelector<HTMLButtonElement>('button[aria-label="Dismiss"]')!.click();
    fixture.detectChanges();
    expect(shown().map((t) => t.textContent?.replace('×', '').trim())).toEqual(['Could not open the chat']);
  });
});
