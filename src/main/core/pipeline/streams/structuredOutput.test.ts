import { describe, expect, it } from 'vitest';
import type { EventDraft } from '../../../../shared/events';
import { OutputCollector } from '../outputCollector';
import { LineSplitter } from './lineSplitter';
import { StructuredOutput } from './structuredOutput';
import { recordedLines } from './testSink';

function rig(budgetBytes = 1024 * 1024, format: 'claude-stream-json' | 'codex-json' = 'claude-stream-json') {
  const events: EventDraft[] = [];
  const emit = async (d: EventDraft) => void events.push(d);
  const collector = new OutputCollector({ emit, agent: 'architect', stage: 'plan', budgetBytes, flushMs: 1 });
  const fatal: string[] = [];
  const out = new StructuredOutput({ format, agent: 'architect', stage: 'plan', cwd: '/tmp/wt', emit, collector, onFatal: (r) => fatal.push(r) });
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
