// The names of the contract's methods as a plain list, with no zod at run time: the sandboxed
// preload is bundled from src/shared and cannot load dependencies. contract.ts checks (at
// compile time) that its table has exactly these keys, so the two cannot drift apart.

export const METHOD_NAMES = [
  'repos.list',
  'repos.add',
  'repos.remove',
  'worktrees.list',
  'worktrees.create',
  'worktrees.remove',
  'worktrees.diff',
  'pipelines.list',
  'workflows.start',
  'workflows.get',
  'workflows.byWorktree',
  'workflows.active',
  'workflows.list',
  'workflows.approve',
  'workflows.reject',
  'workflows.cancel',
  'workflows.cancelAll',
  'events.list',
  'settings.get',
  'settings.set',
  // Rule 12: issues in, pull requests out (docs/github.md).
  'tracker.issues',
  'tracker.link',
  'workflows.startFromIssue',
  'workflows.ship',
  'workflows.fixChecks',
  // Rule 13: worktree setup, run command, hygiene.
  'worktrees.rerunSetup',
  'worktrees.runStart',
  'worktrees.runStop',
  'worktrees.removeStale',
  'permissions.decide',
  'permissions.rules',
  'permissions.forget',
] as const;
export type MethodName = (typeof METHOD_NAMES)[number];

/** Electron IPC channel of a method: `switchyard:<method>`. */
export const IPC_CHANNEL_PREFIX = 'switchyard:';
export type MethodChannel<M extends MethodName = MethodName> = `${typeof IPC_CHANNEL_PREFIX}${M}`;
export function channelOf<M extends MethodName>(method: M): MethodChannel<M> {
  return `${IPC_CHANNEL_PREFIX}${method}`;
}
/** The one channel main uses to push `{push, data}` messages to the window. */
export const PUSH_CHANNEL = 'switchyard:push';
/** Main asks the window to open a workflow (tray item, notification click): `{ workflowId }`. */
export const NAVIGATE_CHANNEL = 'switchyard:navigate';
