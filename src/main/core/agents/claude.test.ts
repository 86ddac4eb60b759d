import { describe, expect, it } from 'vitest';
import { claudeCapSpend, claudeResume } from './claude';

describe('Claude Code: resuming a session and capping its spend', () => {
  it('--resume <id> first, replacing any session option of the stage', () => {
    expect(claudeResume({ program: 'claude', args: ['-p', 'go', '--session-id', 'old'] }, 'S1')).toEqual({
      program: 'claude',
      args: ['--resume', 'S1', '-p', 'go'],
    });
  });

  it('--max-budget-usd with what is left, unless the stage sets its own', () => {
    expect(claudeCapSpend({ program: 'claude', args: ['-p', 'x'] }, 0.25).args).toEqual(['-p', 'x', '--max-budget-usd', '0.250000']);
    expect(claudeCapSpend({ program: 'claude', args: ['--max-budget-usd', '1'] }, 0.25).args).toEqual(['--max-budget-usd', '1']);
  });
});
