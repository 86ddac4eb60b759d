import { describe, expect, it } from 'vitest';
import { CodexJsonParser, innerCommand } from './json';
import { feed, RecordingSink, recordedLines } from '../../../../../test/agents/recordedSink';

describe('Codex CLI exec --json (recorded from codex 0.171.0)', () => {
  it('turns a run into messages, a command with its result, usage, the thread and the last message as answer', () => {
    const sink = new RecordingSink();
    const lines = recordedLines('codex-implement.jsonl');
    feed(new CodexJsonParser(sink, '/tmp/wt'), lines);
    expect(sink.events.map((e) => e.type)).toEqual(['system_warning', 'agent_message', 'tool_call', 'tool_result', 'agent_message']);
    expect(sink.events[2]).toMatchObject({ type: 'tool_call', data: { tool: 'Bash' } });
    expect(sink.events[2]!.message).toBe("Bash: printf '%s' 'hello from the agent …");
    expect(sink.events[3]).toMatchObject({ data: { tool: 'Bash', ok: true, summary: 'done (no output)' } });
    expect(sink.sessions).toEqual([(JSON.parse(lines[0]!) as { thread_id: string }).thread_id]);
    expect(sink.answers.at(-1)).toBe('Wrote hello.txt.');
    expect(sink.usages).toEqual([{ inputTokens: 10887, outputTokens: 30, cachedTokens: 100, costUsd: null }]);
    expect(sink.unknowns).toEqual([]);
  });

  it('stops at the first 401 with a reason a person acts on', () => {
    const sink = new RecordingSink();
    feed(new CodexJsonParser(sink), recordedLines('codex-401.jsonl'));
    expect(sink.fatals[0]).toBe('Codex CLI: the API refused the key (401 Unauthorized); check OPENAI_API_KEY (or the env_key of your model provider, or `codex login`)');
  });

  it('shows 5xx reconnects as retry warnings and fails with the CLI’s message on turn.failed', () => {
    const sink = new RecordingSink();
    feed(new CodexJsonParser(sink), [
      JSON.stringify({ type: 'error', message: 'Reconnecting... 2/5 (unexpected status 503 Service Unavailable: busy)' }),
      JSON.stringify({ type: 'turn.failed', error: { message: 'stream disconnected before completion' } }),
    ]);
    expect(sink.fatals).toEqual([]);
    expect(sink.events[0]).toMatchObject({ type: 'system_warning', message: 'Codex CLI: API error (unexpected status 503 Service Unavailable: busy), retry 2 of 5', data: { attempt: 2, maxRetries: 5, status: 503 } });
    expect(sink.failures).toEqual(['Codex CLI: stream disconnected before completion']);
  });

  it('reports failed commands and file changes, and keeps unknown items', () => {
    const sink = new RecordingSink();
    feed(new CodexJsonParser(sink, '/w'), [
      JSON.stringify({ type: 'item.completed', item: { id: 'i1', type: 'command_execution', command: 'bash -lc "npm test"', aggregated_output: 'FAIL x\n', exit_code: 1, status: 'failed' } }),
      JSON.stringify({ type: 'item.completed', item: { id: 'i2', type: 'file_change', changes: [{ path: '/w/src/a.ts', kind: 'update' }], status: 'completed' } }),
      JSON.stringify({ type: 'item.completed', item: { id: 'i3', type: 'hologram', x: 1 } }),
    ]);
    expect(sink.events.map((e) => e.message)).toEqual(['Bash: npm test', 'Bash: npm test: exit 1: FAIL x', 'Edit src/a.ts', 'Edit src/a.ts: 1 file changed']);
    expect(sink.events[1]!.data).toMatchObject({ ok: false });
    expect(sink.unknowns).toHaveLength(1);
  });

  it('unwraps the shell a command runs in', () => {
    expect(innerCommand('/bin/bash -lc "echo \\"hi\\""')).toBe('echo "hi"');
    expect(innerCommand("bash -lc 'ls -la'")).toBe('ls -la');
    expect(innerCommand('ls')).toBe('ls');
  });
});
