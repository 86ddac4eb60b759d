// The GitHub REST calls Switchyard makes, through Octokit (never hand-written HTTP). Polled reads
// are conditional: the last ETag goes out as If-None-Match and a 304 (free of the rate limit)
// returns the cached body. Once GitHub says the rate limit is reached, no request goes out until
// the reset it announced: the caller gets the same typed error at once.
import { Octokit } from '@octokit/rest';
import type { ChecksState, FailingCheck, Issue, PrState } from '../../../shared/github';
import { apiMessage, asHttpFailure, fromOctokit, githubError, rateLimitReset, rateLimited } from './errors';
import type { GitHubRepo } from './remote';

/** ETag cache and rate-limit gate of one API endpoint, shared by every client made for it. */
export class ApiState {
  readonly etags = new Map<string, { etag: string; data: unknown }>();
  blockedUntil: Date | null = null;
  /** Requests that went out, and how many of them came back 304 (for tests and docs/github.md). */
  readonly stats = { requests: 0, notModified: 0 };
}

export interface PullInfo {
  number: number;
  url: string;
  title: string;
  state: PrState;
  draft: boolean;
  headSha: string;
}

const FAILED_CONCLUSIONS = new Set(['failure', 'timed_out', 'cancelled', 'action_required', 'startup_failure', 'stale']);
const ISSUE_PAGE = 100;

export class GitHubClient {
  private readonly octokit: Octokit;

  constructor(
    readonly repo: GitHubRepo,
    baseUrl: string,
    token: string,
    private readonly state: ApiState,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.octokit = new Octokit({
      auth: token,
      baseUrl,
      userAgent: 'switchyard',
      // Octokit's own logging could print a request; ours says what failed in the typed error.
      log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
      request: { retries: 0 },
    });
  }

  private get slug(): string {
    return `${this.repo.owner}/${this.repo.repo}`;
  }

