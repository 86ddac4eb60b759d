// A PipelineSource over a fixed set of pipelines (tests and benchmarks).
import { notFound } from '../../../shared/errors';
import type { Pipeline, PipelineInfo } from '../../../shared/pipeline';
import type { PipelineSource } from '../runner';

export class StaticPipelines implements PipelineSource {
  constructor(private readonly pipelines: Record<string, Pipeline['stages']>) {}

  async list(): Promise<PipelineInfo[]> {
    return Object.entries(this.pipelines).map(([name, stages]) => ({ name, stages, source: 'builtin' as const }));
  }

  async resolve(_worktreePath: string, name: string): Promise<Pipeline> {
    const stages = this.pipelines[name];
    if (!stages) throw notFound(`No pipeline named ${name}`, { pipeline: name });
    return { name, stages: structuredClone(stages) };
  }
}

/** plan -> approve -> implement -> review, the shape of docs/design.md §3's example. */
export const STANDARD_STAGES: Pipeline['stages'] = [
  { name: 'plan', agent: 'architect', run: ['plan'], captureAs: 'plan' },
  { name: 'approve', approval: true },
  { name: 'implement', agent: 'developer', run: ['implement'] },
  { name: 'review', agent: 'reviewer', run: ['review'], review: { onChangesRequested: 'implement', maxRevisions: 2 } },
];
