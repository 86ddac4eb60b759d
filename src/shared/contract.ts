// The wire contract of docs/design.md §4.1: every method's params and result, the pushes, the
// envelopes. Both transports, the preload and the renderer's client derive from this table.
import { z } from 'zod';
import { ERROR_CODES } from './errors';
import { WorkflowEventSchema } from './events';
import { DiffSchema, RepoSchema, WorkflowSchema, WorkflowStatusSchema, WorktreeRunSchema, WorktreeSchema } from './domain';
import { PipelineInfoSchema, PipelineNameSchema } from './pipeline';
import { IssueSchema, TrackerLinkSchema } from './github';
import { SettingsPatchSchema, SettingsSchema } from './settings';
import { PERMISSION_MESSAGE_MAX, PermissionRuleSchema, RememberedRuleSchema } from './permissions';
import type { MethodName } from './methods';

// No file system path holds a NUL byte; one here would reach fs or git as an internal error.
const Path = z.string().min(1).max(4096).refine((p) => !p.includes('\0'), 'a path cannot contain a NUL byte');
const Id = z.string().min(1).max(128);
const Text = (max: number) => z.string().max(max);
const Empty = z.strictObject({});

export const contract = {
  'repos.list': { params: Empty, result: z.array(RepoSchema) },
  'repos.add': { params: z.strictObject({ path: Path }), result: RepoSchema },
  'repos.remove': { params: z.strictObject({ repoId: Id }), result: Empty },

  'worktrees.list': { params: z.strictObject({ repoId: Id }), result: z.array(WorktreeSchema) },
  'worktrees.create': {
    params: z.strictObject({ repoId: Id, branch: z.string().min(1).max(255), path: Path.optional(), base: z.string().min(1).max(255).optional() }),
    result: WorktreeSchema,
  },
  'worktrees.remove': { params: z.strictObject({ worktreePath: Path, force: z.boolean().optional() }), result: Empty },
  'worktrees.diff': { params: z.strictObject({ worktreePath: Path }), result: DiffSchema },

  'pipelines.list': { params: z.strictObject({ worktreePath: Path }), result: z.array(PipelineInfoSchema) },

  'workflows.start': {
    params: z.strictObject({
      worktreePath: Path,
      issueId: z.string().trim().min(1, 'issueId is required').max(200),
      title: Text(1000).optional(),
      description: Text(100_000).optional(),
      pipeline: PipelineNameSchema.optional(),
      queue: z.boolean().optional(),
    }),
    result: WorkflowSchema,
  },
  'workflows.get': { params: z.strictObject({ workflowId: Id }), result: WorkflowSchema },
  'workflows.byWorktree': { params: z.strictObject({ worktreePath: Path }), result: WorkflowSchema.nullable() },
  'workflows.active': { params: Empty, result: z.array(WorkflowSchema) },
  'workflows.list': {
    params: z.strictObject({
      status: WorkflowStatusSchema.optional(),
      worktreePath: Path.optional(),
      limit: z.number().int().min(1).max(500).optional(),
      cursor: z.string().max(200).optional(),
    }),
    result: z.object({ items: z.array(WorkflowSchema), nextCursor: z.string().nullable() }),
  },
  'workflows.approve': { params: z.strictObject({ workflowId: Id }), result: WorkflowSchema },
  'workflows.reject': {
    params: z.strictObject({
      workflowId: Id,
      feedback: z.string().trim().min(1, 'feedback is required').max(100_000),
      replan: z.boolean().optional(),
    }),
    result: WorkflowSchema,
  },
  'workflows.cancel': { params: z.strictObject({ workflowId: Id, reason: Text(2000).optional() }), result: WorkflowSchema },
  'workflows.cancelAll': { params: z.strictObject({ reason: Text(2000).optional() }), result: z.object({ cancelled: z.array(z.string()) }) },

  'events.list': {
    params: z.strictObject({
      workflowId: Id,
      afterSequence: z.number().int().min(0).optional(),
      /** Extension: the `limit` events just before this sequence (ascending) — open at the tail. */
      beforeSequence: z.number().int().min(1).optional(),
      limit: z.number().int().min(1).max(5000).optional(),
    }).refine((p) => p.afterSequence === undefined || p.beforeSequence === undefined, 'afterSequence and beforeSequence cannot be combined'),
    result: z.array(WorkflowEventSchema),
  },

  'settings.get': { params: Empty, result: SettingsSchema },
  'settings.set': { params: SettingsPatchSchema, result: SettingsSchema },

  // Rule 12 (docs/github.md). tracker.link and workflows.fixChecks are extensions: the PR's state
  // and checks of a worktree, and a failing check sent back to the agent.
  'tracker.issues': { params: z.strictObject({ repoId: Id, search: Text(200).optional() }), result: z.array(IssueSchema) },
  'tracker.link': { params: z.strictObject({ worktreePath: Path }), result: TrackerLinkSchema.nullable() },
  'workflows.startFromIssue': {
    params: z.strictObject({
      repoId: Id,
      issueNumber: z.number().int().positive().max(2_147_483_647),
      pipeline: PipelineNameSchema.optional(),
      queue: z.boolean().optional(),
    }),
    result: WorkflowSchema,
  },
  'workflows.ship': { params: z.strictObject({ workflowId: Id, draft: z.boolean().optional() }), result: TrackerLinkSchema },
  'workflows.fixChecks': {
    params: z.strictObject({ worktreePath: Path, pipeline: PipelineNameSchema.optional(), queue: z.boolean().optional() }),
    result: WorkflowSchema,
  },
  // Rule 13 (docs/worktrees.md): a run's id names its own log, read with events.list.
  'worktrees.rerunSetup': { params: z.strictObject({ worktreePath: Path }), result: WorktreeRunSchema },
  'worktrees.runStart': { params: z.strictObject({ worktreePath: Path }), result: WorktreeRunSchema },
  'worktrees.runStop': { params: z.strictObject({ worktreePath: Path }), result: WorktreeRunSchema },
  'worktrees.removeStale': {
    params: z.strictObject({ repoId: Id }),
    result: z.object({ removed: z.array(z.string()), refused: z.array(z.object({ worktreePath: z.string(), reason: z.string() })) }),
  },
  // Tool approvals (rule 11).
  'permissions.decide': {
    params: z.strictObject({
      workflowId: Id,
      requestId: Id,
      decision: z.enum(['allow', 'deny']),
      remember: z.literal('repository').optional(),
      message: Text(PERMISSION_MESSAGE_MAX).optional(),
    }),
    result: WorkflowSchema,
  },
  'permissions.rules': { params: z.strictObject({ repoId: Id }), result: z.array(RememberedRuleSchema) },
  'permissions.forget': { params: z.strictObject({ repoId: Id, rule: PermissionRuleSchema }), result: z.array(RememberedRuleSchema) },
} as const satisfies Record<MethodName, { params: z.ZodType; result: z.ZodType }>;
// The zod-free name list (methods.ts) and this table have exactly the same keys.
type _SameKeys = [keyof typeof contract] extends [MethodName] ? ([MethodName] extends [keyof typeof contract] ? true : never) : never;
const _sameKeys: _SameKeys = true;
void _sameKeys;

