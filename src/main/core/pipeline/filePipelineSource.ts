// Where a workflow's pipeline comes from, by name: the repository's `.switchyard/pipelines.json`
// first, then the user's presets in the settings, then the built-ins. `default` is the
// repository's (or the settings') `default` when defined, else the Claude Code preset.
import { invalidInput, notFound } from '../../../shared/errors';
import { isApprovalStage, type Pipeline, type PipelineDef, type PipelineInfo } from '../../../shared/pipeline';
import type { Settings } from '../../../shared/settings';
import type { PipelineSource } from '../runner';
import { describeIssue, readPipelinesFile } from './pipelinesFile';
import { BUILTIN_PIPELINES, DEFAULT_BUILTIN, KnownPipelineDefSchema } from '../agents/registry';
import { missingProgramMessage } from '../process/programLookup';
import { formatJsonPath } from './jsonLocate';

interface Entry {
  name: string;
  def: PipelineDef;
  source: PipelineInfo['source'];
}

export interface FilePipelineSourceOptions {
  /** Replaces the built-in presets (tests). */
  builtins?: Readonly<Record<string, PipelineDef>>;
  /** The PATH programs are looked up on; default: this process's. */
  path?: () => string | undefined;
}

export class FilePipelineSource implements PipelineSource {
  private readonly builtins: Readonly<Record<string, PipelineDef>>;
  private readonly pathVar: () => string | undefined;

  constructor(options: FilePipelineSourceOptions = {}) {
    this.builtins = options.builtins ?? BUILTIN_PIPELINES;
    this.pathVar = options.path ?? (() => process.env.PATH);
  }

  async list(worktreePath: string, settings: Settings): Promise<PipelineInfo[]> {
    const entries = await this.catalog(worktreePath, settings);
    return Promise.all(
      entries.map(async (e) => {
        const info: PipelineInfo = { name: e.name, stages: structuredClone(e.def.stages), source: e.source };
        if (e.def.description !== undefined) info.description = e.def.description;
        const missing = await this.missingProgram(e.def, worktreePath);
        if (missing) info.unavailable = missing;
        return info;
      }),
    );
  }

  async resolve(worktreePath: string, name: string, settings: Settings): Promise<Pipeline> {
    const entries = await this.catalog(worktreePath, settings);
    const entry = entries.find((e) => e.name === name);
    if (!entry) {
      throw notFound(`No pipeline named "${name}"; available: ${entries.map((e) => e.name).join(', ')}`, {
        pipeline: name,
        available: entries.map((e) => e.name),
      });
    }
    const missing = await this.missingProgram(entry.def, worktreePath);
    if (missing) throw invalidInput(missing, { pipeline: name, source: entry.source });
    return { name, ...(entry.def.budgetUsd !== undefined ? { budgetUsd: entry.def.budgetUsd } : {}), stages: structuredClone(entry.def.stages) };
  }

  /** Every visible pipeline, `default` first, then by precedence; shadowed names are left out. */
  private async catalog(worktreePath: string, settings: Settings): Promise<Entry[]> {
    const fromRepo = (await readPipelinesFile(worktreePath)) ?? {};
    const fromSettings = validatedPresets(settings.pipelinePresets ?? {});
    const entries: Entry[] = [];
    const add = (name: string, def: PipelineDef, source: Entry['source']) => {
      if (!entries.some((e) => e.name === name)) entries.push({ name, def, source });
    };
    for (const [name, def] of Object.entries(fromRepo)) add(name, def, 'repository');
    for (const [name, def] of Object.entries(fromSettings)) add(name, def, 'settings');
    const fallback = this.builtins[DEFAULT_BUILTIN];
    if (fallback) add('default', { ...fallback, description: `${fallback.description ?? DEFAULT_BUILTIN} (the built-in default)` }, 'builtin');
    for (const [name, def] of Object.entries(this.builtins)) add(name, def, 'builtin');
    const i = entries.findIndex((e) => e.name === 'default');
    if (i > 0) entries.unshift(...entries.splice(i, 1));
    return entries;
  }

  /** The first stage program that cannot be run, as the message the user sees. */
  private async missingProgram(def: PipelineDef, worktreePath: string): Promise<string | null> {
    const seen = new Set<string>();
    for (const stage of def.stages) {
      if (isApprovalStage(stage)) continue;
      const program = stage.run[0]!;
      if (seen.has(program)) continue;
      seen.add(program);
      const missing = await missingProgramMessage(program, worktreePath, this.pathVar());
      if (missing) return missing;
    }
    return null;
  }
}

/**
 * Settings are validated when set, by the contract's schema (any `output` name); this checks the
 * `output` names against the agents this version knows, and catches presets stored by an older version.
 */
function validatedPresets(presets: Record<string, unknown>): Record<string, PipelineDef> {
  const out: Record<string, PipelineDef> = {};
  for (const [name, raw] of Object.entries(presets)) {
    const r = KnownPipelineDefSchema.safeParse(raw);
    if (!r.success) {
      const problems = r.error.issues.map((i) => `at ${formatJsonPath(['pipelinePresets', name, ...i.path])}: ${describeIssue(i)}`);
      throw invalidInput(`settings: invalid pipeline preset "${name}": ${problems.join('; ')}`, { preset: name });
    }
    out[name] = r.data;
  }
  return out;
}
