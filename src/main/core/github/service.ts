// Rule 12, the loop: tracker.issues, workflows.startFromIssue, workflows.ship, the PR's state and
// checks on a worktree (tracker.link) and a failing check sent back as a new workflow
// (workflows.fixChecks). GitHub through client.ts; git through the CLI (argv, the user's own
// credentials for the push); every ship step an event; a failed step named, its commit kept.
import type { Workflow } from '../../../shared/domain';
import { SwitchyardError, invalidInput, invalidState, notFound } from '../../../shared/errors';
import type { EventDraft } from '../../../shared/events';
import type { Issue, PullRequest, ShipStep, TrackerLink } from '../../../shared/github';
import { git, gitFailed, gitOk } from '../git/gitCli';
import { baseOf } from '../git/locate';
import { defaultWorktreePath, exists } from '../git/paths';
import { listWorktreeEntries } from '../git/worktreeList';
import type { RepoApi } from '../repoApi';
import { normalizeWorktreePath, type Orchestrator } from '../orchestrator';
import { GitHubLinkStore, type GitHubLinkRow } from '../store/githubLinkStore';
import type { Storage } from '../store/storage';
import { ApiState, GitHubClient } from './client';
import { apiBaseFor, notGitHub, parseRemoteUrl } from './remote';
import { commitMessage, fixChecksDescription, issueBranchName, pullRequestBody, shipTitle } from './shipText';
import { resolveToken, type TokenOptions } from './token';

export interface GitHubServiceDeps {
  orchestrator: Orchestrator;
  repos: RepoApi;
  storage: Storage;
  token?: TokenOptions;
  now?: () => Date;
}

const PUSH_TIMEOUT_MS = 120_000;
const UNIQUE_TRIES = 50;

export class GitHubService {
  private readonly links: GitHubLinkStore;
  private readonly apis = new Map<string, ApiState>();
  private readonly shipping = new Set<string>();
  private readonly now: () => Date;

  constructor(private readonly deps: GitHubServiceDeps) {
    this.links = new GitHubLinkStore(deps.storage.db);
    this.now = deps.now ?? (() => new Date());
  }

  /** The ETag cache and rate gate of an API endpoint (tests read its counters). */
  apiState(baseUrl: string): ApiState {
    let s = this.apis.get(baseUrl);
    if (!s) this.apis.set(baseUrl, (s = new ApiState()));
    return s;
  }

  /** A client for the repository whose working tree is `dir`: origin, endpoint and token checked first. */
  async clientFor(dir: string): Promise<GitHubClient> {
    const origin = await git(dir, ['remote', 'get-url', 'origin']);
    const url = origin.code === 0 ? origin.stdout.trim() : null;
    const remote = url === null ? null : parseRemoteUrl(url);
    if (!remote) throw notGitHub(url);
    const base = apiBaseFor(remote, this.deps.orchestrator.settings().githubApiUrl, url!);
    const { token } = await resolveToken(this.deps.token);
    return new GitHubClient(remote, base, token, this.apiState(base), this.now);
  }

  async issues(repoId: string, search?: string): Promise<Issue[]> {
    return (await this.clientFor(this.repoPath(repoId))).issues(search);
  }

  /** A worktree on a new branch named from the issue, and the pipeline started there with the issue's words. */
  async startFromIssue(req: { repoId: string; issueNumber: number; pipeline?: string; queue?: boolean }): Promise<Workflow> {
    const repoPath = this.repoPath(req.repoId);
    const issue = await (await this.clientFor(repoPath)).issue(req.issueNumber);
    const branch = await this.uniqueBranch(repoPath, issueBranchName(issue.number, issue.title));
    const worktree = await this.deps.repos.createWorktree({ repoId: req.repoId, branch });
    let workflow: Workflow;
    try {
      workflow = await this.deps.orchestrator.start({
        worktreePath: worktree.path,
        issueId: `#${issue.number}`,
        title: issue.title,
        description: issue.body,
        pipeline: req.pipeline,
        // At the limit it waits its turn: the worktree exists already and the issue was picked.
        queue: req.queue ?? true,
      });
    } catch (e) {
      // Nothing half-made stays behind: the new worktree and its branch go.
      await this.deps.repos.removeWorktree({ worktreePath: worktree.path, force: true }).catch(() => undefined);
      await git(repoPath, ['branch', '-D', branch]).catch(() => undefined);
      throw e;
    }
    this.links.ensure({
      workflowId: workflow.id,
      worktreePath: workflow.worktreePath,
      branch,
      issue: { number: issue.number, title: issue.title, url: issue.url },
      pr: null,
      createdAt: this.now().toISOString(),
    });
    return workflow;
  }