export type Contract = typeof contract;
export type Method = keyof Contract;
export const METHODS = Object.keys(contract) as Method[];
export type Params<M extends Method> = z.infer<Contract[M]['params']>;
export type Result<M extends Method> = z.infer<Contract[M]['result']>;
/** Params as a caller may write them (defaults and optional keys left out). */
export type ParamsIn<M extends Method> = z.input<Contract[M]['params']>;

export function isMethod(name: unknown): name is Method {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}

// Envelopes -----------------------------------------------------------------------------------

export const RequestIdSchema = z.union([z.number(), z.string().max(200)]);
export type RequestId = z.infer<typeof RequestIdSchema>;

export const RequestSchema = z.strictObject({
  id: RequestIdSchema,
  method: z.string().max(100),
  params: z.unknown().optional(),
});
export type Request = z.infer<typeof RequestSchema>;

export const ErrorBodySchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

export type Response = { id: RequestId | null; result: unknown } | { id: RequestId | null; error: ErrorBody };

export const EventsPushSchema = z.object({
  push: z.literal('events'),
  data: z.object({ workflowId: z.string(), events: z.array(WorkflowEventSchema) }),
});
export const WorkflowPushSchema = z.object({ push: z.literal('workflow'), data: WorkflowSchema });
export const PushSchema = z.discriminatedUnion('push', [EventsPushSchema, WorkflowPushSchema]);
export type Push = z.infer<typeof PushSchema>;
