// RepoApi over the git CLI: repositories persist in the database, everything about worktrees is
// asked of git each time (git is the source of truth; nothing about worktrees is cached).
import { basename } from 'node:path';
import type Database from 'better-sqlite3';
import type { Diff, Repo, Worktree, WorktreeRun } from '../../../shared/domain';
import { invalidInput, invalidState, notFound } from '../../../shared/errors';
import type { RepoApi } from '../repoApi';
import { RepoStore } from '../store/repoStore';
import { checkGit } from './checkGit';
import { createWorktree } from './createWorktree';
import { DEFAULT_MAX_PATCH_BYTES, worktreeDiff } from './diff';
import { locateWorktree } from './locate';
import { exists, samePath } from './paths';
import { removeWorktree } from './removeWorktree';
import { baseTip, isMerged } from './stale';
import type { WorktreeRuns } from '../worktree/worktreeRuns';
import { mapLimit } from './mapLimit';
import { resolveRepositoryRoot } from './resolveRepo';
import { dirtyFlags, listWorktreeEntries } from './worktreeList';

export interface RepoServiceDeps {
  db: Database.Database;
  /** O(1) from the orchestrator's memory (rule 4). */
  activeWorkflowId(worktreePath: string): string | null;
  /** Holds a worktree while it is removed (the orchestrator refuses starts there meanwhile). */
  reserveWorktree(worktreePath: string, purpose: string): () => void;
  settings(): { worktreeRoot: string | null };
  /** Rule 13: ports, setup and the run command (absent: worktrees are bare checkouts). */
  worktreeRuns?: WorktreeRuns;
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
    const runs = this.deps.worktreeRuns;
    const list: Worktree[] = entries.map((e, i) => ({
      path: e.path,
      branch: e.branch,
      head: e.head,
      isMain: e.isMain,
      dirty: dirty[i]!,
      locked: e.locked,
      prunable: e.prunable,
      activeWorkflowId: this.deps.activeWorkflowId(e.path),
      ...(runs && !e.isMain
        ? { portBase: runs.portBase(e.path), setup: runs.latest(e.path, 'setup'), run: runs.latest(e.path, 'run') }
        : {}),
    }));
    // Hygiene: only idle, clean, unlocked linked worktrees are worth the git calls.
    const idle = (w: Worktree) => !(w.isMain || w.dirty || w.locked || w.prunable || w.activeWorkflowId || w.setup?.status === 'running' || w.run?.status === 'running');
    const base = list.some(idle) ? await baseTip(entries) : null;
    if (base) {
      await mapLimit(list, 4, async (w, i) => {
        if (idle(w)) w.stale = await isMerged(entries[i]!, entries[0]!.path, base, runs?.store.createdHead(w.path) ?? null);
      });
    }
    return list;
  }

  async createWorktree(params: { repoId: string; branch: string; path?: string; base?: string }): Promise<Worktree> {
    const repo = await this.repo(params.repoId);
    const created = await createWorktree(repo.path, params, this.deps.settings().worktreeRoot);
    for (const w of await this.worktrees(repo.id)) {
      if (!(await samePath(w.path, created))) continue;
      const runs = this.deps.worktreeRuns;
      if (!runs) return w;
      // Rule 13: its ports, and its setup recorded as running before the caller hears of it.
      const setup = await runs.prepare(w.path, repo.path, w.head);
      return { ...w, portBase: runs.portBase(w.path), setup, run: null };
    }
    throw invalidState(`git created ${created} but does not list it as a worktree of ${repo.path}`, { path: created });
  }

  async removeWorktree(params: { worktreePath: string; force?: boolean }): Promise<void> {
    await this.ready();
    const located = await locateWorktree(
      params.worktreePath,
      this.store.list().map((r) => r.path),
    );
    const runs = this.deps.worktreeRuns;
    await removeWorktree(
      {
        ...this.deps,
        beforeRemoval: async (path) => runs?.stopAll(path),
        removed: (path) => runs?.removed(path),
      },
      located,
      params.force === true,
    );
  }

  /** Runs the worktree's setup again (rule 13). */
  async rerunSetup(worktreePath: string): Promise<WorktreeRun> {
    const { entry, entries } = await this.linked(worktreePath);
    return this.runs().rerunSetup(entry.path, entries[0]!.path);
  }

  async startRun(worktreePath: string): Promise<WorktreeRun> {
    const { entry } = await this.linked(worktreePath);
    return this.runs().startRun(entry.path);
  }

  async stopRun(worktreePath: string): Promise<WorktreeRun> {
    const { entry } = await this.linked(worktreePath);
    return this.runs().stopRun(entry.path);
  }

  /**
   * Hygiene in one step: removes every merged, clean, idle worktree of the repository, each
   * with every check of an ordinary removal (never forced), and says which were refused and why.
   */
  async removeStale(repoId: string): Promise<{ removed: string[]; refused: { worktreePath: string; reason: string }[] }> {
    const stale = (await this.worktrees(repoId)).filter((w) => w.stale);
    const removed: string[] = [];
    const refused: { worktreePath: string; reason: string }[] = [];
    for (const w of stale) {
      try {
        await this.removeWorktree({ worktreePath: w.path });
        removed.push(w.path);
      } catch (e) {
        refused.push({ worktreePath: w.path, reason: e instanceof Error ? e.message : String(e) });
      }
    }
    return { removed, refused };
  }

  private runs(): WorktreeRuns {
    if (!this.deps.worktreeRuns) throw invalidState('Worktree setup is not available in this process');
    return this.deps.worktreeRuns;
  }

  /** A linked worktree of an added repository (setup and run commands never touch the main one). */
  private async linked(worktreePath: string) {
    await this.ready();
    const located = await locateWorktree(worktreePath, this.store.list().map((r) => r.path));
    if (located.entry.isMain) throw invalidInput(`${located.entry.path} is the main worktree; setup and run commands belong to linked worktrees`, { worktreePath });
    return located;
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