  /**
   * Commit, push, pull request. A step that fails says which (details.step), emits a
   * system_error, and leaves what the earlier steps did; shipping again resumes from there.
   */
  async ship(workflowId: string, draft = false): Promise<TrackerLink> {
    const orch = this.deps.orchestrator;
    const workflow = orch.get(workflowId);
    if (this.shipping.has(workflowId)) throw invalidState(`Workflow ${workflowId} is being shipped already`, { workflowId });
    const dir = workflow.worktreePath;
    const dirty = await this.isDirty(dir);
    const known = this.links.get(workflowId);
    // A failed or cancelled run ships what it left: uncommitted changes, our earlier commit, or
    // commits its agent made by itself (ahead of the base branch).
    const ahead = workflow.status === 'completed' || dirty || known?.commit != null ? null : await this.commitsAhead(dir);
    const allowed = workflow.status === 'completed' || ((workflow.status === 'failed' || workflow.status === 'cancelled') && (dirty || known?.commit != null || (ahead?.count ?? 0) > 0));
    if (!allowed) {
      throw invalidState(
        workflow.status === 'failed' || workflow.status === 'cancelled'
          ? `Workflow ${workflowId} is ${workflow.status} and there is nothing to ship: its worktree has no uncommitted changes and no commits ahead of ${ahead?.base ?? 'its base branch'}`
          : `Workflow ${workflowId} is ${workflow.status}; only a completed workflow (or a failed or cancelled one with changes or commits) can be shipped`,
        { workflowId, status: workflow.status },
      );
    }
    this.shipping.add(workflowId);
    // No workflow may start in the worktree while its changes are committed and pushed.
    let release: (() => void) | null = null;
    try {
      release = orch.reserveWorktree(dir, 'being shipped');
      const client = await this.clientFor(dir);
      const branch = await this.branchOf(dir);
      const link = this.links.ensure({ workflowId, worktreePath: dir, branch, issue: null, pr: null, createdAt: this.now().toISOString() });
      const subject = { workflowId, title: workflow.title, issue: link.issue };

      const commit = await this.step(workflowId, 'commit', async () => {
        if (!(await this.isDirty(dir))) return null;
        await gitOk(dir, ['add', '-A']);
        const r = await git(dir, ['commit', '-q', '-F', '-'], { input: commitMessage(subject) });
        if (r.code !== 0) throw gitFailed(['commit'], r, 'INVALID_STATE', 'git commit failed');
        const sha = (await gitOk(dir, ['rev-parse', 'HEAD'])).trim();
        this.links.setCommit(workflowId, sha);
        return sha;
      });
      if (commit) await this.emit(workflowId, { agent: 'system', type: 'commit_created', message: `Committed ${commit.slice(0, 7)}: ${shipTitle(subject)}`, data: { sha: commit, branch } });

      await this.step(workflowId, 'push', async () => {
        const args = ['push', '-u', 'origin', branch];
        const r = await git(dir, args, { timeoutMs: PUSH_TIMEOUT_MS });
        if (r.code !== 0) throw gitFailed(args, r, 'INVALID_STATE', `git push to origin failed`);
      });
      this.links.setPushed(workflowId);
      const head = (await gitOk(dir, ['rev-parse', 'HEAD'])).trim();
      await this.emit(workflowId, { agent: 'system', type: 'branch_pushed', message: `Pushed ${branch} to origin`, data: { branch, remote: 'origin', sha: head } });

      const { pull, existing } = await this.step(workflowId, 'pull_request', async () => {
        const base = await client.defaultBranch();
        const body = pullRequestBody({ ...subject, plan: this.plan(workflowId), review: this.review(workflowId), workflows: this.leadingWorkflows(dir, branch) });
        return client.openPull({ title: shipTitle(subject), body, head: branch, base, draft });
      });
      this.links.setPullRequest(workflowId, { number: pull.number, url: pull.url });
      await this.emit(workflowId, {
        agent: 'system',
        type: 'pull_request_opened',
        message: existing ? `Linked the existing pull request #${pull.number}` : `Opened pull request #${pull.number}${pull.draft ? ' (draft)' : ''}`,
        data: { url: pull.url, number: pull.number, existing, draft: pull.draft },
      });
      return this.toLink(this.links.get(workflowId)!, { ...pull, checks: 'none', failing: [] });
    } finally {
      release?.();
      this.shipping.delete(workflowId);
    }
  }

  /** The worktree's newest link, its pull request's state and checks read now (conditionally). */
  async link(path: string): Promise<TrackerLink | null> {
    const worktreePath = normalizeWorktreePath(path);
    const row = this.links.latest(worktreePath) ?? null;
    if (!row) return null;
    const withPr = row.pr ? row : (this.links.ofBranch(worktreePath, row.branch).reverse().find((r) => r.pr) ?? row);
    if (!withPr.pr) return this.toLink(row, null);
    const client = await this.clientFor(worktreePath);
    const pull = await client.pull(withPr.pr.number);
    const checks = pull.headSha ? await client.checks(pull.headSha) : { state: 'none' as const, failing: [] };
    return this.toLink({ ...row, pr: withPr.pr }, { ...pull, checks: checks.state, failing: checks.failing });
  }

