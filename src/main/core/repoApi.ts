// What the core offers about repositories and worktrees (docs/design.md §4.1 repos.* / worktrees.*).
// Implemented over the git CLI in ./git; the transports call it through this interface.
import type { Diff, Repo, Worktree, WorktreeRun } from '../../shared/domain';

export interface RepoApi {
  list(): Repo[];
  add(path: string): Promise<Repo>;
  remove(repoId: string): void;
  worktrees(repoId: string): Promise<Worktree[]>;
  createWorktree(params: { repoId: string; branch: string; path?: string; base?: string }): Promise<Worktree>;
  removeWorktree(params: { worktreePath: string; force?: boolean }): Promise<void>;
  diff(worktreePath: string): Promise<Diff>;
  // Rule 13 (docs/worktrees.md).
  rerunSetup(worktreePath: string): Promise<WorktreeRun>;
  startRun(worktreePath: string): Promise<WorktreeRun>;
  stopRun(worktreePath: string): Promise<WorktreeRun>;
  removeStale(repoId: string): Promise<{ removed: string[]; refused: { worktreePath: string; reason: string }[] }>;
}
