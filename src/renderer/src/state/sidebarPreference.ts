// Binds the sidebar state to the browser: the remembered choice (localStorage) and the window's
// width (matchMedia). Called once at start-up, before the first render, so there is no flash.
import type { StoreApi } from 'zustand/vanilla';
import { NARROW_PX, parseChoice, SIDEBAR_STORAGE_KEY } from '../lib/sidebar';
import type { UiStore } from './stores';

type Win = Pick<Window, 'matchMedia'> & { localStorage?: Pick<Storage, 'getItem' | 'setItem'> };

export function bindSidebar(ui: StoreApi<UiStore>, win: Win): () => void {
  // Storage can be unavailable (disabled, full, sandboxed): the choice then lasts for the session.
  const read = () => {
    try {
      return win.localStorage?.getItem(SIDEBAR_STORAGE_KEY) ?? null;
    } catch {
      return null;
    }
  };
  const query = win.matchMedia(`(max-width: ${NARROW_PX - 1}px)`);
  ui.setState({ sidebar: parseChoice(read()), narrow: query.matches });
  const onWidth = (e: { matches: boolean }) => ui.setState({ narrow: e.matches });
  query.addEventListener('change', onWidth);
  const off = ui.subscribe((s, prev) => {
    if (s.sidebar === prev.sidebar) return;
    try {
      win.localStorage?.setItem(SIDEBAR_STORAGE_KEY, s.sidebar);
    } catch {
      /* see read() */
    }
  });
  return () => {
    query.removeEventListener('change', onWidth);
    off();
  };
}
