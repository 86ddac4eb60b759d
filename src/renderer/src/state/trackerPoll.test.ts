import { describe, expect, it } from 'vitest';
import type { TrackerLink } from '../../../shared/github';
import { ClientError } from '../client/errors';
import { MAX_BACKOFF_MS, POLL_MS, nextDelay, worktreesToPoll } from './trackerPoll';

const link = (pr: Partial<NonNullable<TrackerLink['pullRequest']>> | null): TrackerLink => ({
  workflowId: 'w',
  branch: 'b',
  issue: null,
  commit: null,
  pushed: true,
  pullRequest: pr && { number: 1, url: 'u', title: 't', state: 'open', draft: false, checks: 'passing', failing: [], ...pr },
});

describe('polling the pull requests', () => {
  it('waits a minute, doubles after failures up to 15 minutes, and sits out a rate limit until its reset', () => {
    expect(nextDelay(POLL_MS, null, 0)).toBe(POLL_MS);
    const err = new ClientError('INTERNAL', 'GitHub did not answer', { github: 'unreachable' });
    expect(nextDelay(POLL_MS, err, 0)).toBe(2 * POLL_MS);
    expect(nextDelay(8 * 60_000, err, 0)).toBe(MAX_BACKOFF_MS);
    expect(nextDelay(MAX_BACKOFF_MS, null, 0)).toBe(POLL_MS);
    const now = Date.parse('2026-01-01T00:00:00Z');
    const limited = new ClientError('INVALID_STATE', 'rate limit', { github: 'rate_limited', resetAt: '2026-01-01T00:20:00Z' });
    expect(nextDelay(POLL_MS, limited, now)).toBe(20 * 60_000);
    const soon = new ClientError('INVALID_STATE', 'rate limit', { github: 'rate_limited', resetAt: '2026-01-01T00:00:05Z' });
    expect(nextDelay(POLL_MS, soon, now)).toBe(POLL_MS);
  });

  it('asks about unknown worktrees and open or pending PRs, never again about merged or unlinked ones', () => {
    const links = {
      '/unlinked': null,
      '/open': link({}),
      '/merged': link({ state: 'merged' }),
      '/closed-pending': link({ state: 'closed', checks: 'pending' }),
      '/no-pr': link(null),
    };
    expect(worktreesToPoll(['/new', '/unlinked', '/open', '/merged', '/closed-pending', '/no-pr'], links)).toEqual(['/new', '/open', '/closed-pending']);
  });
});
