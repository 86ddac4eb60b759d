// worktrees.diff: everything a worktree changed since it forked from the base branch — commits,
// staged and unstaged edits and untracked files — as a file list and a bounded unified patch.
// Untracked files are shown by marking them intent-to-add in a temporary copy of the index;
// the user's own index is never written.
import { copyFile, mkdtemp, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Diff } from '../../../shared/domain';
import { SwitchyardError, invalidInput } from '../../../shared/errors';
import type { ExecResult } from '../process/processRunner';
import { git, gitFailed, gitOk, splitNul, type GitOptions } from './gitCli';
import { baseOf } from './locate';
import { exists, requireAbsolute, samePath } from './paths';
import { parseNameStatus, parseNumstat, toDiffFiles } from './diffParse';
import { listWorktreeEntries } from './worktreeList';

export const DEFAULT_MAX_PATCH_BYTES = 2 * 1024 * 1024;
const DIFF_TIMEOUT_MS = 120_000;

const DIFF_OPTIONS = ['-M', '--no-ext-diff', '--no-textconv', '--no-relative', '--src-prefix=a/', '--dst-prefix=b/'];

/** The top folder of the worktree at `input`, or INVALID_INPUT. */
async function worktreeTop(input: string): Promise<string> {
  const path = requireAbsolute(input, 'worktreePath');
  if (!(await exists(path))) throw invalidInput(`${path} does not exist`, { worktreePath: path });
  const r = await git(path, ['rev-parse', '--show-toplevel']);
  if (r.code !== 0) throw invalidInput(`${path} is not a git worktree`, { worktreePath: path });
  const top = r.stdout.replace(/\n$/, '');
  if (!(await samePath(top, path))) {
    throw invalidInput(`${path} is inside the worktree ${top}; give the worktree's top folder`, { worktreePath: path, top });
  }
  return path;
}

async function commitOf(dir: string, rev: string): Promise<string | null> {
  const r = await git(dir, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
  return r.code === 0 ? r.stdout.trim() : null;
}

/**
 * The commit the diff starts from: the merge base of HEAD with the main worktree's branch (its
 * commit when the main worktree is detached). Null — diff against the empty tree — when there is
 * no such commit (an unborn branch, unrelated histories).
 */
async function mergeBase(dir: string): Promise<string | null> {
  const base = baseOf(await listWorktreeEntries(dir));
  const [head, baseTip] = await Promise.all([commitOf(dir, 'HEAD'), base ? commitOf(dir, base.ref) : null]);
  if (!head || !baseTip) return null;
  const r = await git(dir, ['merge-base', head, baseTip]);
  return r.code === 0 ? r.stdout.trim() : null;
}

/** Like gitOk, keeping the `truncated` flag. */
async function checked(dir: string, args: string[], options: GitOptions): Promise<ExecResult> {
  const r = await git(dir, args, options);
  if (r.code !== 0) throw gitFailed(args, r);
  return r;
}

/** Cuts a patch that hit the byte bound back to its last whole line. */
function cutToLine(patch: string): string {
  const end = patch.lastIndexOf('\n');
  return end < 0 ? '' : patch.slice(0, end + 1);
}

/**
 * Copies the index with its modification time (a hair earlier, never later). git trusts an
 * entry's size and time only if the file is older than the index file itself ("racy git"): a
 * copy stamped now would make a same-size edit from the index's last moment look unchanged.
 */
export async function copyIndex(from: string, to: string): Promise<void> {
  try {
    const { atimeMs, mtimeMs } = await stat(from);
    await copyFile(from, to);
    await utimes(to, atimeMs / 1000, (mtimeMs - 1) / 1000);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; // no index yet: git starts from an empty one
  }
}

export async function worktreeDiff(input: string, maxPatchBytes = DEFAULT_MAX_PATCH_BYTES): Promise<Diff> {
  const dir = await worktreeTop(input);
  const base = await mergeBase(dir);
  const from = base ?? (await gitOk(dir, ['hash-object', '-t', 'tree', '--stdin'], { input: '' })).trim();

  const tmp = await mkdtemp(join(tmpdir(), 'switchyard-diff-'));
  try {
    const indexFile = join(tmp, 'index');
    const realIndex = (await gitOk(dir, ['rev-parse', '--path-format=absolute', '--git-path', 'index'])).replace(/\n$/, '');
    await copyIndex(realIndex, indexFile);
    const env = { GIT_INDEX_FILE: indexFile };

    const others = splitNul(await gitOk(dir, ['ls-files', '--others', '--exclude-standard', '-z'], { env }));
    // A folder (`name/`) here is a nested repository: git cannot mark it intent-to-add, so it is
    // listed as one untracked entry without content.
    const nestedRepos = others.filter((p) => p.endsWith('/'));
    const untracked = others.filter((p) => !p.endsWith('/'));
    if (untracked.length > 0) {
      await gitOk(dir, ['--literal-pathspecs', 'add', '--intent-to-add', '--pathspec-from-file=-', '--pathspec-file-nul'], {
        env,
        input: untracked.join('\0'),
      });
    }

    const opts = { env, timeoutMs: DIFF_TIMEOUT_MS };
    const patchArgs = ['diff', ...DIFF_OPTIONS, from, '--'];
    const [names, stats, patch] = await Promise.all([
      checked(dir, ['diff', ...DIFF_OPTIONS, '--name-status', '-z', from, '--'], opts),
      checked(dir, ['diff', ...DIFF_OPTIONS, '--numstat', '-z', from, '--'], opts),
      git(dir, patchArgs, { ...opts, maxBuffer: maxPatchBytes }),
    ]);
    if (patch.code !== 0) throw gitFailed(patchArgs, patch);
    if (names.truncated || stats.truncated) {
      throw new SwitchyardError('INTERNAL', `The worktree ${dir} has too many changed files to list`, { worktreePath: dir });
    }

    return {
      files: [
        ...toDiffFiles(parseNameStatus(names.stdout), parseNumstat(stats.stdout), new Set(untracked)),
        ...nestedRepos.map((path) => ({ path, status: 'untracked' as const, additions: 0, deletions: 0, binary: false })),
      ],
      patch: patch.truncated ? cutToLine(patch.stdout) : patch.stdout,
      truncated: patch.truncated,
      base,
    };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
