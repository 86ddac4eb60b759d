import { describe, expect, it } from 'vitest';
import type { WorkflowEvent } from '../../../shared/events';
import { bounded, clip, inputText, retryChip, retryLabel, retryOf, safeLink, toolRow } from './agentEvents';

const ev = (type: WorkflowEvent['type'], message: string, data?: Record<string, unknown>): WorkflowEvent => ({
  id: 'e1', workflowId: 'w', sequence: 1, timestamp: '2025-01-01T00:00:00Z', agent: 'developer', type, message, ...(data ? { data } : {}),
});

describe('toolRow', () => {
  it('reads a call: tool, summary and its input', () => {
    const row = toolRow(ev('tool_call', 'Write hello.txt', { tool: 'Write', summary: 'Write hello.txt', input: { file_path: 'hello.txt', content: 'hi' } }));
    expect(row).toEqual({ kind: 'call', tool: 'Write', summary: 'Write hello.txt', rest: 'hello.txt', ok: null, detail: 'file_path: hello.txt\ncontent: hi' });
  });
  it('shows an input as key: value lines, multi-line strings as blocks, nested values as JSON', () => {
    expect(inputText({ file_path: 'a.md', content: '# A\n\nline\n', replace_all: false, n: 3, none: null })).toBe('file_path: a.md\ncontent:\n  # A\n  \n  line\nreplace_all: false\nn: 3\nnone: null');
    expect(inputText({ todos: [{ content: 'x' }] })).toBe('todos: [\n    {\n      "content": "x"\n    }\n  ]');
    expect(inputText([1, 2])).toBe('[\n  1,\n  2\n]');
    expect(inputText(42)).toBe('42');
  });
  it('does not repeat the tool name the summary starts with', () => {
    expect(toolRow(ev('tool_call', 'm', { tool: 'Bash', summary: 'Bash: npm test' }))!.rest).toBe('npm test');
    expect(toolRow(ev('tool_call', 'm', { tool: 'TodoWrite', summary: 'TodoWrite' }))!.rest).toBe('');
    expect(toolRow(ev('tool_result', '', { tool: 'Bash', ok: true, summary: 'exit 0' }))!.rest).toBe('exit 0');
  });
  it('reads a result with its outcome and output', () => {
    expect(toolRow(ev('tool_result', 'Bash: npm test: Error: exit 1', { tool: 'Bash', ok: false, summary: 'Error: exit 1', output: 'boom' }))).toMatchObject({
      kind: 'result', ok: false, summary: 'Bash: npm test: Error: exit 1', rest: 'npm test: Error: exit 1', detail: 'boom',
    });
    expect(toolRow(ev('tool_result', '', { tool: 'Bash', ok: true, summary: 'done (no output)', output: '' }))).toMatchObject({ ok: true, summary: 'done (no output)', detail: '' });
  });
  it('renders whatever arrives: missing or mistyped data falls back to the message', () => {
    expect(toolRow(ev('tool_call', 'Bash: ls'))).toEqual({ kind: 'call', tool: 'tool', summary: 'Bash: ls', rest: 'Bash: ls', ok: null, detail: '' });
    expect(toolRow(ev('tool_result', 'done', { tool: 7, ok: 'yes', summary: '' }))).toMatchObject({ tool: 'tool', ok: null, summary: 'done' });
    expect(toolRow(ev('tool_call', 'Read a.ts', { tool: 'Read', summary: 7 }))).toMatchObject({ summary: 'Read a.ts', rest: 'a.ts' });
  });
  it('is null for other event types', () => {
    expect(toolRow(ev('agent_output', 'x'))).toBeNull();
  });
  it('bounds a huge input or output and says how much it left out', () => {
    const row = toolRow(ev('tool_result', 'm', { tool: 'Read', ok: true, summary: 's', output: 'y'.repeat(25_000) }))!;
    expect(row.detail.length).toBeLessThan(20_100);
    expect(row.detail).toMatch(/… 5,000 more characters$/);
    expect(bounded('short')).toBe('short');
  });
  it('shows strings as they are', () => {
    expect(inputText('npm test')).toBe('npm test');
    expect(inputText(null)).toBe('');
  });
});

describe('retryOf', () => {
  it('reads the retry of a warning in the contract shape and in the CLI shape', () => {
    const r = retryOf(ev('system_warning', 'API retry', { retry: 3, maxRetries: 10, status: 529, reason: 'overloaded_error' }))!;
    expect(r).toEqual({ retry: 3, maxRetries: 10, status: '529', reason: 'overloaded_error' });
    expect(retryLabel(r)).toBe('retry 3 of 10 · 529');
    expect(retryOf(ev('system_warning', 'x', { attempt: 2, max_retries: 10, error_status: 500, error: 'api_error' }))).toEqual({ retry: 2, maxRetries: 10, status: '500', reason: 'api_error' });
    // The core's shape: reason names the kind of warning, error the API's word for it.
    expect(retryOf(ev('system_warning', 'x', { reason: 'api_retry', attempt: 1, maxRetries: 10, status: 529, error: 'overloaded_error' }))).toEqual({ retry: 1, maxRetries: 10, status: '529', reason: 'overloaded_error' });
  });
  it('is null for warnings that are not retries and for other types', () => {
    expect(retryOf(ev('system_warning', 'disk almost full', { path: '/x' }))).toBeNull();
    expect(retryOf(ev('system_warning', 'no data'))).toBeNull();
    expect(retryOf(ev('system_error', 'x', { retry: 1 }))).toBeNull();
  });
  it('adds a chip only when the message does not already say which retry it is', () => {
    const data = { attempt: 2, maxRetries: 10, status: 529 };
    expect(retryChip(ev('system_warning', 'Claude Code: API error (529 overloaded_error), retry 2 of 10', data))).toBeNull();
    expect(retryChip(ev('system_warning', 'The API is overloaded', data))).toBe('retry 2 of 10 · 529');
    expect(retryChip(ev('system_warning', 'disk almost full'))).toBeNull();
  });
  it('labels only what the event carries', () => {
    expect(retryLabel({ retry: 1, maxRetries: null, status: null, reason: null })).toBe('retry 1');
    expect(retryLabel({ retry: null, maxRetries: null, status: '429', reason: null })).toBe('429');
  });
});

describe('safeLink', () => {
  it('lets http(s) links out and nothing else', () => {
    expect(safeLink('https://example.com/a?b=1')).toBe('https://example.com/a?b=1');
    expect(safeLink('http://example.com')).toBe('http://example.com/');
    for (const bad of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'file:///etc/passwd', 'data:text/html,hi', '/relative', '#top', 'https://user:pw@example.com', '', undefined]) {
      expect(safeLink(bad)).toBeNull();
    }
  });
});

describe('clip', () => {
  it('keeps short text whole', () => {
    expect(clip('a\nb', 100, 10)).toEqual({ text: 'a\nb', cut: false });
  });
  it('cuts at the line limit', () => {
    const s = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n');
    const { text, cut } = clip(s, 10_000, 5);
    expect(cut).toBe(true);
    expect(text.split('\n')).toHaveLength(5);
  });
  it('cuts at a line end near the character limit, or mid-line when a line is huge', () => {
    const s = `${'a'.repeat(80)}\n${'b'.repeat(80)}`;
    expect(clip(s, 100, 50)).toEqual({ text: 'a'.repeat(80), cut: true });
    expect(clip('x'.repeat(500), 100, 50)).toEqual({ text: 'x'.repeat(100), cut: true });
  });
});
