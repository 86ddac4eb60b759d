import { describe, expect, it } from 'vitest';
import { claudeCapSpend, claudePermissions, claudeResume } from './claude';

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

describe('Claude Code permission channel (rule 11: --permission-prompt-tool stdio)', () => {
  it('moves the prompt after -p to stdin and asks the CLI to route its permission prompts there', () => {
    const opened = claudePermissions.open({ program: 'claude', args: ['--resume', 'S1', '-p', 'do it', '--permission-mode', 'acceptEdits'] });
    expect(opened).toEqual({
      argv: { program: 'claude', args: ['--resume', 'S1', '-p', '--permission-mode', 'acceptEdits', '--input-format', 'stream-json', '--permission-prompt-tool', 'stdio'] },
      input: [JSON.stringify({ type: 'user', message: { role: 'user', content: 'do it' } })],
    });
  });

  it('refuses an argv it cannot rewrite, saying why', () => {
    expect(claudePermissions.open({ program: 'claude', args: ['-p', '--verbose'] })).toEqual({ failed: 'its run has no prompt right after -p' });
    expect(claudePermissions.open({ program: 'claude', args: ['-p', 'x', '--input-format', 'text'] })).toMatchObject({ failed: expect.stringContaining('--input-format') });
    expect(claudePermissions.open({ program: 'claude', args: ['-p', 'x', '--permission-prompt-tool=mcp__a__b'] })).toMatchObject({ failed: expect.stringContaining('--permission-prompt-tool') });
  });

  it('reads can_use_tool requests (as the CLI printed them) and answers each by its request id', () => {
    const record = {
      type: 'control_request',
      request_id: 'r-1',
      request: { subtype: 'can_use_tool', tool_name: 'Bash', input: { command: 'npm test' }, tool_use_id: 'toolu_1', decision_reason: 'This command requires approval' },
    };
    expect(claudePermissions.request(record)).toEqual({ id: 'r-1', tool: 'Bash', input: { command: 'npm test' }, toolUseId: 'toolu_1' });
    expect(claudePermissions.request({ type: 'control_request', request_id: 'r-2', request: { subtype: 'interrupt' } })).toBeNull();
    expect(claudePermissions.request({ type: 'assistant' })).toBeNull();
    expect(JSON.parse(claudePermissions.answer('r-1', { command: 'npm test' }, { allow: true }))).toEqual({
      type: 'control_response',
      response: { subtype: 'success', request_id: 'r-1', response: { behavior: 'allow', updatedInput: { command: 'npm test' } } },
    });
    expect(JSON.parse(claudePermissions.answer('r-1', {}, { allow: false, message: 'no' })).response.response).toEqual({ behavior: 'deny', message: 'no' });
    expect(claudePermissions.ends({ type: 'result' })).toBe(true);
    expect(claudePermissions.ends({ type: 'assistant' })).toBe(false);
  });
});
