import { describe, expect, it } from 'vitest';
import { ClaudeStreamParser } from './stream';
import { feed, RecordingSink, recordedLines } from '../../../../../test/agents/recordedSink';

describe('Claude Code stream-json (recorded from claude 2.1.332)', () => {
  it('turns a run into messages, a tool call with its result, usage with cost, the session and the answer', () => {
    const sink = new RecordingSink();
    const lines = recordedLines('claude-implement.jsonl');
    feed(new ClaudeStreamParser(sink, '/tmp/wt'), lines);
    expect(sink.events.map((e) => e.type)).toEqual(['agent_message', 'tool_call', 'tool_result', 'agent_message']);
    expect(sink.events[0]!.message).toBe('I will write hello.txt.');
    expect(sink.events[1]).toMatchObject({ message: 'Write hello.txt', data: { tool: 'Write', summary: 'Write hello.txt', input: { file_path: 'hello.txt' } } });
    expect(sink.events[2]).toMatchObject({ data: { tool: 'Write', ok: true } });
    expect((sink.events[2]!.data as { summary: string }).summary).toMatch(/^File created successfully/);
    expect(sink.sessions[0]).toBe((JSON.parse(lines[0]!) as { session_id: string }).session_id);
    expect(sink.sessions[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(sink.answers).toEqual(['Wrote hello.txt.']);
    expect(sink.failures).toEqual([]);
    expect(sink.fatals).toEqual([]);
    expect(sink.unknowns).toEqual([]);
    // Live figures while it runs, then the result's totals with the cost.
    expect(sink.usages[0]!.costUsd).toBeNull();
    expect(sink.usages.at(-1)).toEqual({ inputTokens: 516, outputTokens: 30, cachedTokens: 100, costUsd: 0.0026839999999999998 });
  });

  it('stops at the first 401 retry with a reason a person acts on', () => {
    const sink = new RecordingSink();
    feed(new ClaudeStreamParser(sink), recordedLines('claude-401.jsonl').slice(0, 2));
    expect(sink.fatals).toEqual(['Claude Code: the API refused the key (401 authentication_failed); check ANTHROPIC_API_KEY']);
  });

  it('shows rate limits and overloads as retry warnings, never as fatal', () => {
    const sink = new RecordingSink();
    const retry = { type: 'system', subtype: 'api_retry', attempt: 2, max_retries: 10, retry_delay_ms: 1100, error_status: 529, error: 'overloaded_error' };
    feed(new ClaudeStreamParser(sink), [JSON.stringify(retry), JSON.stringify({ ...retry, error_status: 429, error: 'rate_limit_error' })]);
    expect(sink.fatals).toEqual([]);
    expect(sink.events.map((e) => [e.type, e.message])).toEqual([
      ['system_warning', 'Claude Code: API error (529 overloaded_error), retry 2 of 10; next try in 1.1 s'],
      ['system_warning', 'Claude Code: API error (429 rate_limit_error), retry 2 of 10; next try in 1.1 s'],
    ]);
  });

  it('fails with the CLI’s own message on an error result, counting its cost', () => {
    const sink = new RecordingSink();
    const result = { type: 'result', subtype: 'error_max_budget_usd', is_error: true, total_cost_usd: 0.0015, errors: ['Reached maximum budget ($0.0001)'], usage: {}, session_id: 's1' };
    feed(new ClaudeStreamParser(sink), [JSON.stringify(result)]);
    expect(sink.failures).toEqual(['Claude Code: Reached maximum budget ($0.0001)']);
    expect(sink.answers).toEqual([]);
    expect(sink.usages.at(-1)!.costUsd).toBe(0.0015);
  });

  it('in plan mode, takes the plan of ExitPlanMode when the result text is empty', () => {
    const sink = new RecordingSink();
    feed(new ClaudeStreamParser(sink), [
      JSON.stringify({ type: 'assistant', message: { id: 'm', content: [{ type: 'tool_use', id: 't', name: 'ExitPlanMode', input: { plan: '1. Do it' } }] } }),
      JSON.stringify({ type: 'result', subtype: 'success', is_error: false, result: '' }),
      JSON.stringify({ type: 'result', subtype: 'success', is_error: false, result: 'Done, the plan above.' }),
    ]);
    expect(sink.answers).toEqual(['1. Do it', 'Done, the plan above.']);
  });

  it('flags error tool results and keeps unknown records', () => {
    const sink = new RecordingSink();
    feed(new ClaudeStreamParser(sink, '/w'), [
      JSON.stringify({ type: 'assistant', message: { id: 'm', content: [{ type: 'tool_use', id: 't1', name: 'Bash', input: { command: 'npm test\nmore' } }] } }),
      JSON.stringify({ type: 'user', message: { content: [{ type: 'tool_result', tool_use_id: 't1', is_error: true, content: [{ type: 'text', text: 'Exit code 1\nFAIL' }] }] } }),
      JSON.stringify({ type: 'brand_new_record', x: 1 }),
    ]);
    expect(sink.events[0]!.message).toBe('Bash: npm test …');
    expect(sink.events[1]).toMatchObject({ type: 'tool_result', data: { tool: 'Bash', ok: false, summary: 'Error: Exit code 1 …', output: 'Exit code 1\nFAIL' } });
    expect(sink.unknowns).toEqual([JSON.stringify({ type: 'brand_new_record', x: 1 })]);
  });
});

describe("the CLI's own refusals (rule 11)", () => {
  it('each entry of a result\'s permission_denials is reported as refused, with its tool, input and tool_use id', () => {
    const sink = new RecordingSink();
    const parser = new ClaudeStreamParser(sink, '/w');
    // As Claude Code 2.1.332 printed it for a Bash call acceptEdits does not allow.
    const result = {
      type: 'result',
      subtype: 'success',
      is_error: false,
      result: 'done',
      session_id: 's',
      total_cost_usd: 0.001,
      permission_denials: [{ tool_name: 'Bash', tool_use_id: 'toolu_b1', tool_input: { command: "python3 -c \"open('b.txt','w')\"", description: 'x' } }],
    };
    feed(parser, [JSON.stringify(result), JSON.stringify({ ...result, permission_denials: [] })]);
    expect(sink.refusals).toEqual([{ tool: 'Bash', input: { command: "python3 -c \"open('b.txt','w')\"", description: 'x' }, toolUseId: 'toolu_b1' }]);
    expect(sink.answers).toEqual(['done', 'done']);
  });

  it('control requests are the channel\'s, never shown as unknown output', () => {
    const sink = new RecordingSink();
    feed(new ClaudeStreamParser(sink, '/w'), [JSON.stringify({ type: 'control_request', request_id: 'r', request: { subtype: 'can_use_tool' } })]);
    expect(sink.unknowns).toEqual([]);
  });
});
