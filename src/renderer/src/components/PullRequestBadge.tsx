// A worktree's pull request (rule 12): its number as a link, its state and its checks, in colour
// and in words (colour is never the only signal).
import type { TrackerLink } from '../../../shared/github';

const STATE_WORD = { open: 'open', merged: 'merged', closed: 'closed' } as const;
const CHECKS_WORD = { none: null, pending: 'checks pending', passing: 'checks passing', failing: 'checks failing' } as const;

/** The pull request in words, for a name or tooltip: "PR #12 open, checks failing". */
export function pullRequestWords(pr: NonNullable<TrackerLink['pullRequest']>): string {
  const checks = CHECKS_WORD[pr.checks];
  return `PR #${pr.number} ${STATE_WORD[pr.state]}${pr.draft ? ' (draft)' : ''}${checks ? `, ${checks}` : ''}`;
}

/** The rail's one-glyph form: the checks while open, else the state (the words are in the name). */
const RAIL_GLYPH = { none: '', pending: '…', passing: '✓', failing: '✗' } as const;
const RAIL_STATE_GLYPH = { open: '', merged: '⮑', closed: '×' } as const;

export function RailPullRequestMark({ link }: { link: TrackerLink | null | undefined }) {
  const pr = link?.pullRequest;
  if (!pr) return null;
  const tone = pr.state === 'open' && pr.checks !== 'none' ? `ck-${pr.checks}` : `pr-${pr.state}`;
  const glyph = pr.state === 'open' ? RAIL_GLYPH[pr.checks] : RAIL_STATE_GLYPH[pr.state];
  return (
    <span className={`rail-pr ${tone}`} data-pr-state={pr.state} data-checks={pr.checks} aria-hidden="true">
      PR{glyph}
    </span>
  );
}

export function PullRequestBadge({ link, compact = false }: { link: TrackerLink | null | undefined; compact?: boolean }) {
  const pr = link?.pullRequest;
  if (!pr) return null;
  const checks = CHECKS_WORD[pr.checks];
  const failing = pr.failing.map((f) => `${f.name}: ${f.summary || 'failed'}`).join('\n');
  if (compact) {
    // One badge in a sidebar row: the checks while the PR is open, else its state.
    const tone = pr.state === 'open' && checks ? `ck-${pr.checks}` : `pr-${pr.state}`;
    const word = pr.state === 'open' && checks ? checks : STATE_WORD[pr.state];
    return (
      <span className="wt-pr" data-pr-state={pr.state} data-checks={pr.checks}>
        <span className={`badge ${tone}`} title={`Pull request #${pr.number} (${STATE_WORD[pr.state]}): ${pr.title}${failing ? `\n${failing}` : ''}`}>
          PR #{pr.number} · {word}
        </span>
      </span>
    );
  }
  return (
    <span className="pr" data-pr-state={pr.state} data-checks={pr.checks}>
      <a className={`badge pr-${pr.state}`} href={pr.url} target="_blank" rel="noreferrer" title={`Open pull request #${pr.number} on GitHub: ${pr.title}`}>
        PR #{pr.number}
        {pr.draft ? ' (draft)' : ''} · {STATE_WORD[pr.state]}
      </a>
      {checks && (
        <span className={`badge ck-${pr.checks}`} title={failing || checks}>
          <span className="dot" aria-hidden="true" />
          {checks}
        </span>
      )}
    </span>
  );
}
