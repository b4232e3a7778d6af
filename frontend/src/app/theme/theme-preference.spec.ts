import { applyThemePreference, readThemePreference, THEME_STORAGE_KEY, writeThemePreference } from './theme-preference';

function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

describe('theme preference', () => {
  it('follows the system when nothing, or something unknown, is stored', () => {
    expect(readThemePreference(memoryStorage())).toBe('system');
    expect(readThemePreference(memoryStorage({ [THEME_STORAGE_KEY]: 'sepia' }))).toBe('system');
    expect(readThemePreference(null)).toBe('system');
  });

  it('reads back what was stored; choosing the system clears it', () => {
    const storage = memoryStorage();
    writeThemePreference(storage, 'dark');
    expect(readThemePreference(storage)).toBe('dark');
    writeThemePreference(storage, 'system');
    expect(storage.items.has(THEME_STORAGE_KEY)).toBeFalse();
  });

  it('survives storage that throws', () => {
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    };
    expect(readThemePreference(broken)).toBe('system');
    expect(() => writeThemePreference(broken, 'light')).not.toThrow();
  });

  it('marks <html> with a fixed choice and unmarks it for the system', () => {
    const root = document.createElement('html');
    applyThemePreference(root, 'dark');
    expect(root.getAttribute('data-theme')).toBe('dark');
    applyThemePreference(root, 'light');
    expect(root.getAttribute('data-theme')).toBe('light');
    applyThemePreference(root, 'system');
    expect(root.hasAttribute('data-theme')).toBeFalse();
  });
});
