// The loop against real git (a bare repository on disk as origin's push URL, and one whose
// pre-receive hook refuses) and GitHub's REST shapes served on 127.0.0.1 (githubStandIn.ts).
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Workflow } from '../../../shared/domain';
import { SwitchyardError } from '../../../shared/errors';
import type { WorkflowStatus } from '../../../shared/status';
import { createCore, type Core } from '../createCore';
import { defaultWorktreePath } from '../git/paths';
import { git } from '../git/gitCli';
import { DB_FILE_NAME } from '../store/storage';
import { startGitHubStandIn, type GitHubStandIn } from '../testing/githubStandIn';
import { sandbox, sh, type Sandbox } from '../testing/gitFixture';
import { InProcessExecutor } from '../testing/inProcessExecutor';
import { StaticPipelines } from '../testing/staticPipelines';

const TOKEN = 'ghp_standin_token_0001';
let box: Sandbox;
let gh: GitHubStandIn;
let core: Core;
let repoPath: string;
let bare: string;
let executor: InProcessExecutor;
/** What the service reads the token from; a test swaps its fields. */
let tokenSource: { env: NodeJS.ProcessEnv; ghToken: () => Promise<string | null> };

function waitFor(id: string, statuses: WorkflowStatus[]): Promise<Workflow> {
  return new Promise((resolve) => {
    const check = (w: Workflow) => {
      if (w.id === id && statuses.includes(w.status)) {
        off();
        resolve(w);
      }
    };
    const off = core.orchestrator.bus.on('workflow', check);
    check(core.orchestrator.get(id));
  });
}

const failure = async (p: Promise<unknown>): Promise<SwitchyardError> => {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(SwitchyardError);
  return e as SwitchyardError;
};

beforeEach(async () => {
  box = sandbox();
  repoPath = await box.repo('hello-world');
  bare = join(box.dir, 'origin.git');
  await sh(box.dir, 'init', '-q', '--bare', bare);
  // Identity from GitHub's URL; the push goes to the bare repository on disk.
  await sh(repoPath, 'remote', 'add', 'origin', 'git@github.com:octo-org/hello-world.git');
  await sh(repoPath, 'config', 'remote.origin.pushurl', bare);
  gh = await startGitHubStandIn({
    token: TOKEN,
    issues: [
      { number: 42, title: 'Add a greeting file', body: 'Write hello.txt with a greeting.', labels: ['good first issue'] },
      { number: 7, title: 'Fix the logo', body: null },
      { number: 9, title: 'A pull request', body: '', isPull: true },
    ],
  });
  tokenSource = { env: { GH_TOKEN: TOKEN }, ghToken: async () => null };
  executor = new InProcessExecutor({
    implement: (run) => {
      writeFileSync(join(run.workflow.worktreePath, 'hello.txt'), `hello from ${run.workflow.issueId}\n`);
      return { kind: 'completed' };
    },
    plan: () => ({ kind: 'completed', plan: { text: 'Step 1: write hello.txt', file: null } }),
  });
  core = createCore({
    dataDir: join(box.dir, 'data'),
    executor,
    pipelines: new StaticPipelines({
      default: [
        { name: 'plan', agent: 'architect', run: ['plan'], captureAs: 'plan' },
        { name: 'implement', agent: 'developer', run: ['implement'] },
      ],
    }),
    durability: 'full',
    githubToken: tokenSource,
  });
  core.orchestrator.updateSettings({ githubApiUrl: gh.url });
});

afterEach(async () => {
  await core.close();
  await gh.close();
  box.cleanup();
});

async function startIssue42(): Promise<Workflow> {
  const repo = await core.repos.add(repoPath);
  const wf = await core.github.startFromIssue({ repoId: repo.id, issueNumber: 42 });
  return waitFor(wf.id, ['completed', 'failed']);
}

