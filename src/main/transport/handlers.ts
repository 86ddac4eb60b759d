// The one handler table (docs/design.md §4): contract method -> core call. Both transports (Electron
// IPC and the headless WebSocket) dispatch through it; params reach a handler only after the
// contract's zod schema parsed them (see dispatch.ts).
import type { Method, Params, Result } from '../../shared/contract';
import { SwitchyardError } from '../../shared/errors';
import type { Core } from '../core/createCore';
import type { RepoApi } from '../core/repoApi';

/** What the handlers need of the core. */
export type WireCore = Pick<Core, 'orchestrator'> & { repos?: RepoApi };

export type Handler<M extends Method> = (params: Params<M>) => Result<M> | Promise<Result<M>>;
export type Handlers = { readonly [M in Method]: Handler<M> };

export function createHandlers(core: WireCore): Handlers {
  const orch = core.orchestrator;
  const repos = (): RepoApi => {
    if (!core.repos) throw new SwitchyardError('INTERNAL', 'Repository support is not available in this process');
    return core.repos;
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

    'events.list': (p) => orch.listEvents(p),

    'settings.get': () => orch.settings(),
    'settings.set': (p) => orch.updateSettings(p),

    'permissions.decide': (p) => orch.decidePermission(p),
    'permissions.rules': (p) => orch.permissionRules(p.repoId),
    'permissions.forget': (p) => orch.forgetPermissionRule(p.repoId, p.rule),
  };
}
