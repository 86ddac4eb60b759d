import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../store/database';
import { sandbox, sh, type Sandbox } from '../testing/gitFixture';
import { GitRepoService } from './repoService';

let box: Sandbox;
let service: GitRepoService;

beforeEach(() => {
  box = sandbox();
  service = new GitRepoService({ db: openDatabase(':memory:'), activeWorkflowId: () => null, reserveWorktree: () => () => undefined, settings: () => ({ worktreeRoot: null }) });
});
afterEach(() => box.cleanup());

describe('repos.add', () => {
  it('stores the top level of the working tree, from any folder inside it', async () => {
    const repo = await box.repo('my repo ü');
    mkdirSync(join(repo, 'src', 'deep'), { recursive: true });
    const added = await service.add(join(repo, 'src', 'deep'));
    expect(added).toMatchObject({ path: repo, name: 'my repo ü' });
    expect(Date.parse(added.addedAt)).not.toBeNaN();
    expect(service.list()).toEqual([added]);
  });

  it('resolves symlinks and linked worktrees to the one repository, so adding twice returns the same repo', async () => {
    const repo = await box.repo();
    const linked = join(box.dir, 'linked');
    await sh(repo, 'worktree', 'add', '-q', '-b', 'feat', linked);
    symlinkSync(repo, join(box.dir, 'alias'));
    const first = await service.add(repo);
    expect(await service.add(join(box.dir, 'alias'))).toEqual(first);
    expect(await service.add(linked)).toEqual(first);
    expect(service.list()).toEqual([first]);
  });

  it('refuses a missing path, a file, a relative path, a non-repository, a bare repository and a .git folder', async () => {
    const repo = await box.repo();
    const plain = join(box.dir, 'plain');
    mkdirSync(plain);
    writeFileSync(join(box.dir, 'file.txt'), 'x');
    const bare = join(box.dir, 'bare.git');
    await sh(box.dir, 'init', '-q', '--bare', bare);

    const cases: [string, RegExp][] = [
      [join(box.dir, 'missing'), /does not exist/],
      [join(box.dir, 'file.txt'), /is not a folder/],
      ['relative/path', /must be an absolute path/],
      [plain, /is not inside a git repository/],
      [bare, /is a bare repository/],
      [join(repo, '.git'), /inside a \.git folder/],
      ['', /path is required/],
    ];
    for (const [path, message] of cases) {
      await expect(service.add(path), path).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(message) });
    }
    expect(service.list()).toEqual([]);
  });

  it('refuses a linked worktree of a bare repository', async () => {
    const bare = join(box.dir, 'bare.git');
    const seed = await box.repo('seed');
    await sh(box.dir, 'clone', '-q', '--bare', seed, bare);
    const linked = join(box.dir, 'of-bare');
    await sh(bare, 'worktree', 'add', '-q', linked, 'main');
    await expect(service.add(linked)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/belongs to a bare repository/) });
  });
});

describe('repos.remove', () => {
  it('forgets the repository and touches no file', async () => {
    const repo = await box.repo();
    const added = await service.add(repo);
    const before = readdirSync(repo).sort();
    service.remove(added.id);
    expect(service.list()).toEqual([]);
    expect(readdirSync(repo).sort()).toEqual(before);
    expect((await sh(repo, 'status', '--porcelain')).trim()).toBe('');
  });

  it('says NOT_FOUND for an unknown id', () => {
    expect(() => service.remove('nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
