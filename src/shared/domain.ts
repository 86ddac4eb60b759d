// Domain objects that cross the wire (docs/design.md §4.1).
import { z } from 'zod';
import { WORKFLOW_STATUSES } from './status';
import { PipelineSchema } from './pipeline';
import { UsageSchema } from './events';
import { PendingPermissionSchema } from './permissions';

export const WorkflowStatusSchema = z.enum(WORKFLOW_STATUSES);

export const WorkflowSchema = z.object({
  id: z.string(),
  issueId: z.string(),
  title: z.string(),
  description: z.string(),
  worktreePath: z.string(),
  worktreeName: z.string(),
  pipeline: PipelineSchema,
  status: WorkflowStatusSchema,
  currentStage: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  failureReason: z.string().nullable(),
  /** Totals over all its stages (docs/design.md §3, "Usage and money"). */
  usage: UsageSchema,
  /** Tool requests waiting for the person, oldest first (rule 11); empty unless in_progress. */
  pendingPermissions: z.array(PendingPermissionSchema),
});
export type Workflow = z.infer<typeof WorkflowSchema>;

export const RepoSchema = z.object({
  id: z.string(),
  path: z.string(),
  name: z.string(),
  addedAt: z.string(),
});
export type Repo = z.infer<typeof RepoSchema>;

export const WorktreeSchema = z.object({
  path: z.string(),
  /** Short branch name, or null for a detached HEAD. */
  branch: z.string().nullable(),
  head: z.string(),
  isMain: z.boolean(),
  dirty: z.boolean(),
  locked: z.boolean(),
  prunable: z.boolean(),
  activeWorkflowId: z.string().nullable(),
  // Rule 13 (docs/worktrees.md): its ports, its latest setup run and run command, and whether it
  // is merged, clean and idle (the sidebar offers to remove it).
  portBase: z.number().int().nullable().optional(),
  setup: z.lazy(() => WorktreeRunSchema).nullable().optional(),
  run: z.lazy(() => WorktreeRunSchema).nullable().optional(),
  stale: z.boolean().optional(),
});
export type Worktree = z.infer<typeof WorktreeSchema>;

/** A setup run or a run command's session: its `id` names its own event log (events.list). */
export const WORKTREE_RUN_KINDS = ['setup', 'run'] as const;
export const WORKTREE_RUN_STATUSES = ['running', 'completed', 'failed', 'stopped'] as const;
export const WorktreeRunSchema = z.object({
  id: z.string(),
  worktreePath: z.string(),
  kind: z.enum(WORKTREE_RUN_KINDS),
  status: z.enum(WORKTREE_RUN_STATUSES),
  failedStep: z.string().nullable(),
  failureReason: z.string().nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
});
export type WorktreeRun = z.infer<typeof WorktreeRunSchema>;

export const DIFF_FILE_STATUSES = ['added', 'modified', 'deleted', 'renamed', 'untracked'] as const;
export const DiffFileSchema = z.object({
  path: z.string(),
  oldPath: z.string().optional(),
  status: z.enum(DIFF_FILE_STATUSES),
  additions: z.number().int(),
  deletions: z.number().int(),
  binary: z.boolean(),
});
export const DiffSchema = z.object({
  files: z.array(DiffFileSchema),
  patch: z.string(),
  truncated: z.boolean(),
  base: z.string().nullable(),
});
export type DiffFile = z.infer<typeof DiffFileSchema>;
export type Diff = z.infer<typeof DiffSchema>;
