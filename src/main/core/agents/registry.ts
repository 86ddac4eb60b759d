// Every agent CLI Switchyard knows. The pipeline `output` formats, the built-in presets and the
// argv a structured stage is started with all derive from this list, so adding a CLI is its
// adapter file and one line here (docs/agents.md).
import { pipelineDefSchema, pipelinesFileSchema, TEXT_OUTPUT, type OutputFormats, type PipelineDef } from '../../../shared/pipeline';
import { aider } from './aider';
import { claude } from './claude';
import { codex } from './codex';
import { shell } from './shell';
import type { AgentAdapter, StreamFormat } from './types';

/** In the order their presets are listed. */
export const AGENTS: readonly AgentAdapter[] = [claude, codex, aider, shell];

/** `default`, when neither the repository nor the settings define it. */
export const DEFAULT_BUILTIN = 'claude';

export const BUILTIN_PIPELINES: Readonly<Record<string, PipelineDef>> = Object.freeze(Object.assign({}, ...AGENTS.map((a) => a.presets)));

const STREAMS: ReadonlyMap<string, StreamFormat> = new Map(AGENTS.flatMap((a) => (a.stream ? [[a.stream.format, a.stream] as const] : [])));

/** The `output` names a pipeline may use, and those whose CLI resumes sessions. */
export const OUTPUT_FORMATS: OutputFormats = Object.freeze({
  known: [TEXT_OUTPUT, ...STREAMS.keys()],
  resumable: [...STREAMS.values()].filter((s) => s.resume).map((s) => s.format),
  asking: [...STREAMS.values()].filter((s) => s.permissions).map((s) => s.format),
});

/** The schemas core reads pipelines with: the contract's rules plus the known `output` names. */
export const KnownPipelineDefSchema = pipelineDefSchema(OUTPUT_FORMATS);
export const KnownPipelinesFileSchema = pipelinesFileSchema(OUTPUT_FORMATS);

/**
 * The stream a stage's `output` names: null for text (or none); undefined for a name no adapter
 * has (a workflow snapshotted by a version that knew it).
 */
export function streamFormat(output: string | undefined): StreamFormat | null | undefined {
  if (output === undefined || output === TEXT_OUTPUT) return null;
  return STREAMS.get(output);
}
