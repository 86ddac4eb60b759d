// The pipeline format of DESIGN.md §3: what a workflow runs. Validated wherever it is read
// (`.switchyard/pipelines.json`, settings presets) and snapshotted into the workflow at start.
import { z } from 'zod';
import { AgentNameSchema } from './events';

const StageName = z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, _ . - only');

export const ApprovalStageSchema = z.strictObject({
  name: StageName,
  approval: z.literal(true),
});

export const ReviewSchema = z.strictObject({
  onChangesRequested: StageName,
  maxRevisions: z.number().int().min(0).max(20).default(2),
});

export const CommandStageSchema = z.strictObject({
  name: StageName,
  agent: AgentNameSchema,
  run: z.array(z.string().max(100_000)).min(1, 'run needs at least the program'),
  captureAs: z.literal('plan').optional(),
  captureFrom: z.string().min(1).optional(),
  timeoutSeconds: z.number().int().positive().max(7 * 24 * 3600).optional(),
  review: ReviewSchema.optional(),
});

export const StageSchema = z.union([ApprovalStageSchema, CommandStageSchema]);
export type ApprovalStage = z.infer<typeof ApprovalStageSchema>;
export type CommandStage = z.infer<typeof CommandStageSchema>;
export type Stage = z.infer<typeof StageSchema>;

export function isApprovalStage(stage: Stage): stage is ApprovalStage {
  return 'approval' in stage;
}

/** Rules that span stages: unique names, review targets earlier stages, a gate follows a stage. */
function checkStages(stages: Stage[], ctx: z.RefinementCtx): void {
  const seen = new Map<string, number>();
  stages.forEach((stage, i) => {
    if (seen.has(stage.name)) {
      ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate stage name "${stage.name}"` });
    }
    seen.set(stage.name, i);
    if (isApprovalStage(stage)) {
      if (i === 0) ctx.addIssue({ code: 'custom', path: [i], message: 'an approval gate cannot be the first stage: nothing has been planned yet' });
      return;
    }
    if (stage.review) {
      const target = seen.get(stage.review.onChangesRequested);
      if (target === undefined || target >= i) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'review', 'onChangesRequested'],
          message: `"${stage.review.onChangesRequested}" is not an earlier stage of this pipeline`,
        });
      }
    }
    if (stage.captureFrom !== undefined && stage.captureAs === undefined) {
      ctx.addIssue({ code: 'custom', path: [i, 'captureFrom'], message: 'captureFrom needs captureAs' });
    }
  });
  if (!stages.some((s) => !isApprovalStage(s))) {
    ctx.addIssue({ code: 'custom', path: [], message: 'a pipeline needs at least one stage that runs something' });
  }
}

export const PipelineDefSchema = z.strictObject({
  description: z.string().max(1000).optional(),
  stages: z.array(StageSchema).min(1).superRefine(checkStages),
});
export type PipelineDef = z.infer<typeof PipelineDefSchema>;

export const PipelineNameSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, _ . - only');

/** The file `.switchyard/pipelines.json`. */
export const PipelinesFileSchema = z.strictObject({
  pipelines: z.record(PipelineNameSchema, PipelineDefSchema),
});

/** A resolved pipeline, as snapshotted into a workflow. */
export const PipelineSchema = z.object({
  name: PipelineNameSchema,
  stages: z.array(StageSchema),
});
export type Pipeline = z.infer<typeof PipelineSchema>;

export const PIPELINE_SOURCES = ['repository', 'settings', 'builtin'] as const;
export const PipelineInfoSchema = z.object({
  name: PipelineNameSchema,
  description: z.string().optional(),
  stages: z.array(StageSchema),
  source: z.enum(PIPELINE_SOURCES),
  /** Why this pipeline cannot start right now (e.g. its CLI is not on PATH); absent when it can. */
  unavailable: z.string().optional(),
});
export type PipelineInfo = z.infer<typeof PipelineInfoSchema>;
