// One-line summaries a person reads ("Write hello.txt", "Bash: npm test") and the bounds that
// keep a tool's input and output, or a long message, from bloating the log.
import { isAbsolute, relative, sep } from 'node:path';

export const MAX_SUMMARY_CHARS = 160;
/** A tool's output kept in its tool_result event. */
export const MAX_TOOL_OUTPUT_CHARS = 4_000;
/** Any one string kept in a tool_call's input. */
export const MAX_INPUT_STRING_CHARS = 2_000;
/** One agent_message event; longer texts are split over several. */
export const MAX_MESSAGE_CHARS = 16_000;

/** The first line of `text`, at most `max` characters, with an ellipsis where cut. */
export function oneLine(text: string, max = MAX_SUMMARY_CHARS): string {
  const trimmed = text.trim();
  const nl = trimmed.indexOf('\n');
  const first = nl >= 0 ? trimmed.slice(0, nl).trimEnd() : trimmed;
  const cut = first.length > max ? `${first.slice(0, max - 1)}…` : first;
  return nl >= 0 && cut === first ? `${cut} …` : cut;
}

/** `text` bounded to `max` characters, saying how much was left out. */
export function truncate(text: string, max = MAX_TOOL_OUTPUT_CHARS): string {
  return text.length > max ? `${text.slice(0, max)}\n… [${text.length - max} more characters]` : text;
}

/** A JSON value with long strings cut and long arrays and objects shortened (a tool's input). */
export function truncateValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return truncate(value, MAX_INPUT_STRING_CHARS);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 6) return '[…]';
  if (Array.isArray(value)) {
    const head = value.slice(0, 50).map((v) => truncateValue(v, depth + 1));
    return value.length > 50 ? [...head, `[… ${value.length - 50} more]`] : head;
  }
  const out: Record<string, unknown> = {};
  const entries = Object.entries(value);
  for (const [k, v] of entries.slice(0, 50)) out[k] = truncateValue(v, depth + 1);
  if (entries.length > 50) out['…'] = `${entries.length - 50} more keys`;
  return out;
}

/** Splits a long message into pieces of at most MAX_MESSAGE_CHARS, preferring paragraph and line ends. */
export function splitMessage(text: string, max = MAX_MESSAGE_CHARS): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n\n', max);
    if (cut < max / 2) cut = rest.lastIndexOf('\n', max);
    if (cut < max / 2) cut = max;
    // Never cut a surrogate pair.
    if (/[\uD800-\uDBFF]/.test(rest[cut - 1] ?? '')) cut -= 1;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n+/, '');
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

/** A path as the user knows it: relative to the worktree when inside it. */
export function displayPath(path: string, cwd: string | undefined): string {
  if (!cwd || !isAbsolute(path)) return path;
  const rel = relative(cwd, path);
  return rel && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel) ? rel : path;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);

/** "Write hello.txt", "Bash: npm test", "Edit src/a.ts": what a tool call does, in one line. */
export function toolCallSummary(tool: string, input: unknown, cwd?: string): string {
  const o = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const path = str(o.file_path) ?? str(o.notebook_path) ?? str(o.path);
  switch (tool) {
    case 'Bash':
      return oneLine(`Bash: ${str(o.command) ?? str(o.description) ?? ''}`);
    case 'Write':
    case 'Edit':
    case 'MultiEdit':
    case 'Read':
    case 'NotebookEdit':
      return oneLine(path ? `${tool} ${displayPath(path, cwd)}` : tool);
    case 'Grep':
    case 'Glob':
      return oneLine(`${tool}: ${str(o.pattern) ?? ''}${path ? ` in ${displayPath(path, cwd)}` : ''}`);
    case 'WebFetch':
      return oneLine(`WebFetch: ${str(o.url) ?? ''}`);
    case 'WebSearch':
      return oneLine(`WebSearch: ${str(o.query) ?? ''}`);
    case 'Task':
    case 'Agent':
      return oneLine(`${tool}: ${str(o.description) ?? str(o.prompt) ?? ''}`);
    case 'TodoWrite':
      return Array.isArray(o.todos) ? `TodoWrite: ${o.todos.length} item${o.todos.length === 1 ? '' : 's'}` : 'TodoWrite';
    default: {
      if (path) return oneLine(`${tool} ${displayPath(path, cwd)}`);
      const first = Object.values(o).find((v) => typeof v === 'string' && v.trim()) as string | undefined;
      return oneLine(first ? `${tool}: ${first}` : tool);
    }
  }
}

/** What a tool result says, in one line: its first line, or that it gave nothing. */
export function toolResultSummary(ok: boolean, output: string): string {
  const line = oneLine(output);
  if (line) return ok ? line : `Error: ${line}`;
  return ok ? 'done (no output)' : 'failed (no output)';
}
