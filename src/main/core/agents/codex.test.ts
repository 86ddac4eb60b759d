import { describe, expect, it } from 'vitest';
import { codex, codexResume } from './codex';
import { ResumeError } from './types';

describe('Codex CLI: resuming a thread', () => {
  it('exec resume <id>, with --sandbox turned into the sandbox_mode setting resume accepts', () => {
    expect(codexResume({ program: 'codex', args: ['exec', '--json', '--sandbox', 'workspace-write', 'do it'] }, 'T1')).toEqual({
      program: 'codex',
      args: ['exec', 'resume', 'T1', '--json', '-c', 'sandbox_mode="workspace-write"', 'do it'],
    });
    expect(codexResume({ program: 'codex', args: ['exec', '--sandbox=read-only', 'x'] }, 'T1').args).toEqual(['exec', 'resume', 'T1', '-c', 'sandbox_mode="read-only"', 'x']);
    expect(() => codexResume({ program: 'codex', args: ['--json', 'x'] }, 'T1')).toThrow(ResumeError);
  });

  it('has no spending cap of its own', () => {
    expect(codex.stream?.capSpend).toBeUndefined();
  });
});
