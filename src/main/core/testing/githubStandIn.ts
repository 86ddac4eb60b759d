// Tests only: GitHub's REST API on 127.0.0.1 for exactly the calls Switchyard makes. Pull requests,
// the repository, check runs, combined status and the "already exists" 422 are copies of recorded or
// published responses (test/fixtures/github/*.json, each naming its source: octokit/fixtures or
// GitHub's OpenAPI examples) with only the values a test sets changed; issues and basic errors follow
// the OpenAPI issue / basic-error shapes and octokit/fixtures' paginate-issues and errors scenarios.
// Nothing here reaches the network.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInIssue {
  number: number;
  title: string;
  body: string | null;
  labels?: string[];
  /** A pull request is listed among issues too, as on GitHub. */
  isPull?: boolean;
}

export interface StandInCheck {
  name: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: 'success' | 'failure' | 'neutral' | 'cancelled' | 'timed_out' | 'action_required' | 'skipped' | null;
  title?: string;
  summary?: string;
}

interface Pull {
  number: number;
  title: string;
  body: string;
  head: string;
  base: string;
  draft: boolean;
  state: 'open' | 'closed';
  merged: boolean;
  sha: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  ifNoneMatch: string | null;
  status: number;
  body: unknown;
}

export interface GitHubStandIn {
  url: string;
  owner: string;
  repo: string;
  issues: StandInIssue[];
  pulls: Pull[];
  /** Check runs and commit statuses by commit sha ('*' for every commit). */
  checks: Map<string, StandInCheck[]>;
  statuses: Map<string, Array<{ context: string; state: 'pending' | 'success' | 'failure' | 'error'; description: string | null }>>;
  requests: RecordedRequest[];
  /** The sha a branch points at, for new pulls' head.sha (a test sets it after a push). */
  headShas: Map<string, string>;
  /** The next request (matching `path` if given) gets this answer instead. */
  failNext(status: number, opts?: { headers?: Record<string, string>; body?: unknown; path?: RegExp }): void;
  close(): Promise<void>;
}

const DOCS = 'https://docs.github.com/rest';

type Json = Record<string, unknown>;
/** A recorded/published response body (test/fixtures/github/<name>.json). */
export function githubFixture(name: 'pulls-create' | 'pulls-list' | 'repos-get' | 'check-runs' | 'combined-status' | 'validation-error-pull-exists'): { status: number; body: unknown } {
  const url = new URL(`../../../../test/fixtures/github/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as { status: number; body: unknown };
}
const copy = <T>(v: T): T => structuredClone(v);
const FULL_PULL = githubFixture('pulls-create').body as Json;
const SIMPLE_PULL = (githubFixture('pulls-list').body as Json[])[0]!;
const REPO = githubFixture('repos-get').body as Json;
const CHECK_RUN = (githubFixture('check-runs').body as { check_runs: Json[] }).check_runs[0]!;
const COMBINED = githubFixture('combined-status').body as Json & { statuses: Json[] };
const PULL_EXISTS = githubFixture('validation-error-pull-exists').body as Json & { errors: Json[] };
const user = (login: string) => ({
  login,
  id: 1,
  node_id: 'MDQ6VXNlcjE=',
  avatar_url: 'https://github.com/images/error/octocat_happy.gif',
  html_url: `https://github.com/${login}`,
  type: 'User',
  site_admin: false,
});

