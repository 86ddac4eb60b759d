// The window's state, one zustand store per concern (docs/design.md §4.4). Stores are vanilla so they
// run in Node tests; components read them through `useStore` with narrow selectors.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Repo, Workflow, Worktree } from '../../../shared/domain';
import type { Settings } from '../../../shared/settings';
import type { TrackerLink } from '../../../shared/github';
import type { ConnectionState } from '../client';
import type { EventLog } from '../lib/eventLog';
import { NO_FILTER, type EventFilter } from '../lib/eventFilter';
import type { SidebarChoice } from '../lib/sidebar';

export interface ConnectionStore {
  state: ConnectionState;
  settings: Settings | null;
}

export interface ReposStore {
  repos: Repo[];
  /** repoId -> its worktrees, in git's order (main first). */
  worktrees: Record<string, Worktree[]>;
  loaded: boolean;
  error: string | null;
}

export interface WorkflowsStore {
  byId: Record<string, Workflow>;
  /** worktree path -> the id of its most recently created workflow (the active one if any). */
  latestByWorktree: Record<string, string>;
}

export interface EventsStore {
  logs: Record<string, EventLog>;
}

export type Dialog =
  | { kind: 'start'; worktreePath: string | null }
  | { kind: 'reject'; workflowId: string }
  | { kind: 'cancel'; workflowId: string }
  | { kind: 'addRepository' }
  | { kind: 'createWorktree'; repoId: string | null }
  | { kind: 'removeWorktree'; worktreePath: string }
  | { kind: 'palette' }
  | { kind: 'help' }
  | { kind: 'settings' }
  | { kind: 'issues'; repoId: string | null }
  | { kind: 'denyTool'; workflowId: string; requestId: string };

export type MainView =
  | { kind: 'none' }
  | { kind: 'worktree'; path: string }
  | { kind: 'workflow'; id: string }
  | { kind: 'history' };

export interface UiStore {
  /** The worktree under the keyboard cursor in the sidebar. */
  selectedPath: string | null;
  main: MainView;
  tab: 'events' | 'changes';
  dialog: Dialog | null;
  filter: EventFilter;
  /** Bumped to ask the event stream to scroll to its end. */
  jumpRequest: number;
  /** Bumped to ask the search field to take focus. */
  searchRequest: number;
  /** A short message for the user (an error from the core, worded as the core words it). */
  notice: { text: string; tone: 'error' | 'info' } | null;
  /** The user's sidebar choice (lib/sidebar.ts), and whether the window is narrow. */
  sidebar: SidebarChoice;
  narrow: boolean;
}

/** Rule 12: what each worktree's newest linked workflow knows of GitHub (tracker.link). */
export interface TrackerStore {
  links: Record<string, TrackerLink | null>;
  /** Ship as a draft pull request (the checkbox beside Ship; the S key uses it too). */
  draft: boolean;
  /** Workflows being shipped now. */
  shipping: Record<string, true>;
}

export interface Stores {
  tracker: StoreApi<TrackerStore>;
  connection: StoreApi<ConnectionStore>;
  repos: StoreApi<ReposStore>;
  workflows: StoreApi<WorkflowsStore>;
  events: StoreApi<EventsStore>;
  ui: StoreApi<UiStore>;
}

export function createStores(initialConnection: ConnectionState): Stores {
  return {
    tracker: createStore<TrackerStore>(() => ({ links: {}, draft: false, shipping: {} })),
    connection: createStore<ConnectionStore>(() => ({ state: initialConnection, settings: null })),
    repos: createStore<ReposStore>(() => ({ repos: [], worktrees: {}, loaded: false, error: null })),
    workflows: createStore<WorkflowsStore>(() => ({ byId: {}, latestByWorktree: {} })),
    events: createStore<EventsStore>(() => ({ logs: {} })),
    ui: createStore<UiStore>(() => ({
      selectedPath: null,
      main: { kind: 'none' },
      tab: 'events',
      dialog: null,
      filter: NO_FILTER,
      jumpRequest: 0,
      searchRequest: 0,
      notice: null,
      sidebar: 'auto',
      narrow: false,
    })),
  };
}
