// What changed in a worktree between two moments: `git status --porcelain=v2 -z` snapshots
// (plus size, mtime and inode, so a second edit of an already modified file shows), and the
// commits made in between (an agent such as Aider commits as it goes).
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { ExecError, execFile } from '../process/processRunner';

export type FileEventType = 'file_created' | 'file_modified' | 'file_deleted';
export interface FileChange {
  type: FileEventType;
  /** Relative to the repository's top level, with forward slashes. */
  path: string;
}

interface StatusEntry {
  /** Not in HEAD: untracked, or added to the index. */
  newInHead: boolean;
  fingerprint: string;
}

export interface Snapshot {
  head: string | null;
  entries: Map<string, StatusEntry>;
}

const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const GIT_TIMEOUT_MS = 60_000;

/** Our reads must never take the index lock an agent's own git command needs. */
const gitEnv = (): NodeJS.ProcessEnv => ({ ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0' });

async function git(cwd: string, args: string[]): Promise<string> {
  const r = await execFile('git', args, { cwd, env: gitEnv(), timeoutMs: GIT_TIMEOUT_MS, maxBuffer: 256 * 1024 * 1024 });
  if (r.code !== 0) throw new ExecError(`git ${args[0]} failed (${r.code ?? r.signal}): ${r.stderr.trim()}`, r);
  return r.stdout;
}

/** The top level of the worktree's checkout, or null when it is not a git repository (or git is missing). */
export async function gitTopLevel(worktree: string): Promise<string | null> {
  try {
    return (await git(worktree, ['rev-parse', '--show-toplevel'])).trim() || null;
  } catch {
    return null;
  }
}

async function fingerprint(root: string, path: string): Promise<string> {
  try {
    const s = await lstat(join(root, path), { bigint: true });
    return `${s.size}:${s.mtimeNs}:${s.ino}`;
  } catch {
    return 'absent';
  }
}

/** Splits `n` space-separated fields off the front of a record; the rest is the path (it may hold spaces). */
function fieldsAndPath(record: string, n: number): { fields: string[]; path: string } {
  const fields: string[] = [];
  let at = 0;
  for (let i = 0; i < n; i++) {
    const sp = record.indexOf(' ', at);
    if (sp < 0) return { fields, path: '' };
    fields.push(record.slice(at, sp));
    at = sp + 1;
  }
  return { fields, path: record.slice(at) };
}

export async function takeSnapshot(root: string): Promise<Snapshot> {
  const out = await git(root, ['status', '--porcelain=v2', '-z', '--branch', '--untracked-files=all', '--no-renames', '--ignore-submodules=all']);
  const records = out.split('\0');
  let head: string | null = null;
  const found: { path: string; newInHead: boolean }[] = [];
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (!r) continue;
    if (r.startsWith('# branch.oid ')) {
      const oid = r.slice('# branch.oid '.length);
      head = oid === '(initial)' ? null : oid;
    } else if (r.startsWith('1 ')) {
      const { fields, path } = fieldsAndPath(r, 8);
      found.push({ path, newInHead: fields[1]?.[0] === 'A' });
    } else if (r.startsWith('2 ')) {
      // A rename (should not appear with --no-renames): the new path, then the original as its own record.
      const { path } = fieldsAndPath(r, 9);
      found.push({ path, newInHead: true });
      const orig = records[++i];
      if (orig) found.push({ path: orig, newInHead: false });
    } else if (r.startsWith('u ')) {
      found.push({ path: fieldsAndPath(r, 10).path, newInHead: false });
    } else if (r.startsWith('? ')) {
      found.push({ path: r.slice(2), newInHead: true });
    }
  }
  const entries = new Map<string, StatusEntry>();
  await Promise.all(
    found.map(async ({ path, newInHead }) => {
      if (path) entries.set(path, { newInHead, fingerprint: await fingerprint(root, path) });
    }),
  );
  return { head, entries };
}

/** Paths changed between two commits: A, M or D. */
async function committedChanges(root: string, from: string | null, to: string): Promise<Map<string, string>> {
  const out = await git(root, ['diff', '--name-status', '-z', '--no-renames', '--no-ext-diff', from ?? EMPTY_TREE, to]);
  const parts = out.split('\0');
  const changes = new Map<string, string>();
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const status = parts[i]!;
    const path = parts[i + 1]!;
    if (status && path) changes.set(path, status[0]!);
  }
  return changes;
}

/** The file events that take `prev` to `next`, sorted by path. */
export async function diffSnapshots(root: string, prev: Snapshot, next: Snapshot): Promise<FileChange[]> {
  const committed = next.head !== null && next.head !== prev.head ? await committedChanges(root, prev.head, next.head) : new Map<string, string>();
  const paths = new Set([...prev.entries.keys(), ...next.entries.keys(), ...committed.keys()]);
  const changes: FileChange[] = [];
  for (const path of [...paths].sort()) {
    const a = prev.entries.get(path);
    const b = next.entries.get(path);
    const nextFp = b ? b.fingerprint : await fingerprint(root, path);
    const nextExists = nextFp !== 'absent';
    let prevExists: boolean;
    let changed: boolean;
    if (a) {
      prevExists = a.fingerprint !== 'absent';
      changed = a.fingerprint !== nextFp;
    } else {
      // Clean at `prev`: it existed then if it was in prev's HEAD.
      const c = committed.get(path);
      prevExists = c !== undefined ? c !== 'A' : !(b?.newInHead ?? false);
      changed = true;
    }
    if (!prevExists && nextExists) changes.push({ type: 'file_created', path });
    else if (prevExists && !nextExists) changes.push({ type: 'file_deleted', path });
    else if (prevExists && nextExists && changed) changes.push({ type: 'file_modified', path });
  }
  return changes;
}
