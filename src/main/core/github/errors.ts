// One clear, typed error for each way a GitHub call fails (docs/github.md#errors). The error's
// `details.github` names the problem; the window words its notice from the message.
import { SwitchyardError, type ErrorCode } from '../../../shared/errors';
import type { GitHubProblem } from '../../../shared/github';

const CODES: Record<GitHubProblem, ErrorCode> = {
  no_token: 'UNAUTHORIZED',
  unauthorized: 'UNAUTHORIZED',
  forbidden: 'UNAUTHORIZED',
  not_github: 'INVALID_STATE',
  not_found: 'NOT_FOUND',
  rate_limited: 'INVALID_STATE',
  unreachable: 'INTERNAL',
};

export function githubError(problem: GitHubProblem, message: string, details: Record<string, unknown> = {}): SwitchyardError {
  return new SwitchyardError(CODES[problem], message, { github: problem, ...details });
}

export function problemOf(e: unknown): GitHubProblem | null {
  return e instanceof SwitchyardError && typeof e.details?.github === 'string' ? (e.details.github as GitHubProblem) : null;
}

/** What Octokit throws for an HTTP status (its RequestError), read without depending on its class. */
export interface HttpFailure {
  status: number;
  message: string;
  headers: Record<string, string | undefined>;
  data: unknown;
}

export function asHttpFailure(e: unknown): HttpFailure | null {
  if (typeof e !== 'object' || e === null || typeof (e as { status?: unknown }).status !== 'number') return null;
  const resp = (e as { response?: { headers?: Record<string, string | undefined>; data?: unknown } }).response;
  return { status: (e as { status: number }).status, message: (e as Error).message, headers: resp?.headers ?? {}, data: resp?.data };
}

/** The moment a rate limit lifts, from GitHub's headers (`retry-after` or `x-ratelimit-reset`); null if the failure is not one. */
export function rateLimitReset(f: HttpFailure, now: Date): Date | null {
  const remaining = f.headers['x-ratelimit-remaining'];
  const retryAfter = f.headers['retry-after'];
  if (f.status !== 403 && f.status !== 429) return null;
  if (retryAfter !== undefined && /^\d+$/.test(retryAfter)) return new Date(now.getTime() + Number(retryAfter) * 1000);
  if (remaining === '0') {
    const reset = Number(f.headers['x-ratelimit-reset']);
    return Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : new Date(now.getTime() + 60_000);
  }
  // A secondary limit says so only in words.
  if (/rate limit/i.test(f.message)) return new Date(now.getTime() + 60_000);
  return null;
}

export function rateLimited(resetAt: Date, what: string): SwitchyardError {
  return githubError('rate_limited', `GitHub's rate limit is reached; ${what} again after ${resetAt.toISOString().slice(11, 16)} UTC`, {
    resetAt: resetAt.toISOString(),
  });
}

/** Maps a failed Octokit call to its typed error; `what` says what was being done ("list the issues of o/r"). */
export function fromOctokit(e: unknown, what: string, now: Date): SwitchyardError {
  if (e instanceof SwitchyardError) return e;
  const f = asHttpFailure(e);
  if (!f || f.status === 500) {
    return githubError('unreachable', `Could not ${what}: GitHub did not answer (${e instanceof Error ? e.message : String(e)})`);
  }
  const reset = rateLimitReset(f, now);
  if (reset) return rateLimited(reset, `try to ${what}`);
  const said = apiMessage(f);
  switch (f.status) {
    case 401:
      return githubError('unauthorized', `GitHub refused the token (401 ${said}); check GH_TOKEN / GITHUB_TOKEN or run \`gh auth login\``, { status: 401 });
    case 403:
      return githubError('forbidden', `GitHub refused to ${what} (403 ${said}); the token lacks the permission (repo scope) or the organisation blocks it`, {
        status: 403,
      });
    case 404:
      return githubError('not_found', `GitHub found nothing when asked to ${what} (404); the repository or number does not exist or the token cannot see it`, {
        status: 404,
      });
    default:
      return githubError('unreachable', `Could not ${what}: GitHub answered ${f.status} ${said}`, { status: f.status });
  }
}

/** GitHub's own words: its `message`, then any `errors[].message`. */
export function apiMessage(f: HttpFailure): string {
  const d = f.data as { message?: unknown; errors?: Array<{ message?: unknown }> } | undefined;
  const parts = [typeof d?.message === 'string' ? d.message : f.message];
  for (const err of d?.errors ?? []) if (typeof err?.message === 'string') parts.push(err.message);
  return parts.join(': ');
}