  /** Open issues (pull requests left out), newest first; `search` matches the number or words of the title. */
  async issues(search?: string): Promise<Issue[]> {
    const data = await this.get<Array<Record<string, unknown>>>(`list the issues of ${this.slug}`, 'GET /repos/{owner}/{repo}/issues', {
      state: 'open',
      per_page: ISSUE_PAGE,
    });
    const all = data.filter((i) => !('pull_request' in i) || i.pull_request == null).map(toIssue);
    const q = search?.trim().toLowerCase().replace(/^#/, '');
    if (!q) return all;
    const words = q.split(/\s+/);
    return all.filter((i) => String(i.number) === q || words.every((w) => i.title.toLowerCase().includes(w)));
  }

  async issue(number: number): Promise<Issue> {
    const data = await this.get<Record<string, unknown>>(`read issue #${number} of ${this.slug}`, 'GET /repos/{owner}/{repo}/issues/{issue_number}', {
      issue_number: number,
    });
    if (data.pull_request != null) throw githubError('not_found', `#${number} of ${this.slug} is a pull request, not an issue`, { issueNumber: number });
    return toIssue(data);
  }

  async defaultBranch(): Promise<string> {
    const data = await this.get<{ default_branch: string }>(`read ${this.slug}`, 'GET /repos/{owner}/{repo}', {});
    return data.default_branch;
  }

  /** The newest pull request whose head is `branch` of this repository, open ones first; null if none. */
  async findPull(branch: string): Promise<PullInfo | null> {
    const what = `list the pull requests of ${this.slug}`;
    const list = await this.call(what, () =>
      this.octokit.request('GET /repos/{owner}/{repo}/pulls', { ...this.params(), head: `${this.repo.owner}:${branch}`, state: 'all', per_page: 10 }),
    );
    const pulls = (list.data as Array<Record<string, unknown>>).map(toPull);
    return pulls.find((p) => p.state === 'open') ?? pulls[0] ?? null;
  }

  /**
   * Opens the pull request, or finds the one GitHub says already exists for the branch (its 422
   * "A pull request already exists"): shipping twice never opens a second.
   */
  async openPull(req: { title: string; body: string; head: string; base: string; draft: boolean }): Promise<{ pull: PullInfo; existing: boolean }> {
    const found = await this.findPull(req.head);
    if (found?.state === 'open') return { pull: found, existing: true };
    const what = `open a pull request for ${req.head} in ${this.slug}`;
    try {
      const r = await this.gated(what, () => this.octokit.request('POST /repos/{owner}/{repo}/pulls', { ...this.params(), ...req }));
      return { pull: toPull(r.data as unknown as Record<string, unknown>), existing: false };
    } catch (e) {
      const f = asHttpFailure(e);
      if (f?.status === 422 && /already exists/i.test(apiMessage(f))) {
        const again = await this.findPull(req.head);
        if (again) return { pull: again, existing: true };
      }
      throw this.failed(e, what);
    }
  }

  async pull(number: number): Promise<PullInfo> {
    return toPull(await this.get<Record<string, unknown>>(`read pull request #${number} of ${this.slug}`, 'GET /repos/{owner}/{repo}/pulls/{pull_number}', { pull_number: number }));
  }

  /** The checks of a commit: its check runs and its commit statuses, as one state. */
  async checks(sha: string): Promise<{ state: ChecksState; failing: FailingCheck[] }> {
    const what = `read the checks of ${sha.slice(0, 7)} in ${this.slug}`;
    const runs = await this.get<{ check_runs: Array<Record<string, unknown>> }>(what, 'GET /repos/{owner}/{repo}/commits/{ref}/check-runs', { ref: sha, per_page: 100 });
    const combined = await this.get<{ state: string; statuses: Array<Record<string, unknown>> }>(what, 'GET /repos/{owner}/{repo}/commits/{ref}/status', { ref: sha, per_page: 100 });
    return checksOf(runs.check_runs, combined.statuses);
  }

  private params() {
    return { owner: this.repo.owner, repo: this.repo.repo };
  }

  /** A conditional GET: If-None-Match with the last ETag of this URL; a 304 gives the cached body. */
  private async get<T>(what: string, route: string, params: Record<string, unknown>): Promise<T> {
    const all = { ...this.params(), ...params };
    const key = `${route} ${JSON.stringify(all)}`;
    const cached = this.state.etags.get(key);
    return this.call(what, async () => {
      try {
        const r = await this.octokit.request(route, { ...all, headers: cached ? { 'if-none-match': cached.etag } : {} });
        const etag = (r.headers as Record<string, string | undefined>).etag;
        if (etag) this.state.etags.set(key, { etag, data: r.data });
        return r.data as T;
      } catch (e) {
        if (asHttpFailure(e)?.status === 304 && cached) {
          this.state.stats.notModified++;
          return cached.data as T;
        }
        throw e;
      }
    });
  }

  /** Runs one request behind the rate-limit gate, turning its failure into the typed error. */
  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await this.gated(what, fn);
    } catch (e) {
      throw this.failed(e, what);
    }
  }

  /** Refuses at once while the rate limit holds; otherwise counts and runs the request. */
  private gated<T>(what: string, fn: () => Promise<T>): Promise<T> {
    const blocked = this.state.blockedUntil;
    if (blocked && blocked > this.now()) return Promise.reject(rateLimited(blocked, `try to ${what}`));
    this.state.stats.requests++;
    return fn();
  }

  private failed(e: unknown, what: string) {
    const f = asHttpFailure(e);
    const reset = f ? rateLimitReset(f, this.now()) : null;
    if (reset) this.state.blockedUntil = reset;
    return fromOctokit(e, what, this.now());
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function toIssue(i: Record<string, unknown>): Issue {
  const labels = Array.isArray(i.labels) ? i.labels.map((l) => (typeof l === 'string' ? l : String((l as { name?: unknown }).name ?? ''))).filter(Boolean) : [];
  return {
    number: Number(i.number),
    title: String(i.title ?? ''),
    body: str(i.body) ?? '',
    url: String(i.html_url ?? ''),
    labels,
    author: str((i.user as { login?: unknown } | null)?.login),
    updatedAt: String(i.updated_at ?? ''),
  };
}

export function toPull(p: Record<string, unknown>): PullInfo {
  // merged_at is in both the list's simple pull and the full one (`merged` is only in the full one).
  const merged = p.merged_at != null;
  return {
    number: Number(p.number),
    url: String(p.html_url ?? ''),
    title: String(p.title ?? ''),
    state: merged ? 'merged' : p.state === 'open' ? 'open' : 'closed',
    draft: p.draft === true,
    headSha: String((p.head as { sha?: unknown } | undefined)?.sha ?? ''),
  };
}

/** One state from a commit's check runs and commit statuses, and what failed (name, summary, link). */
export function checksOf(runs: Array<Record<string, unknown>>, statuses: Array<Record<string, unknown>>): { state: ChecksState; failing: FailingCheck[] } {
  const failing: FailingCheck[] = [];
  let pending = false;
  let any = false;
  for (const run of runs) {
    any = true;
    if (run.status !== 'completed') pending = true;
    else if (FAILED_CONCLUSIONS.has(String(run.conclusion))) {
      const output = (run.output ?? {}) as { title?: string | null; summary?: string | null };
      failing.push({ name: String(run.name), summary: [output.title, output.summary].filter(Boolean).join(': '), url: str(run.html_url ?? run.details_url) });
    }
  }
  for (const s of statuses) {
    any = true;
    if (s.state === 'pending') pending = true;
    else if (s.state === 'failure' || s.state === 'error') failing.push({ name: String(s.context), summary: str(s.description) ?? '', url: str(s.target_url) });
  }
  const state: ChecksState = failing.length > 0 ? 'failing' : pending ? 'pending' : any ? 'passing' : 'none';
  return { state, failing };
}
