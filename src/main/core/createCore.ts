// The composition root of the core: everything the transports and the shell talk to.
import type Database from 'better-sqlite3';
import { GitRepoService } from './git';
import { Orchestrator } from './orchestrator';
import { GitHubService } from './github/service';
import type { TokenOptions } from './github/token';
import type { RepoApi } from './repoApi';
import type { Durability } from './store/database';
import { openStorage } from './store/storage';
import type { PipelineSource, ProcessReaper, StageExecutor } from './runner';
import { FilePipelineSource } from './pipeline/filePipelineSource';
import { ProcessExecutor } from './pipeline/processExecutor';
import { WorktreeRuns } from './worktree/worktreeRuns';

export interface CoreOptions {
  dataDir: string;
  /** Runs command stages; default: real processes in the worktree (ProcessExecutor). */
  executor?: StageExecutor;
  /** Default: `.switchyard/pipelines.json`, settings presets, built-ins (FilePipelineSource). */
  pipelines?: PipelineSource;
  reaper?: ProcessReaper;
  durability?: Durability;
  now?: () => Date;
  /** Where the GitHub token comes from; default: GH_TOKEN, GITHUB_TOKEN, `gh auth token`. */
  githubToken?: TokenOptions;
}

export interface Core {
  orchestrator: Orchestrator;
  /** Repositories and worktrees over the git CLI. Call `checkGit()` (./git) at start-up first. */
  repos: RepoApi;
  /** Rule 12: issues, shipping, pull requests (docs/github.md). */
  github: GitHubService;
  /** Rule 13: worktrees' ports, setup runs and run commands. */
  worktreeRuns: WorktreeRuns;
  /** Shuts down cleanly: running workflows are cancelled, the database is closed. */
  close(): Promise<void>;
}

/**
 * The git layer wired to an orchestrator (O(1) active-workflow lookups, worktree holds, settings)
 * and to the database its repository rows live in.
 */
export function repoServiceFor(orchestrator: Orchestrator, db: Database.Database, now?: () => Date, worktreeRuns?: WorktreeRuns): GitRepoService {
  return new GitRepoService({
    db,
    activeWorkflowId: (path) => orchestrator.activeWorkflowId(path),
    reserveWorktree: (path, purpose) => orchestrator.reserveWorktree(path, purpose),
    settings: () => orchestrator.settings(),
    worktreeRuns,
    now,
  });
}

export function createCore(options: CoreOptions): Core {
  const storage = openStorage(options.dataDir, { durability: options.durability });
  let orchestrator: Orchestrator | undefined;
  let worktreeRuns: WorktreeRuns;
  try {
    // Setup steps and run commands always run as real processes (ProcessExecutor), whatever runs stages.
    worktreeRuns = new WorktreeRuns({
      db: storage.db,
      executor: new ProcessExecutor(),
      settings: () => storage.settings.get(),
      publish: (workflowId, events) => orchestrator?.bus.emit('events', { workflowId, events }),
      activeWorkflowId: (path) => orchestrator?.activeWorkflowId(path) ?? null,
      reservedFor: (path) => orchestrator?.reservation(path) ?? null,
      setupEnded: () => orchestrator?.setupEnded(),
      reaper: options.reaper,
      now: options.now,
    });
    const runs = worktreeRuns;
    orchestrator = new Orchestrator({
      storage,
      executor: options.executor ?? new ProcessExecutor(),
      pipelines: options.pipelines ?? new FilePipelineSource(),
      reaper: options.reaper,
      now: options.now,
      setupGate: (path) => runs.gate(path),
      portBase: (path) => runs.ports(path),
    });
  } catch (e) {
    void storage.close(); // recovery failed: do not leave the checkpoint worker holding the process
    throw e;
  }
  const repos = repoServiceFor(orchestrator, storage.db, options.now, worktreeRuns);
  return {
    orchestrator,
    repos,
    github: new GitHubService({ orchestrator, repos, storage, token: options.githubToken, now: options.now }),
    worktreeRuns,
    // Run commands and setups first (their processes die with the app), then the orchestrator
    // stops its runs and closes the storage it was given.
    close: async () => {
      await worktreeRuns.close();
      await orchestrator.close();
    },
  };
}
