import { describe, expect, it } from 'vitest';
import { SIDEBAR_STORAGE_KEY } from '../lib/sidebar';
import { bindSidebar } from './sidebarPreference';
import { createStores } from './stores';

function fakeWindow(stored: string | null, narrow: boolean) {
  const listeners = new Set<(e: { matches: boolean }) => void>();
  const storage = new Map<string, string>(stored === null ? [] : [[SIDEBAR_STORAGE_KEY, stored]]);
  const query = {
    matches: narrow,
    addEventListener: (_: string, l: (e: { matches: boolean }) => void) => listeners.add(l),
    removeEventListener: (_: string, l: (e: { matches: boolean }) => void) => listeners.delete(l),
  };
  return {
    win: {
      matchMedia: () => query as unknown as MediaQueryList,
      localStorage: { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v) },
    },
    storage,
    resize: (matches: boolean) => listeners.forEach((l) => l({ matches })),
    listeners,
  };
}

describe('bindSidebar', () => {
  it('starts from the remembered choice and the window width, follows the width, remembers a toggle', () => {
    const { ui } = createStores('open');
    const w = fakeWindow('rail', false);
    const off = bindSidebar(ui, w.win);
    expect(ui.getState()).toMatchObject({ sidebar: 'rail', narrow: false });
    w.resize(true);
    expect(ui.getState().narrow).toBe(true);
    ui.setState({ sidebar: 'full' });
    expect(w.storage.get(SIDEBAR_STORAGE_KEY)).toBe('full');
    off();
    expect(w.listeners.size).toBe(0);
  });

  it('works without storage, and ignores a stored value it does not know', () => {
    const { ui } = createStores('open');
    const w = fakeWindow('sideways', true);
    bindSidebar(ui, w.win);
    expect(ui.getState()).toMatchObject({ sidebar: 'auto', narrow: true });
    const broken = fakeWindow(null, false);
    broken.win.localStorage.getItem = () => {
      throw new Error('denied');
    };
    broken.win.localStorage.setItem = () => {
      throw new Error('denied');
    };
    const stores = createStores('open');
    bindSidebar(stores.ui, broken.win);
    expect(() => stores.ui.setState({ sidebar: 'rail' })).not.toThrow();
    expect(stores.ui.getState().sidebar).toBe('rail');
  });
});
