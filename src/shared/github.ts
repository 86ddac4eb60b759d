// The loop of docs/design.md rule 12 as it crosses the wire: a tracker issue, the link a workflow
// keeps to its issue and pull request, and the PR's state and checks.
import { z } from 'zod';

export const IssueSchema = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  body: z.string(),
  url: z.string(),
  labels: z.array(z.string()),
  author: z.string().nullable(),
  updatedAt: z.string(),
});
export type Issue = z.infer<typeof IssueSchema>;

export const PR_STATES = ['open', 'merged', 'closed'] as const;
export const CHECKS_STATES = ['none', 'pending', 'passing', 'failing'] as const;
export type PrState = (typeof PR_STATES)[number];
export type ChecksState = (typeof CHECKS_STATES)[number];

export const FailingCheckSchema = z.object({ name: z.string(), summary: z.string(), url: z.string().nullable() });
export type FailingCheck = z.infer<typeof FailingCheckSchema>;

export const PullRequestSchema = z.object({
  number: z.number().int().positive(),
  url: z.string(),
  title: z.string(),
  state: z.enum(PR_STATES),
  draft: z.boolean(),
  checks: z.enum(CHECKS_STATES),
  failing: z.array(FailingCheckSchema),
});
export type PullRequest = z.infer<typeof PullRequestSchema>;

/** The three steps of shipping, in order; a failed one is named in the error's `details.step`. */
export const SHIP_STEPS = ['commit', 'push', 'pull_request'] as const;
export type ShipStep = (typeof SHIP_STEPS)[number];

/** What a worktree's latest linked workflow knows of GitHub. */
export const TrackerLinkSchema = z.object({
  workflowId: z.string(),
  branch: z.string(),
  issue: z.object({ number: z.number().int().positive(), title: z.string(), url: z.string() }).nullable(),
  commit: z.string().nullable(),
  pushed: z.boolean(),
  pullRequest: PullRequestSchema.nullable(),
});
export type TrackerLink = z.infer<typeof TrackerLinkSchema>;

/** Why a GitHub call could not be made or was refused: `details.github` of the error. */
export const GITHUB_PROBLEMS = ['no_token', 'not_github', 'unauthorized', 'forbidden', 'not_found', 'rate_limited', 'unreachable'] as const;
export type GitHubProblem = (typeof GITHUB_PROBLEMS)[number];
