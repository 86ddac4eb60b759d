import { describe, expect, it } from 'vitest';
import { parseNameStatus, parseNumstat, toDiffFiles } from './diffParse';
import { mapLimit } from './mapLimit';
import { parseWorktreeList } from './worktreeList';

describe('parseWorktreeList', () => {
  it('reads NUL-separated records, including a path with a newline and unknown keys', () => {
    const out = [
      'worktree /r/main', 'HEAD aaa', 'branch refs/heads/main', '',
      'worktree /r/odd\nname', 'HEAD bbb', 'detached', 'locked', 'future-key value', '',
      'worktree /r/gone', 'HEAD ccc', 'branch refs/heads/feat/x', 'locked on usb', 'prunable gitdir file points to non-existent location', '',
    ].join('\0') + '\0';
    expect(parseWorktreeList(out)).toEqual([
      { path: '/r/main', head: 'aaa', branch: 'main', isMain: true, bare: false, locked: false, lockReason: null, prunable: false },
      { path: '/r/odd\nname', head: 'bbb', branch: null, isMain: false, bare: false, locked: true, lockReason: null, prunable: false },
      { path: '/r/gone', head: 'ccc', branch: 'feat/x', isMain: false, bare: false, locked: true, lockReason: 'on usb', prunable: true },
    ]);
  });

  it('marks a bare main entry', () => {
    expect(parseWorktreeList('worktree /r/b.git\0bare\0\0')[0]).toMatchObject({ bare: true, isMain: true, branch: null });
  });
});

describe('diff parsers', () => {
  it('pairs name-status and numstat by path, renames included', () => {
    const names = parseNameStatus(['M', 'a.txt', 'R087', 'old\tname', 'new name', 'A', 'u.txt', 'D', 'gone', 'T', 'link', ''].join('\0'));
    const stats = parseNumstat(['3\t1\ta.txt', '2\t2\t', 'old\tname', 'new name', '-\t-\tu.txt', '0\t4\tgone', '1\t1\tlink', ''].join('\0'));
    expect(toDiffFiles(names, stats, new Set(['u.txt']))).toEqual([
      { path: 'a.txt', status: 'modified', additions: 3, deletions: 1, binary: false },
      { path: 'new name', oldPath: 'old\tname', status: 'renamed', additions: 2, deletions: 2, binary: false },
      { path: 'u.txt', status: 'untracked', additions: 0, deletions: 0, binary: true },
      { path: 'gone', status: 'deleted', additions: 0, deletions: 4, binary: false },
      { path: 'link', status: 'modified', additions: 1, deletions: 1, binary: false },
    ]);
  });
});

describe('mapLimit', () => {
  it('keeps order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const release: (() => void)[] = [];
    const p = mapLimit([1, 2, 3, 4, 5], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise<void>((r) => release.push(r));
      running--;
      return n * 10;
    });
    // Release the waiting calls one by one as they arrive.
    while (release.length > 0 || running > 0) {
      await Promise.resolve();
      release.shift()?.();
    }
    expect(await p).toEqual([10, 20, 30, 40, 50]);
    expect(peak).toBe(2);
  });
});
