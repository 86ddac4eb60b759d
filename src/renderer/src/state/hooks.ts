// React access to the app: one context, narrow selectors per store.
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { Workflow } from '../../../shared/domain';
import type { App } from './app';
import type { ConnectionStore, EventsStore, ReposStore, UiStore, WorkflowsStore } from './stores';

export const AppContext = createContext<App | null>(null);

export function useApp(): App {
  const app = useContext(AppContext);
  if (!app) throw new Error('useApp outside <AppContext.Provider>');
  return app;
}

export const useUi = <T>(select: (s: UiStore) => T): T => useStore(useApp().stores.ui, select);
export const useRepos = <T>(select: (s: ReposStore) => T): T => useStore(useApp().stores.repos, select);
export const useWorkflows = <T>(select: (s: WorkflowsStore) => T): T => useStore(useApp().stores.workflows, select);
export const useEvents = <T>(select: (s: EventsStore) => T): T => useStore(useApp().stores.events, select);
export const useConnection = <T>(select: (s: ConnectionStore) => T): T => useStore(useApp().stores.connection, select);

export const useWorkflow = (id: string | null): Workflow | undefined => useWorkflows((s) => (id ? s.byId[id] : undefined));

/** The workflow the main pane shows: the opened one, or the opened worktree's newest. */
export function useShownWorkflowId(): string | null {
  const main = useUi((s) => s.main);
  return useWorkflows((s) => (main.kind === 'workflow' ? main.id : main.kind === 'worktree' ? (s.latestByWorktree[main.path] ?? null) : null));
}
