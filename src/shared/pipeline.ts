// The pipeline format of docs/design.md §3: what a workflow runs. Validated wherever it is read
// (`.switchyard/pipelines.json`, settings presets) and snapshotted into the workflow at start.
// docs/pipelines.md documents every key.
import { z } from 'zod';
import { AgentNameSchema } from './events';
import { StagePermissionsSchema } from './permissions';

const NAME_RULE = 'letters, digits, _ . - only, starting with a letter or digit';
const StageName = z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, NAME_RULE);

/** "required" for a missing key instead of zod's "expected X, received undefined". */
const required = (what: string) => (issue: { input?: unknown }) => (issue.input === undefined ? `required: ${what}` : undefined);

/**
 * What a stage's stdout is: `text` (the default, becomes `agent_output` as it is) or the name of
 * a CLI's structured stream. Which streams exist is known to the agent adapters in core
 * (`core/agents/registry.ts`), and shared may not import core. So the contract's schemas
 * (settings, workflow snapshots, `pipelines.list`) accept any well-formed name, and core validates
 * every pipeline it reads with `pipelineDefSchema(formats)`: these same rules plus the known names,
 * with an error that lists them. One list, the registry, says which formats exist; adding a CLI
 * stays one file and one registry line, with nothing to keep in step here.
 */
export const TEXT_OUTPUT = 'text';
const OutputName = z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, NAME_RULE);

/** The formats core knows: every `output` name, and those whose CLI can resume a session (`continueFrom`). */
export interface OutputFormats {
  known: readonly string[];
  resumable: readonly string[];
  /** Those whose CLI can ask before a tool runs (a stage's `permissions`, rule 11); absent: not checked. */
  asking?: readonly string[];
}

/** A budget in US dollars (settings `workflowBudgetUsd`, a pipeline's `budgetUsd`). */
export const BudgetUsdSchema = z.number().positive().max(1_000_000);

export const ApprovalStageSchema = z.strictObject({
  name: StageName,
  approval: z.literal(true, { error: 'must be true (a stage with "approval" is an approval gate)' }),
});

export const ReviewSchema = z.strictObject({
  onChangesRequested: StageName,
  maxRevisions: z.number().int().min(0).max(20).default(2),
  /**
   * For review programs that cannot choose their exit code (agent CLIs): when the stage exits 0
   * and a line of its stdout starts with this text, the review counts as "changes requested".
   */
  changesRequestedMarker: z.string().min(1).max(200).optional(),
});

/** A path inside the worktree: relative, no `..` segment. */
const WorktreeRelativePath = z
  .string()
  .min(1)
  .max(1024)
  .refine((p) => !p.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(p), 'must be relative to the worktree, not absolute')
  .refine((p) => !p.split(/[\\/]/).includes('..'), 'must stay inside the worktree (no ".." segment)')
  .refine((p) => !p.includes('\0'), 'must not contain NUL');

const ArgvElement = z.string().max(100_000).refine((s) => !s.includes('\0'), 'must not contain NUL');

export const CommandStageSchema = z.strictObject({
  name: StageName,
  agent: AgentNameSchema,
  run: z
    .array(ArgvElement, { error: required('the program and its arguments, e.g. ["claude", "-p", "{prompt}"]') })
    .min(1, 'run needs at least the program')
    .refine((argv) => argv.length === 0 || argv[0]!.length > 0, { message: 'the program (run[0]) must not be empty', path: [0] }),
  captureAs: z.literal('plan').optional(),
  captureFrom: WorktreeRelativePath.optional(),
  timeoutSeconds: z.number().int().positive().max(7 * 24 * 3600).optional(),
  review: ReviewSchema.optional(),
  /** What the program writes on stdout: plain text, or a CLI's structured stream (docs/design.md §3). */
  output: OutputName.optional(),
  /** Resume the CLI session of this earlier stage (where the CLI supports it). */
  continueFrom: StageName.optional(),
  /** Tool approvals (rule 11): who answers the CLI's permission requests, and the stage's rules. */
  permissions: StagePermissionsSchema.optional(),
});

export type ApprovalStage = z.infer<typeof ApprovalStageSchema>;
export type CommandStage = z.infer<typeof CommandStageSchema>;
export type Stage = ApprovalStage | CommandStage;

/**
 * A stage is an approval gate when it has the key `approval`, else a command stage. Choosing the
 * shape first (instead of a plain union) gives the errors of that shape only: `unknown key "rn"`
 * and `run: required`, not "Invalid input" with the complaints of both shapes.
 */
