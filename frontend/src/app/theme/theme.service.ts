import { DOCUMENT } from '@angular/common';
import { Injectable, inject, signal } from '@angular/core';
import {
  applyThemePreference,
  localStorageOrNull,
  readThemePreference,
  writeThemePreference,
  type ThemePreference,
} from './theme-preference';

/** The user's theme choice on this device (System / Light / Dark); main.ts applied it before the first paint. */
@Injectable({ providedIn: 'root' })
export class ThemeService {
  private readonly document = inject(DOCUMENT);
  private readonly storage = localStorageOrNull(this.document.defaultView);
  private readonly current = signal<ThemePreference>(readThemePreference(this.storage));
  readonly preference = this.current.asReadonly();

  choose(preference: ThemePreference): void {
    this.current.set(preference);
    writeThemePreference(this.storage, preference);
    applyThemePreference(this.document.documentElement, preference);
  }
}
