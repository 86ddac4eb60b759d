// Which rows of the event stream the user opened (tool input/output, long messages). Kept outside
// the rows because the virtualized list unmounts rows scrolled out of view: an opened row must
// still be open when it scrolls back. One store per app; event ids are unique across workflows.
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { App } from './app';
import { useApp } from './hooks';

export interface ExpandedStore {
  open: ReadonlySet<string>;
  toggle(id: string): void;
}

export function createExpandedStore(): StoreApi<ExpandedStore> {
  return createStore<ExpandedStore>((set) => ({
    open: new Set(),
    toggle: (id) =>
      set((s) => {
        const open = new Set(s.open);
        if (!open.delete(id)) open.add(id);
        return { open };
      }),
  }));
}

const perApp = new WeakMap<App, StoreApi<ExpandedStore>>();

function storeOf(app: App): StoreApi<ExpandedStore> {
  let store = perApp.get(app);
  if (!store) perApp.set(app, (store = createExpandedStore()));
  return store;
}

/** Is row `id` open, and the function that opens or closes it. Re-renders only when `id` changes. */
export function useExpanded(id: string): [boolean, () => void] {
  const store = storeOf(useApp());
  const open = useStore(store, (s) => s.open.has(id));
  return [open, () => store.getState().toggle(id)];
}
