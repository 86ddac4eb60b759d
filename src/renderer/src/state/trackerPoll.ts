// Keeps each worktree's pull request state and checks fresh while the window is open and shown,
// without hammering GitHub: one pass a minute (the core sends each read with If-None-Match, so an
// unchanged PR costs nothing of the rate limit), longer after failures, and nothing at all until
// the reset GitHub announced once its rate limit is reached.
import type { TrackerLink } from '../../../shared/github';
import { ClientError } from '../client/errors';
import type { App } from './app';

export const POLL_MS = 60_000;
export const MAX_BACKOFF_MS = 15 * 60_000;

/** The wait before the next pass, after one that ended with `error` (null: it went well). */
export function nextDelay(previous: number, error: unknown, now: number): number {
  if (error === null) return POLL_MS;
  if (error instanceof ClientError && error.details?.github === 'rate_limited' && typeof error.details.resetAt === 'string') {
    const until = Date.parse(error.details.resetAt) - now;
    return Math.min(Math.max(until, POLL_MS), 60 * 60_000);
  }
  return Math.min(Math.max(previous, POLL_MS) * 2, MAX_BACKOFF_MS);
}

/** The worktrees a pass asks about: those never asked, and those whose PR can still change. */
export function worktreesToPoll(paths: readonly string[], links: Record<string, TrackerLink | null>): string[] {
  return paths.filter((p) => {
    if (!(p in links)) return true;
    const pr = links[p]?.pullRequest;
    return pr != null && (pr.state === 'open' || pr.checks === 'pending');
  });
}

/** Starts polling; returns the function that stops it. */
export function startTrackerPoll(app: App, visible: () => boolean = () => document.visibilityState === 'visible'): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let delay = POLL_MS;
  let stopped = false;

  const pass = async () => {
    timer = null;
    if (stopped) return;
    let failure: unknown = null;
    if (visible() && app.stores.connection.getState().state === 'open') {
      const paths = Object.values(app.stores.repos.getState().worktrees).flatMap((l) => l.filter((w) => !w.isMain).map((w) => w.path));
      for (const path of worktreesToPoll(paths, app.stores.tracker.getState().links)) {
        try {
          await app.commands.refreshLink(path);
        } catch (e) {
          failure = e;
          break; // one failure (no token, rate limit) would be the same for the rest
        }
      }
    }
    delay = nextDelay(delay, failure, Date.now());
    if (!stopped) timer = setTimeout(() => void pass(), delay);
  };
  timer = setTimeout(() => void pass(), 0);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
