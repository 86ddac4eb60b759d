// Pure decisions about where a pipeline goes next. No I/O: the orchestrator carries them out.
import type { EventDraft } from '../../shared/events';
import { isApprovalStage, type CommandStage, type Pipeline } from '../../shared/pipeline';
import { streamFormat } from './agents/registry';
import type { SessionOutcome, StageOutcome } from './runner';
import type { RunState } from './store/workflowStore';

export const MAX_REPLANS = 3;

export type Step =
  | { kind: 'run'; index: number; stage: CommandStage }
  | { kind: 'gate'; index: number; name: string }
  | { kind: 'complete' }
  | { kind: 'fail'; reason: string };

/** What to do when the pipeline reaches `index`. */
export function stepAt(pipeline: Pipeline, index: number): Step {
  const stage = pipeline.stages[index];
  if (!stage) return { kind: 'complete' };
  return isApprovalStage(stage) ? { kind: 'gate', index, name: stage.name } : { kind: 'run', index, stage };
}

export interface Decision {
  step: Step;
  state: RunState;
  /** Events to append, in order, with the transition. */
  events: EventDraft[];
}

/** Events announcing a command stage. */
export function stageStartEvents(stage: CommandStage): EventDraft[] {
  // Rule 11: a CLI that cannot ask says with its stage what its sandbox lets it do.
  const sandbox = streamFormat(stage.output)?.sandbox?.(stage.run.slice(1)) ?? null;
  const events: EventDraft[] = [
    {
      agent: stage.agent,
      type: 'stage_started',
      message: `Stage ${stage.name} started${sandbox ? ` (sandbox: ${sandbox})` : ''}`,
      data: { stage: stage.name, agent: stage.agent, ...(sandbox ? { sandbox } : {}) },
    },
  ];
  if (stage.review) {
    events.push({ agent: stage.agent, type: 'review_requested', message: `Review by ${stage.name} requested`, data: { stage: stage.name } });
  }
  return events;
}

/** Where the pipeline goes after the command stage at `index` ended with `outcome`. */
export function afterStage(pipeline: Pipeline, index: number, state: RunState, outcome: StageOutcome): Decision {
  const stage = pipeline.stages[index] as CommandStage;
  const completed: EventDraft = {
    agent: stage.agent,
    type: 'stage_completed',
    message: `Stage ${stage.name} completed`,
    data: { stage: stage.name, agent: stage.agent },
  };
  switch (outcome.kind) {
    case 'failed':
      return { step: { kind: 'fail', reason: outcome.reason }, state, events: [] };
    case 'completed': {
      const next: RunState = { ...state, feedback: null, ...withSession(state, stage.name, outcome) };
      const events = [completed];
      if (outcome.plan) {
        next.plan = outcome.plan.text;
        next.planFile = outcome.plan.file;
      }
      if (stage.review) {
        events.push({ agent: stage.agent, type: 'review_completed', message: `${stage.name} approved the changes`, data: { stage: stage.name } });
      }
      return { step: stepAt(pipeline, index + 1), state: next, events };
    }
    case 'changes_requested': {
      if (!stage.review) {
        return { step: { kind: 'fail', reason: `Stage ${stage.name} asked for changes but is not a review stage` }, state, events: [] };
      }
      const done = state.revisions[stage.name] ?? 0;
      const max = stage.review.maxRevisions;
      if (done >= max) {
        return {
          step: { kind: 'fail', reason: `Review ${stage.name} still requested changes after ${max} revision${max === 1 ? '' : 's'}: ${outcome.feedback}`.trim() },
          state,
          events: [completed],
        };
      }
      const target = pipeline.stages.findIndex((s) => s.name === stage.review!.onChangesRequested);
      return {
        step: stepAt(pipeline, target),
        state: {
          ...state,
          feedback: outcome.feedback,
          revisions: { ...state.revisions, [stage.name]: done + 1 },
          ...withSession(state, stage.name, outcome),
        },
        events: [
          completed,
          {
            agent: stage.agent,
            type: 'revision_requested',
            message: `${stage.name} requested changes (revision ${done + 1} of ${max})`,
            data: { feedback: outcome.feedback, stage: stage.name, target: stage.review.onChangesRequested },
          },
        ],
      };
    }
  }
}

function withSession(state: RunState, stage: string, o: SessionOutcome): Pick<RunState, 'sessions' | 'sessionUsage'> {
  const sessions = { ...state.sessions };
  const sessionUsage = { ...state.sessionUsage };
  if (o.sessionId) {
    sessions[stage] = o.sessionId;
    if (o.sessionUsage) sessionUsage[o.sessionId] = o.sessionUsage;
  }
  return { sessions, sessionUsage };
}

/**
 * The CLI session a stage resumes: its own from an earlier run (a replan, a revision), else the
 * one of the stage it continues from; none without `continueFrom`.
 */
export function sessionToResume(stage: CommandStage, state: Pick<RunState, 'sessions'>): string | null {
  if (!stage.continueFrom) return null;
  const sessions = state.sessions ?? {};
  return sessions[stage.name] ?? sessions[stage.continueFrom] ?? null;
}

/** The stage a replan sends the workflow back to: the one that captured the plan before the gate. */
export function replanTarget(pipeline: Pipeline, gateIndex: number): number {
  for (let i = gateIndex - 1; i >= 0; i--) {
    const s = pipeline.stages[i]!;
    if (!isApprovalStage(s) && s.captureAs === 'plan') return i;
  }
  for (let i = gateIndex - 1; i >= 0; i--) {
    if (!isApprovalStage(pipeline.stages[i]!)) return i;
  }
  return 0;
}
