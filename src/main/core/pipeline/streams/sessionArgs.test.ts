import { describe, expect, it } from 'vitest';
import { budgetArgv, ResumeError, resumeArgv } from './sessionArgs';

describe('resuming a CLI session and capping its spend', () => {
  it('claude: --resume <id> first, replacing any session option of the stage', () => {
    expect(resumeArgv('claude-stream-json', { program: 'claude', args: ['-p', 'go', '--session-id', 'old'] }, 'S1')).toEqual({
      program: 'claude',
      args: ['--resume', 'S1', '-p', 'go'],
    });
  });

  it('codex: exec resume <id>, with --sandbox turned into the sandbox_mode setting resume accepts', () => {
    expect(resumeArgv('codex-json', { program: 'codex', args: ['exec', '--json', '--sandbox', 'workspace-write', 'do it'] }, 'T1')).toEqual({
      program: 'codex',
      args: ['exec', 'resume', 'T1', '--json', '-c', 'sandbox_mode="workspace-write"', 'do it'],
    });
    expect(resumeArgv('codex-json', { program: 'codex', args: ['exec', '--sandbox=read-only', 'x'] }, 'T1').args).toEqual(['exec', 'resume', 'T1', '-c', 'sandbox_mode="read-only"', 'x']);
    expect(() => resumeArgv('codex-json', { program: 'codex', args: ['--json', 'x'] }, 'T1')).toThrow(ResumeError);
  });

  it('claude gets --max-budget-usd with what is left, unless the stage sets its own; codex has no such option', () => {
    expect(budgetArgv('claude-stream-json', { program: 'claude', args: ['-p', 'x'] }, 0.25).args).toEqual(['-p', 'x', '--max-budget-usd', '0.250000']);
    expect(budgetArgv('claude-stream-json', { program: 'claude', args: ['--max-budget-usd', '1'] }, 0.25).args).toEqual(['--max-budget-usd', '1']);
    expect(budgetArgv('claude-stream-json', { program: 'claude', args: ['-p'] }, null).args).toEqual(['-p']);
    expect(budgetArgv('codex-json', { program: 'codex', args: ['exec'] }, 0.25).args).toEqual(['exec']);
  });
});
