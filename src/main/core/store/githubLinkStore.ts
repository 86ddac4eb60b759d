// github_links rows (migration 4): the issue a workflow was started from, the commit it shipped,
// whether its branch was pushed, and its pull request. Never a token: that stays in memory.
import type Database from 'better-sqlite3';

export interface GitHubLinkRow {
  workflowId: string;
  worktreePath: string;
  branch: string;
  issue: { number: number; title: string; url: string } | null;
  commit: string | null;
  pushed: boolean;
  pr: { number: number; url: string } | null;
  createdAt: string;
}

interface Raw {
  workflow_id: string;
  worktree_path: string;
  branch: string;
  issue_number: number | null;
  issue_title: string | null;
  issue_url: string | null;
  commit_sha: string | null;
  pushed: number;
  pr_number: number | null;
  pr_url: string | null;
  created_at: string;
}

const fromRaw = (r: Raw): GitHubLinkRow => ({
  workflowId: r.workflow_id,
  worktreePath: r.worktree_path,
  branch: r.branch,
  issue: r.issue_number === null ? null : { number: r.issue_number, title: r.issue_title ?? '', url: r.issue_url ?? '' },
  commit: r.commit_sha,
  pushed: r.pushed === 1,
  pr: r.pr_number === null ? null : { number: r.pr_number, url: r.pr_url ?? '' },
  createdAt: r.created_at,
});

export class GitHubLinkStore {
  constructor(private readonly db: Database.Database) {}

  /** Inserts the row, or keeps the existing one of that workflow (a retried ship). */
  ensure(row: Omit<GitHubLinkRow, 'commit' | 'pushed'> & { commit?: string | null; pushed?: boolean }): GitHubLinkRow {
    this.db
      .prepare(
        `INSERT INTO github_links (workflow_id, worktree_path, branch, issue_number, issue_title, issue_url, commit_sha, pushed, pr_number, pr_url, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(workflow_id) DO NOTHING`,
      )
      .run(
        row.workflowId,
        row.worktreePath,
        row.branch,
        row.issue?.number ?? null,
        row.issue?.title ?? null,
        row.issue?.url ?? null,
        row.commit ?? null,
        row.pushed ? 1 : 0,
        row.pr?.number ?? null,
        row.pr?.url ?? null,
        row.createdAt,
      );
    return this.get(row.workflowId)!;
  }

  get(workflowId: string): GitHubLinkRow | null {
    const r = this.db.prepare<[string], Raw>('SELECT * FROM github_links WHERE workflow_id = ?').get(workflowId);
    return r ? fromRaw(r) : null;
  }

  /** The newest link of a worktree (the one whose PR the worktree row shows). */
  latest(worktreePath: string): GitHubLinkRow | null {
    const r = this.db
      .prepare<[string], Raw>('SELECT * FROM github_links WHERE worktree_path = ? ORDER BY created_at DESC, rowid DESC LIMIT 1')
      .get(worktreePath);
    return r ? fromRaw(r) : null;
  }

  /** Every link of a worktree's branch, oldest first: the workflows that led to its PR. */
  ofBranch(worktreePath: string, branch: string): GitHubLinkRow[] {
    return this.db
      .prepare<[string, string], Raw>('SELECT * FROM github_links WHERE worktree_path = ? AND branch = ? ORDER BY created_at, rowid')
      .all(worktreePath, branch)
      .map(fromRaw);
  }

  setCommit(workflowId: string, sha: string): void {
    this.db.prepare('UPDATE github_links SET commit_sha = ? WHERE workflow_id = ?').run(sha, workflowId);
  }

  setPushed(workflowId: string): void {
    this.db.prepare('UPDATE github_links SET pushed = 1 WHERE workflow_id = ?').run(workflowId);
  }

  setPullRequest(workflowId: string, pr: { number: number; url: string }): void {
    this.db.prepare('UPDATE github_links SET pr_number = ?, pr_url = ? WHERE workflow_id = ?').run(pr.number, pr.url, workflowId);
  }
}
