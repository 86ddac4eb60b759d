// Issue text can never become a command: it reaches the agent as literal argv elements and
// environment values, and nothing else runs. HOME points at a sandbox here, so even a broken
// runner could not touch the real home directory.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeHarness, type Harness } from '../testing/harness';
import { FilePipelineSource } from './filePipelineSource';
import { ProcessExecutor } from './processExecutor';
import { agent, makeRepo } from '../testing/pipelineFixtures';

let h: Harness<ProcessExecutor>;
let savedHome: string | undefined;
let home: string;
beforeEach(() => {
  h = makeHarness({ executor: new ProcessExecutor(), pipelines: new FilePipelineSource() });
  savedHome = process.env.HOME;
  home = join(h.dir, 'home');
  mkdirSync(home);
  writeFileSync(join(home, 'canary'), 'still here');
  process.env.HOME = home;
  process.env.SWITCHYARD_TOKEN = 'server-secret';
});
afterEach(async () => {
  process.env.HOME = savedHome;
  delete process.env.SWITCHYARD_TOKEN;
  await h.cleanup();
});

const TITLE = '"; rm -rf ~; echo "';
const DESCRIPTION = '$(touch pwned) `touch pwned2` && touch pwned3 | tee pwned4';
const ISSUE = "X-1'; touch pwned5; '";

describe('injection', () => {
  it('passes issue text literally, in single argv elements and SWITCHYARD_* variables', async () => {
    const out = join(h.dir, 'args.json');
    const repo = await makeRepo(h.dir, {}, {
      pipelines: {
        default: {
          stages: [{ name: 'echo', agent: 'developer', run: agent('echo-args.mjs', '--out', out, '{title}', 'T={title}!', '{description}', '{issueId}', '{prompt}', '{nope}') }],
        },
      },
    });
    const before = new Set(readdirSync(repo));
    const wf = await h.orch.start({ worktreePath: repo, issueId: ISSUE, title: TITLE, description: DESCRIPTION });
    const done = await h.waitFor(wf.id, ['completed', 'failed']);
    expect(done.failureReason).toBeNull();

    const got = JSON.parse(readFileSync(out, 'utf8')) as { argv: string[]; env: Record<string, string>; cwd: string };
    const prompt = `Issue ${ISSUE}: ${TITLE}\n\n${DESCRIPTION}`;
    expect(got.argv).toEqual(['--out', out, TITLE, `T=${TITLE}!`, DESCRIPTION, ISSUE, prompt, '{nope}']);
    expect(got.cwd).toBe(repo);
    expect(got.env).toEqual({
      SWITCHYARD_WORKFLOW_ID: wf.id,
      SWITCHYARD_ISSUE_ID: ISSUE,
      SWITCHYARD_TITLE: TITLE,
      SWITCHYARD_DESCRIPTION: DESCRIPTION,
      SWITCHYARD_PROMPT: prompt,
      SWITCHYARD_WORKTREE: repo,
      SWITCHYARD_PLAN: '',
      SWITCHYARD_PLAN_FILE: '',
      SWITCHYARD_FEEDBACK: '',
    });
    // Nothing else ran: no file appeared anywhere it could have, the sandbox home is intact.
    expect(new Set(readdirSync(repo))).toEqual(before);
    for (const dir of [repo, h.dir, home, process.cwd()]) {
      for (const n of [1, 2, 3, 4, 5].map((i) => (i === 1 ? 'pwned' : `pwned${i}`))) expect(existsSync(join(dir, n))).toBe(false);
    }
    expect(readFileSync(join(home, 'canary'), 'utf8')).toBe('still here');
  });

  it('never fills templates into the program itself', async () => {
    const repo = await makeRepo(h.dir, {}, { pipelines: { default: { stages: [{ name: 'x', agent: 'developer', run: ['{title}'] }] } } });
    await expect(h.orch.start({ worktreePath: repo, issueId: 'X-2', title: 'node' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: '`{title}` not found on PATH; install it or choose another pipeline',
    });
  });
});
