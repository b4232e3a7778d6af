/**
 * The colour theme the user picked on this device: follow the system (`prefers-color-scheme`),
 * or always light, or always dark. Kept in localStorage, not on the server: it belongs to the
 * screen, and it must be known before the first paint, before anyone has signed in.
 */
export const THEME_PREFERENCES = ['system', 'light', 'dark'] as const;
export type ThemePreference = (typeof THEME_PREFERENCES)[number];

export const THEME_STORAGE_KEY = 'parley.theme';

function isThemePreference(value: unknown): value is ThemePreference {
  return typeof value === 'string' && (THEME_PREFERENCES as readonly string[]).includes(value);
}

/** The stored preference; `system` when none (or something unreadable) is stored. */
export function readThemePreference(storage: Pick<Storage, 'getItem'> | null): ThemePreference {
  try {
    const stored = storage?.getItem(THEME_STORAGE_KEY);
    return isThemePreference(stored) ? stored : 'system';
  } catch {
    // Storage may be off (privacy settings): follow the system.
    return 'system';
  }
}

/** Stores the preference (`system` clears it). Unwritable storage just keeps it for this page. */
export function writeThemePreference(storage: Pick<Storage, 'setItem' | 'removeItem'> | null, preference: ThemePreference): void {
  try {
    if (preference === 'system') storage?.removeItem(THEME_STORAGE_KEY);
    else storage?.setItem(THEME_STORAGE_KEY, preference);
  } catch {
    // Nothing to do: the theme still applies until the page is reloaded.
  }
}

/**
 * Applies the preference to the page: `data-theme` on <html> for a fixed choice, none for the
 * system's. styles.css picks every colour from it (`color-scheme` with `light-dark()`).
 */
export function applyThemePreference(root: HTMLElement, preference: ThemePreference): void {
  if (preference === 'system') delete root.dataset['theme'];
  else root.dataset['theme'] = preference;
}

/** Local storage when the page may use it; null otherwise. */
export function localStorageOrNull(view: Window | null): Storage | null {
  try {
    return view?.localStorage ?? null;
  } catch {
    return null;
  }
}