export async function startGitHubStandIn(opts: { token: string; owner?: string; repo?: string; issues?: StandInIssue[] }): Promise<GitHubStandIn> {
  const owner = opts.owner ?? 'octo-org';
  const repo = opts.repo ?? 'hello-world';
  const failures: Array<{ status: number; headers: Record<string, string>; body: unknown; path?: RegExp }> = [];
  let nextPull = 1000;
  let base = '';

  const s: GitHubStandIn = {
    url: '',
    owner,
    repo,
    issues: opts.issues ?? [],
    pulls: [],
    checks: new Map(),
    statuses: new Map(),
    requests: [],
    headShas: new Map(),
    failNext(status, o = {}) {
      failures.push({ status, headers: o.headers ?? {}, body: o.body ?? { message: 'failure', documentation_url: DOCS }, path: o.path });
    },
    close: () => new Promise((r) => server.close(() => r())),
  };

  const html = `https://github.com/${owner}/${repo}`;
  const api = () => `${base}/repos/${owner}/${repo}`;
  const issueJson = (i: StandInIssue) => ({
    url: `${api()}/issues/${i.number}`,
    repository_url: api(),
    html_url: i.isPull ? `${html}/pull/${i.number}` : `${html}/issues/${i.number}`,
    id: 1000 + i.number,
    node_id: 'MDU6SXNzdWUx',
    number: i.number,
    title: i.title,
    user: user('octocat'),
    labels: (i.labels ?? []).map((name, k) => ({ id: k + 1, node_id: 'MDU6TGFiZWwyMDgwNDU5NDY=', name, color: 'f29513', default: false, description: null })),
    state: 'open',
    locked: false,
    assignee: null,
    assignees: [],
    milestone: null,
    comments: 0,
    created_at: '2011-04-22T13:33:48Z',
    updated_at: '2011-04-22T13:33:48Z',
    closed_at: null,
    author_association: 'COLLABORATOR',
    active_lock_reason: null,
    body: i.body,
    ...(i.isPull ? { pull_request: { url: `${api()}/pulls/${i.number}`, html_url: `${html}/pull/${i.number}` } } : {}),
  });
  const ref = (template: Json, name: string, sha: string) => ({
    ...template,
    label: `${owner}:${name}`,
    ref: name,
    sha,
    user: { ...(template.user as Json), login: owner },
    repo: { ...(template.repo as Json), name: repo, full_name: `${owner}/${repo}`, html_url: html, url: api() },
  });
  /** The full pull request (create, get) or the list's simple one, values from the stand-in's state. */
  const pullJson = (p: Pull, simple = false) => {
    const t = copy(simple ? SIMPLE_PULL : FULL_PULL);
    const when = '2011-01-26T19:01:12Z';
    return {
      ...t,
      url: `${api()}/pulls/${p.number}`,
      html_url: `${html}/pull/${p.number}`,
      number: p.number,
      state: p.state,
      locked: false,
      title: p.title,
      body: p.body,
      labels: [],
      active_lock_reason: null,
      closed_at: p.state === 'closed' ? when : null,
      merged_at: p.merged ? when : null,
      draft: p.draft,
      head: ref(t.head as Json, p.head, p.sha),
      base: ref(t.base as Json, p.base, '6dcb09b5b57875f334f61aebed695e2e4193db5e'),
      ...('merged' in t ? { merged: p.merged, mergeable: null, mergeable_state: 'unknown', merged_by: null } : {}),
    };
  };
  const checkRunJson = (sha: string, c: StandInCheck, k: number) => {
    const t = copy(CHECK_RUN);
    return {
      ...t,
      id: 4 + k,
      head_sha: sha,
      url: `${api()}/check-runs/${4 + k}`,
      html_url: `${html}/runs/${4 + k}`,
      status: c.status,
      conclusion: c.conclusion,
      completed_at: c.status === 'completed' ? t.completed_at : null,
      output: { ...(t.output as Json), title: c.title ?? null, summary: c.summary ?? null, text: null, annotations_count: 0 },
      name: c.name,
      pull_requests: [],
    };
  };

  function answer(req: IncomingMessage, res: ServerResponse, path: string, status: number, body: unknown, record: RecordedRequest, headers: Record<string, string> = {}) {
    const text = status === 204 ? '' : JSON.stringify(body);
    const etag = `"${createHash('sha1').update(text).digest('hex')}"`;
    const common = { 'content-type': 'application/json; charset=utf-8', 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4999', 'x-ratelimit-reset': '1507651200', 'x-github-media-type': 'github.v3; format=json', ...headers };
    if (req.method === 'GET' && status === 200) {
      if (req.headers['if-none-match'] === etag) {
        record.status = 304;
        res.writeHead(304, { etag, ...common });
        res.end();
        return;
      }
      res.writeHead(status, { etag, 'cache-control': 'private, max-age=60, s-maxage=60', ...common });
    } else {
      res.writeHead(status, common);
    }
    record.status = status;
    res.end(text);
    void path;
  }

  const server: Server = createServer(async (req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
    const record: RecordedRequest = { method: req.method ?? 'GET', path: u.pathname + u.search, ifNoneMatch: (req.headers['if-none-match'] as string | undefined) ?? null, status: 0, body };
    s.requests.push(record);
    const send = (status: number, b: unknown, h?: Record<string, string>) => answer(req, res, u.pathname, status, b, record, h);

    const auth = req.headers.authorization ?? '';
    if (auth !== `token ${opts.token}` && auth !== `Bearer ${opts.token}`) return send(401, { message: 'Bad credentials', documentation_url: DOCS });
    const f = failures.findIndex((x) => !x.path || x.path.test(u.pathname));
    if (f >= 0) {
      const [fail] = failures.splice(f, 1);
      return send(fail!.status, fail!.body, fail!.headers);
    }
    const prefix = `/repos/${owner}/${repo}`;
    if (!u.pathname.startsWith(prefix)) return send(404, { message: 'Not Found', documentation_url: DOCS });
    const rest = u.pathname.slice(prefix.length);
    let m: RegExpExecArray | null;
    if (req.method === 'GET' && rest === '') {
      return send(200, { ...copy(REPO), name: repo, full_name: `${owner}/${repo}`, owner: { ...(REPO.owner as Json), login: owner }, html_url: html, url: api(), default_branch: 'main' });
    }
    if (req.method === 'GET' && rest === '/issues') {
      const perPage = Number(u.searchParams.get('per_page') ?? 30);
      return send(200, s.issues.slice(0, perPage).map(issueJson));
    }
    if (req.method === 'GET' && (m = /^\/issues\/(\d+)$/.exec(rest))) {
      const i = s.issues.find((x) => x.number === Number(m![1]));
      return i ? send(200, issueJson(i)) : send(404, { message: 'Not Found', documentation_url: DOCS });
    }
    if (req.method === 'GET' && rest === '/pulls') {
      const head = u.searchParams.get('head');
      const state = u.searchParams.get('state') ?? 'open';
      const list = s.pulls.filter((p) => (!head || `${owner}:${p.head}` === head) && (state === 'all' || p.state === state));
      return send(200, list.map((p) => pullJson(p, true)));
    }
    if (req.method === 'POST' && rest === '/pulls') {
      const b = body as { title?: string; head?: string; base?: string; body?: string; draft?: boolean };
      if (!b?.title || !b.head || !b.base) {
        return send(422, { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'missing_field', field: 'head' }], documentation_url: DOCS });
      }
      if (s.pulls.some((p) => p.head === b.head && p.state === 'open')) {
        const e = copy(PULL_EXISTS);
        return send(422, { ...e, errors: [{ ...e.errors[0], message: `A pull request already exists for ${owner}:${b.head}.` }] });
      }
      const p: Pull = { number: ++nextPull, title: b.title, body: b.body ?? '', head: b.head, base: b.base, draft: b.draft === true, state: 'open', merged: false, sha: s.headShas.get(b.head) ?? '0'.repeat(40) };
      s.pulls.push(p);
      return send(201, pullJson(p), { location: `${api()}/pulls/${p.number}` });
    }
    if (req.method === 'GET' && (m = /^\/pulls\/(\d+)$/.exec(rest))) {
      const p = s.pulls.find((x) => x.number === Number(m![1]));
      return p ? send(200, pullJson(p)) : send(404, { message: 'Not Found', documentation_url: DOCS });
    }
    if (req.method === 'GET' && (m = /^\/commits\/([^/]+)\/check-runs$/.exec(rest))) {
      const runs = s.checks.get(m[1]!) ?? s.checks.get('*') ?? [];
      return send(200, { total_count: runs.length, check_runs: runs.map((c, k) => checkRunJson(m![1]!, c, k)) });
    }
    if (req.method === 'GET' && (m = /^\/commits\/([^/]+)\/status$/.exec(rest))) {
      const list = s.statuses.get(m[1]!) ?? s.statuses.get('*') ?? [];
      const state = list.some((x) => x.state === 'failure' || x.state === 'error') ? 'failure' : list.some((x) => x.state === 'pending') || list.length === 0 ? 'pending' : 'success';
      const t = copy(COMBINED);
      return send(200, {
        ...t,
        state,
        statuses: list.map((x, k) => ({ ...t.statuses[0], url: `${api()}/statuses/${m![1]}`, id: k + 1, state: x.state, description: x.description, target_url: 'https://ci.example.com/1000/output', context: x.context })),
        sha: m[1],
        total_count: list.length,
        repository: { ...(t.repository as Json), name: repo, full_name: `${owner}/${repo}`, html_url: html, url: api() },
        url: `${api()}/commits/${m[1]}/status`,
      });
    }
    return send(404, { message: 'Not Found', documentation_url: DOCS });
  });

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  s.url = base;
  return s;
}
