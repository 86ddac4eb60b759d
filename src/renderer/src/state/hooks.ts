// React access to the app: one context, narrow selectors per store.
import { createContext, useContext, useEffect, useRef, type RefObject } from 'react';
import { useStore } from 'zustand';
import type { Workflow } from '../../../shared/domain';
import type { WorkflowStatus } from '../../../shared/status';
import type { App } from './app';
import type { ConnectionStore, EventsStore, ReposStore, TrackerStore, UiStore, WorkflowsStore } from './stores';

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
export const useTracker = <T>(select: (s: TrackerStore) => T): T => useStore(useApp().stores.tracker, select);
export const useConnection = <T>(select: (s: ConnectionStore) => T): T => useStore(useApp().stores.connection, select);

export const useWorkflow = (id: string | null): Workflow | undefined => useWorkflows((s) => (id ? s.byId[id] : undefined));

/** The workflow the main pane shows: the opened one, or the opened worktree's newest. */
export function useShownWorkflowId(): string | null {
  const main = useUi((s) => s.main);
  return useWorkflows((s) => (main.kind === 'workflow' ? main.id : main.kind === 'worktree' ? (s.latestByWorktree[main.path] ?? null) : null));
}

/**
 * What a worktree's row in the sidebar (full or rail) shows: its newest workflow's status and
 * issue, whether the keyboard cursor is on it (then it is scrolled into view) and whether it is open.
 */
export function useWorktreeRow(path: string): {
  workflowId: string | null;
  status: WorkflowStatus | undefined;
  issueId: string | undefined;
  selected: boolean;
  opened: boolean;
  ref: RefObject<HTMLLIElement | null>;
} {
  const workflowId = useWorkflows((s) => s.latestByWorktree[path] ?? null);
  const status = useWorkflows((s) => (workflowId ? s.byId[workflowId]?.status : undefined));
  const issueId = useWorkflows((s) => (workflowId ? s.byId[workflowId]?.issueId : undefined));
  const selected = useUi((s) => s.selectedPath === path);
  const opened = useUi((s) => s.main.kind === 'worktree' && s.main.path === path);
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (selected) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  return { workflowId, status, issueId, selected, opened, ref };
}
