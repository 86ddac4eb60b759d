// RepoApi over the git CLI: repositories persist in the database, everything about worktrees is
// asked of git each time (git is the source of truth; nothing about worktrees is cached).
import { basename } from 'node:path';
import type Database from 'better-sqlite3';
import type { Diff, Repo, Worktree } from '../../../shared/domain';
import { invalidInput, invalidState, notFound } from '../../../shared/errors';
import type { RepoApi } from '../repoApi';
import { RepoStore } from '../store/repoStore';
import { checkGit } from './checkGit';
import { createWorktree } from './createWorktree';
import { DEFAULT_MAX_PATCH_BYTES, worktreeDiff } from './diff';
import { locateWorktree } from './locate';
import { exists, samePath } from './paths';
import { removeWorktree } from './removeWorktree';
import { resolveRepositoryRoot } from './resolveRepo';
import { dirtyFlags, listWorktreeEntries } from './worktreeList';

export interface RepoServiceDeps {
  db: Database.Database;
  /** O(1) from the orchestrator's memory (rule 4). */
  activeWorkflowId(worktreePath: string): string | null;
  /** Holds a worktree while it is removed (the orchestrator refuses starts there meanwhile). */
  reserveWorktree(worktreePath: string, purpose: string): () => void;
  settings(): { worktreeRoot: string | null };
  now?: () => Date;
  maxPatchBytes?: number;
  /** The git check run once before the first git command (default: `checkGit()`). */
  checkGit?: () => Promise<unknown>;
}

export class GitRepoService implements RepoApi {
  private readonly store: RepoStore;
  private readonly now: () => Date;
  /** Settles once git has been found good enough; a failed check is retried on the next call. */
  private gitReady: Promise<unknown> | null = null;

  constructor(private readonly deps: RepoServiceDeps) {
    this.store = new RepoStore(deps.db);
    this.now = deps.now ?? (() => new Date());
  }

  list(): Repo[] {
    return this.store.list();
  }

  /** Idempotent: adding a repository that is already stored returns the stored one unchanged. */
  async add(path: string): Promise<Repo> {
    if (typeof path !== 'string' || path.trim() === '') throw invalidInput('path is required');
    await this.ready();
    const root = await resolveRepositoryRoot(path);
    return this.store.add(root, basename(root), this.now().toISOString()).repo;
  }

  /** Forgets the repository; its files and worktrees are left alone. */
  remove(repoId: string): void {
    if (!this.store.remove(repoId)) throw notFound(`No repository ${repoId}`, { repoId });
  }

  async worktrees(repoId: string): Promise<Worktree[]> {
    const repo = await this.repo(repoId);
    const entries = (await listWorktreeEntries(repo.path)).filter((e) => !e.bare);
    const dirty = await dirtyFlags(entries);
    return entries.map((e, i) => ({
      path: e.path,
      branch: e.branch,
      head: e.head,
      isMain: e.isMain,
      dirty: dirty[i]!,
      locked: e.locked,
      prunable: e.prunable,
      activeWorkflowId: this.deps.activeWorkflowId(e.path),
    }));
  }

  async createWorktree(params: { repoId: string; branch: string; path?: string; base?: string }): Promise<Worktree> {
    const repo = await this.repo(params.repoId);
    const created = await createWorktree(repo.path, params, this.deps.settings().worktreeRoot);
    for (const w of await this.worktrees(repo.id)) {
      if (await samePath(w.path, created)) return w;
    }
    throw invalidState(`git created ${created} but does not list it as a worktree of ${repo.path}`, { path: created });
  }

  async removeWorktree(params: { worktreePath: string; force?: boolean }): Promise<void> {
    await this.ready();
    const located = await locateWorktree(
      params.worktreePath,
      this.store.list().map((r) => r.path),
    );
    await removeWorktree(this.deps, located, params.force === true);
  }

  async diff(worktreePath: string): Promise<Diff> {
    await this.ready();
    return worktreeDiff(worktreePath, this.deps.maxPatchBytes ?? DEFAULT_MAX_PATCH_BYTES);
  }

  /**
   * A safety net behind the start-up check: a missing or too old git gives its one clear message
   * here too, instead of an obscure failure of the first command that needs a newer git.
   */
  private ready(): Promise<unknown> {
    if (!this.gitReady) {
      this.gitReady = (this.deps.checkGit ?? checkGit)().catch((e: unknown) => {
        this.gitReady = null;
        throw e;
      });
    }
    return this.gitReady;
  }

  private async repo(repoId: string): Promise<Repo> {
    await this.ready();
    const repo = this.store.get(repoId);
    if (!repo) throw notFound(`No repository ${repoId}`, { repoId });
    if (!(await exists(repo.path))) {
      throw invalidState(`The repository ${repo.name} is no longer at ${repo.path}; restore it or remove it from Switchyard`, {
        repoId,
        path: repo.path,
      });
    }
    return repo;
  }
}