describe('tracker.issues', () => {
  it("lists the open issues of origin's repository (pull requests left out) and searches them", async () => {
    const repo = await core.repos.add(repoPath);
    expect((await core.github.issues(repo.id)).map((i) => [i.number, i.title, i.labels])).toEqual([
      [42, 'Add a greeting file', ['good first issue']],
      [7, 'Fix the logo', []],
    ]);
    expect((await core.github.issues(repo.id, 'logo')).map((i) => i.number)).toEqual([7]);
    expect((await core.github.issues(repo.id, '#42')).map((i) => i.number)).toEqual([42]);
    expect(await core.github.issues(repo.id, 'nothing like it')).toEqual([]);
  });

  it('says clearly what is wrong: 401, 403, 404, rate limit, no token, a non-GitHub remote', async () => {
    const repo = await core.repos.add(repoPath);
    tokenSource.env = { GH_TOKEN: 'wrong' };
    let e = await failure(core.github.issues(repo.id));
    expect([e.code, e.details?.github, e.details?.status]).toEqual(['UNAUTHORIZED', 'unauthorized', 401]);
    expect(e.message).toMatch(/Bad credentials/);

    tokenSource.env = {};
    e = await failure(core.github.issues(repo.id));
    expect([e.code, e.details?.github]).toEqual(['UNAUTHORIZED', 'no_token']);
    expect(e.message).toMatch(/GH_TOKEN/);
    tokenSource.ghToken = async () => TOKEN; // `gh auth token` when no variable is set
    expect(await core.github.issues(repo.id)).toHaveLength(2);

    gh.failNext(403, { body: { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' } });
    e = await failure(core.github.issues(repo.id));
    expect([e.code, e.details?.github]).toEqual(['UNAUTHORIZED', 'forbidden']);

    gh.failNext(404, { body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } });
    e = await failure(core.github.issues(repo.id));
    expect([e.code, e.details?.github]).toEqual(['NOT_FOUND', 'not_found']);

    const reset = Math.floor(Date.now() / 1000) + 3600;
    gh.failNext(403, {
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
      body: { message: 'API rate limit exceeded for user ID 1.', documentation_url: 'https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting' },
    });
    e = await failure(core.github.issues(repo.id));
    expect([e.code, e.details?.github, e.details?.resetAt]).toEqual(['INVALID_STATE', 'rate_limited', new Date(reset * 1000).toISOString()]);
    // Backed off: until the reset nothing more goes out.
    const sent = gh.requests.length;
    e = await failure(core.github.issues(repo.id));
    expect(e.details?.github).toBe('rate_limited');
    expect(gh.requests.length).toBe(sent);

    await sh(repoPath, 'remote', 'set-url', 'origin', 'https://gitlab.com/octo-org/hello-world.git');
    core.orchestrator.updateSettings({ githubApiUrl: null });
    e = await failure(core.github.issues(repo.id));
    expect([e.code, e.details?.github]).toEqual(['INVALID_STATE', 'not_github']);
    expect(e.message).toMatch(/gitlab\.com.*not a GitHub repository/);
  });
});

describe('workflows.startFromIssue and workflows.ship', () => {
  it('creates the issue branch and worktree, runs the pipeline with the issue, commits, pushes to the bare origin and opens the PR', async () => {
    const done = await startIssue42();
    expect(done.status).toBe('completed');
    expect([done.issueId, done.title, done.description]).toEqual(['#42', 'Add a greeting file', 'Write hello.txt with a greeting.']);
    expect((await sh(done.worktreePath, 'symbolic-ref', '--short', 'HEAD')).trim()).toBe('issue-42-add-a-greeting-file');

    const link = await core.github.ship(done.id, true);
    expect(link.pullRequest).toMatchObject({ number: 1001, url: 'https://github.com/octo-org/hello-world/pull/1001', draft: true, state: 'open' });
    expect(link.issue).toEqual({ number: 42, title: 'Add a greeting file', url: 'https://github.com/octo-org/hello-world/issues/42' });
    expect(link.pushed).toBe(true);

    // The commit is in the bare repository, on the branch, with the issue's message.
    const pushed = (await sh(bare, 'log', '-1', '--format=%H%n%B', 'issue-42-add-a-greeting-file')).trim().split('\n');
    expect(pushed[0]).toBe(link.commit);
    expect(pushed.slice(1).join('\n')).toBe(`Add a greeting file\n\nCloses #42\n\nSwitchyard-Workflow: ${done.id}`);
    expect((await sh(done.worktreePath, 'rev-parse', '--abbrev-ref', '@{upstream}')).trim()).toBe('origin/issue-42-add-a-greeting-file');

    const create = gh.requests.find((r) => r.method === 'POST')!;
    expect(create.body).toMatchObject({ title: 'Add a greeting file', head: 'issue-42-add-a-greeting-file', base: 'main', draft: true });
    const body = (create.body as { body: string }).body;
    expect(body).toMatch(/^Closes #42\n/);
    expect(body).toContain('Step 1: write hello.txt');
    expect(body).toContain('## Tokens and cost');

    const types = core.orchestrator.listEvents({ workflowId: done.id }).map((e) => e.type);
    expect(types.slice(-3)).toEqual(['commit_created', 'branch_pushed', 'pull_request_opened']);
    const opened = core.orchestrator.listEvents({ workflowId: done.id }).at(-1)!;
    expect(opened.data).toMatchObject({ url: link.pullRequest!.url, number: 1001 });

    // Shipping again opens no second PR: the open one for the branch is found and linked.
    const again = await core.github.ship(done.id);
    expect(again.pullRequest!.number).toBe(1001);
    expect(gh.pulls).toHaveLength(1);
    expect(gh.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it("links the existing PR when GitHub answers 422 'A pull request already exists'", async () => {
    const done = await startIssue42();
    // The list does not show it (as when GitHub's search lags), the create says it exists.
    gh.pulls.push({ number: 77, title: 'older', body: '', head: 'issue-42-add-a-greeting-file', base: 'main', draft: false, state: 'open', merged: false, sha: 'a'.repeat(40) });
    gh.failNext(200, { path: /\/pulls$/, body: [] });
    const link = await core.github.ship(done.id);
    expect(link.pullRequest!.number).toBe(77);
    expect(gh.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([422]);
  });

  it('a refused push fails the push step, keeps the commit, and a retry finishes the ship', async () => {
    const done = await startIssue42();
    const hook = join(bare, 'hooks', 'pre-receive');
    mkdirSync(join(bare, 'hooks'), { recursive: true });
    writeFileSync(hook, '#!/bin/sh\necho "pushes are closed today" >&2\nexit 1\n');
    chmodSync(hook, 0o755);

    const e = await failure(core.github.ship(done.id));
    expect(e.details?.step).toBe('push');
    expect(e.message).toMatch(/push step.*pushes are closed today/s);
    const head = (await sh(done.worktreePath, 'log', '-1', '--format=%s')).trim();
    expect(head).toBe('Add a greeting file');
    expect((await sh(done.worktreePath, 'status', '--porcelain')).trim()).toBe('');
    const events = core.orchestrator.listEvents({ workflowId: done.id });
    expect(events.at(-1)).toMatchObject({ type: 'system_error', data: { step: 'push' } });
    expect(events.map((x) => x.type)).toContain('commit_created');
    expect(gh.pulls).toHaveLength(0);

    writeFileSync(hook, '#!/bin/sh\nexit 0\n');
    const link = await core.github.ship(done.id);
    expect(link.pullRequest!.number).toBe(1001);
    // One commit, not two: the retry resumed after the commit step.
    expect((await sh(done.worktreePath, 'rev-list', '--count', 'main..HEAD')).trim()).toBe('1');
  });

  it('refuses to ship an active workflow, or a failed one with nothing to ship, and changes nothing', async () => {
    const repo = await core.repos.add(repoPath);
    executor.set('implement', () => ({ kind: 'failed', reason: 'the agent gave up' }));
    const wf = await core.github.startFromIssue({ repoId: repo.id, issueNumber: 7 });
    const failed = await waitFor(wf.id, ['failed']);
    const e = await failure(core.github.ship(failed.id));
    expect(e.code).toBe('INVALID_STATE');
    expect(e.message).toMatch(/failed and there is nothing to ship: its worktree has no uncommitted changes and no commits ahead of main/);
    expect(gh.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
    expect((await git(bare, ['branch', '--list'])).stdout).toBe('');
  });

  it('ships a failed workflow whose agent committed by itself (clean worktree, commits ahead of the base)', async () => {
    const repo = await core.repos.add(repoPath);
    executor.set('implement', (run) => {
      const dir = run.workflow.worktreePath;
      writeFileSync(join(dir, 'logo.svg'), '<svg/>\n');
      execFileSync('git', ['add', '-A'], { cwd: dir });
      execFileSync('git', ['-c', 'user.name=agent', '-c', 'user.email=agent@example.com', 'commit', '-qm', 'agent: new logo'], { cwd: dir });
      return { kind: 'failed', reason: 'the agent stopped after committing' };
    });
    const wf = await core.github.startFromIssue({ repoId: repo.id, issueNumber: 7 });
    const failed = await waitFor(wf.id, ['failed']);
    expect((await sh(failed.worktreePath, 'status', '--porcelain')).trim()).toBe('');
    const agentCommit = (await sh(failed.worktreePath, 'rev-parse', 'HEAD')).trim();

    const link = await core.github.ship(failed.id);
    expect(link.pullRequest).toMatchObject({ number: 1001, state: 'open' });
    expect(link.commit).toBeNull(); // nothing of ours to commit: the agent's commit is what shipped
    expect((await sh(bare, 'rev-parse', 'refs/heads/issue-7-fix-the-logo')).trim()).toBe(agentCommit);
    const types = core.orchestrator.listEvents({ workflowId: failed.id }).map((e) => e.type);
    expect(types).toContain('branch_pushed');
    expect(types).not.toContain('commit_created');
  });

  it('an unknown issue is NOT_FOUND and leaves no worktree or branch behind', async () => {
    const repo = await core.repos.add(repoPath);
    const e = await failure(core.github.startFromIssue({ repoId: repo.id, issueNumber: 9999 }));
    expect([e.code, e.details?.github]).toEqual(['NOT_FOUND', 'not_found']);
    expect((await core.repos.worktrees(repo.id)).length).toBe(1);
  });

  it('gives a second workflow on the same issue a unique branch', async () => {
    const first = await startIssue42();
    const second = await core.github.startFromIssue({ repoId: (await core.repos.list())[0]!.id, issueNumber: 42 });
    expect(second.worktreePath).not.toBe(first.worktreePath);
    expect((await sh(second.worktreePath, 'symbolic-ref', '--short', 'HEAD')).trim()).toBe('issue-42-add-a-greeting-file-2');
    await waitFor(second.id, ['completed']);
  });

  it("skips a name whose worktree folder already exists (no branch of that name), never showing git's message", async () => {
    const repo = await core.repos.add(repoPath);
    const taken = defaultWorktreePath(repo.path, 'issue-42-add-a-greeting-file', core.orchestrator.settings().worktreeRoot);
    mkdirSync(taken, { recursive: true });
    writeFileSync(join(taken, 'notes.txt'), 'not a worktree\n');
    const wf = await core.github.startFromIssue({ repoId: repo.id, issueNumber: 42 });
    expect((await sh(wf.worktreePath, 'symbolic-ref', '--short', 'HEAD')).trim()).toBe('issue-42-add-a-greeting-file-2');
    expect(readFileSync(join(taken, 'notes.txt'), 'utf8')).toBe('not a worktree\n');
    await waitFor(wf.id, ['completed']);
  });
});

describe('the PR on the worktree', () => {
  it('shows state and checks, asks again with If-None-Match (304s), and sends a failing check back as a new workflow', async () => {
    const done = await startIssue42();
    await core.github.ship(done.id);
    const sha = (await sh(done.worktreePath, 'rev-parse', 'HEAD')).trim();
    gh.pulls[0]!.sha = sha;
    gh.checks.set(sha, [{ name: 'build', status: 'in_progress', conclusion: null }]);

    let link = await core.github.link(done.worktreePath);
    expect(link!.pullRequest).toMatchObject({ number: 1001, state: 'open', checks: 'pending' });

    // Nothing changed: every read goes out conditional and comes back 304.
    const before = gh.requests.length;
    link = await core.github.link(done.worktreePath);
    const polled = gh.requests.slice(before);
    expect(polled.length).toBe(3);
    expect(polled.every((r) => r.ifNoneMatch !== null && r.status === 304)).toBe(true);
    expect(link!.pullRequest!.checks).toBe('pending');

    gh.checks.set(sha, [
      { name: 'build', status: 'completed', conclusion: 'success' },
      { name: 'unit tests', status: 'completed', conclusion: 'failure', title: '2 tests failed', summary: 'greeting.test.ts: expected "hello"' },
    ]);
    gh.statuses.set(sha, [{ context: 'ci/lint', state: 'success', description: 'ok' }]);
    link = await core.github.link(done.worktreePath);
    expect(link!.pullRequest).toMatchObject({ checks: 'failing', failing: [{ name: 'unit tests', summary: '2 tests failed: greeting.test.ts: expected "hello"' }] });

    const fix = await core.github.fixChecks({ worktreePath: done.worktreePath });
    expect(fix.worktreePath).toBe(done.worktreePath);
    expect(fix.issueId).toBe('#42');
    expect(fix.title).toBe('Fix failing checks: unit tests');
    expect(fix.description).toContain('### unit tests\n2 tests failed: greeting.test.ts: expected "hello"');
    await waitFor(fix.id, ['completed']);
    // The fix workflow ships into the same PR, whose body counts both workflows.
    writeFileSync(join(done.worktreePath, 'hello.txt'), 'hello, fixed\n');
    const shipped = await core.github.ship(fix.id);
    expect(shipped.pullRequest!.number).toBe(1001);
    expect(gh.pulls).toHaveLength(1);

    gh.pulls[0]!.merged = true;
    gh.pulls[0]!.state = 'closed';
    expect((await core.github.link(done.worktreePath))!.pullRequest!.state).toBe('merged');
  });

  it('never stores the token in the database', async () => {
    const done = await startIssue42();
    await core.github.ship(done.id);
    const db = new Database(join(box.dir, 'data', DB_FILE_NAME), { readonly: true });
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all();
    for (const { name } of tables) {
      const rows = JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all());
      expect(rows.includes(TOKEN), name).toBe(false);
    }
    db.close();
  });
});
