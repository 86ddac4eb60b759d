// What the user can do: each command calls the core and writes the stores. Errors from the
// core are rethrown unchanged so dialogs show them as the core words them.
import type { ParamsIn } from '../../../shared/contract';
import type { Repo, Workflow, Worktree } from '../../../shared/domain';
import type { Settings, SettingsPatch } from '../../../shared/settings';
import type { TrackerLink } from '../../../shared/github';
import type { SwitchyardClient } from '../client';
import type { Stores } from './stores';
import { type PushClock, repoOfWorktree, upsertWorkflows, worktreeOrder } from './workflowsModel';

export interface Commands {
  refreshAll(): Promise<void>;
  refreshSettings(): Promise<void>;
  /** Saves the changed keys (settings.set) and keeps the settings the core answers with. */
  saveSettings(patch: SettingsPatch): Promise<Settings>;
  refreshWorktrees(repoId: string): Promise<void>;
  refreshWorktreesSoon(repoId: string): void;
  ensureWorkflow(id: string): Promise<void>;
  addRepository(path: string): Promise<Repo>;
  createWorktree(repoId: string, branch: string, path?: string): Promise<Worktree>;
  removeWorktree(worktreePath: string, force: boolean): Promise<void>;
  startWorkflow(params: ParamsIn<'workflows.start'>): Promise<Workflow>;
  approve(workflowId: string): Promise<Workflow>;
  reject(workflowId: string, feedback: string, replan: boolean): Promise<Workflow>;
  cancel(workflowId: string, reason?: string): Promise<Workflow>;
  /** Rule 11: answers a waiting tool request. */
  decidePermission(params: ParamsIn<'permissions.decide'>): Promise<Workflow>;
  /** Moves the sidebar cursor by `delta` worktrees. */
  moveSelection(delta: 1 | -1): void;
  openWorktree(path: string): void;
  openWorkflow(id: string): void;
  openHistory(): void;
  /** The workflow the main pane shows, if any. */
  shownWorkflowId(): string | null;
  // Rule 12 (docs/github.md).
  startFromIssue(repoId: string, issueNumber: number): Promise<Workflow>;
  ship(workflowId: string, draft: boolean): Promise<TrackerLink>;
  fixChecks(worktreePath: string): Promise<Workflow>;
  /** Reads a worktree's link and its PR's state and checks (conditional requests in the core). */
  refreshLink(worktreePath: string): Promise<TrackerLink | null>;
}

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export function createCommands(client: SwitchyardClient, stores: Stores, clock: PushClock): Commands {
  const upsert = (items: Workflow[]) => stores.workflows.setState((s) => upsertWorkflows(s, items));
  const soon = new Map<string, ReturnType<typeof setTimeout>>();

  async function refreshWorktrees(repoId: string): Promise<void> {
    const list = await client.call('worktrees.list', { repoId });
    stores.repos.setState((s) => ({ worktrees: { ...s.worktrees, [repoId]: list } }));
  }

  async function refreshSettings(): Promise<void> {
    const settings = await client.call('settings.get', {});
    stores.connection.setState({ settings });
  }

  async function refreshAll(): Promise<void> {
    try {
      const requestedAt = clock.now();
      const [repos, active, recent] = await Promise.all([
        client.call('repos.list', {}),
        client.call('workflows.active', {}),
        client.call('workflows.list', { limit: 200 }),
        refreshSettings(),
      ]);
      upsert(clock.fresh([...recent.items, ...active], requestedAt));
      const lists = await Promise.all(repos.map((r) => client.call('worktrees.list', { repoId: r.id })));
      const worktrees = Object.fromEntries(repos.map((r, i) => [r.id, lists[i]!]));
      stores.repos.setState({ repos, worktrees, loaded: true, error: null });
      const ui = stores.ui.getState();
      if (ui.selectedPath === null) {
        const first = worktreeOrder(repos.map((r) => r.id), worktrees)[0];
        if (first) stores.ui.setState({ selectedPath: first, main: ui.main.kind === 'none' ? { kind: 'worktree', path: first } : ui.main });
      }
    } catch (error) {
      stores.repos.setState({ error: errorText(error) });
    }
  }

  const shownWorkflowId = (): string | null => {
    const main = stores.ui.getState().main;
    if (main.kind === 'workflow') return main.id;
    if (main.kind === 'worktree') return stores.workflows.getState().latestByWorktree[main.path] ?? null;
    return null;
  };

  return {
    refreshAll,
    refreshSettings,
    async saveSettings(patch) {
      const settings = await client.call('settings.set', patch);
      stores.connection.setState({ settings });
      return settings;
    },
    refreshWorktrees,
    refreshWorktreesSoon(repoId) {
      if (soon.has(repoId)) return;
      soon.set(repoId, setTimeout(() => {
        soon.delete(repoId);
        void refreshWorktrees(repoId).catch(() => undefined);
      }, 300));
    },
    async ensureWorkflow(id) {
      if (stores.workflows.getState().byId[id]) return;
      const requestedAt = clock.now();
      const w = await client.call('workflows.get', { workflowId: id });
      upsert(clock.fresh([w], requestedAt));
    },
    async addRepository(path) {
      const repo = await client.call('repos.add', { path });
      const list = await client.call('worktrees.list', { repoId: repo.id });
      stores.repos.setState((s) => ({
        repos: s.repos.some((r) => r.id === repo.id) ? s.repos : [...s.repos, repo],
        worktrees: { ...s.worktrees, [repo.id]: list },
      }));
      return repo;
    },
    async createWorktree(repoId, branch, path) {
      const wt = await client.call('worktrees.create', path ? { repoId, branch, path } : { repoId, branch });
      await refreshWorktrees(repoId);
      stores.ui.setState({ selectedPath: wt.path, main: { kind: 'worktree', path: wt.path } });
      return wt;
    },
    async removeWorktree(worktreePath, force) {
      const repoId = repoOfWorktree(stores.repos.getState().worktrees, worktreePath);
      await client.call('worktrees.remove', force ? { worktreePath, force } : { worktreePath });
      if (repoId) await refreshWorktrees(repoId);
      const ui = stores.ui.getState();
      if (ui.selectedPath === worktreePath) stores.ui.setState({ selectedPath: null });
      if (ui.main.kind === 'worktree' && ui.main.path === worktreePath) stores.ui.setState({ main: { kind: 'none' } });
    },
    async startWorkflow(params) {
      const w = await client.call('workflows.start', params);
      upsert([w]);
      stores.ui.setState({ selectedPath: w.worktreePath, main: { kind: 'worktree', path: w.worktreePath }, tab: 'events' });
      return w;
    },
    async approve(workflowId) {
      const w = await client.call('workflows.approve', { workflowId });
      upsert([w]);
      return w;
    },
    async reject(workflowId, feedback, replan) {
      const w = await client.call('workflows.reject', replan ? { workflowId, feedback, replan } : { workflowId, feedback });
      upsert([w]);
      return w;
    },
    async cancel(workflowId, reason) {
      const w = await client.call('workflows.cancel', reason ? { workflowId, reason } : { workflowId });
      upsert([w]);
      return w;
    },
    async decidePermission(params) {
      const w = await client.call('permissions.decide', params);
      upsert([w]);
      return w;
    },
    moveSelection(delta) {
      const { repos, worktrees } = stores.repos.getState();
      const order = worktreeOrder(repos.map((r) => r.id), worktrees);
      if (order.length === 0) return;
      const current = stores.ui.getState().selectedPath;
      const index = current === null ? -1 : order.indexOf(current);
      const next = index === -1 ? (delta === 1 ? 0 : order.length - 1) : Math.min(order.length - 1, Math.max(0, index + delta));
      stores.ui.setState({ selectedPath: order[next]! });
    },
    openWorktree(path) {
      stores.ui.setState({ selectedPath: path, main: { kind: 'worktree', path } });
    },
    openWorkflow(id) {
      const w = stores.workflows.getState().byId[id];
      stores.ui.setState(w ? { main: { kind: 'workflow', id }, selectedPath: w.worktreePath } : { main: { kind: 'workflow', id } });
    },
    openHistory() {
      stores.ui.setState({ main: { kind: 'history' } });
    },
    shownWorkflowId,
    async startFromIssue(repoId, issueNumber) {
      const w = await client.call('workflows.startFromIssue', { repoId, issueNumber });
      upsert([w]);
      await refreshWorktrees(repoId);
      stores.ui.setState({ selectedPath: w.worktreePath, main: { kind: 'worktree', path: w.worktreePath }, tab: 'events' });
      void this.refreshLink(w.worktreePath).catch(() => undefined);
      return w;
    },
    async ship(workflowId, draft) {
      stores.tracker.setState((s) => ({ shipping: { ...s.shipping, [workflowId]: true } }));
      try {
        const link = await client.call('workflows.ship', draft ? { workflowId, draft } : { workflowId });
        const w = stores.workflows.getState().byId[workflowId];
        if (w) {
          stores.tracker.setState((s) => ({ links: { ...s.links, [w.worktreePath]: link } }));
          // The checks of the pushed commit, read at once rather than at the next poll.
          void this.refreshLink(w.worktreePath).catch(() => undefined);
        }
        return link;
      } finally {
        stores.tracker.setState((s) => {
          const { [workflowId]: _done, ...rest } = s.shipping;
          return { shipping: rest };
        });
      }
    },
    async fixChecks(worktreePath) {
      const w = await client.call('workflows.fixChecks', { worktreePath });
      upsert([w]);
      stores.ui.setState({ selectedPath: w.worktreePath, main: { kind: 'worktree', path: w.worktreePath }, tab: 'events' });
      return w;
    },
    async refreshLink(worktreePath) {
      const link = await client.call('tracker.link', { worktreePath });
      stores.tracker.setState((s) => ({ links: { ...s.links, [worktreePath]: link } }));
      return link;
    },
  };
}
