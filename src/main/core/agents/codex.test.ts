import { describe, expect, it } from 'vitest';
import type { CommandStage } from '../../../shared/pipeline';
import { stageStartEvents } from '../pipelineWalker';
import { codex, codexResume, codexSandbox } from './codex';
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

describe('the sandbox a Codex stage runs in (rule 11: Codex cannot ask)', () => {
  it('reads --sandbox, -s, -c sandbox_mode, --full-auto and the bypass flag; exec alone is read-only', () => {
    expect(codexSandbox(['exec', '--json', '--sandbox', 'workspace-write', 'p'])).toBe('workspace-write');
    expect(codexSandbox(['exec', '-s', 'read-only'])).toBe('read-only');
    expect(codexSandbox(['exec', '--sandbox=danger-full-access'])).toBe('danger-full-access');
    expect(codexSandbox(['exec', 'resume', 'id', '-c', 'sandbox_mode="workspace-write"'])).toBe('workspace-write');
    expect(codexSandbox(['exec', '--full-auto'])).toBe('workspace-write');
    expect(codexSandbox(['exec', '--dangerously-bypass-approvals-and-sandbox'])).toBe('no sandbox (danger-full-access)');
    expect(codexSandbox(['exec', '--json', 'p'])).toBe('read-only');
  });

  it('the built-in codex pipeline announces its stages with their sandbox', () => {
    const stages = codex.presets.codex!.stages.filter((s) => !('approval' in s)) as CommandStage[];
    expect(stages.map((s) => stageStartEvents(s)[0]!.message)).toEqual([
      'Stage plan started (sandbox: read-only)',
      'Stage implement started (sandbox: workspace-write)',
      'Stage review started (sandbox: read-only)',
    ]);
    expect(stageStartEvents(stages[1]!)[0]!.data).toMatchObject({ sandbox: 'workspace-write' });
  });
});
