// Which GitHub repository a local one is: its `origin` remote in any of git's URL forms, and the
// REST endpoint that serves it (api.github.com, or the `githubApiUrl` setting for Enterprise).
import { githubError } from './errors';

export interface GitHubRepo {
  host: string;
  owner: string;
  repo: string;
}

const NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * `https://github.com/o/r(.git)`, `ssh://git@github.com(:22)/o/r.git`, `git@github.com:o/r.git`
 * (scp-like). Null for anything else (a path, a file:// URL, an unparsable string).
 */
export function parseRemoteUrl(url: string): GitHubRepo | null {
  const text = url.trim();
  let host: string;
  let path: string;
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/)(.+)$/.exec(text);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    let u: URL;
    try {
      u = new URL(text);
    } catch {
      return null;
    }
    if (!['https:', 'http:', 'ssh:', 'git:', 'git+ssh:', 'ssh+git:'].includes(u.protocol)) return null;
    host = u.hostname;
    path = u.pathname;
  } else if (scp) {
    host = scp[1]!;
    path = scp[2]!;
  } else {
    return null;
  }
  const parts = path.replace(/^\/+/, '').replace(/\/+$/, '').replace(/\.git$/, '').split('/');
  if (parts.length !== 2 || !host) return null;
  const [owner, repo] = parts as [string, string];
  if (!NAME.test(owner) || !NAME.test(repo)) return null;
  return { host: host.toLowerCase(), owner, repo };
}

/**
 * The REST base URL for a remote. github.com always goes to api.github.com unless the user set
 * `githubApiUrl` (which then serves every repository: that is what the setting says); any other
 * host needs that setting, and must be its host — otherwise it is not a GitHub remote we know.
 */
export function apiBaseFor(remote: GitHubRepo, githubApiUrl: string | null, originUrl: string): string {
  if (githubApiUrl) {
    const apiHost = new URL(githubApiUrl).hostname.toLowerCase();
    const sameHost = apiHost === remote.host || apiHost === `api.${remote.host}`;
    if (remote.host === 'github.com' || sameHost) return githubApiUrl.replace(/\/+$/, '');
  } else if (remote.host === 'github.com') {
    return 'https://api.github.com';
  }
  throw notGitHub(originUrl);
}

export function notGitHub(originUrl: string | null) {
  return githubError(
    'not_github',
    originUrl === null
      ? 'This repository has no origin remote; add the GitHub repository as origin to use issues and pull requests'
      : `origin (${originUrl}) is not a GitHub repository; for GitHub Enterprise set "GitHub API URL" in Settings`,
    { origin: originUrl },
  );
}
