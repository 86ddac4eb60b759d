import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from '../createCore';
import { InProcessExecutor } from '../testing/inProcessExecutor';
import { STANDARD_STAGES, StaticPipelines } from '../testing/staticPipelines';
import { sandbox, sh } from '../testing/gitFixture';

const box = sandbox();
const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-core-'));
afterAll(() => {
  box.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

const open = () => createCore({ dataDir, executor: new InProcessExecutor(), pipelines: new StaticPipelines({ default: STANDARD_STAGES }) });

describe('createCore().repos', () => {
  it('persists repositories across restarts and lists their worktrees', async () => {
    const repoPath = await box.repo('persisted');
    await sh(repoPath, 'worktree', 'add', '-q', '-b', 'feat', join(box.dir, 'feat'));
    let core = open();
    const repo = await core.repos.add(repoPath);
    await core.close();

    core = open();
    try {
      expect(core.repos.list()).toEqual([repo]);
      expect((await core.repos.worktrees(repo.id)).map((w) => [w.branch, w.isMain])).toEqual([
        ['main', true],
        ['feat', false],
      ]);
    } finally {
      await core.close();
    }
  });
});
