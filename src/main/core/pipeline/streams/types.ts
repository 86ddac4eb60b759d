// What a structured-stream parser (one per CLI format) reports, record by record, as it reads.
// The parsers are pure: they turn one parsed JSON record into calls on a sink; the sink
// (structuredOutput.ts) turns those into events, usage, the stage's answer and its fate.
import type { EventDraft, Usage } from '../../../../shared/events';

export interface StreamSink {
  /** A typed event for the log (agent_message, tool_call, tool_result, system_warning); `agent` is filled in. */
  event(draft: Omit<EventDraft, 'agent'>): void;
  /** The session's usage totals so far, as the CLI counts them (replaces the previous figure). */
  usage(totals: Usage): void;
  /** The CLI session of this stage (for `continueFrom`). */
  session(id: string): void;
  /** The final answer so far (Claude: `result`; Codex: the last agent message). */
  answer(text: string): void;
  /** The CLI reported that the stage failed; the stage fails with this once the process ends. */
  failure(message: string): void;
  /** An error retrying cannot fix (authentication, permission): stop the stage now. */
  fatal(reason: string): void;
  /** A record this parser does not know: kept as it came, as agent_output. */
  unknown(line: string): void;
}

/** One CLI format: handles one JSON object (a line of the stream); `line` is its raw text. */
export interface RecordParser {
  record(value: Record<string, unknown>, line: string): void;
}
