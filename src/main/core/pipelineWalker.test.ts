import { describe, expect, it } from 'vitest';
import type { Pipeline } from '../../shared/pipeline';
import { afterStage, replanTarget, stepAt } from './pipelineWalker';
import { EMPTY_RUN_STATE } from './store/workflowStore';

const pipeline: Pipeline = {
  name: 'p',
  stages: [
    { name: 'setup', agent: 'system', run: ['true'] },
    { name: 'plan', agent: 'architect', run: ['plan'], captureAs: 'plan' },
    { name: 'approve', approval: true },
    { name: 'implement', agent: 'developer', run: ['impl'] },
    { name: 'review', agent: 'reviewer', run: ['rev'], review: { onChangesRequested: 'implement', maxRevisions: 1 } },
  ],
};

describe('pipeline walker', () => {
  it('steps through run, gate and complete', () => {
    expect(stepAt(pipeline, 0)).toMatchObject({ kind: 'run', index: 0 });
    expect(stepAt(pipeline, 2)).toEqual({ kind: 'gate', index: 2, name: 'approve' });
    expect(stepAt(pipeline, 5)).toEqual({ kind: 'complete' });
  });

  it('captures the plan and clears consumed feedback on completion', () => {
    const d = afterStage(pipeline, 1, { ...EMPTY_RUN_STATE, feedback: 'old' }, { kind: 'completed', plan: { text: 'P', file: 'PLAN.md' } });
    expect(d.state).toMatchObject({ plan: 'P', planFile: 'PLAN.md', feedback: null });
    expect(d.step).toMatchObject({ kind: 'gate', index: 2 });
    expect(d.events.map((e) => e.type)).toEqual(['stage_completed']);
  });

  it('sends review feedback back to the named stage, then fails past maxRevisions', () => {
    const first = afterStage(pipeline, 4, EMPTY_RUN_STATE, { kind: 'changes_requested', feedback: 'fix it' });
    expect(first.step).toMatchObject({ kind: 'run', index: 3 });
    expect(first.state).toMatchObject({ feedback: 'fix it', revisions: { review: 1 } });
    expect(first.events.map((e) => e.type)).toEqual(['stage_completed', 'revision_requested']);
    const second = afterStage(pipeline, 4, first.state, { kind: 'changes_requested', feedback: 'still' });
    expect(second.step).toMatchObject({ kind: 'fail' });
  });

  it('records review_completed when the reviewer approves', () => {
    const d = afterStage(pipeline, 4, EMPTY_RUN_STATE, { kind: 'completed' });
    expect(d.events.map((e) => e.type)).toEqual(['stage_completed', 'review_completed']);
    expect(d.step).toEqual({ kind: 'complete' });
  });

  it('treats changes requested by a non-review stage as a failure', () => {
    expect(afterStage(pipeline, 3, EMPTY_RUN_STATE, { kind: 'changes_requested', feedback: 'x' }).step).toMatchObject({ kind: 'fail' });
  });

  it('replans at the stage that captured the plan, else the nearest command stage before the gate', () => {
    expect(replanTarget(pipeline, 2)).toBe(1);
    const noCapture: Pipeline = { name: 'q', stages: [{ name: 'a', agent: 'x', run: ['a'] }, { name: 'b', agent: 'x', run: ['b'] }, { name: 'g', approval: true }] };
    expect(replanTarget(noCapture, 2)).toBe(1);
  });
});
