// Claude Code's `--output-format stream-json --verbose`: one JSON record per line.
//   system/init            session_id (and tools, model)          -> session
//   system/api_retry       attempt, max_retries, error_status     -> system_warning, or fatal (401/403)
//   assistant              message.content: text, tool_use        -> agent_message, tool_call; usage so far
//   user                   message.content: tool_result           -> tool_result
//   result                 result, is_error, total_cost_usd, usage -> answer or failure; usage with cost;
//                          permission_denials                    -> refused (rule 11)
//   control_request        can_use_tool (--permission-prompt-tool stdio): read by the stage's permission channel
// The figures of a result are the session's totals: a resumed session's (`--resume`) include
// the runs before. The parser reports session totals throughout; `base` is what the session had
// before this run, so the live figures between results are on the same footing.
// Record shapes as written by Claude Code 2.1.332 (test/agents/recorded/claude-*.jsonl).
import type { Usage } from '../../../../shared/events';
import type { RecordParser, StreamSink } from '../types';
import { MAX_TOOL_OUTPUT_CHARS, oneLine, splitMessage, toolCallSummary, toolResultSummary, truncate, truncateValue } from '../summaries';

export const CLAUDE = 'Claude Code';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.round(v) : 0);

/** Errors that no retry can fix: the key or its permissions. */
export function isAuthFailure(status: unknown, error: unknown): boolean {
  return status === 401 || status === 403 || error === 'authentication_failed' || error === 'authentication_error' || error === 'permission_error';
}

export function claudeAuthReason(status: unknown, error: unknown): string {
  const what = [typeof status === 'number' ? String(status) : '', typeof error === 'string' ? error : ''].filter(Boolean).join(' ');
  return status === 403 || error === 'permission_error'
    ? `${CLAUDE}: the API denied access (${what}); check that ANTHROPIC_API_KEY may use this model`
    : `${CLAUDE}: the API refused the key (${what}); check ANTHROPIC_API_KEY`;
}

export class ClaudeStreamParser implements RecordParser {
  /** tool_use id -> what was called, to name its result. */
  private readonly calls = new Map<string, { tool: string; summary: string }>();
  /** Usage of each assistant message so far, by message id (a message comes as several records). */
  private readonly messages = new Map<string, Usage>();
  /** The plan of the last ExitPlanMode call (plan mode): the answer when the result text is empty. */
  private exitPlan: string | null = null;
  /** The session's totals at its last result (or when this run started). */
  private settled: Usage;

  constructor(
    private readonly sink: StreamSink,
    private readonly cwd?: string,
    base?: Usage | null,
  ) {
    this.settled = base ? { ...base } : { inputTokens: 0, outputTokens: 0, cachedTokens: 0, costUsd: null };
  }

  record(r: Obj, line: string): void {
    switch (r.type) {
      case 'system':
        return this.system(r, line);
      case 'assistant':
        return this.assistant(r);
      case 'user':
        return this.user(r);
      case 'result':
        return this.result(r);
      case 'stream_event':
      case 'rate_limit_event':
      case 'control_request': // a tool request: the stage's permission channel answers it
      case 'control_response':
        return; // partial deltas and rate-limit notices: the whole message and api_retry say it better
      default:
        this.sink.unknown(line);
    }
  }

  private system(r: Obj, line: string): void {
    if (typeof r.session_id === 'string' && r.subtype === 'init') this.sink.session(r.session_id);
    if (r.subtype === 'init') return;
    if (r.subtype === 'api_retry') {
      if (isAuthFailure(r.error_status, r.error)) return this.sink.fatal(claudeAuthReason(r.error_status, r.error));
      const status = [r.error_status, r.error].filter((x) => x !== undefined && x !== null && x !== '').join(' ');
      const delay = typeof r.retry_delay_ms === 'number' ? `; next try in ${(r.retry_delay_ms / 1000).toFixed(1)} s` : '';
      this.sink.event({
        type: 'system_warning',
        message: `${CLAUDE}: API error${status ? ` (${status})` : ''}, retry ${String(r.attempt ?? '?')} of ${String(r.max_retries ?? '?')}${delay}`,
        data: { reason: 'api_retry', attempt: r.attempt, maxRetries: r.max_retries, status: r.error_status ?? null, error: r.error ?? null, retryDelayMs: r.retry_delay_ms ?? null },
      });
      return;
    }
    this.sink.unknown(line);
  }

