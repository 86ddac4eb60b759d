// Rule 13 in the window: a worktree's setup and run command. Each run has its own event log
// (docs/worktrees.md); this follows it with the same gap filler as a workflow's (client.followEvents),
// keeps its tail for the output tabs, and re-reads the worktree list when the run ends so the
// sidebar and the tools show the new status.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Worktree, WorktreeRun } from '../../../shared/domain';
import type { WorkflowEvent } from '../../../shared/events';
import type { SwitchyardClient } from '../client';
import type { Commands } from './commands';
import type { Stores } from './stores';
import { repoOfWorktree } from './workflowsModel';

/** Lines kept per run for its output tab (the log itself keeps everything). */
export const RUN_LOG_KEEP = 2000;

export interface RunLogsStore {
  byId: Record<string, WorkflowEvent[]>;
  /** Which output tab the worktree tools show (null: closed). */
  panel: 'setup' | 'run' | null;
}

export interface WorktreeRunsApi {
  store: StoreApi<RunLogsStore>;
  /** Follows a run's events while the caller shows it; returns the stop. */
  follow(runId: string): () => void;
  /** Creates a worktree (commands.createWorktree) and, when its setup runs, opens the setup's output. */
  createWorktree(repoId: string, branch: string, path?: string): Promise<Worktree>;
  rerunSetup(worktreePath: string): Promise<WorktreeRun>;
  startRun(worktreePath: string): Promise<WorktreeRun>;
  stopRun(worktreePath: string): Promise<WorktreeRun>;
  removeMerged(repoId: string): Promise<{ removed: string[]; refused: { worktreePath: string; reason: string }[] }>;
}

/** The event that ends a run: a setup's outcome, or the run command's last stage_completed. */
export function endsRun(runId: string, e: WorkflowEvent): boolean {
  return e.type === 'setup_completed' || e.type === 'setup_failed' || (runId.startsWith('run-') && e.type === 'stage_completed');
}

export function createWorktreeRuns(client: SwitchyardClient, stores: Stores, commands: Commands): WorktreeRunsApi {
  const store = createStore<RunLogsStore>(() => ({ byId: {}, panel: null }));
  const follows = new Map<string, { count: number; stop: () => void }>();
  const refreshOf = (worktreePath: string) => {
    const repoId = repoOfWorktree(stores.repos.getState().worktrees, worktreePath);
    if (repoId) return commands.refreshWorktrees(repoId);
  };
  const pathOfRun = (runId: string): string | null => {
    for (const list of Object.values(stores.repos.getState().worktrees)) {
      for (const w of list) if (w.setup?.id === runId || w.run?.id === runId) return w.path;
    }
    return null;
  };

  return {
    store,
    follow(runId) {
      const f = follows.get(runId);
      if (f) f.count++;
      else {
        const stop = client.followEvents(runId, 0, (events) => {
          store.setState((s) => ({ byId: { ...s.byId, [runId]: [...(s.byId[runId] ?? []), ...events].slice(-RUN_LOG_KEEP) } }));
          const path = events.some((e) => endsRun(runId, e)) ? pathOfRun(runId) : null;
          if (path) void refreshOf(path)?.catch(() => undefined);
        });
        follows.set(runId, { count: 1, stop });
      }
      return () => {
        const cur = follows.get(runId);
        if (!cur || --cur.count > 0) return;
        cur.stop();
        follows.delete(runId);
      };
    },
    async createWorktree(repoId, branch, path) {
      const wt = await commands.createWorktree(repoId, branch, path);
      // A new user should see the setup they did not start by hand (npm ci can take minutes).
      if (wt.setup?.status === 'running') store.setState({ panel: 'setup' });
      return wt;
    },
    async rerunSetup(worktreePath) {
      const run = await client.call('worktrees.rerunSetup', { worktreePath });
      store.setState({ panel: 'setup' });
      await refreshOf(worktreePath);
      return run;
    },
    async startRun(worktreePath) {
      const run = await client.call('worktrees.runStart', { worktreePath });
      store.setState({ panel: 'run' });
      await refreshOf(worktreePath);
      return run;
    },
    async stopRun(worktreePath) {
      const run = await client.call('worktrees.runStop', { worktreePath });
      await refreshOf(worktreePath);
      return run;
    },
    async removeMerged(repoId) {
      const result = await client.call('worktrees.removeStale', { repoId });
      await commands.refreshWorktrees(repoId);
      const ui = stores.ui.getState();
      if (ui.selectedPath && result.removed.includes(ui.selectedPath)) stores.ui.setState({ selectedPath: null });
      if (ui.main.kind === 'worktree' && result.removed.includes(ui.main.path)) stores.ui.setState({ main: { kind: 'none' } });
      return result;
    },
  };
}
