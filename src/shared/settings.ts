// Settings (DESIGN.md §4.1): one shape gives the validation of `settings.set`, the type and,
// with DEFAULT_SETTINGS, what a new installation starts with.
import { z } from 'zod';
import { BudgetUsdSchema, PipelineDefSchema, PipelineNameSchema } from './pipeline';

const Accelerator = z.string().min(1).max(64);

const settingsShape = {
  /** Rule 2: how many workflows may be pending, running or blocked at once. */
  maxConcurrent: z.number().int().min(1).max(100),
  /** Rule 7: SIGTERM, then SIGKILL after this many milliseconds. */
  killGraceMs: z.number().int().min(0).max(600_000),
  /** Per stage: output beyond this is reduced to a rolling tail (DESIGN §3). */
  outputBudgetBytes: z.number().int().min(64 * 1024).max(1024 * 1024 * 1024),
  /** Rule 10: events of workflows that ended longer ago than this are deleted at start-up. */
  retentionDays: z.number().int().min(1).max(3650),
  /** Where new worktrees go; null = `<repo-parent>/<repo-name>.worktrees/<branch>`. */
  worktreeRoot: z.string().min(1).max(4096).nullable(),
  /** User-level pipeline presets, beside the repository's own and the built-in ones. */
  pipelinePresets: z.record(PipelineNameSchema, PipelineDefSchema),
  /** Desktop global shortcuts (Electron accelerators). */
  shortcuts: z.strictObject({ toggleWindow: Accelerator, openLatestApproval: Accelerator }),
  notifications: z.boolean(),
  /** Past this cost a workflow's running stage is stopped and the workflow fails; null = no limit. */
  workflowBudgetUsd: BudgetUsdSchema.nullable(),
};

export const SettingsSchema = z.strictObject(settingsShape);
export type Settings = z.infer<typeof SettingsSchema>;

/** `settings.set` takes any subset of the keys; unknown keys are refused. */
export const SettingsPatchSchema = z.strictObject(settingsShape).partial();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export const DEFAULT_SETTINGS: Settings = Object.freeze({
  maxConcurrent: 5,
  killGraceMs: 5_000,
  outputBudgetBytes: 8 * 1024 * 1024,
  retentionDays: 30,
  worktreeRoot: null,
  pipelinePresets: {},
  shortcuts: { toggleWindow: 'CommandOrControl+Shift+Y', openLatestApproval: 'CommandOrControl+Shift+A' },
  notifications: true,
  workflowBudgetUsd: null,
});
