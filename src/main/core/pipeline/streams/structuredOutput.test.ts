import { describe, expect, it } from 'vitest';
import type { EventDraft, Usage } from '../../../../shared/events';
import { OutputCollector } from '../outputCollector';
import { LineSplitter } from './lineSplitter';
import { StructuredOutput } from './structuredOutput';
import { recordedLines } from '../../../../../test/agents/recordedSink';
import { streamFormat } from '../../agents/registry';

function rig(budgetBytes = 1024 * 1024, format: 'claude-stream-json' | 'codex-json' = 'claude-stream-json', resumed: { sessionId: string; usage: Usage } | null = null) {
  const events: EventDraft[] = [];
  const emit = async (d: EventDraft) => void events.push(d);
  const collector = new OutputCollector({ emit, agent: 'architect', stage: 'plan', budgetBytes, flushMs: 1 });
  const fatal: string[] = [];
  const out = new StructuredOutput({ stream: streamFormat(format)!, agent: 'architect', stage: 'plan', cwd: '/tmp/wt', emit, collector, onFatal: (r) => fatal.push(r), resumed });
  return {
    events,
    fatal,
    out,
    async finish() {
      await out.finish();
      await collector.finish();
    },
  };
}

describe('a structured stdout', () => {
  it('becomes typed events however the bytes are cut; garbage and unknown records stay agent_output', async () => {
    const r = rig();
    const lines = ['this is not JSON {', ...recordedLines('claude-implement.jsonl'), '{"type":"from_the_future"}', '[1,2]'];
    const bytes = Buffer.from(lines.join('\r\n') + '\n');
    for (let i = 0; i < bytes.length; i += 7) r.out.push(bytes.subarray(i, i + 7)); // splits lines and characters
    await r.finish();
    const typed = r.events.filter((e) => e.type !== 'agent_output' && e.type !== 'usage').map((e) => e.type);
    expect(typed).toEqual(['agent_message', 'tool_call', 'tool_result', 'agent_message']);
    expect(r.events.filter((e) => e.type === 'agent_output').map((e) => e.message).join('')).toBe('this is not JSON {\n{"type":"from_the_future"}\n[1,2]\n');
    expect(r.events.filter((e) => e.type === 'usage').at(-1)!.data).toMatchObject({ costUsd: 0.0026839999999999998 });
    expect(r.out.answer).toBe('Wrote hello.txt.');
    expect(r.out.sessionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('an auth error calls onFatal once and logs it as a system_error', async () => {
    const r = rig();
    for (const l of recordedLines('claude-401.jsonl')) r.out.push(Buffer.from(`${l}\n`));
    await r.finish();
    expect(r.fatal).toEqual(['Claude Code: the API refused the key (401 authentication_failed); check ANTHROPIC_API_KEY']);
    expect(r.events.filter((e) => e.type === 'system_error').map((e) => e.message)).toEqual(r.fatal);
  });

  it('typed events share the stage’s output budget with agent_output; usage always goes through', async () => {
    const r = rig(64 * 1024);
    const call = (i: number) =>
      JSON.stringify({ type: 'assistant', message: { id: `m${i}`, content: [{ type: 'tool_use', id: `t${i}`, name: 'Bash', input: { command: `echo ${'x'.repeat(900)}` } }], usage: { input_tokens: i, output_tokens: 1 } } });
    for (let i = 1; i <= 2000; i++) r.out.push(Buffer.from(`${call(i)}\n`));
    await r.finish();
    const stored = r.events.filter((e) => e.type !== 'usage').reduce((n, e) => n + Buffer.byteLength(e.message) + Buffer.byteLength(JSON.stringify(e.data ?? null)), 0);
    expect(stored).toBeLessThan(64 * 1024 + 4 * 1024);
    expect(r.events.some((e) => e.type === 'system_warning' && (e.data as { reason: string }).reason === 'output_budget')).toBe(true);
    // Token counts are reported at most every USAGE_INTERVAL_MS, the last figure at the end.
    const usage = r.events.filter((e) => e.type === 'usage');
    expect(usage.length).toBeLessThan(20);
    expect(usage.at(-1)!.data).toMatchObject({ inputTokens: (2000 * 2001) / 2 });
  });

  it('codex: the last agent message is the answer, turn.failed the failure', async () => {
    const r = rig(1024 * 1024, 'codex-json');
    r.out.push(Buffer.from(recordedLines('codex-implement.jsonl').join('\n')));
    await r.finish(); // the last line had no newline: still parsed
    expect(r.out.answer).toBe('Wrote hello.txt.');
    expect(r.out.usage).toMatchObject({ outputTokens: 30 });
  });
});

describe('a resumed session', () => {
  const before: Usage = { inputTokens: 300, outputTokens: 30, cachedTokens: 50, costUsd: 0.002 };

  it('claude: the result counts the session from its start; the stage keeps only its own part', async () => {
    const r = rig(1024 * 1024, 'claude-stream-json', { sessionId: 'S', usage: before });
    const lines = [
      { type: 'system', subtype: 'init', session_id: 'S' },
      { type: 'assistant', message: { id: 'm1', content: [{ type: 'text', text: 'hi' }], usage: { input_tokens: 100, output_tokens: 1, cache_read_input_tokens: 50 } } },
      { type: 'result', subtype: 'success', is_error: false, result: 'hi', session_id: 'S', total_cost_usd: 0.005, modelUsage: { m: { inputTokens: 500, outputTokens: 40, cacheReadInputTokens: 100, cacheCreationInputTokens: 0 } } },
    ];
    for (const l of lines) r.out.push(Buffer.from(`${JSON.stringify(l)}\n`));
    await r.finish();
    const usage = r.events.filter((e) => e.type === 'usage').map((e) => e.data);
    expect(usage[0]).toEqual({ inputTokens: 100, outputTokens: 1, cachedTokens: 50, costUsd: 0 });
    expect(usage.at(-1)!).toMatchObject({ inputTokens: 200, outputTokens: 10, cachedTokens: 50 });
    expect((usage.at(-1) as Usage).costUsd).toBeCloseTo(0.003, 10);
    expect(r.out.sessionUsage).toEqual({ inputTokens: 500, outputTokens: 40, cachedTokens: 100, costUsd: 0.005 });
  });

  it('codex: turn.completed counts the thread from its start, too', async () => {
    const r = rig(1024 * 1024, 'codex-json', { sessionId: 'T', usage: { ...before, costUsd: null } });
    r.out.push(Buffer.from(`${JSON.stringify({ type: 'thread.started', thread_id: 'T' })}\n`));
    r.out.push(Buffer.from(`${JSON.stringify({ type: 'turn.completed', usage: { input_tokens: 900, cached_input_tokens: 100, output_tokens: 45 } })}\n`));
    await r.finish();
    expect(r.out.usage).toEqual({ inputTokens: 500, outputTokens: 15, cachedTokens: 50, costUsd: null });
  });
});

describe('a program that does not write the format', () => {
  it('keeps its text as agent_output and says which flags are missing', async () => {
    const r = rig();
    r.out.push(Buffer.from('Here is my plan:\n1. Do it\n'));
    await r.finish();
    expect(r.events.filter((e) => e.type === 'agent_output').map((e) => e.message).join('')).toBe('Here is my plan:\n1. Do it\n');
    expect(r.events.find((e) => e.type === 'system_warning')!.message).toBe(
      'Stage plan: its output is claude-stream-json, but no record of that format came on stdout; does its run have `claude -p … --output-format stream-json --verbose`?',
    );
    expect(r.out.records).toBe(0);
  });
});

describe('LineSplitter', () => {
  it('passes an overlong line through raw instead of holding it, then goes on with lines', () => {
    const lines: string[] = [];
    const raw: string[] = [];
    const s = new LineSplitter({ line: (l) => lines.push(l), raw: (b) => raw.push(b.toString()) }, 10);
    s.push(Buffer.from('short\n0123456789ABCDEF'));
    s.push(Buffer.from('GHI\nnext\nlast'));
    s.end();
    expect(lines).toEqual(['short', 'next', 'last']);
    expect(raw.join('')).toBe('0123456789ABCDEFGHI\n');
  });
});