  private assistant(r: Obj): void {
    const message = obj(r.message);
    if (!message) return;
    const content = Array.isArray(message.content) ? message.content : [];
    for (const raw of content) {
      const block = obj(raw);
      if (!block) continue;
      if (block.type === 'text' && typeof block.text === 'string' && block.text.trim()) {
        for (const part of splitMessage(block.text)) this.sink.event({ type: 'agent_message', message: part });
      } else if (block.type === 'tool_use' && typeof block.name === 'string') {
        const summary = toolCallSummary(block.name, block.input, this.cwd);
        if (typeof block.id === 'string') this.calls.set(block.id, { tool: block.name, summary });
        const plan = obj(block.input)?.plan;
        if (block.name === 'ExitPlanMode' && typeof plan === 'string' && plan.trim()) this.exitPlan = plan;
        this.sink.event({ type: 'tool_call', message: summary, data: { tool: block.name, summary, input: truncateValue(block.input ?? null) } });
      }
    }
    const usage = obj(message.usage);
    if (usage && typeof message.id === 'string') {
      this.messages.set(message.id, {
        inputTokens: num(usage.input_tokens) + num(usage.cache_creation_input_tokens),
        outputTokens: num(usage.output_tokens),
        cachedTokens: num(usage.cache_read_input_tokens),
        costUsd: null,
      });
      this.sink.usage(this.totals());
    }
  }

  private user(r: Obj): void {
    const content = obj(r.message)?.content;
    if (!Array.isArray(content)) return;
    for (const raw of content) {
      const block = obj(raw);
      if (block?.type !== 'tool_result') continue;
      const call = typeof block.tool_use_id === 'string' ? this.calls.get(block.tool_use_id) : undefined;
      const ok = block.is_error !== true;
      const output = truncate(resultText(block.content), MAX_TOOL_OUTPUT_CHARS);
      const tool = call?.tool ?? 'tool';
      const summary = toolResultSummary(ok, output);
      this.sink.event({ type: 'tool_result', message: `${call?.summary ?? tool}: ${summary}`, data: { tool, ok, summary, output } });
    }
  }

  private result(r: Obj): void {
    for (const raw of Array.isArray(r.permission_denials) ? r.permission_denials : []) {
      const d = obj(raw);
      if (d && typeof d.tool_name === 'string') {
        this.sink.refused({ tool: d.tool_name, input: truncateValue(d.tool_input ?? null), toolUseId: typeof d.tool_use_id === 'string' ? d.tool_use_id : null });
      }
    }
    const cost = typeof r.total_cost_usd === 'number' && Number.isFinite(r.total_cost_usd) && r.total_cost_usd >= 0 ? r.total_cost_usd : null;
    this.settled = { ...resultUsage(r), costUsd: cost ?? this.settled.costUsd };
    this.messages.clear();
    this.sink.usage(this.totals());
    if (typeof r.session_id === 'string') this.sink.session(r.session_id);
    if (r.is_error === true || (typeof r.subtype === 'string' && r.subtype.startsWith('error'))) {
      if (isAuthFailure(r.api_error_status, undefined)) return this.sink.fatal(claudeAuthReason(r.api_error_status, 'api error'));
      const errors = Array.isArray(r.errors) ? r.errors.filter((e): e is string => typeof e === 'string') : [];
      const text = errors.join('; ') || (typeof r.result === 'string' && r.result.trim()) || String(r.subtype ?? 'error');
      this.sink.failure(`${CLAUDE}: ${oneLine(text, 500)}`);
      return;
    }
    // In plan mode the plan may come as ExitPlanMode's input, with nothing left for the result text.
    const text = typeof r.result === 'string' ? r.result : '';
    if (text.trim() || this.exitPlan) this.sink.answer(text.trim() ? text : this.exitPlan!);
  }

  private totals(): Usage {
    let t = { ...this.settled };
    for (const u of this.messages.values()) {
      t = { ...t, inputTokens: t.inputTokens + u.inputTokens, outputTokens: t.outputTokens + u.outputTokens, cachedTokens: t.cachedTokens + u.cachedTokens };
    }
    return t;
  }
}

/** A result's tokens: per model (`modelUsage`, right even when `usage` is zero) else `usage`. */
function resultUsage(r: Obj): Omit<Usage, 'costUsd'> {
  const models = obj(r.modelUsage);
  if (models && Object.keys(models).length > 0) {
    const t = { inputTokens: 0, outputTokens: 0, cachedTokens: 0 };
    for (const m of Object.values(models)) {
      const u = obj(m);
      if (!u) continue;
      t.inputTokens += num(u.inputTokens) + num(u.cacheCreationInputTokens);
      t.outputTokens += num(u.outputTokens);
      t.cachedTokens += num(u.cacheReadInputTokens);
    }
    return t;
  }
  const u = obj(r.usage) ?? {};
  return {
    inputTokens: num(u.input_tokens) + num(u.cache_creation_input_tokens),
    outputTokens: num(u.output_tokens),
    cachedTokens: num(u.cache_read_input_tokens),
  };
}

/** A tool_result's content: a string, or blocks of text (images are named, not kept). */
function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((c) => {
      const b = obj(c);
      if (b?.type === 'text' && typeof b.text === 'string') return b.text;
      return b?.type ? `[${String(b.type)}]` : '';
    })
    .join('\n');
}