  /** A new workflow on the same worktree whose description is the failing checks' names and summaries. */
  async fixChecks(req: { worktreePath: string; pipeline?: string; queue?: boolean }): Promise<Workflow> {
    const current = await this.link(req.worktreePath);
    const pr = current?.pullRequest;
    if (!current || !pr) throw notFound(`Worktree ${req.worktreePath} has no pull request`, { worktreePath: req.worktreePath });
    if (pr.checks !== 'failing' || pr.failing.length === 0) throw invalidState(`The checks of pull request #${pr.number} are ${pr.checks}, not failing`, { checks: pr.checks });
    const names = pr.failing.map((f) => f.name).join(', ');
    const workflow = await this.deps.orchestrator.start({
      worktreePath: req.worktreePath,
      issueId: current.issue ? `#${current.issue.number}` : `PR #${pr.number}`,
      title: `Fix failing checks: ${names}`.slice(0, 1000),
      description: fixChecksDescription(pr.number, pr.failing),
      pipeline: req.pipeline,
      queue: req.queue ?? true,
    });
    this.links.ensure({
      workflowId: workflow.id,
      worktreePath: workflow.worktreePath,
      branch: current.branch,
      issue: current.issue,
      pr: { number: pr.number, url: pr.url },
      createdAt: this.now().toISOString(),
    });
    return workflow;
  }

  // Internals -------------------------------------------------------------------------------

  private repoPath(repoId: string): string {
    const repo = this.deps.repos.list().find((r) => r.id === repoId);
    if (!repo) throw notFound(`No repository ${repoId}`, { repoId });
    return repo.path;
  }

  private async step<T>(workflowId: string, step: ShipStep, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      const err = e instanceof SwitchyardError ? e : new SwitchyardError('INTERNAL', e instanceof Error ? e.message : String(e));
      const message = `Ship failed at the ${step.replace('_', ' ')} step: ${err.message}`;
      await this.emit(workflowId, { agent: 'system', type: 'system_error', message, data: { step, code: err.code, ...(err.details ?? {}) } });
      throw new SwitchyardError(err.code, message, { ...(err.details ?? {}), step });
    }
  }

  private emit(workflowId: string, draft: EventDraft) {
    return this.deps.orchestrator.emit(workflowId, draft);
  }

  private async isDirty(dir: string): Promise<boolean> {
    return (await gitOk(dir, ['status', '--porcelain', '-uall'])).trim().length > 0;
  }

  /** Commits on the worktree's HEAD that the base branch (the main worktree's) does not have. */
  private async commitsAhead(dir: string): Promise<{ count: number; base: string | null }> {
    const base = baseOf(await listWorktreeEntries(dir));
    if (!base) return { count: 0, base: null };
    const r = await git(dir, ['rev-list', '--count', 'HEAD', '--not', base.ref, '--']);
    return { count: r.code === 0 ? Number(r.stdout.trim()) : 0, base: base.name };
  }

  private async branchOf(dir: string): Promise<string> {
    const r = await git(dir, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
    if (r.code !== 0) throw invalidState(`The worktree ${dir} is on a detached HEAD; check out a branch to ship it`, { worktreePath: dir });
    return r.stdout.trim();
  }

  /**
   * `base`, else `base-2`, `base-3`…: a name no branch has and whose worktree folder does not exist
   * yet, so git never answers with its own "already exists".
   */
  private async uniqueBranch(repoPath: string, base: string): Promise<string> {
    const root = this.deps.orchestrator.settings().worktreeRoot;
    for (let i = 1; i <= UNIQUE_TRIES; i++) {
      const name = i === 1 ? base : `${base}-${i}`;
      const r = await git(repoPath, ['rev-parse', '--verify', '--quiet', `refs/heads/${name}`]);
      if (r.code !== 0 && !(await exists(defaultWorktreePath(repoPath, name, root)))) return name;
    }
    throw invalidInput(`Branches or worktree folders ${base} to ${base}-${UNIQUE_TRIES} all exist; remove some first`, { branch: base });
  }

  private plan(workflowId: string): string | null {
    return this.deps.storage.workflows.get(workflowId)?.runState.plan ?? null;
  }

  /** The last review verdict of the workflow, in the reviewer's words. */
  private review(workflowId: string): string | null {
    const events = this.deps.storage.events.listBefore(workflowId, Number.MAX_SAFE_INTEGER, 2000);
    const last = [...events].reverse().find((e) => e.type === 'review_completed' || e.type === 'revision_requested');
    if (!last) return null;
    return last.type === 'review_completed' ? `Approved: ${last.message}` : `Changes were still requested: ${last.message}`;
  }

  /** Every workflow linked to this branch of the worktree: their tokens and cost go in the PR body. */
  private leadingWorkflows(dir: string, branch: string) {
    return this.links
      .ofBranch(dir, branch)
      .map((l) => this.deps.storage.workflows.get(l.workflowId)?.workflow)
      .filter((w): w is Workflow => w !== undefined)
      .map((w) => ({ id: w.id, title: w.title, status: w.status, usage: w.usage }));
  }

  private toLink(row: GitHubLinkRow, pr: (Omit<PullRequest, never> & { headSha?: string }) | null): TrackerLink {
    return {
      workflowId: row.workflowId,
      branch: row.branch,
      issue: row.issue,
      commit: row.commit,
      pushed: row.pushed,
      pullRequest: pr ? { number: pr.number, url: pr.url, title: pr.title, state: pr.state, draft: pr.draft, checks: pr.checks, failing: pr.failing } : null,
    };
  }
}
