// What the window reads from the events of structured agent streams (docs/design.md §2): tool calls,
// tool results and API retries. Data is read defensively: the core adds fields as the CLIs do,
// and a row must render whatever arrives. Pure, unit-tested.
import type { WorkflowEvent } from '../../../shared/events';

export interface ToolRowModel {
  kind: 'call' | 'result';
  tool: string;
  summary: string;
  /** The summary without the tool's name it starts with ("Bash: npm test" -> "npm test"): shown after the tool. */
  rest: string;
  /** Result rows: did the tool succeed? Null for calls (and results that do not say). */
  ok: boolean | null;
  /** The input (calls) or output (results) as text to show when the row is expanded; '' = none. */
  detail: string;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

/** How much of a tool's input or output an expanded row shows (the core truncates too). */
export const DETAIL_LIMIT = 20_000;

export function bounded(s: string, limit = DETAIL_LIMIT): string {
  return s.length <= limit ? s : `${s.slice(0, limit)}\n… ${(s.length - limit).toLocaleString('en-US')} more characters`;
}

/**
 * A tool's input as a person reads it: strings as they are; an object as `key: value` lines, a
 * multi-line string (a file's content, a script) as an indented block instead of a JSON string
 * full of \n; anything nested as indented JSON.
 */
export function inputText(input: unknown): string {
  if (input === undefined || input === null) return '';
  if (typeof input === 'string') return input;
  if (typeof input !== 'object' || Array.isArray(input)) return json(input);
  const lines: string[] = [];
  for (const [key, value] of Object.entries(input)) {
    if (typeof value === 'string' && value.includes('\n')) lines.push(`${key}:`, ...value.replace(/\n$/, '').split('\n').map((l) => `  ${l}`));
    else if (typeof value === 'string') lines.push(`${key}: ${value}`);
    else if (value === null || typeof value !== 'object') lines.push(`${key}: ${String(value)}`);
    else lines.push(`${key}: ${json(value).replace(/\n/g, '\n  ')}`);
  }
  return lines.join('\n');
}

function json(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

export function toolRow(event: WorkflowEvent): ToolRowModel | null {
  if (event.type !== 'tool_call' && event.type !== 'tool_result') return null;
  const d = event.data ?? {};
  const call = event.type === 'tool_call';
  const tool = text(d.tool) ?? 'tool';
  // A call's summary says what it does ("Write hello.txt"); a result's message also names the
  // call it answers ("Write hello.txt: File created…"), which its summary alone does not.
  const summary = call ? (text(d.summary) ?? event.message) : (text(event.message) ?? text(d.summary) ?? '');
  return {
    kind: call ? 'call' : 'result',
    tool,
    summary,
    rest: summary.toLowerCase().startsWith(tool.toLowerCase()) ? summary.slice(tool.length).replace(/^[\s:]+/, '') : summary,
    ok: call ? null : typeof d.ok === 'boolean' ? d.ok : null,
    detail: bounded(call ? inputText(d.input) : inputText(d.output)),
  };
}

export interface RetryInfo {
  retry: number | null;
  maxRetries: number | null;
  status: string | null;
  reason: string | null;
}

const num = (...vs: unknown[]): number | null => {
  for (const v of vs) if (typeof v === 'number' && Number.isFinite(v)) return v;
  return null;
};
const str = (...vs: unknown[]): string | null => {
  for (const v of vs) {
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    if (typeof v === 'string' && v.trim() !== '') return v;
  }
  return null;
};

/** An API retry reported as a `system_warning` (`{retry, maxRetries, status, reason}` or close). */
export function retryOf(event: WorkflowEvent): RetryInfo | null {
  if (event.type !== 'system_warning' || !event.data) return null;
  const d = event.data;
  const info: RetryInfo = {
    retry: num(d.retry, d.attempt),
    maxRetries: num(d.maxRetries, d.max_retries),
    status: str(d.status, d.errorStatus, d.error_status),
    reason: str(d.error, d.reason),
  };
  return info.retry === null && info.status === null ? null : info;
}

/** The chip of a retry row: only when the message does not already say which retry it is. */
export function retryChip(event: WorkflowEvent): string | null {
  const r = retryOf(event);
  if (!r) return null;
  if (r.retry !== null && new RegExp(`\\bretry ${r.retry}\\b`, 'i').test(event.message)) return null;
  return retryLabel(r) || null;
}

/** "retry 3 of 10 · 529" — only the parts the event carries. */
export function retryLabel(r: RetryInfo): string {
  const parts: string[] = [];
  if (r.retry !== null) parts.push(r.maxRetries !== null ? `retry ${r.retry} of ${r.maxRetries}` : `retry ${r.retry}`);
  if (r.status !== null) parts.push(r.status);
  return parts.join(' · ');
}

/** Links in agent text may open outside the app: http(s) only, with a host and no credentials. */
export function safeLink(href: string | undefined): string | null {
  if (!href) return null;
  let u: URL;
  try {
    u = new URL(href);
  } catch {
    return null;
  }
  return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '' && u.username === '' && u.password === '' ? u.href : null;
}

/** Long agent text, cut for the collapsed row at a line end near `limit` characters or `lines` lines. */
export function clip(s: string, limit: number, lines: number): { text: string; cut: boolean } {
  let end = Math.min(s.length, limit);
  let nl = -1;
  for (let i = 0, seen = 0; i < end; i++) {
    if (s.charCodeAt(i) === 10 && ++seen === lines) {
      nl = i;
      break;
    }
  }
  if (nl >= 0) end = nl;
  else if (end < s.length) {
    const last = s.lastIndexOf('\n', end);
    if (last > end / 2) end = last;
  }
  return end >= s.length ? { text: s, cut: false } : { text: s.slice(0, end), cut: true };
}
