// Settings (docs/design.md §4.1): one table of fields gives the validation of `settings.set`, the
// type, the defaults a new installation starts with, the settings screen of the window (label,
// help, how each value is edited), the reliability fuzz template and docs/settings.md.
// Adding a setting = one entry in FIELDS (plus the code that uses it); the rest follows.
import { z } from 'zod';
import { BudgetUsdSchema, PipelineDefSchema, PipelineNameSchema } from './pipeline';

const Accelerator = z.string().min(1).max(64);
const ShortcutsSchema = z.strictObject({ toggleWindow: Accelerator, openLatestApproval: Accelerator });

/** How the settings screen edits a value (and how the fuzz template breaks it). */
export type SettingEditor =
  /** A whole number in `unit`; min and max come from the field's schema. */
  | { kind: 'integer'; unit: string }
  /** US dollars, or empty for "no limit" (null). */
  | { kind: 'money'; empty: string }
  /** A folder path, or empty for the default place (null), which `empty` names. */
  | { kind: 'path'; empty: string }
  | { kind: 'boolean' }
  /** Electron accelerators, one text field per action of the object. */
  | { kind: 'accelerators'; labels: Record<string, string> }
  /** JSON text of named pipeline definitions. */
  | { kind: 'pipelines' }
  /** An http(s) URL, or empty for the default (null), which `empty` names. */
  | { kind: 'url'; empty: string };
export type SettingEditorKind = SettingEditor['kind'];

interface FieldDef<S extends z.ZodType> {
  schema: S;
  default: z.output<S>;
  label: string;
  /** What the setting does and its unit, as the screen and the docs say it. */
  help: string;
  editor: SettingEditor;
}

const field = <S extends z.ZodType>(def: FieldDef<S>): FieldDef<S> => def;

