import { describe, expect, it } from 'vitest';
import { EMPTY_USAGE } from '../../../shared/events';
import { commitMessage, fixChecksDescription, issueBranchName, pullRequestBody, shipTitle } from './shipText';

const subject = { workflowId: 'wf-1', title: 'Workflow title', issue: { number: 12, title: 'Crash on start' } };

describe('the words of a ship', () => {
  it('names issue branches issue-N-short-title', () => {
    expect(issueBranchName(123, 'Add dark mode to the Settings screen!')).toBe('issue-123-add-dark-mode-to-the-settings-screen');
    expect(issueBranchName(5, 'Crème brûlée — "quoted" / slashes')).toBe('issue-5-creme-brulee-quoted-slashes');
    expect(issueBranchName(7, 'A very long title that goes on and on beyond forty characters')).toBe('issue-7-a-very-long-title-that-goes-on-and-on');
    expect(issueBranchName(8, '日本語')).toBe('issue-8');
    expect(issueBranchName(9, 'x'.repeat(60))).toBe(`issue-9-${'x'.repeat(40)}`);
  });

  it('titles from the issue, else the workflow; Closes #N and the workflow id in the commit', () => {
    expect(shipTitle(subject)).toBe('Crash on start');
    expect(shipTitle({ ...subject, issue: null })).toBe('Workflow title');
    expect(shipTitle({ ...subject, issue: null, title: ' ' })).toBe('Switchyard workflow wf-1');
    expect(commitMessage(subject)).toBe('Crash on start\n\nCloses #12\n\nSwitchyard-Workflow: wf-1\n');
    expect(commitMessage({ ...subject, issue: null })).toBe('Workflow title\n\nSwitchyard-Workflow: wf-1\n');
  });

  it('puts the plan, the review, and tokens and cost of every workflow (with a total) in the PR body', () => {
    const body = pullRequestBody({
      ...subject,
      plan: '1. Fix it',
      review: 'Approved: review approved the changes',
      workflows: [
        { id: 'wf-0-aaaaaaaa', title: 'First | try', status: 'completed', usage: { inputTokens: 1000, outputTokens: 234, cachedTokens: 50, costUsd: 0.5 } },
        { id: 'wf-1-bbbbbbbb', title: 'Fix checks', status: 'completed', usage: { ...EMPTY_USAGE, inputTokens: 10, costUsd: 1.25 } },
      ],
    });
    expect(body.startsWith('Closes #12\n\n## Plan\n\n1. Fix it\n')).toBe(true);
    expect(body).toContain('## Review\n\nApproved: review approved the changes');
    expect(body).toContain('| First \\| try (`wf-0-aaa`) | completed | 1,234 | 50 | $0.5000 |');
    expect(body).toContain('| **Total** | | 1,244 | 50 | $1.75 |');
    const bare = pullRequestBody({ ...subject, issue: null, plan: null, review: null, workflows: [] });
    expect(bare).not.toContain('Closes');
    expect(bare).toContain('_No plan was captured._');
  });

  it("writes failing checks' names and summaries for the agent", () => {
    expect(fixChecksDescription(3, [{ name: 'lint', summary: '1 error', url: 'https://ci/1' }, { name: 'e2e', summary: '', url: null }])).toBe(
      'The checks of pull request #3 fail. Make them pass.\n\n### lint\n1 error\nhttps://ci/1\n\n### e2e\n(no summary)',
    );
  });
});
