// Reads `git worktree list --porcelain -z` (records of NUL-terminated `key value` lines, each
// record ended by an empty field) and works out each worktree's dirty flag.
import { git, gitOk, splitNul } from './gitCli';
import { mapLimit } from './mapLimit';

export interface WorktreeEntry {
  path: string;
  /** Commit id; all zeros for an unborn branch. */
  head: string;
  /** Short branch name; null when detached (or bare). */
  branch: string | null;
  isMain: boolean;
  bare: boolean;
  locked: boolean;
  lockReason: string | null;
  prunable: boolean;
}

const HEADS = 'refs/heads/';

export function parseWorktreeList(output: string): WorktreeEntry[] {
  const entries: WorktreeEntry[] = [];
  let cur: WorktreeEntry | null = null;
  for (const field of splitNul(output)) {
    if (field === '') {
      cur = null;
      continue;
    }
    const space = field.indexOf(' ');
    const key = space < 0 ? field : field.slice(0, space);
    const value = space < 0 ? '' : field.slice(space + 1);
    if (key === 'worktree') {
      cur = {
        path: value,
        head: '',
        branch: null,
        isMain: entries.length === 0,
        bare: false,
        locked: false,
        lockReason: null,
        prunable: false,
      };
      entries.push(cur);
      continue;
    }
    if (!cur) continue;
    switch (key) {
      case 'HEAD':
        cur.head = value;
        break;
      case 'branch':
        cur.branch = value.startsWith(HEADS) ? value.slice(HEADS.length) : value;
        break;
      case 'detached':
        cur.branch = null;
        break;
      case 'bare':
        cur.bare = true;
        break;
      case 'locked':
        cur.locked = true;
        cur.lockReason = value || null;
        break;
      case 'prunable':
        cur.prunable = true;
        break;
      // Unknown keys (a newer git) are ignored.
    }
  }
  return entries;
}

/** Every worktree of the repository that `dir` belongs to; the main one first. */
export async function listWorktreeEntries(dir: string): Promise<WorktreeEntry[]> {
  return parseWorktreeList(await gitOk(dir, ['worktree', 'list', '--porcelain', '-z']));
}

/** Paths with uncommitted changes (tracked or untracked, not ignored), as `git status` lists them. */
export async function uncommittedFiles(worktreePath: string): Promise<string[]> {
  const out = await gitOk(worktreePath, ['status', '--porcelain=v1', '-z', '--untracked-files=all']);
  const fields = splitNul(out);
  const files: string[] = [];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    files.push(f.slice(3));
    // A rename or copy is followed by its source path in its own field.
    if (f[0] === 'R' || f[0] === 'C') i++;
  }
  return files;
}

/** How many `git status` run at once when a list asks for every worktree's dirty flag. */
const STATUS_CONCURRENCY = 8;

/**
 * Dirty flags for the entries, concurrently. A worktree whose folder is gone (prunable) or bare
 * is not dirty; one whose status cannot be read is reported dirty, so it is never shown as safe.
 */
export async function dirtyFlags(entries: readonly WorktreeEntry[]): Promise<boolean[]> {
  return mapLimit(entries, STATUS_CONCURRENCY, async (e) => {
    if (e.prunable || e.bare) return false;
    const r = await git(e.path, ['status', '--porcelain=v1', '-z', '--untracked-files=normal']);
    return r.code !== 0 || r.stdout.length > 0;
  });
}