/** Every setting, in the order the screen and the docs show them. */
const FIELDS = {
  // Rule 2: the concurrency limit.
  maxConcurrent: field({
    schema: z.number().int().min(1).max(100),
    default: 5,
    label: 'Concurrent workflows',
    help: 'How many workflows may be pending, running or blocked at once; more wait in the queue or are refused.',
    editor: { kind: 'integer', unit: 'workflows' },
  }),
  workflowBudgetUsd: field({
    schema: BudgetUsdSchema.nullable(),
    default: null,
    label: 'Budget per workflow',
    help: "Past this cost in US dollars a workflow's running stage is stopped and the workflow fails. A pipeline's own budgetUsd overrides it.",
    editor: { kind: 'money', empty: 'No limit' },
  }),
  // Rule 7: how agents are stopped.
  killGraceMs: field({
    schema: z.number().int().min(0).max(600_000),
    default: 5_000,
    label: 'Kill grace period',
    help: 'A stopped agent gets SIGTERM, then SIGKILL after this many milliseconds.',
    editor: { kind: 'integer', unit: 'ms' },
  }),
  // docs/design.md §3: bounded output per stage.
  outputBudgetBytes: field({
    schema: z.number().int().min(64 * 1024).max(1024 * 1024 * 1024),
    default: 8 * 1024 * 1024,
    label: 'Output kept per stage',
    help: "A stage's output beyond this many bytes is reduced to a rolling tail.",
    editor: { kind: 'integer', unit: 'bytes' },
  }),
  // Rule 10: retention.
  retentionDays: field({
    schema: z.number().int().min(1).max(3650),
    default: 30,
    label: 'Keep events for',
    help: 'The events of workflows that ended longer ago than this many days are deleted at start-up.',
    editor: { kind: 'integer', unit: 'days' },
  }),
  worktreeRoot: field({
    schema: z.string().min(1).max(4096).nullable(),
    default: null,
    label: 'Worktree folder',
    help: 'Where new worktrees are created. Beside the repository means <repo-parent>/<repo-name>.worktrees/<branch>.',
    editor: { kind: 'path', empty: 'Beside the repository' },
  }),
  // Rule 13: each worktree's port range (SWITCHYARD_PORT_BASE) is allocated from here up.
  portBase: field({
    schema: z.number().int().min(1024).max(65_000),
    default: 41_000,
    label: 'First port base',
    help: 'Each worktree gets 10 ports of its own (SWITCHYARD_PORT_BASE to +9); ranges are allocated from this port up, and a removed worktree frees its range.',
    editor: { kind: 'integer', unit: 'port' },
  }),
  // Rule 11: a tool request nobody answers is denied after this long.
  permissionTimeoutSeconds: field({
    schema: z.number().int().min(1).max(7 * 24 * 3600),
    default: 600,
    label: 'Tool request timeout',
    help: "A tool request of an agent that nobody answers is denied after this many seconds, so no stage waits forever.",
    editor: { kind: 'integer', unit: 's' },
  }),
  notifications: field({
    schema: z.boolean(),
    default: true,
    label: 'Notifications',
    help: 'Notify when a workflow needs approval, completes or fails (the desktop app tells of the last two only while its window is not in front).',
    editor: { kind: 'boolean' },
  }),
  shortcuts: field({
    schema: ShortcutsSchema,
    default: { toggleWindow: 'CommandOrControl+Shift+Y', openLatestApproval: 'CommandOrControl+Shift+A' },
    label: 'Global shortcuts',
    help: 'Desktop only: system-wide keys, e.g. CommandOrControl+Shift+Y. Applied at once; a key another application holds is reported.',
    editor: { kind: 'accelerators', labels: { toggleWindow: 'Show or hide the window', openLatestApproval: 'Open the latest approval' } satisfies Record<keyof z.output<typeof ShortcutsSchema>, string> },
  }),
  pipelinePresets: field({
    schema: z.record(PipelineNameSchema, PipelineDefSchema),
    default: {},
    label: 'Pipeline presets',
    help: "Your own pipelines, as JSON: {\"name\": {\"stages\": [...]}}, offered beside the repository's .switchyard/pipelines.json and the built-in ones (docs/pipelines.md).",
    editor: { kind: 'pipelines' },
  }),
  // Rule 12: GitHub Enterprise (docs/github.md).
  githubApiUrl: field({
    schema: z
      .string()
      .max(2048)
      .url()
      .refine((u) => /^https?:\/\//i.test(u), 'must be an http or https URL')
      .nullable(),
    default: null,
    label: 'GitHub API URL',
    help: "The REST API of your GitHub Enterprise server, e.g. https://github.example.com/api/v3; it then serves every repository's issues and pull requests.",
    editor: { kind: 'url', empty: 'api.github.com' },
  }),
};

type Fields = typeof FIELDS;
export type SettingKey = keyof Fields;
type Shape = { [K in SettingKey]: Fields[K]['schema'] };

/** One setting as the screen, the fuzz template and the docs see it. */
export interface SettingField {
  key: SettingKey;
  schema: z.ZodType;
  default: unknown;
  label: string;
  help: string;
  editor: SettingEditor;
}

export const SETTINGS_FIELDS: readonly SettingField[] = Object.freeze(
  (Object.keys(FIELDS) as SettingKey[]).map((key): SettingField => Object.freeze({ key, ...FIELDS[key] })),
);
export const SETTING_KEYS: readonly SettingKey[] = SETTINGS_FIELDS.map((f) => f.key);

const shape = Object.fromEntries(SETTINGS_FIELDS.map((f) => [f.key, f.schema])) as Shape;

export const SettingsSchema = z.strictObject(shape);
export type Settings = z.infer<typeof SettingsSchema>;

/** `settings.set` takes any subset of the keys; unknown keys are refused. */
export const SettingsPatchSchema = z.strictObject(shape).partial();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export const DEFAULT_SETTINGS: Settings = Object.freeze(
  Object.fromEntries(SETTINGS_FIELDS.map((f) => [f.key, f.default])) as Settings,
);

export function settingField(key: SettingKey): SettingField {
  return SETTINGS_FIELDS.find((f) => f.key === key)!;
}

/** The inclusive bounds of an integer setting, read from its schema (never written twice). */
export function integerBounds(f: SettingField): { min: number; max: number } {
  const n = f.schema as z.ZodNumber;
  return { min: n.minValue ?? 0, max: n.maxValue ?? Number.MAX_SAFE_INTEGER };
}
