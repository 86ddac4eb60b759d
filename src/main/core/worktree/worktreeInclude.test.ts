// `.worktreeinclude` over real worktrees: nested and ignored untracked files are copied (never
// linked), tracked files, symlinks and paths leaving either worktree never are.
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commitFile, sandbox, sh, write } from '../testing/gitFixture';
import { copyIncludedFiles } from './worktreeInclude';

const box = sandbox();
afterAll(() => box.cleanup());

describe('.worktreeinclude', () => {
  it('copies matching untracked files, nested and ignored ones included, as plain files', async () => {
    const repo = await box.repo('inc');
    await commitFile(repo, '.gitignore', '.env\nconfig/local/\n*.log\n');
    await commitFile(repo, '.worktreeinclude', '.env\nconfig/local/**\n!config/local/skip.json\nnotes/*.md\ntracked.env\n../outside.txt\nleak.env\n');
    await commitFile(repo, 'tracked.env', 'from git\n');
    write(join(repo, '.env'), 'SECRET=1\n');
    write(join(repo, 'config/local/deep/settings.json'), '{"a":1}\n');
    write(join(repo, 'config/local/skip.json'), '{}\n');
    write(join(repo, 'notes/todo.md'), 'todo\n');
    write(join(repo, 'debug.log'), 'not included\n');
    write(join(repo, 'tracked.env'), 'edited in main\n'); // tracked: never copied over the checkout
    write(join(box.dir, 'outside.txt'), 'outside\n');
    write(join(box.dir, 'secret.env'), 'outside secret\n');
    symlinkSync(join(box.dir, 'secret.env'), join(repo, 'leak.env')); // an untracked symlink leading out
    const wt = join(box.dir, 'inc-wt');
    await sh(repo, 'worktree', 'add', '-q', '-b', 'inc-wt', wt);

    const r = await copyIncludedFiles(repo, wt);
    expect(r.copied.sort()).toEqual(['.env', 'config/local/deep/settings.json', 'notes/todo.md']);
    expect(r.skipped).toEqual([{ path: 'leak.env', reason: 'a symbolic link (never copied)' }]);
    expect(readFileSync(join(wt, '.env'), 'utf8')).toBe('SECRET=1\n');
    expect(lstatSync(join(wt, '.env')).isFile()).toBe(true);
    expect(readFileSync(join(wt, 'config/local/deep/settings.json'), 'utf8')).toBe('{"a":1}\n');
    expect(existsSync(join(wt, 'config/local/skip.json'))).toBe(false);
    expect(existsSync(join(wt, 'debug.log'))).toBe(false);
    expect(readFileSync(join(wt, 'tracked.env'), 'utf8')).toBe('from git\n');
    expect(existsSync(join(wt, 'leak.env'))).toBe(false);
    expect(existsSync(join(wt, 'outside.txt'))).toBe(false);
    // A second copy never overwrites what the worktree already has.
    write(join(wt, '.env'), 'changed in the worktree\n');
    const again = await copyIncludedFiles(repo, wt);
    expect(again.copied).toEqual([]);
    expect(readFileSync(join(wt, '.env'), 'utf8')).toBe('changed in the worktree\n');
  });

  it('never writes through a folder of the new worktree that is a symlink leading out of it', async () => {
    const repo = await box.repo('escape');
    await commitFile(repo, '.worktreeinclude', 'cfg/\n');
    const target = join(box.dir, 'escape-target');
    mkdirSync(target);
    // On another branch `cfg` is a tracked symlink to a folder outside the repository.
    await sh(repo, 'checkout', '-q', '-b', 'linky');
    symlinkSync(target, join(repo, 'cfg'));
    await sh(repo, 'add', 'cfg');
    await sh(repo, 'commit', '-q', '-m', 'cfg link');
    await sh(repo, 'checkout', '-q', 'main');
    write(join(repo, 'cfg/local.env'), 'SECRET=2\n'); // untracked in main, where cfg is a real folder
    const wt = join(box.dir, 'escape-wt');
    await sh(repo, 'worktree', 'add', '-q', '-b', 'escape-wt', wt, 'linky');

    const r = await copyIncludedFiles(repo, wt);
    expect(r.copied).toEqual([]);
    expect(r.skipped).toEqual([{ path: 'cfg/local.env', reason: 'its folder in the new worktree leads outside it' }]);
    expect(existsSync(join(target, 'local.env'))).toBe(false);
  });

  it('does nothing without a .worktreeinclude', async () => {
    const repo = await box.repo('none');
    write(join(repo, '.env'), 'x\n');
    const wt = join(box.dir, 'none-wt');
    await sh(repo, 'worktree', 'add', '-q', '-b', 'none-wt', wt);
    expect(await copyIncludedFiles(repo, wt)).toEqual({ copied: [], skipped: [] });
    expect(existsSync(join(wt, '.env'))).toBe(false);
  });
});
