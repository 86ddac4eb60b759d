import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Repo } from '../../../shared/domain';
import { hang } from '../testing/inProcessExecutor';
import { makeHarness, type Harness } from '../testing/harness';
import { commitFile, sandbox, sh, write, type Sandbox } from '../testing/gitFixture';
import { repoServiceFor } from '../createCore';
import type { GitRepoService } from './repoService';

let box: Sandbox;
let h: Harness;
let service: GitRepoService;
let repoPath: string;
let repo: Repo;

beforeEach(async () => {
  box = sandbox();
  h = makeHarness();
  service = repoServiceFor(h.orch, h.storage.db);
  repoPath = await box.repo('repo');
  repo = await service.add(repoPath);
});
afterEach(async () => {
  await h.cleanup();
  box.cleanup();
});

const branches = async () => (await sh(repoPath, 'branch', '--format=%(refname:short)')).trim().split('\n').sort();

describe('worktrees.list', () => {
  it('lists main, linked, detached, locked and prunable worktrees with their flags', async () => {
    const head = (await sh(repoPath, 'rev-parse', 'HEAD')).trim();
    const spaced = join(box.dir, 'with space ü', 'feat one');
    const second = join(box.dir, 'second');
    const detached = join(box.dir, 'detached');
    const locked = join(box.dir, 'locked');
    const gone = join(box.dir, 'gone');
    await sh(repoPath, 'worktree', 'add', '-q', '-b', 'feat/one', spaced);
    await sh(repoPath, 'worktree', 'add', '-q', '-b', 'two', second);
    await sh(repoPath, 'worktree', 'add', '-q', '--detach', detached, 'HEAD');
    await sh(repoPath, 'worktree', 'add', '-q', '-b', 'lk', locked);
    await sh(repoPath, 'worktree', 'lock', '--reason', 'on a usb drive', locked);
    await sh(repoPath, 'worktree', 'add', '-q', '-b', 'gone', gone);
    rmSync(gone, { recursive: true });
    write(join(spaced, 'new file.txt'), 'untracked\n');
    const secondHead = await commitFile(second, 'two.txt', 'two\n');

    const list = await service.worktrees(repo.id);
    const byPath = new Map(list.map((w) => [w.path, w]));
    expect(list[0]).toEqual({ path: repoPath, branch: 'main', head, isMain: true, dirty: false, locked: false, prunable: false, activeWorkflowId: null });
    expect(byPath.get(spaced)).toMatchObject({ branch: 'feat/one', head, isMain: false, dirty: true, locked: false, prunable: false });
    expect(byPath.get(second)).toMatchObject({ branch: 'two', head: secondHead, dirty: false });
    expect(byPath.get(detached)).toMatchObject({ branch: null, head, dirty: false });
    expect(byPath.get(locked)).toMatchObject({ branch: 'lk', locked: true, prunable: false });
    expect(byPath.get(gone)).toMatchObject({ branch: 'gone', prunable: true, dirty: false });
    expect(list).toHaveLength(6);
  });

  it('carries the active workflow id of each worktree from the orchestrator', async () => {
    const linked = join(box.dir, 'busy');
    await sh(repoPath, 'worktree', 'add', '-q', '-b', 'busy', linked);
    h.executor.set('plan', hang);
    const wf = await h.orch.start({ worktreePath: linked, issueId: 'ISSUE-1' });
    await h.waitFor(wf.id, 'in_progress');
    const list = await service.worktrees(repo.id);
    expect(list.find((w) => w.path === linked)?.activeWorkflowId).toBe(wf.id);
    expect(list.find((w) => w.isMain)?.activeWorkflowId).toBeNull();
    await h.orch.cancel(wf.id);
  });

  it('says NOT_FOUND for an unknown repository and INVALID_STATE when its folder is gone', async () => {
    await expect(service.worktrees('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const other = await box.repo('moved-away');
    const added = await service.add(other);
    rmSync(other, { recursive: true });
    await expect(service.worktrees(added.id)).rejects.toMatchObject({ code: 'INVALID_STATE', message: expect.stringMatching(/no longer at/) });
  });
});

describe('worktrees.create', () => {
  it('creates a new branch from the main HEAD beside the repository by default', async () => {
    const w = await service.createWorktree({ repoId: repo.id, branch: 'feature/login' });
    const expected = join(box.dir, 'repo.worktrees', 'feature', 'login');
    expect(w).toMatchObject({ path: expected, branch: 'feature/login', isMain: false, dirty: false, activeWorkflowId: null });
    expect(w.head).toBe((await sh(repoPath, 'rev-parse', 'HEAD')).trim());
    expect(existsSync(join(expected, 'README.md'))).toBe(true);
  });

  it('puts worktrees under the worktreeRoot setting when it is set', async () => {
    const root = join(box.dir, 'all worktrees');
    h.orch.updateSettings({ worktreeRoot: root });
    const w = await service.createWorktree({ repoId: repo.id, branch: 'x' });
    expect(w.path).toBe(join(root, 'repo', 'x'));
  });

  it('takes an explicit path with spaces and non-ASCII characters, and a base', async () => {
    const first = (await sh(repoPath, 'rev-parse', 'HEAD')).trim();
    await commitFile(repoPath, 'later.txt', 'later\n');
    const path = join(box.dir, 'Ärger mit Leerzeichen', 'wt ü');
    const w = await service.createWorktree({ repoId: repo.id, branch: 'from-first', path, base: first });
    expect(w).toMatchObject({ path, branch: 'from-first', head: first });
    const fromMain = await service.createWorktree({ repoId: repo.id, branch: 'from-main', path: join(box.dir, 'm'), base: 'main' });
    expect(fromMain.head).not.toBe(first);
  });

  it('refuses names git refuses, existing branches, existing paths and unknown bases, and changes nothing', async () => {
    mkdirSync(join(box.dir, 'taken'));
    const before = { branches: await branches(), worktrees: await sh(repoPath, 'worktree', 'list', '--porcelain') };
    const cases: [Parameters<GitRepoService['createWorktree']>[0], RegExp][] = [
      [{ repoId: repo.id, branch: 'bad..name' }, /not a valid branch name/],
      [{ repoId: repo.id, branch: 'has space' }, /not a valid branch name/],
      [{ repoId: repo.id, branch: '-rf' }, /not a valid branch name/],
      [{ repoId: repo.id, branch: '@{-1}' }, /not a valid branch name/],
      [{ repoId: repo.id, branch: 'ends.lock' }, /not a valid branch name/],
      [{ repoId: repo.id, branch: 'main' }, /Branch "main" already exists/],
      [{ repoId: repo.id, branch: 'ok', path: join(box.dir, 'taken') }, /already exists; choose another path/],
      [{ repoId: repo.id, branch: 'ok', path: 'relative' }, /must be an absolute path/],
      [{ repoId: repo.id, branch: 'ok', base: 'no-such-ref' }, /Base "no-such-ref" is not a commit/],
      [{ repoId: repo.id, branch: 'ok', base: '--all' }, /not a valid base/],
    ];
    for (const [params, message] of cases) {
      await expect(service.createWorktree(params), JSON.stringify(params)).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: expect.stringMatching(message),
      });
    }
    await expect(service.createWorktree({ repoId: 'nope', branch: 'ok' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await branches()).toEqual(before.branches);
    expect(await sh(repoPath, 'worktree', 'list', '--porcelain')).toBe(before.worktrees);
    expect(existsSync(join(box.dir, 'repo.worktrees'))).toBe(false);
  });

  it('refuses a repository without commits', async () => {
    const empty = join(box.dir, 'empty');
    mkdirSync(empty);
    await sh(empty, 'init', '-q', '-b', 'main');
    const added = await service.add(empty);
    await expect(service.createWorktree({ repoId: added.id, branch: 'x' })).rejects.toMatchObject({ code: 'INVALID_STATE', message: expect.stringMatching(/no commit yet/) });
  });
});
