import { Injectable, signal } from '@angular/core';

export interface Toast {
  id: number;
  text: string;
  kind: 'info' | 'error';
}

/** Short status lines ("You blocked Ana", "Could not open the chat") that fade on their own. */
@Injectable({ providedIn: 'root' })
export class ToastService {
  private nextId = 1;
  private readonly list = signal<readonly Toast[]>([]);
  readonly toasts = this.list.asReadonly();

  show(text: string, kind: Toast['kind'] = 'info', durationMs = 5000): void {
    const toast: Toast = { id: this.nextId++, text, kind };
    this.list.update((list) => [...list.slice(-3), toast]);
    setTimeout(() => this.dismiss(toast.id), durationMs);
  }

  error(text: string): void {
    this.show(text, 'error', 7000);
  }

  dismiss(id: number): void {
    this.list.update((list) => list.filter((t) => t.id !== id));
  }
}
