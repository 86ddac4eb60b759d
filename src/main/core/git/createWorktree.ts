// worktrees.create: a new branch in a new linked worktree, every input checked before git runs.
import { invalidInput, invalidState } from '../../../shared/errors';
import { git, gitFailed } from './gitCli';
import { defaultWorktreePath, exists, realpathOrNull, requireAbsolute } from './paths';

export interface CreateRequest {
  branch: string;
  path?: string;
  base?: string;
}

/** Refuses (INVALID_INPUT) a name git would not accept as a new branch. */
export async function validateBranchName(repoPath: string, branch: string): Promise<void> {
  const refuse = (why: string) => invalidInput(`"${branch}" is not a valid branch name${why}`, { branch });
  // A leading dash would read as an option; `@{-1}` and the like expand to another name.
  if (branch.startsWith('-') || branch === 'HEAD' || branch.includes('@{')) throw refuse('');
  const r = await git(repoPath, ['check-ref-format', '--branch', branch]);
  if (r.code !== 0 || r.stdout.trim() !== branch) throw refuse(' (git check-ref-format refuses it)');
}

/** The commit a new branch starts from: `base` when given, else the main worktree's HEAD. */
async function resolveBase(repoPath: string, base: string | undefined): Promise<string> {
  if (base === undefined) {
    const r = await git(repoPath, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
    if (r.code !== 0) throw invalidState(`${repoPath} has no commit yet; make a first commit before creating worktrees`, { repoPath });
    return r.stdout.trim();
  }
  if (base.startsWith('-') || base.trim() === '') throw invalidInput(`"${base}" is not a valid base`, { base });
  const r = await git(repoPath, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${base}^{commit}`]);
  if (r.code !== 0) throw invalidInput(`Base "${base}" is not a commit, branch or tag of this repository`, { base });
  return r.stdout.trim();
}

/** Creates the worktree and returns its real path. */
export async function createWorktree(repoPath: string, req: CreateRequest, worktreeRoot: string | null): Promise<string> {
  const { branch } = req;
  await validateBranchName(repoPath, branch);
  const path = req.path === undefined ? defaultWorktreePath(repoPath, branch, worktreeRoot) : requireAbsolute(req.path, 'path');

  const existing = await git(repoPath, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]);
  if (existing.code === 0) throw invalidInput(`Branch "${branch}" already exists in ${repoPath}`, { branch });
  if (await exists(path)) throw invalidInput(`${path} already exists; choose another path for the worktree`, { path });
  const commit = await resolveBase(repoPath, req.base);

  // git itself stays the final word: a branch or folder created meanwhile makes this fail cleanly.
  const args = ['worktree', 'add', '-b', branch, '--', path, commit];
  const r = await git(repoPath, args);
  if (r.code !== 0) throw gitFailed(args, r, 'INVALID_STATE', `Could not create the worktree at ${path}`);
  return (await realpathOrNull(path)) ?? path;
}