export const StageSchema = z.unknown().transform((value, ctx): Stage => {
  const isGate = value !== null && typeof value === 'object' && !Array.isArray(value) && 'approval' in value;
  const result = isGate ? ApprovalStageSchema.safeParse(value) : CommandStageSchema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) ctx.addIssue({ ...issue } as Parameters<typeof ctx.addIssue>[0]);
  return z.NEVER;
}) as unknown as z.ZodType<Stage, z.input<typeof ApprovalStageSchema> | z.input<typeof CommandStageSchema>>;

export function isApprovalStage(stage: Stage): stage is ApprovalStage {
  return 'approval' in stage;
}

/**
 * Rules that span stages: unique names, review targets earlier stages, a gate follows a stage;
 * with `formats`, also that every `output` is one of them.
 */
function checkStages(stages: Stage[], ctx: z.RefinementCtx, formats: OutputFormats | null): void {
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
    if (formats && stage.output !== undefined && !formats.known.includes(stage.output)) {
      ctx.addIssue({ code: 'custom', path: [i, 'output'], message: `unknown output "${stage.output}"; known: ${formats.known.join(', ')}` });
      return;
    }
    if (stage.continueFrom !== undefined) checkContinueFrom(stages, i, stage, ctx, formats);
    if (formats?.asking && stage.permissions !== undefined && !formats.asking.includes(stage.output ?? 'text')) {
      ctx.addIssue({
        code: 'custom',
        path: [i, 'permissions'],
        message: `its CLI cannot ask before a tool runs (output ${stage.output ?? 'text'}); permissions need the output of one that can: ${formats.asking.join(', ')}`,
      });
    }
  });
  if (!stages.some((s) => !isApprovalStage(s))) {
    ctx.addIssue({ code: 'custom', path: [], message: 'a pipeline needs at least one stage that runs something' });
  }
}

/**
 * `continueFrom` resumes a CLI session: it names this stage (its own earlier run, on a replan or
 * a revision) or an earlier command stage that writes the same structured format.
 */
function checkContinueFrom(stages: Stage[], i: number, stage: CommandStage, ctx: z.RefinementCtx, formats: OutputFormats | null): void {
  const path = [i, 'continueFrom'];
  const format = stage.output ?? TEXT_OUTPUT;
  if (format === TEXT_OUTPUT) {
    const which = formats ? formats.resumable.join(' or ') : "a CLI's stream";
    ctx.addIssue({ code: 'custom', path, message: `continueFrom needs a structured "output" (${which}): a text stage has no session to resume` });
    return;
  }
  if (formats && !formats.resumable.includes(format)) {
    ctx.addIssue({ code: 'custom', path, message: `continueFrom: the CLI of ${format} has no session to resume (resumable: ${formats.resumable.join(', ')})` });
    return;
  }
  const target = stages.findIndex((s) => s.name === stage.continueFrom);
  const other = stages[target];
  if (target < 0 || target > i || !other || isApprovalStage(other)) {
    ctx.addIssue({ code: 'custom', path, message: `"${stage.continueFrom}" is not this stage or an earlier command stage of this pipeline` });
    return;
  }
  if ((other.output ?? 'text') !== format) {
    ctx.addIssue({ code: 'custom', path, message: `"${stage.continueFrom}" writes ${other.output ?? 'text'}, this stage ${format}: a session continues in the same CLI only` });
  }
}

/** A pipeline definition; `formats` null accepts any `output` name (the contract), else only those (core). */
export function pipelineDefSchema(formats: OutputFormats | null) {
  return z.strictObject({
    description: z.string().max(1000).optional(),
    /** Overrides the `workflowBudgetUsd` setting for workflows of this pipeline. */
    budgetUsd: BudgetUsdSchema.optional(),
    stages: z
      .array(StageSchema, { error: required('the list of stages') })
      .min(1, 'a pipeline needs at least one stage')
      .superRefine((stages, ctx) => checkStages(stages, ctx, formats)),
  });
}
export const PipelineDefSchema = pipelineDefSchema(null);
export type PipelineDef = z.infer<typeof PipelineDefSchema>;

export const PipelineNameSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, NAME_RULE);

/** The file `.switchyard/pipelines.json`, its `output` names checked against `formats` (core's registry). */
export function pipelinesFileSchema(formats: OutputFormats) {
  return z.strictObject({
    pipelines: z.record(PipelineNameSchema, pipelineDefSchema(formats), { error: required('an object of named pipelines') }),
  });
}

/** A resolved pipeline, as snapshotted into a workflow. */
export const PipelineSchema = z.object({
  name: PipelineNameSchema,
  budgetUsd: BudgetUsdSchema.optional(),
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
