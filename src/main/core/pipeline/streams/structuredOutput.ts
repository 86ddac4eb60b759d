// A stage's stdout in a CLI's structured format (a stage's `output`, read by that CLI's adapter
// in core/agents): lines are parsed as they arrive into typed events (agent_message, tool_call, tool_result, usage,
// system_warning); what does not parse goes on as agent_output through the stage's
// OutputCollector, whose budget also bounds the typed events. It also keeps what the stage's
// outcome needs: the final answer, the CLI's own failure message, the session id, and a fatal
// error (authentication) that must stop the stage at once.
import type { EventDraft, Usage } from '../../../../shared/events';
import { usageLine } from '../../../../shared/format';
import type { PermissionChannel, RecordParser, StreamFormat, StreamSink } from '../../agents/types';
import type { PermissionGate } from '../../runner';
import { TailBuffer } from '../bytes';
import { EmitQueue } from '../emitQueue';
import type { OutputCollector } from '../outputCollector';
import { StdoutPlan } from '../planCapture';
import type { StageEvidence } from '../stageOutcome';
import { LineSplitter } from './lineSplitter';

export interface StructuredOutputOptions {
  /** The CLI's format, from its adapter. */
  stream: StreamFormat;
  agent: string;
  stage: string;
  /** The worktree: tool summaries name paths relative to it. */
  cwd: string;
  emit(draft: EventDraft): Promise<unknown>;
  /** Unparsed lines go here, and typed events are charged to its budget. */
  collector: OutputCollector;
  /** The stage's usage totals so far, each time they change. */
  onUsage?(totals: Usage): void;
  /** The session this stage resumes and its totals before: the CLIs count a resumed session's usage from its start. */
  resumed?: { sessionId: string; usage: Usage } | null;
  /** An error retrying cannot fix: the caller stops the stage. Called once. */
  onFatal?(reason: string): void;
  /** Called with true to pause stdout while too many events wait for their commit. */
  onPressure?(paused: boolean): void;
  maxInFlight?: number;
  /** Rule 11: the CLI's tool requests, read from its stream and answered on its stdin. */
  permissions?: StagePermissionIo | null;
  /** Where the CLI's own refusals go (permission_denials), when no channel is open. */
  refusals?: PermissionGate | null;
}

/** A permission channel opened for this stage: the CLI's format, who decides, and its stdin. */
export interface StagePermissionIo {
  channel: PermissionChannel;
  gate: PermissionGate;
  write(line: string): void;
  /** The CLI reads nothing more: closes its stdin (it then exits). */
  end(): void;
}

const TAIL_BYTES = 8 * 1024;
/** Token counts change with every message; they are reported at most this often (a cost change at once). */
export const USAGE_INTERVAL_MS = 500;

export class StructuredOutput {
  private readonly splitter: LineSplitter;
  private readonly parser: RecordParser;
  private readonly queue: EmitQueue;
  private silenced = false;
  private lastUsage = '';
  private usageTimer: NodeJS.Timeout | null = null;
  private reported: Usage | null = null;
  private lost = 0;
  /** What a person would read of the stream (messages and unparsed lines), for failure details. */
  readonly textTail = new TailBuffer(TAIL_BYTES);
  answer: string | null = null;
  /** Records parsed (0 with text on stdout: the program does not write this format). */
  records = 0;
  private textLines = 0;
  failure: string | null = null;
  fatal: string | null = null;
  sessionId: string | null = null;
  /** The stage's own totals (the session's minus what it had before this stage). */
  usage: Usage | null = null;
  /** The session's totals as the CLI last reported them. */
  sessionUsage: Usage | null = null;

  constructor(private readonly o: StructuredOutputOptions) {
    this.queue = new EmitQueue({
      emit: o.emit,
      maxInFlight: o.maxInFlight ?? 64,
      onPressure: (paused) => this.o.onPressure?.(paused),
      onClosed: () => this.silence(),
      onLost: () => this.lost++,
    });
    const sink: StreamSink = {
      event: (d) => this.send({ ...d, agent: this.o.agent }),
      usage: (u) => this.onUsage(u),
      session: (id) => (this.sessionId = id),
      answer: (text) => (this.answer = text),
      failure: (message) => (this.failure ??= message),
      fatal: (reason) => {
        if (this.fatal !== null) return;
        this.fatal = reason;
        this.send({ agent: 'system', type: 'system_error', message: reason, data: { stage: this.o.stage, reason: 'auth' } });
        this.o.onFatal?.(reason);
      },
      unknown: (line) => this.passThrough(Buffer.from(`${line}\n`)),
      refused: (request) => (this.o.permissions?.gate ?? this.o.refusals)?.refusedByCli(request),
    };
    this.parser = o.stream.parser(sink, { cwd: o.cwd, resumedUsage: o.resumed?.usage ?? null });
    this.splitter = new LineSplitter({ line: (l) => this.line(l), raw: (b) => this.passThrough(b) });
  }

  push(chunk: Buffer): void {
    if (!this.silenced) this.splitter.push(chunk);
  }

  /** The stream ended: parses a last line without newline, waits for every event's commit. */
  async finish(): Promise<void> {
    if (!this.silenced) this.splitter.end();
    this.reportUsage();
    if (this.records === 0 && this.textLines > 0 && !this.silenced) {
      this.send({ agent: 'system', type: 'system_warning', message: `Stage ${this.o.stage}: ${formatHint(this.o.stream)}`, data: { stage: this.o.stage, reason: 'not_structured' } });
    }
    await this.queue.settle();
    if (this.lost > 0 && !this.silenced) {
      this.send({ agent: 'system', type: 'system_warning', message: `Stage ${this.o.stage}: ${this.lost} event(s) of the agent's stream could not be recorded`, data: { stage: this.o.stage, reason: 'output_lost', lostEvents: this.lost } });
      await this.queue.settle();
    }
  }

