// Codex CLI's `codex exec --json`: one JSON event per line.
//   thread.started {thread_id}                           -> session
//   item.started / item.completed {item}                 -> by item.type:
//     agent_message {text}                               -> agent_message (the last one is the answer)
//     reasoning {text}                                   -> agent_message marked as reasoning
//     command_execution {command, aggregated_output, exit_code, status} -> tool_call, tool_result
//     file_change {changes: [{path, kind}], status}      -> tool_call, tool_result
//     mcp_tool_call {server, tool, arguments, result, error, status}    -> tool_call, tool_result
//     web_search {query}                                 -> tool_call, tool_result
//     error {message}                                    -> system_warning
//   turn.completed {usage}                               -> usage (the thread's totals, resumed runs included)
//   turn.failed {error: {message}}                       -> failure
//   error {message} ("Reconnecting... n/m (…)")          -> system_warning, or fatal (401/403)
// Shapes as written by Codex CLI 0.171.0 (test/agents/recorded/codex-*.jsonl).
import type { Usage } from '../../../../shared/events';
import type { RecordParser, StreamSink } from '../types';
import { displayPath, MAX_TOOL_OUTPUT_CHARS, oneLine, splitMessage, toolResultSummary, truncate, truncateValue } from '../summaries';

export const CODEX = 'Codex CLI';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.round(v) : 0);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The HTTP status an error message names ("unexpected status 401 Unauthorized: …"). */
export function statusIn(message: string): number | null {
  const m = /\b(?:status|HTTP)\s*:?\s*(\d{3})\b/i.exec(message);
  return m ? Number(m[1]) : null;
}

