// The event model of docs/design.md §2.
import { z } from 'zod';

export const EVENT_TYPES = [
  'workflow_started',
  'workflow_completed',
  'workflow_failed',
  'workflow_cancelled',
  'stage_started',
  'stage_completed',
  'approval_required',
  'approval_granted',
  'approval_rejected',
  'file_created',
  'file_modified',
  'file_deleted',
  'review_requested',
  'review_completed',
  'revision_requested',
  'system_error',
  'system_warning',
  'agent_output',
  // From agents that write a structured stream (stage `output`, docs/design.md §3):
  'agent_message',
  'tool_call',
  'tool_result',
  'usage',
  // The loop (rule 12): each step of shipping a workflow.
  'commit_created',
  'branch_pushed',
  'pull_request_opened',
  // Worktree setup (rule 13): a setup run's own log, docs/worktrees.md.
  'setup_started',
  'setup_completed',
  'setup_failed',
  // Tool approvals (rule 11):
  'permission_requested',
  'permission_granted',
  'permission_denied',
] as const;
export const EventTypeSchema = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof EventTypeSchema>;

/** Built-in agent names; a stage may name its own agent, so the schema accepts any short name. */
export const BUILTIN_AGENTS = ['system', 'architect', 'developer', 'reviewer'] as const;
export const AgentNameSchema = z.string().min(1).max(64);

export const WorkflowEventSchema = z.object({
  id: z.string(),
  workflowId: z.string(),
  sequence: z.number().int().positive(),
  timestamp: z.string(),
  agent: AgentNameSchema,
  type: EventTypeSchema,
  message: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
  correlationId: z.string().optional(),
});
export type WorkflowEvent = z.infer<typeof WorkflowEventSchema>;

/** What a producer hands to the event log; id, sequence and timestamp are assigned there. */
export type EventDraft = Pick<WorkflowEvent, 'agent' | 'type' | 'message' | 'data' | 'correlationId'>;

/** Token and money totals: of one stage (`usage` events) or of a whole workflow (`Workflow.usage`). */
export const UsageSchema = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  cachedTokens: z.number().int().nonnegative(),
  /** What the CLI reported; null where it reports no cost (e.g. Codex). */
  costUsd: z.number().nonnegative().nullable(),
});
export type Usage = z.infer<typeof UsageSchema>;
export const EMPTY_USAGE: Usage = Object.freeze({ inputTokens: 0, outputTokens: 0, cachedTokens: 0, costUsd: null });

/** `data` of a `tool_call` event: `summary` is one line a person reads ("Write hello.txt"). */
export interface ToolCallData {
  tool: string;
  summary: string;
  /** The tool's input, truncated. */
  input: unknown;
}
/** `data` of a `tool_result` event. */
export interface ToolResultData {
  tool: string;
  ok: boolean;
  summary: string;
  /** The tool's output text, truncated. */
  output: string;
}
/** `data` of a `usage` event: the stage's totals so far. */
export type UsageData = Usage;

/** `data` of `permission_requested`; `permission_granted` / `permission_denied` carry `requestId`, `tool`, `rule` (null when a person or a stop decided) and `by`. */
export interface PermissionRequestedData {
  requestId: string;
  stage: string;
  tool: string;
  summary: string;
  input: unknown;
}
