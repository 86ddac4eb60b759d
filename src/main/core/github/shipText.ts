// The words of a shipped workflow: the commit message, the pull request's title and body, and the
// branch name of an issue. Pure, so each rule is tested on its own.
import type { Usage } from '../../../shared/events';
import { formatCost, formatCount, totalTokens } from '../../../shared/format';

export interface ShipSubject {
  workflowId: string;
  title: string;
  issue: { number: number; title: string } | null;
}

/** The issue's title when it has one, else the workflow's, else its id. */
export function shipTitle(s: ShipSubject): string {
  return s.issue?.title.trim() || s.title.trim() || `Switchyard workflow ${s.workflowId}`;
}

/** Subject: the title; body: `Closes #N` and the workflow id (a trailer, so tools can find it). */
export function commitMessage(s: ShipSubject): string {
  const lines = [shipTitle(s), ''];
  if (s.issue) lines.push(`Closes #${s.issue.number}`, '');
  lines.push(`Switchyard-Workflow: ${s.workflowId}`);
  return `${lines.join('\n')}\n`;
}

export interface BodyWorkflow {
  id: string;
  title: string;
  status: string;
  usage: Usage;
}

const PLAN_MAX = 20_000;

/** The PR body: `Closes #N`, the plan, the review's verdict, and tokens and cost of every workflow that led to it. */
export function pullRequestBody(s: ShipSubject & { plan: string | null; review: string | null; workflows: BodyWorkflow[] }): string {
  const out: string[] = [];
  if (s.issue) out.push(`Closes #${s.issue.number}`, '');
  out.push('## Plan', '');
  const plan = s.plan?.trim();
  out.push(plan ? (plan.length > PLAN_MAX ? `${plan.slice(0, PLAN_MAX)}\n\n… (plan cut at ${formatCount(PLAN_MAX)} characters)` : plan) : '_No plan was captured._', '');
  out.push('## Review', '', s.review?.trim() || '_No review stage ran._', '');
  out.push('## Tokens and cost', '', '| Workflow | Status | Tokens | Cached | Cost |', '|---|---|---|---|---|');
  let tokens = 0;
  let cached = 0;
  let cost: number | null = null;
  for (const w of s.workflows) {
    tokens += totalTokens(w.usage);
    cached += w.usage.cachedTokens;
    if (w.usage.costUsd !== null) cost = (cost ?? 0) + w.usage.costUsd;
    const name = (w.title || w.id).replaceAll('|', '\\|');
    out.push(`| ${name} (\`${w.id.slice(0, 8)}\`) | ${w.status} | ${formatCount(totalTokens(w.usage))} | ${formatCount(w.usage.cachedTokens)} | ${w.usage.costUsd === null ? 'not reported' : formatCost(w.usage.costUsd)} |`);
  }
  if (s.workflows.length > 1) out.push(`| **Total** | | ${formatCount(tokens)} | ${formatCount(cached)} | ${cost === null ? 'not reported' : formatCost(cost)} |`);
  out.push('', `_Shipped by Switchyard from workflow \`${s.workflowId}\`._`, '');
  return out.join('\n');
}

const SLUG_MAX = 40;

/** `issue-123-short-title`: lower-case ASCII words of the title, whole words up to 40 characters. */
export function issueBranchName(number: number, title: string): string {
  let slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length > SLUG_MAX) {
    const cut = slug.slice(0, SLUG_MAX + 1);
    slug = cut.includes('-') ? cut.slice(0, cut.lastIndexOf('-')) : cut.slice(0, SLUG_MAX);
  }
  return slug ? `issue-${number}-${slug}` : `issue-${number}`;
}

/** The failing checks as a new workflow's description: each check's name and summary. */
export function fixChecksDescription(prNumber: number, failing: { name: string; summary: string; url: string | null }[]): string {
  const parts = [`The checks of pull request #${prNumber} fail. Make them pass.`];
  for (const f of failing) parts.push(`### ${f.name}\n${f.summary.trim() || '(no summary)'}${f.url ? `\n${f.url}` : ''}`);
  return parts.join('\n\n');
}
