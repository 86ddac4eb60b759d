import { describe, expect, it } from 'vitest';
import type { Workflow } from '../../../shared/domain';
import { buildArgv, buildEnv, buildPrompt, fillTemplate, templateValues } from './templates';

const workflow = { id: 'wf-1', issueId: 'I-1', title: 'T {plan}', description: 'D', worktreePath: '/w' } as Workflow;

describe('templates', () => {
  it('fills every variable in one pass, inside the element only, and leaves unknown braces', () => {
    const values = templateValues(workflow, { plan: 'P {title}', planFile: null, feedback: 'F' });
    expect(fillTemplate('{issueId}|{title}|{plan}|{planFile}|{feedback}|{worktree}|{other}|{{title}}', values)).toBe(
      'I-1|T {plan}|P {title}||F|/w|{other}|{T {plan}}',
    );
  });

  it('keeps the program as written', () => {
    const values = templateValues(workflow, { plan: null, planFile: null, feedback: null });
    expect(buildArgv(['{title}', '{title}'], values)).toEqual({ program: '{title}', args: ['T {plan}'] });
  });

  it('builds {prompt} from the issue and, when there is one, the feedback', () => {
    expect(buildPrompt(workflow, null)).toBe('Issue I-1: T {plan}\n\nD');
    expect(buildPrompt({ ...workflow, title: '', description: ' ' }, 'fix it')).toBe('Issue I-1\n\nFeedback to address:\nfix it');
  });

  it('drops NUL bytes, which no argv or environment string can hold', () => {
    const values = templateValues({ ...workflow, title: 'a\0b' }, { plan: null, planFile: null, feedback: null });
    expect(values.title).toBe('ab');
  });

  it('gives agents the SWITCHYARD_* values and the marker, never the server token', () => {
    const values = templateValues(workflow, { plan: 'p', planFile: '/w/PLAN.md', feedback: null });
    const env = buildEnv({ PATH: '/bin', SWITCHYARD_TOKEN: 'secret', SWITCHYARD_PLAN: 'stale' }, 'wf-1', values);
    expect(env.SWITCHYARD_TOKEN).toBeUndefined();
    expect(env).toMatchObject({
      PATH: '/bin',
      SWITCHYARD_WORKFLOW_ID: 'wf-1',
      SWITCHYARD_ISSUE_ID: 'I-1',
      SWITCHYARD_PLAN: 'p',
      SWITCHYARD_PLAN_FILE: '/w/PLAN.md',
      SWITCHYARD_FEEDBACK: '',
      SWITCHYARD_WORKTREE: '/w',
    });
  });

  it('never hands an agent the GitHub token Switchyard ships with (rule 12)', () => {
    const values = templateValues(workflow, { plan: null, planFile: null, feedback: null });
    const env = buildEnv({ PATH: '/bin', GH_TOKEN: 'a', GITHUB_TOKEN: 'b', GH_ENTERPRISE_TOKEN: 'c', GITHUB_ENTERPRISE_TOKEN: 'd' }, 'wf-1', values);
    for (const name of ['GH_TOKEN', 'GITHUB_TOKEN', 'GH_ENTERPRISE_TOKEN', 'GITHUB_ENTERPRISE_TOKEN']) expect(env[name], name).toBeUndefined();
    expect(env.PATH).toBe('/bin');
  });

  it("gives the worktree's port base (rule 13), never one inherited from Switchyard's own environment", () => {
    const values = templateValues(workflow, { plan: null, planFile: null, feedback: null });
    expect(buildEnv({ SWITCHYARD_PORT_BASE: '3000' }, 'wf-1', values, 41_010).SWITCHYARD_PORT_BASE).toBe('41010');
    expect(buildEnv({ SWITCHYARD_PORT_BASE: '3000' }, 'wf-1', values).SWITCHYARD_PORT_BASE).toBeUndefined();
  });
});
