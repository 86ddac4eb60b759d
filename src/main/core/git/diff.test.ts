import { readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../store/database';
import { copyIndex, DEFAULT_MAX_PATCH_BYTES } from './diff';
import { commitFile, sandbox, sh, write, type Sandbox } from '../testing/gitFixture';
import { GitRepoService } from './repoService';

let box: Sandbox;
let service: GitRepoService;
let repoPath: string;

const lines = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix} line ${i + 1}`).join('\n') + '\n';

beforeEach(async () => {
  box = sandbox();
  service = new GitRepoService({ db: openDatabase(':memory:'), activeWorkflowId: () => null, reserveWorktree: () => () => undefined, settings: () => ({ worktreeRoot: null }) });
  repoPath = await box.repo('repo');
  write(join(repoPath, 'modified.txt'), lines('mod', 10));
  write(join(repoPath, 'deleted.txt'), lines('del', 5));
  write(join(repoPath, 'old name.txt'), lines('ren', 20));
  write(join(repoPath, 'image.bin'), Buffer.from([0, 1, 2, 3, 0, 255]));
  write(join(repoPath, 'keep.txt'), 'keep\n');
  await sh(repoPath, 'add', '-A');
  await sh(repoPath, 'commit', '-q', '-m', 'base files');
});
afterEach(() => box.cleanup());

async function worktree(branch: string): Promise<string> {
  const path = join(box.dir, `wt ${branch} ü`);
  await sh(repoPath, 'worktree', 'add', '-q', '-b', branch, path);
  return path;
}

describe('the temporary index', () => {
  it("keeps the real index's time (never later), so git still re-reads racily clean files", async () => {
    const real = join(repoPath, '.git', 'index');
    utimesSync(real, 1_700_000_000, 1_700_000_000.5); // an index written long before the copy
    const copy = join(box.dir, 'index-copy');
    await copyIndex(real, copy);
    expect(readFileSync(copy)).toEqual(readFileSync(real));
    const [r, c] = [statSync(real).mtimeMs, statSync(copy).mtimeMs];
    expect(c).toBeLessThanOrEqual(r);
    expect(r - c).toBeLessThan(5);
  });

  it('starts from an empty index when the worktree has none yet', async () => {
    await expect(copyIndex(join(box.dir, 'no-index'), join(box.dir, 'index-copy'))).resolves.toBeUndefined();
  });
});

describe('worktrees.diff', () => {
  it('covers commits, staged, unstaged and untracked changes against the merge base with main', async () => {
    const wt = await worktree('feat');
    const forkPoint = (await sh(repoPath, 'rev-parse', 'HEAD')).trim();
    // Main moves on after the fork: its change must not appear in the branch's diff.
    await commitFile(repoPath, 'keep.txt', 'changed on main\n');

    await commitFile(wt, 'committed ü.txt', 'from a commit\n'); // added in a commit
    write(join(wt, 'modified.txt'), lines('mod', 10).replace('mod line 3\n', 'mod line three\n') + 'extra\n'); // unstaged
    rmSync(join(wt, 'deleted.txt'));
    await sh(wt, 'mv', 'old name.txt', 'new name.txt'); // staged rename
    write(join(wt, 'staged.txt'), 'staged\n');
    await sh(wt, 'add', 'staged.txt');
    write(join(wt, 'image.bin'), Buffer.from([0, 9, 9, 9, 0, 1]));
    write(join(wt, 'dir', 'untracked *.txt'), 'u1\nu2\n');
    write(join(wt, '.gitignore'), 'ignored.log\n');
    write(join(wt, 'ignored.log'), 'noise\n');

    const diff = await service.diff(wt);
    expect(diff.base).toBe(forkPoint);
    expect(diff.truncated).toBe(false);
    const byPath = Object.fromEntries(diff.files.map((f) => [f.path, f]));
    expect(byPath['committed ü.txt']).toEqual({ path: 'committed ü.txt', status: 'added', additions: 1, deletions: 0, binary: false });
    expect(byPath['modified.txt']).toEqual({ path: 'modified.txt', status: 'modified', additions: 2, deletions: 1, binary: false });
    expect(byPath['deleted.txt']).toEqual({ path: 'deleted.txt', status: 'deleted', additions: 0, deletions: 5, binary: false });
    expect(byPath['new name.txt']).toEqual({ path: 'new name.txt', oldPath: 'old name.txt', status: 'renamed', additions: 0, deletions: 0, binary: false });
    expect(byPath['staged.txt']).toMatchObject({ status: 'added', additions: 1 });
    expect(byPath['image.bin']).toEqual({ path: 'image.bin', status: 'modified', additions: 0, deletions: 0, binary: true });
    expect(byPath['dir/untracked *.txt']).toEqual({ path: 'dir/untracked *.txt', status: 'untracked', additions: 2, deletions: 0, binary: false });
    expect(byPath['.gitignore']).toMatchObject({ status: 'untracked' });
    expect(byPath['ignored.log']).toBeUndefined();
    expect(byPath['keep.txt']).toBeUndefined();
    expect(diff.files).toHaveLength(8);

    expect(diff.patch).toContain('diff --git a/modified.txt b/modified.txt');
    expect(diff.patch).toContain('-mod line 3\n+mod line three\n');
    expect(diff.patch).toContain('rename from old name.txt\nrename to new name.txt');
    // (git ends a `+++` line with a tab when the name has a space)
    expect(diff.patch).toMatch(/\+\+\+ b\/dir\/untracked \*\.txt\t?\n@@ -0,0 \+1,2 @@\n\+u1\n\+u2\n/);
    expect(diff.patch).toMatch(/Binary files a\/image\.bin and b\/image\.bin differ/);
    expect(diff.patch).not.toContain('changed on main');
  });

  it('detects a rename done without git (delete + untracked file)', async () => {
    const wt = await worktree('mv');
    rmSync(join(wt, 'old name.txt'));
    write(join(wt, 'moved.txt'), lines('ren', 20));
    const diff = await service.diff(wt);
    expect(diff.files).toEqual([{ path: 'moved.txt', oldPath: 'old name.txt', status: 'renamed', additions: 0, deletions: 0, binary: false }]);
  });

  it('lists a nested repository as one untracked entry instead of failing', async () => {
    const wt = await worktree('nested');
    const inner = join(wt, 'vendor', 'lib');
    write(join(inner, 'x.txt'), 'x\n');
    await sh(inner, 'init', '-q', '-b', 'main');
    write(join(wt, 'plain.txt'), 'p\n');
    const diff = await service.diff(wt);
    expect(diff.files).toEqual([
      { path: 'plain.txt', status: 'untracked', additions: 1, deletions: 0, binary: false },
      { path: 'vendor/lib/', status: 'untracked', additions: 0, deletions: 0, binary: false },
    ]);
  });

  it('never touches the user index or the working tree', async () => {
    const wt = await worktree('ro');
    write(join(wt, 'untracked.txt'), 'u\n');
    write(join(wt, 'modified.txt'), 'x\n');
    const indexFile = (await sh(wt, 'rev-parse', '--path-format=absolute', '--git-path', 'index')).trim();
    const index = readFileSync(indexFile);
    const status = await sh(wt, 'status', '--porcelain');
    const diff = await service.diff(wt);
    expect(diff.files.map((f) => f.status).sort()).toEqual(['modified', 'untracked']);
    expect(readFileSync(indexFile)).toEqual(index);
    expect(await sh(wt, 'status', '--porcelain')).toBe(status);
    expect(status).toContain('?? untracked.txt');
  });

  it('shows only uncommitted work for the main worktree, and nothing for a clean one', async () => {
    expect(await service.diff(repoPath)).toEqual({ files: [], patch: '', truncated: false, base: (await sh(repoPath, 'rev-parse', 'HEAD')).trim() });
    write(join(repoPath, 'keep.txt'), 'keep\nmore\n');
    const diff = await service.diff(repoPath);
    expect(diff.files).toEqual([{ path: 'keep.txt', status: 'modified', additions: 1, deletions: 0, binary: false }]);
  });

  it('truncates a huge patch at a line boundary within the bound and says so', async () => {
    const wt = await worktree('huge');
    const big = lines('a fairly long line of generated text to make the patch big', 60_000); // ~4 MiB
    await commitFile(wt, 'big.txt', big);
    write(join(wt, 'small.txt'), 'small\n');
    const diff = await service.diff(wt);
    expect(diff.truncated).toBe(true);
    expect(Buffer.byteLength(diff.patch)).toBeLessThanOrEqual(DEFAULT_MAX_PATCH_BYTES);
    expect(Buffer.byteLength(diff.patch)).toBeGreaterThan(DEFAULT_MAX_PATCH_BYTES - 200);
    expect(diff.patch.endsWith('\n')).toBe(true);
    // The file list is complete even when the patch is not.
    expect(diff.files.find((f) => f.path === 'big.txt')).toMatchObject({ status: 'added', additions: 60_000 });
    expect(diff.files.find((f) => f.path === 'small.txt')).toMatchObject({ status: 'untracked' });
  });

  it('refuses a path that is not a worktree top folder', async () => {
    const plain = join(box.dir, 'plain');
    write(join(plain, 'x'), 'x');
    write(join(repoPath, 'sub', 'y'), 'y');
    await expect(service.diff(plain)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/not a git worktree/) });
    await expect(service.diff(join(repoPath, 'sub'))).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/inside the worktree/) });
    await expect(service.diff(join(box.dir, 'missing'))).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/does not exist/) });
    await expect(service.diff('rel')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
