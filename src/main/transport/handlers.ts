// The one handler table (docs/design.md §4): contract method -> core call. Both transports (Electron
// IPC and the headless WebSocket) dispatch through it; params reach a handler only after the
// contract's zod schema parsed them (see dispatch.ts).
import type { Method, Params, Result } from '../../shared/contract';
import { SwitchyardError } from '../../shared/errors';
import type { Core } from '../core/createCore';
import type { RepoApi } from '../core/repoApi';
import type { GitHubService } from '../core/github/service';
import { isWorktreeRunId, type WorktreeRuns } from '../core/worktree/worktreeRuns';

/** What the handlers need of the core. */
export type WireCore = Pick<Core, 'orchestrator'> & { repos?: RepoApi; github?: GitHubService; worktreeRuns?: WorktreeRuns };

export type Handler<M extends Method> = (params: Params<M>) => Result<M> | Promise<Result<M>>;
export type Handlers = { readonly [M in Method]: Handler<M> };

export function createHandlers(core: WireCore): Handlers {
  const orch = core.orchestrator;
  const repos = (): RepoApi => {
    if (!core.repos) throw new SwitchyardError('INTERNAL', 'Repository support is not available in this process');
    return core.repos;
  };
  const github = (): GitHubService => {
    if (!core.github) throw new SwitchyardError('INTERNAL', 'GitHub support is not available in this process');
    return core.github;
  };
  return {
    'repos.list': () => repos().list(),
    'repos.add': (p) => repos().add(p.path),
    'repos.remove': (p) => {
      repos().remove(p.repoId);
      return {};
    },

    'worktrees.list': (p) => repos().worktrees(p.repoId),
    'worktrees.create': (p) => repos().createWorktree(p),
    // The git layer refuses while a workflow holds the worktree, and uncommitted work unless `force`.
    'worktrees.remove': async (p) => {
      await repos().removeWorktree(p);
      return {};
    },
    'worktrees.diff': (p) => repos().diff(p.worktreePath),

    'pipelines.list': (p) => orch.listPipelines(p.worktreePath),

    'workflows.start': (p) => orch.start(p),
    'workflows.get': (p) => orch.get(p.workflowId),
    'workflows.byWorktree': (p) => orch.byWorktree(p.worktreePath),
    'workflows.active': () => orch.active(),
    'workflows.list': (p) => orch.list(p),
    'workflows.approve': (p) => orch.approve(p.workflowId),
    'workflows.reject': (p) => orch.reject(p.workflowId, p.feedback, p.replan ?? false),
    'workflows.cancel': (p) => orch.cancel(p.workflowId, p.reason),
    'workflows.cancelAll': (p) => orch.cancelAll(p.reason),

    // A setup run's or run command's id reads its own log (rule 13); any other is a workflow's.
    'events.list': (p) => (core.worktreeRuns && isWorktreeRunId(p.workflowId) ? core.worktreeRuns.listEvents(p) : orch.listEvents(p)),

    'settings.get': () => orch.settings(),
    'settings.set': (p) => orch.updateSettings(p),

    'tracker.issues': (p) => github().issues(p.repoId, p.search),
    'tracker.link': (p) => github().link(p.worktreePath),
    'workflows.startFromIssue': (p) => github().startFromIssue(p),
    'workflows.ship': (p) => github().ship(p.workflowId, p.draft ?? false),
    'workflows.fixChecks': (p) => github().fixChecks(p),
    'worktrees.rerunSetup': (p) => repos().rerunSetup(p.worktreePath),
    'worktrees.runStart': (p) => repos().startRun(p.worktreePath),
    'worktrees.runStop': (p) => repos().stopRun(p.worktreePath),
    'worktrees.removeStale': (p) => repos().removeStale(p.repoId),
    'permissions.decide': (p) => orch.decidePermission(p),
    'permissions.rules': (p) => orch.permissionRules(p.repoId),
    'permissions.forget': (p) => orch.forgetPermissionRule(p.repoId, p.rule),
  };
}
