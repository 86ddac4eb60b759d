// The two ends of a stage that writes a structured stream: its argv before the spawn (resume the
// session, cap the spend) and its outcome after the exit (the CLI's answer, never the raw stream).
import type { CommandStage } from '../../../../shared/pipeline';
import type { StageOutcome, StageRun } from '../../runner';
import { PlanFileError, readPlanFile, StdoutPlan } from '../planCapture';
import { budgetArgv, ResumeError, resumeArgv, type Argv } from './sessionArgs';
import { formatHint, type StructuredOutput } from './structuredOutput';

const FEEDBACK_CHARS = 8 * 1024;

/** The argv to spawn, or why the stage cannot start. Text stages pass through unchanged. */
export function structuredStart(stage: CommandStage, argv: Argv, r: Pick<StageRun, 'resumeSession' | 'budgetRemainingUsd'>): Argv | { failed: string } {
  if (!stage.output || stage.output === 'text') return argv;
  let out = argv;
  if (r.resumeSession) {
    try {
      out = resumeArgv(stage.output, out, r.resumeSession);
    } catch (e) {
      if (e instanceof ResumeError) return { failed: `Stage ${stage.name} (continueFrom ${stage.continueFrom ?? '?'}): ${e.message}` };
      throw e;
    }
  }
  return budgetArgv(stage.output, out, r.budgetRemainingUsd ?? null);
}

/** How a structured stage that exited ended: the CLI's failure, a review's verdict, the captured answer. */
export async function structuredOutcome(
  worktree: string,
  stage: CommandStage,
  end: { code: number | null; signal: NodeJS.Signals | null },
  s: StructuredOutput,
  stderr: string,
): Promise<StageOutcome> {
  const name = stage.name;
  const session = s.sessionId ? { sessionId: s.sessionId, ...(s.sessionUsage ? { sessionUsage: s.sessionUsage } : {}) } : {};
  if (s.fatal) return { kind: 'failed', reason: s.fatal };
  if (s.failure) return { kind: 'failed', reason: `Stage ${name} failed: ${s.failure}` };
  if (end.code !== 0) {
    const how = end.code !== null ? `exited with code ${end.code}` : `was killed by ${end.signal}`;
    const last = s.textTail.lastLines(5).trim();
    const detail = stderr ? `: ${stderr}` : last ? `; last output: ${last}` : ' (no output)';
    return { kind: 'failed', reason: `Stage ${name} ${how}${detail}` };
  }
  const answer = (s.answer ?? '').trim();
  const marker = stage.review?.changesRequestedMarker;
  if (marker && answer.split('\n').some((line) => line.trimStart().startsWith(marker))) {
    const feedback = answer.length > FEEDBACK_CHARS ? answer.slice(answer.length - FEEDBACK_CHARS) : answer;
    return { kind: 'changes_requested', feedback, ...session };
  }
  if (stage.captureAs !== 'plan') return { kind: 'completed', ...session };
  if (stage.captureFrom !== undefined) {
    try {
      return { kind: 'completed', plan: await readPlanFile(worktree, stage.captureFrom), ...session };
    } catch (e) {
      if (e instanceof PlanFileError) return { kind: 'failed', reason: `Stage ${name} exited 0 but ${e.message}` };
      throw e;
    }
  }
  if (!answer) {
    const why = s.records === 0 && stage.output && stage.output !== 'text' ? `: ${formatHint(stage.output)}` : '';
    return { kind: 'failed', reason: `Stage ${name} exited 0 but its agent gave no final answer to capture as the plan${why}` };
  }
  const plan = new StdoutPlan();
  plan.push(Buffer.from(answer));
  return { kind: 'completed', plan: { text: plan.text(), file: null }, ...session };
}
