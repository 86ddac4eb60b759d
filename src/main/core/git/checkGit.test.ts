import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../store/database';
import { checkGit, compareVersions, MIN_GIT_VERSION, parseGitVersion } from './checkGit';
import { GitRepoService } from './repoService';

const dir = mkdtempSync(join(tmpdir(), 'switchyard-checkgit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fakeGit(name: string, script: string): string {
  const p = join(dir, name);
  writeFileSync(p, `#!/bin/sh\n${script}\n`);
  chmodSync(p, 0o755);
  return p;
}

describe('checkGit', () => {
  it('accepts the installed git and reports its version', async () => {
    const info = await checkGit();
    expect(info.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(compareVersions(info.parts, MIN_GIT_VERSION)).toBeGreaterThanOrEqual(0);
  });

  it('says clearly when git is not on PATH', async () => {
    await expect(checkGit(join(dir, 'no-such-git'))).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringMatching(/git was not found on PATH.*2\.36/),
    });
  });

  it('refuses a git too old for the worktree commands, naming both versions', async () => {
    const old = fakeGit('old-git', 'echo "git version 2.24.1"');
    await expect(checkGit(old)).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringMatching(/git 2\.24\.1 is too old.*2\.36\.0 or newer/),
      details: { found: '2.24.1', required: '2.36.0' },
    });
  });

  it('refuses output it cannot read and a failing git', async () => {
    await expect(checkGit(fakeGit('odd-git', 'echo "hello"'))).rejects.toThrow(/Could not read git's version/);
    await expect(checkGit(fakeGit('bad-git', 'echo broken >&2; exit 3'))).rejects.toThrow(/failed \(exit 3\): broken/);
  });

  it('parses vendor version strings', () => {
    expect(parseGitVersion('git version 2.39.5\n')).toEqual([2, 39, 5]);
    expect(parseGitVersion('git version 2.41.0.windows.1')).toEqual([2, 41, 0]);
    expect(parseGitVersion('git version 2.39.3 (Apple Git-145)')).toEqual([2, 39, 3]);
    expect(parseGitVersion('git version 3.0')).toEqual([3, 0, 0]);
    expect(parseGitVersion('nope')).toBeNull();
    expect(compareVersions([2, 35, 9], MIN_GIT_VERSION)).toBeLessThan(0);
    expect(compareVersions([2, 36, 0], MIN_GIT_VERSION)).toBe(0);
  });
});

describe('GitRepoService without a usable git', () => {
  it('answers every git-backed call with the check message, and checks again next time', async () => {
    const old = fakeGit('old-git-2', 'echo "git version 2.30.0"');
    let checks = 0;
    const service = new GitRepoService({
      db: openDatabase(':memory:'),
      activeWorkflowId: () => null,
      reserveWorktree: () => () => undefined,
      settings: () => ({ worktreeRoot: null }),
      checkGit: () => {
        checks++;
        return checkGit(old);
      },
    });
    const calls = [
      () => service.add(dir),
      () => service.worktrees('any'),
      () => service.createWorktree({ repoId: 'any', branch: 'x' }),
      () => service.removeWorktree({ worktreePath: dir }),
      () => service.diff(dir),
    ];
    for (const call of calls) await expect(call()).rejects.toThrow(/git 2\.30\.0 is too old/);
    expect(checks).toBe(calls.length);
    expect(service.list()).toEqual([]);
  });
});