export function codexAuthReason(status: number, message: string): string {
  const what = /\b\d{3}\s+[A-Za-z ]+?(?=[:,(]|$)/.exec(message)?.[0]?.trim() ?? String(status);
  return status === 403
    ? `${CODEX}: the API denied access (${what}); check that the API key may use this model`
    : `${CODEX}: the API refused the key (${what}); check OPENAI_API_KEY (or the env_key of your model provider, or \`codex login\`)`;
}

/** `/bin/bash -lc "npm test"` -> `npm test`: the command as the model wrote it. */
export function innerCommand(command: string): string {
  const m = /^(?:\S*\/)?(?:ba|z)?sh\s+-l?c\s+(["'])([\s\S]*)\1$/.exec(command.trim());
  if (!m) return command;
  return m[1] === '"' ? m[2]!.replace(/\\(["\\$`])/g, '$1') : m[2]!;
}

export class CodexJsonParser implements RecordParser {
  /** Items whose tool_call went out (at item.started), so item.completed adds only the result. */
  private readonly announced = new Set<string>();
  private turns: Usage = { inputTokens: 0, outputTokens: 0, cachedTokens: 0, costUsd: null };

  constructor(
    private readonly sink: StreamSink,
    private readonly cwd?: string,
  ) {}

  record(r: Obj, line: string): void {
    switch (r.type) {
      case 'thread.started':
        if (typeof r.thread_id === 'string') this.sink.session(r.thread_id);
        return;
      case 'turn.started':
        return;
      case 'item.started':
      case 'item.updated':
      case 'item.completed': {
        const item = obj(r.item);
        if (!item) return this.sink.unknown(line);
        return this.item(item, r.type === 'item.completed', line);
      }
      case 'turn.completed':
        return this.turnCompleted(obj(r.usage));
      case 'turn.failed': {
        const message = str(obj(r.error)?.message) || 'the turn failed';
        const status = statusIn(message);
        if (status === 401 || status === 403) return this.sink.fatal(codexAuthReason(status, message));
        return this.sink.failure(`${CODEX}: ${oneLine(message, 500)}`);
      }
      case 'error':
        return this.error(str(r.message));
      default:
        this.sink.unknown(line);
    }
  }

  private error(message: string): void {
    const status = statusIn(message);
    if (status === 401 || status === 403) return this.sink.fatal(codexAuthReason(status, message));
    const retry = /^Reconnecting\.\.\.\s*(\d+)\s*\/\s*(\d+)\s*(?:\(([\s\S]*)\))?/.exec(message);
    if (retry) {
      this.sink.event({
        type: 'system_warning',
        message: `${CODEX}: API error${retry[3] ? ` (${oneLine(retry[3], 200)})` : ''}, retry ${retry[1]} of ${retry[2]}`,
        data: { reason: 'api_retry', attempt: Number(retry[1]), maxRetries: Number(retry[2]), status, error: retry[3] ?? null },
      });
      return;
    }
    this.sink.event({ type: 'system_warning', message: `${CODEX}: ${oneLine(message, 500)}`, data: { reason: 'api_error', status, error: message } });
  }

  private item(item: Obj, completed: boolean, line: string): void {
    const id = str(item.id);
    switch (item.type) {
      case 'agent_message': {
        if (!completed) return;
        const text = str(item.text);
        if (!text.trim()) return;
        for (const part of splitMessage(text)) this.sink.event({ type: 'agent_message', message: part });
        this.sink.answer(text);
        return;
      }
      case 'reasoning': {
        if (!completed || !str(item.text).trim()) return;
        for (const part of splitMessage(str(item.text))) this.sink.event({ type: 'agent_message', message: part, data: { reasoning: true } });
        return;
      }
      case 'error':
        if (completed) this.sink.event({ type: 'system_warning', message: `${CODEX}: ${oneLine(str(item.message), 500)}`, data: { reason: 'cli_notice' } });
        return;
      case 'todo_list':
        return; // the plan checklist is re-sent on every change; the messages carry the substance
      case 'command_execution': {
        const command = innerCommand(str(item.command));
        return this.tool(id, completed, 'Bash', oneLine(`Bash: ${command}`), { command: str(item.command) }, () => {
          const exit = typeof item.exit_code === 'number' ? item.exit_code : null;
          const ok = item.status === 'completed' && (exit === null || exit === 0);
          const output = str(item.aggregated_output);
          const why = ok ? '' : exit !== null ? `exit ${exit}` : str(item.status) || 'failed';
          return { ok, output, summary: ok ? toolResultSummary(true, output) : oneLine(`${why}${output.trim() ? `: ${output.trim()}` : ''}`) };
        });
      }
      case 'file_change': {
        const changes = Array.isArray(item.changes) ? item.changes.map(obj).filter((c): c is Obj => !!c) : [];
        const paths = changes.map((c) => displayPath(str(c.path), this.cwd));
        const verb = changes.length === 1 ? ({ add: 'Create', delete: 'Delete' } as Record<string, string>)[str(changes[0]!.kind)] ?? 'Edit' : 'Edit';
        const summary = oneLine(`${verb} ${paths.join(', ') || '(no files)'}`);
        return this.tool(id, completed, 'apply_patch', summary, { changes }, () => {
          const ok = item.status !== 'failed';
          return { ok, output: changes.map((c) => `${str(c.kind)} ${str(c.path)}`).join('\n'), summary: ok ? `${changes.length} file${changes.length === 1 ? '' : 's'} changed` : 'patch failed' };
        });
      }
      case 'mcp_tool_call': {
        const tool = `${str(item.server)}.${str(item.tool)}`;
        return this.tool(id, completed, tool, oneLine(tool), item.arguments ?? null, () => {
          const error = str(obj(item.error)?.message);
          const ok = item.status !== 'failed' && !error;
          const output = error || safeJson(item.result);
          return { ok, output, summary: toolResultSummary(ok, output) };
        });
      }
      case 'web_search':
        return this.tool(id, completed, 'WebSearch', oneLine(`WebSearch: ${str(item.query)}`), { query: str(item.query) }, () => ({ ok: true, output: '', summary: 'searched' }));
      default:
        if (completed) this.sink.unknown(line);
    }
  }

  /** A tool_call when the item starts (or, if it never said so, when it completes), then its tool_result. */
  private tool(id: string, completed: boolean, tool: string, summary: string, input: unknown, result: () => { ok: boolean; output: string; summary: string }): void {
    if (!this.announced.has(id)) {
      this.announced.add(id);
      this.sink.event({ type: 'tool_call', message: summary, data: { tool, summary, input: truncateValue(input) } });
    }
    if (!completed) return;
    this.announced.delete(id);
    const r = result();
    const output = truncate(r.output, MAX_TOOL_OUTPUT_CHARS);
    this.sink.event({ type: 'tool_result', message: `${summary}: ${r.summary}`, data: { tool, ok: r.ok, summary: r.summary, output } });
  }

  private turnCompleted(usage: Obj | undefined): void {
    if (!usage) return;
    const cached = num(usage.cached_input_tokens);
    // The thread's totals so far (a resumed thread's include its earlier runs). Codex counts
    // cached tokens inside input_tokens; Usage keeps them apart.
    this.turns = {
      inputTokens: Math.max(0, num(usage.input_tokens) - cached),
      outputTokens: num(usage.output_tokens),
      cachedTokens: cached,
      costUsd: null,
    };
    this.sink.usage({ ...this.turns });
  }
}

function safeJson(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}
