import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hang } from '../testing/inProcessExecutor';
import { makeHarness, type Harness } from '../testing/harness';
import { commitFile, sandbox, sh, write, type Sandbox } from '../testing/gitFixture';
import { repoServiceFor } from '../createCore';
import { GitRepoService } from './repoService';

let box: Sandbox;
let h: Harness;
let service: GitRepoService;
let repoPath: string;

beforeEach(async () => {
  box = sandbox();
  h = makeHarness();
  service = repoServiceFor(h.orch, h.storage.db);
  repoPath = await box.repo('repo');
  await service.add(repoPath);
});
afterEach(async () => {
  await h.cleanup();
  box.cleanup();
});

async function linked(branch: string, name = branch): Promise<string> {
  const path = join(box.dir, name);
  await sh(repoPath, 'worktree', 'add', '-q', '-b', branch, path);
  return path;
}
const hasBranch = async (b: string) => (await sh(repoPath, 'branch', '--list', b)).trim() !== '';
const isListed = async (p: string) => (await sh(repoPath, 'worktree', 'list', '--porcelain')).includes(`worktree ${p}\n`);

describe('worktrees.remove', () => {
  it('removes a clean, merged worktree and deletes its branch', async () => {
    const path = await linked('done', 'done wt ü');
    await commitFile(path, 'f.txt', 'f\n');
    await sh(repoPath, 'merge', '-q', '--ff-only', 'done');
    await service.removeWorktree({ worktreePath: path });
    expect(existsSync(path)).toBe(false);
    expect(await isListed(path)).toBe(false);
    expect(await hasBranch('done')).toBe(false);
  });

  it('never removes the main worktree, even with force', async () => {
    for (const force of [false, true]) {
      await expect(service.removeWorktree({ worktreePath: repoPath, force })).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: expect.stringMatching(/main worktree/),
      });
    }
    expect(existsSync(join(repoPath, 'README.md'))).toBe(true);
  });

  it('is refused while a workflow is active there, even with force, naming the workflow', async () => {
    const path = await linked('busy');
    h.executor.set('plan', hang);
    const wf = await h.orch.start({ worktreePath: path, issueId: 'ISSUE-7' });
    await h.waitFor(wf.id, 'in_progress');
    for (const force of [false, true]) {
      await expect(service.removeWorktree({ worktreePath: path, force })).rejects.toMatchObject({
        code: 'WORKTREE_CONFLICT',
        message: expect.stringContaining(wf.id),
        details: { workflowId: wf.id },
      });
    }
    expect(existsSync(path)).toBe(true);
    await h.orch.cancel(wf.id);
    await service.removeWorktree({ worktreePath: path });
    expect(existsSync(path)).toBe(false);
  });

  it('holds the worktree while it is removed: a start there in the meantime is refused', async () => {
    const path = await linked('held');
    let markHeld!: () => void;
    const held = new Promise<void>((resolve) => (markHeld = resolve));
    const watched = new GitRepoService({
      db: h.storage.db,
      activeWorkflowId: (p) => h.orch.activeWorkflowId(p),
      reserveWorktree: (p, purpose) => {
        const release = h.orch.reserveWorktree(p, purpose);
        markHeld();
        return release;
      },
      settings: () => h.orch.settings(),
    });
    const removal = watched.removeWorktree({ worktreePath: path });
    await held;
    await expect(h.orch.start({ worktreePath: path, issueId: 'SNEAK-IN' })).rejects.toMatchObject({
      code: 'WORKTREE_CONFLICT',
      message: expect.stringContaining('being removed'),
    });
    await removal;
    expect(existsSync(path)).toBe(false);
    expect(h.orch.list().items).toEqual([]);
  });

  it('is refused with uncommitted changes, listing the files, and removes them with force', async () => {
    const path = await linked('dirty');
    write(join(path, 'README.md'), 'changed\n');
    write(join(path, 'notes ü.txt'), 'new\n');
    const err = await service.removeWorktree({ worktreePath: path }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'INVALID_STATE',
      message: expect.stringMatching(/would lose work: 2 uncommitted files \(README\.md, notes ü\.txt\)/),
      details: { uncommittedCount: 2, unsavedCommits: 0, branch: 'dirty' },
    });
    expect(existsSync(join(path, 'notes ü.txt'))).toBe(true);
    expect(await hasBranch('dirty')).toBe(true);
    // A refused removal releases its hold on the worktree: a workflow may start there again.
    const started = await h.orch.start({ worktreePath: path, issueId: 'AFTER-REFUSAL' });
    await h.orch.cancel(started.id);

    await service.removeWorktree({ worktreePath: path, force: true });
    expect(existsSync(path)).toBe(false);
    expect(await hasBranch('dirty')).toBe(false);
  });

  it('is refused with commits neither merged nor pushed, counting them; force deletes them', async () => {
    const path = await linked('work');
    await commitFile(path, 'a.txt', 'a\n');
    await commitFile(path, 'b.txt', 'b\n');
    await expect(service.removeWorktree({ worktreePath: path })).rejects.toMatchObject({
      code: 'INVALID_STATE',
      message: expect.stringMatching(/2 commits on work neither merged into main nor pushed/),
      details: { unsavedCommits: 2, uncommittedCount: 0 },
    });
    expect(existsSync(path)).toBe(true);
    await service.removeWorktree({ worktreePath: path, force: true });
    expect(existsSync(path)).toBe(false);
    expect(await hasBranch('work')).toBe(false);
  });

  it('removes a pushed but unmerged worktree and keeps its branch', async () => {
    const remote = join(box.dir, 'remote.git');
    await sh(box.dir, 'init', '-q', '--bare', remote);
    await sh(repoPath, 'remote', 'add', 'origin', remote);
    const path = await linked('pushed');
    await commitFile(path, 'p.txt', 'p\n');
    await sh(path, 'push', '-q', 'origin', 'pushed');
    await service.removeWorktree({ worktreePath: path });
    expect(existsSync(path)).toBe(false);
    expect(await hasBranch('pushed')).toBe(true);
  });

  it('protects commits made on a detached HEAD that nothing else contains', async () => {
    const path = join(box.dir, 'det');
    await sh(repoPath, 'worktree', 'add', '-q', '--detach', path, 'HEAD');
    await commitFile(path, 'd.txt', 'd\n');
    await expect(service.removeWorktree({ worktreePath: path })).rejects.toMatchObject({
      message: expect.stringMatching(/1 commit on the detached HEAD that no branch, tag or remote contains/),
    });
    await service.removeWorktree({ worktreePath: path, force: true });
    expect(existsSync(path)).toBe(false);
  });

  it('refuses a locked worktree without force, and unlocks and removes it with force', async () => {
    const path = await linked('lk');
    await sh(repoPath, 'worktree', 'lock', '--reason', 'usb drive', path);
    await expect(service.removeWorktree({ worktreePath: path })).rejects.toMatchObject({
      code: 'INVALID_STATE',
      message: expect.stringMatching(/locked \(usb drive\)/),
    });
    await service.removeWorktree({ worktreePath: path, force: true });
    expect(await isListed(path)).toBe(false);
  });

  it('prunes the record of a worktree whose folder was deleted, and other stale records', async () => {
    const gone = await linked('gone');
    const alsoGone = await linked('also-gone');
    rmSync(gone, { recursive: true });
    rmSync(alsoGone, { recursive: true });
    await service.removeWorktree({ worktreePath: gone });
    expect(await isListed(gone)).toBe(false);
    expect(await isListed(alsoGone)).toBe(false);
    expect(await hasBranch('gone')).toBe(false); // merged: no commits of its own
    expect(await hasBranch('also-gone')).toBe(true); // not asked for: its branch is kept
  });

  it('says NOT_FOUND for a path that is no worktree, and for a folder inside one', async () => {
    const path = await linked('x');
    await expect(service.removeWorktree({ worktreePath: join(box.dir, 'nothing') })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    write(join(path, 'sub', 'f.txt'), 'f');
    await expect(service.removeWorktree({ worktreePath: join(path, 'sub') })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.removeWorktree({ worktreePath: 'relative' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(existsSync(join(path, 'sub', 'f.txt'))).toBe(true);
  });
});
