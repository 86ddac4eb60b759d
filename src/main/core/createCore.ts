// The composition root of the core: everything the transports and the shell talk to.
import { GitRepoService } from './git';
import { Orchestrator } from './orchestrator';
import type { RepoApi } from './repoApi';
import type { Durability } from './store/database';
import type { PipelineSource, ProcessReaper, StageExecutor } from './runner';

export interface CoreOptions {
  dataDir: string;
  executor: StageExecutor;
  pipelines: PipelineSource;
  reaper?: ProcessReaper;
  durability?: Durability;
  /** better-sqlite3's native binding (the Electron-ABI build inside the desktop app). */
  nativeBinding?: string;
  now?: () => Date;
}

export interface Core {
  orchestrator: Orchestrator;
  /** Repositories and worktrees over the git CLI. Call `checkGit()` (./git) at start-up first. */
  repos: RepoApi;
  /** Shuts down cleanly: running workflows are cancelled, the database is closed. */
  close(): Promise<void>;
}

export function createCore(options: CoreOptions): Core {
  const orchestrator = Orchestrator.open(options);
  return {
    orchestrator,
    repos: new GitRepoService({
      db: orchestrator.database,
      activeWorkflowId: (path) => orchestrator.activeWorkflowId(path),
      settings: () => orchestrator.settings(),
      now: options.now,
    }),
    close: () => orchestrator.close(),
  };
}
