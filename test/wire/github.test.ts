// Rule 12's methods over the real WebSocket server (docs/design.md §4.1): bad params are
// INVALID_INPUT before any handler runs, an unknown repository or workflow is NOT_FOUND, a call
// that would need GitHub without a token is UNAUTHORIZED `no_token`; none of them writes to the
// database, creates a worktree or branch, or sends a request to the GitHub stand-in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoServiceFor } from '../../src/main/core/createCore';
import { GitHubService } from '../../src/main/core/github/service';
import { startGitHubStandIn, type GitHubStandIn } from '../../src/main/core/testing/githubStandIn';
import { sandbox, sh, type Sandbox } from '../../src/main/core/testing/gitFixture';
import type { Method } from '../../src/shared/contract';
import { RawClient, databaseDigest, startFixture, type ServerFixture } from './helpers';

const GH_TOKEN = 'ghp_wire_standin_token';
let fx: ServerFixture;
let box: Sandbox;
let gh: GitHubStandIn;
let c: RawClient;
let repoId: string;
let repoPath: string;
/** What the service reads the token from; a test empties it. */
const tokenEnv: NodeJS.ProcessEnv = { GH_TOKEN };

beforeAll(async () => {
  box = sandbox();
  gh = await startGitHubStandIn({ token: GH_TOKEN, issues: [{ number: 1, title: 'One', body: 'b' }] });
  fx = await startFixture({
    core: (h) => {
      const repos = repoServiceFor(h.orch, h.storage.db);
      return { orchestrator: h.orch, repos, github: new GitHubService({ orchestrator: h.orch, repos, storage: h.storage, token: { env: tokenEnv, ghToken: async () => null } }) };
    },
  });
  repoPath = await box.repo('hello-world');
  await sh(repoPath, 'remote', 'add', 'origin', 'https://github.com/octo-org/hello-world.git');
  fx.h.orch.updateSettings({ githubApiUrl: gh.url });
  c = await RawClient.open(fx.server);
  repoId = ((await c.ok('repos.add', { path: repoPath })) as { id: string }).id;
});
afterAll(async () => {
  await c?.close();
  await fx?.close();
  await gh?.close();
  box?.cleanup();
});

async function answer(method: Method, params: unknown): Promise<{ code: string; message: string; details?: Record<string, unknown> } | { result: unknown }> {
  const r = await c.call(method, params);
  return 'error' in r ? r.error : { result: r.result };
}

/** Runs `fn`, then checks nothing was written, no git ref or worktree made, and `requests` (default none) sent to GitHub. */
async function changesNothing(fn: () => Promise<void>, requests = 0): Promise<void> {
  const db = databaseDigest(fx.h);
  const refs = await sh(repoPath, 'for-each-ref');
  const worktrees = await sh(repoPath, 'worktree', 'list', '--porcelain');
  const sent = gh.requests.length;
  await fn();
  expect(databaseDigest(fx.h)).toBe(db);
  expect(await sh(repoPath, 'for-each-ref')).toBe(refs);
  expect(await sh(repoPath, 'worktree', 'list', '--porcelain')).toBe(worktrees);
  expect(gh.requests.slice(sent).map((r) => `${r.method} ${r.path}`)).toHaveLength(requests);
}

describe('the GitHub methods on the wire', () => {
  const BAD: Array<[Method, unknown]> = [
    ['tracker.issues', {}],
    ['tracker.issues', { repoId: 7 }],
    ['tracker.issues', { repoId: 'r', search: 'x'.repeat(201) }],
    ['tracker.issues', { repoId: 'r', extra: 1 }],
    ['workflows.startFromIssue', { repoId: 'r' }],
    ['workflows.startFromIssue', { repoId: 'r', issueNumber: 0 }],
    ['workflows.startFromIssue', { repoId: 'r', issueNumber: 1.5 }],
    ['workflows.startFromIssue', { repoId: 'r', issueNumber: '42' }],
    ['workflows.startFromIssue', { repoId: 'r', issueNumber: 2 ** 31 }],
    ['workflows.startFromIssue', { repoId: 'r', issueNumber: 1, pipeline: 'no such/name' }],
    ['workflows.startFromIssue', { repoId: 'r', issueNumber: 1, queue: 'yes' }],
    ['workflows.ship', {}],
    ['workflows.ship', { workflowId: '' }],
    ['workflows.ship', { workflowId: 'w', draft: 'true' }],
    ['workflows.ship', { workflowId: 'w', __proto__x: 1 }],
    ['tracker.link', {}],
    ['tracker.link', { worktreePath: 42 }],
    ['tracker.link', { worktreePath: '' }],
    ['workflows.fixChecks', { worktreePath: null }],
    ['workflows.fixChecks', { worktreePath: '/w', queue: 1 }],
    ['workflows.fixChecks', { worktreePath: '/w', extra: true }],
  ];

  it.each(BAD)('%s %j is INVALID_INPUT and reaches no handler', async (method, params) => {
    const reached = fx.reached.length;
    await changesNothing(async () => {
      expect(await answer(method, params)).toMatchObject({ code: 'INVALID_INPUT' });
    });
    expect(fx.reached.length).toBe(reached);
  });

  it('an unknown repository or workflow, or a worktree without a pull request, is NOT_FOUND', async () => {
    await changesNothing(async () => {
      expect(await answer('tracker.issues', { repoId: 'no-such-repo' })).toMatchObject({ code: 'NOT_FOUND', message: 'No repository no-such-repo' });
      expect(await answer('workflows.startFromIssue', { repoId: 'no-such-repo', issueNumber: 1 })).toMatchObject({ code: 'NOT_FOUND' });
      expect(await answer('workflows.ship', { workflowId: 'no-such-workflow' })).toMatchObject({ code: 'NOT_FOUND', message: 'No workflow no-such-workflow' });
      expect(await answer('workflows.fixChecks', { worktreePath: repoPath })).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('has no pull request') });
      expect(await answer('tracker.link', { worktreePath: repoPath })).toEqual({ result: null });
    });
  });

  it('an issue GitHub does not have is NOT_FOUND (github: not_found) and leaves no worktree or branch', async () => {
    const sent = gh.requests.length;
    await changesNothing(async () => {
      expect(await answer('workflows.startFromIssue', { repoId, issueNumber: 999 })).toMatchObject({ code: 'NOT_FOUND', details: { github: 'not_found', status: 404 } });
    }, 1);
    expect(gh.requests[sent]).toMatchObject({ method: 'GET', path: '/repos/octo-org/hello-world/issues/999', status: 404 });
  });

  it('without a token, a call that needs GitHub is UNAUTHORIZED no_token, before any request', async () => {
    delete tokenEnv.GH_TOKEN;
    try {
      await changesNothing(async () => {
        for (const [method, params] of [['tracker.issues', { repoId }], ['workflows.startFromIssue', { repoId, issueNumber: 1 }]] as const) {
          expect(await answer(method, params), method).toMatchObject({ code: 'UNAUTHORIZED', details: { github: 'no_token' }, message: expect.stringContaining('GH_TOKEN') });
        }
      });
    } finally {
      tokenEnv.GH_TOKEN = GH_TOKEN;
    }
    // And with it, the same call works: the refusal was the token's.
    expect(((await c.ok('tracker.issues', { repoId })) as unknown[]).length).toBe(1);
  });
});
