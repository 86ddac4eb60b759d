import { createElement, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { WorkflowEvent } from '../../../shared/events';
import { createApp } from '../state/app';
import { event, FakeClient } from '../testing/fakeClient';
import { AppContext } from '../state/hooks';
import { agentEventBody } from './AgentEventBody';
import { MESSAGE_CHARS } from './AgentMessage';

const app = createApp(new FakeClient(), { schedule: (run) => run() });
const html = (node: ReactNode) => renderToStaticMarkup(createElement(AppContext.Provider, { value: app }, node));
const body = (over: Partial<WorkflowEvent>) => html(agentEventBody(event('w1', 1, over)));

describe('agentEventBody', () => {
  it('renders an agent message as markdown', () => {
    expect(body({ type: 'agent_message', message: 'I will:\n\n- read\n- `write`' })).toContain('<ul>\n<li>read</li>\n<li><code>write</code></li>\n</ul>');
  });
  it('bounds a long message behind a "Show all" button', () => {
    const out = body({ type: 'agent_message', message: 'word '.repeat(MESSAGE_CHARS) });
    expect(out).toMatch(/<button[^>]*aria-expanded="false"[^>]*>Show all \([\d,]+ more characters\)<\/button>/);
    expect(out.length).toBeLessThan(MESSAGE_CHARS * 2);
  });
  it('renders a tool call as a collapsed button naming the tool and the summary', () => {
    const out = body({ type: 'tool_call', message: 'Write hello.txt', data: { tool: 'Write', summary: 'Write hello.txt', input: { file_path: 'hello.txt' } } });
    expect(out).toMatch(/<button type="button" class="tool-line tool-toggle" aria-expanded="false"/);
    expect(out).toContain('<span class="tool-name">Write</span><span class="tool-summary">hello.txt</span>');
    expect(out).not.toContain('file_path'); // the input shows only once opened
  });
  it('marks a tool result ✓ or ✗, in words too', () => {
    const ok = body({ type: 'tool_result', message: 'm', data: { tool: 'Bash', ok: true, summary: 'exit 0', output: 'fine' } });
    expect(ok).toContain('✓');
    expect(ok).toContain('succeeded: ');
    const failed = body({ type: 'tool_result', message: 'm', data: { tool: 'Bash', ok: false, summary: 'exit 1', output: 'boom' } });
    expect(failed).toContain('<span class="tool-mark tool-failed" aria-hidden="true">✗</span>');
    expect(failed).toContain('failed: ');
  });
  it('renders a tool row without anything to open as a plain line', () => {
    expect(body({ type: 'tool_result', message: 'm', data: { tool: 'Bash', ok: true, summary: 'exit 0', output: '' } })).not.toContain('<button');
  });
  it('renders usage from its data and falls back to the message on another shape', () => {
    expect(body({ type: 'usage', message: 'usage', data: { inputTokens: 1200, outputTokens: 300, cachedTokens: 0, costUsd: 0.0042 } })).toContain('$0.0042 · 1.5k tokens');
    expect(agentEventBody(event('w1', 1, { type: 'usage', data: { tokens: 'many' } }))).toBeNull();
  });
  it('renders an API retry in the warning colour with its attempt and status', () => {
    const out = body({ type: 'system_warning', message: 'Claude Code: the API is overloaded', data: { retry: 2, maxRetries: 10, status: 529, reason: 'overloaded_error' } });
    expect(out).toContain('class="ev-msg warn-text"');
    expect(out).toContain('<span class="ev-chip">retry 2 of 10 · 529</span>');
    expect(body({ type: 'system_warning', message: 'disk almost full' })).toBe('<span class="ev-msg warn-text">disk almost full</span>');
  });
  it('leaves every other type to the plain row', () => {
    expect(agentEventBody(event('w1', 1, { type: 'agent_output' }))).toBeNull();
    expect(agentEventBody(event('w1', 1, { type: 'file_created' }))).toBeNull();
  });
});
