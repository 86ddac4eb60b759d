// What Switchyard needs to know of one agent CLI, behind one small interface (docs/agents.md).
// Everything CLI-specific lives in that CLI's adapter (`agents/<cli>.ts`): the pipeline runner
// and the window only know the event vocabulary of docs/design.md §2, never a CLI's flags or field names.
import type { EventDraft, Usage } from '../../../shared/events';
import type { PipelineDef } from '../../../shared/pipeline';

export interface AgentAdapter {
  /** Names its module and, for a CLI, its preset (`claude`, `codex`, `aider`, `shell`). */
  readonly id: string;
  /** As people name it in messages: "Claude Code". */
  readonly label: string;
  /** The built-in pipelines this CLI offers (plan → approve → implement → review), by name. */
  readonly presets: Readonly<Record<string, PipelineDef>>;
  /** The structured stream the CLI writes on stdout, if it has one; without, its stages are `text`. */
  readonly stream?: StreamFormat;
}

/** A CLI's structured stdout: a stage's `"output": "<format>"`. */
export interface StreamFormat {
  /** The value of `output` that selects it, e.g. `claude-stream-json`. */
  readonly format: string;
  /** The flags that make the CLI write it, for the hint when a stage's stdout had no record of it. */
  readonly flags: string;
  /**
   * A parser for one stage's stream. `resumedUsage`: the session's totals before this stage, for
   * a CLI whose live figures must be put on the same footing as its session totals.
   */
  parser(sink: StreamSink, o: { cwd: string; resumedUsage: Usage | null }): RecordParser;
  /**
   * The argv that resumes `sessionId` (`continueFrom`); throws ResumeError when the stage's argv
   * cannot be resumed. Absent: the CLI has no sessions to resume.
   */
  resume?(argv: Argv, sessionId: string): Argv;
  /** The argv with the CLI's own spending cap at `remainingUsd` (a second line behind the workflow budget). */
  capSpend?(argv: Argv, remainingUsd: number): Argv;
  /** Rule 11: how the CLI asks before a tool runs, over its own stdin and stdout. Absent: it cannot ask. */
  permissions?: PermissionChannel;
  /**
   * For a CLI that cannot ask: the sandbox a stage's argv runs it in (`read-only`,
   * `workspace-write`), shown with the stage so the person knows what it may do.
   */
  sandbox?(args: readonly string[]): string;
}

/**
 * A CLI that asks on stdout and reads the answer on stdin (docs/permissions.md). The channel is
 * the stage's own pipe, so nothing else on the machine can answer in the person's place.
 */
export interface PermissionChannel {
  /** The argv that makes the CLI ask, and the lines to write on its stdin first (the prompt moves there). */
  open(argv: Argv): { argv: Argv; input: string[] } | { failed: string };
  /** A record that asks for a tool: its request id and what it asks; null for every other record. */
  request(record: Record<string, unknown>): { id: string; tool: string; input: unknown; toolUseId: string | null } | null;
  /** The line that answers request `id`; `input` is what the CLI asked with (a CLI may want it back). */
  answer(id: string, input: unknown, answer: { allow: true } | { allow: false; message: string }): string;
  /** The record after which the CLI reads nothing more (its final result): stdin is closed then. */
  ends(record: Record<string, unknown>): boolean;
}

export interface Argv {
  program: string;
  args: string[];
}

/** The stage's argv cannot resume a session; the message says why. */
export class ResumeError extends Error {}

/**
 * What a parser reports, record by record, as it reads. Error classification is the parser's:
 * an error no retry can fix (authentication, permission) is `fatal` (the stage stops at once);
 * rate limits and 5xx retries are `event`s of type `system_warning`; the CLI's own verdict that
 * the run failed is `failure`.
 */
export interface StreamSink {
  /** A typed event for the log (agent_message, tool_call, tool_result, system_warning); `agent` is filled in. */
  event(draft: Omit<EventDraft, 'agent'>): void;
  /** The session's usage totals so far, as the CLI counts them (replaces the previous figure). */
  usage(totals: Usage): void;
  /** The CLI session of this stage (for `continueFrom`). */
  session(id: string): void;
  /** The final answer so far (what `captureAs` takes and a review's marker is looked for in). */
  answer(text: string): void;
  /** The CLI reported that the stage failed; the stage fails with this once the process ends. */
  failure(message: string): void;
  /** An error retrying cannot fix (authentication, permission): stop the stage now. */
  fatal(reason: string): void;
  /** A record this parser does not know: kept as it came, as agent_output. */
  unknown(line: string): void;
  /** The CLI refused a tool on its own (rule 11: shown as permission_denied unless Switchyard denied it). */
  refused(request: { tool: string; input: unknown; toolUseId: string | null }): void;
}

/** One CLI format: handles one JSON object (a line of the stream); `line` is its raw text. The parsers are pure. */
export interface RecordParser {
  record(value: Record<string, unknown>, line: string): void;
}
