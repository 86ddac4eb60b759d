// The event model of DESIGN.md §2.
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