  /**
   * What the stage's outcome is read from: the CLI's final answer (never the raw stream), its own
   * failure, the session; `stderr` is the last lines of the stage's stderr.
   */
  evidence(stderr: string): StageEvidence {
    const answer = (this.answer ?? '').trim();
    const session = this.sessionId ? { sessionId: this.sessionId, ...(this.sessionUsage ? { sessionUsage: this.sessionUsage } : {}) } : {};
    return {
      stderr,
      lastOutput: this.textTail.lastLines(5).trim(),
      verdict: answer,
      plan: () => {
        if (!answer) {
          const why = this.records === 0 ? `: ${formatHint(this.o.stream)}` : '';
          return { missing: `its agent gave no final answer to capture as the plan${why}` };
        }
        const plan = new StdoutPlan(); // bounded like a plan read from stdout
        plan.push(Buffer.from(answer));
        return { text: plan.text() };
      },
      failure: this.fatal ?? (this.failure ? `Stage ${this.o.stage} failed: ${this.failure}` : null),
      session,
    };
  }

  /** Nothing more goes to the log (the workflow was cancelled). */
  silence(): void {
    this.silenced = true;
    if (this.usageTimer) clearTimeout(this.usageTimer);
    this.usageTimer = null;
    this.queue.release();
  }

  private line(text: string): void {
    const trimmed = text.trim();
    if (trimmed.startsWith('{')) {
      let value: unknown;
      try {
        value = JSON.parse(trimmed);
      } catch {
        value = undefined;
      }
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        this.records++;
        const record = value as Record<string, unknown>;
        const ask = this.o.permissions?.channel.request(record);
        if (ask) return this.ask(ask);
        try {
          this.parser.record(record, text);
        } catch {
          // A record of a shape no version wrote yet must not stop the stage: keep it as it came.
          this.passThrough(Buffer.from(`${text}\n`));
        }
        if (this.o.permissions?.channel.ends(record)) this.o.permissions.end();
        return;
      }
    }
    if (trimmed) {
      this.textLines++;
      this.passThrough(Buffer.from(`${text}\n`));
    }
  }

  /** A tool request: decided by the gate (rules, the person, a stop), answered on the CLI's stdin by its id. */
  private ask(a: { id: string; tool: string; input: unknown; toolUseId: string | null }): void {
    const io = this.o.permissions!;
    void io.gate.ask({ tool: a.tool, input: a.input, toolUseId: a.toolUseId }).then(
      (answer) => io.write(io.channel.answer(a.id, a.input, answer)),
      (e: unknown) => io.write(io.channel.answer(a.id, a.input, { allow: false, message: `Switchyard could not decide: ${(e as Error).message}` })),
    );
  }

  private passThrough(bytes: Buffer): void {
    this.textTail.push(bytes);
    this.o.collector.push('stdout', bytes);
  }

  private onUsage(session: Usage): void {
    this.sessionUsage = session;
    // A CLI that did not resume the session after all (it started a new one) counts from zero.
    const r = this.o.resumed;
    const u = r && (this.sessionId === null || this.sessionId === r.sessionId) ? subtract(session, r.usage) : session;
    this.usage = u;
    if (this.silenced) return;
    if (u.costUsd !== (this.reported?.costUsd ?? null)) return this.reportUsage();
    this.usageTimer ??= setTimeout(() => this.reportUsage(), USAGE_INTERVAL_MS);
  }

  /** The workflow's totals (and its budget) and the log learn of the latest figures, even past the output budget. */
  private reportUsage(): void {
    if (this.usageTimer) clearTimeout(this.usageTimer);
    this.usageTimer = null;
    const u = this.usage;
    if (!u || this.silenced) return;
    const key = JSON.stringify(u);
    if (key === this.lastUsage) return;
    this.lastUsage = key;
    this.reported = u;
    this.o.onUsage?.(u);
    this.send({ agent: this.o.agent, type: 'usage', message: usageLine(u), data: { ...u } });
  }

  private send(draft: EventDraft): void {
    if (this.silenced) return;
    if (draft.type === 'agent_message') this.textTail.push(Buffer.from(`${draft.message}\n`));
    const bytes = Buffer.byteLength(draft.message) + (draft.data === undefined ? 0 : Buffer.byteLength(JSON.stringify(draft.data)));
    // Errors and usage always go through; the rest shares the stage's output budget.
    const essential = draft.type === 'usage' || draft.type === 'system_error';
    if (!this.o.collector.charge(bytes) && !essential) return;
    this.queue.send(draft);
  }
}

/** Why a structured stage saw no records, and the flags that fix it. */
export function formatHint(stream: StreamFormat): string {
  return `its output is ${stream.format}, but no record of that format came on stdout; does its run have ${stream.flags}?`;
}

function subtract(a: Usage, b: Usage): Usage {
  return {
    inputTokens: Math.max(0, a.inputTokens - b.inputTokens),
    outputTokens: Math.max(0, a.outputTokens - b.outputTokens),
    cachedTokens: Math.max(0, a.cachedTokens - b.cachedTokens),
    costUsd: a.costUsd === null ? null : Math.max(0, a.costUsd - (b.costUsd ?? 0)),
  };
}
