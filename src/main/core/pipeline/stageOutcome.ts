// How a command stage ended, in the words the workflow keeps (docs/design.md §3): completed (with the
// captured plan), changes requested (a review's exit 3 or marker line, with its feedback), or
// failed with a reason a person can act on. One function for every stage: a text stage and a
// CLI's structured stream differ only in the evidence they hand over (StageEvidence).
import type { CommandStage } from '../../../shared/pipeline';
import type { SessionOutcome, StageOutcome } from '../runner';
import type { TailBuffer } from './bytes';
import { PlanFileError, readPlanFile, type StdoutPlan } from './planCapture';

/** Review stages: this exit code means "changes requested". */
export const CHANGES_REQUESTED_EXIT = 3;
const FEEDBACK_CHARS = 8 * 1024;
export const STDERR_LINES = 20;
const LAST_OUTPUT_LINES = 5;

export type StageEnding =
  | { kind: 'exit'; code: number | null; signal: NodeJS.Signals | null }
  | { kind: 'timeout' }
  /** The agent's stream reported an error no retry can fix; the stage was stopped for it. */
  | { kind: 'fatal'; reason: string };

/** What a stage left behind for its outcome to be read from. */
export interface StageEvidence {
  /** The last lines of stderr, trimmed. */
  stderr: string;
  /** The last lines a person read on stdout (a stream's messages and unparsed lines), trimmed. */
  lastOutput: string;
  /** Where a review's marker is looked for and its feedback taken from: stdout's tail, or the CLI's final answer. */
  verdict: string;
  /** What `captureAs: "plan"` takes without `captureFrom`: stdout's head or the final answer, else why there is none. */
  plan(): { text: string } | { missing: string };
  /** The CLI's own word that the stage failed (a structured stream): it wins over the exit status. */
  failure: string | null;
  /** The CLI session the stage ran in, for `continueFrom`. */
  session: SessionOutcome;
}

/** The evidence of a text stage: its stdout and stderr as written. */
export function textEvidence(stdoutTail: TailBuffer, stderrTail: TailBuffer, plan: StdoutPlan | null): StageEvidence {
  return {
    stderr: stderrTail.lastLines(STDERR_LINES).trim(),
    lastOutput: stdoutTail.lastLines(LAST_OUTPUT_LINES).trim(),
    verdict: stdoutTail.text(),
    plan: () => ({ text: plan?.text() ?? '' }),
    failure: null,
    session: {},
  };
}

export async function stageOutcome(stage: CommandStage, end: StageEnding, worktree: string, ev: StageEvidence): Promise<StageOutcome> {
  const name = stage.name;
  if (end.kind === 'fatal') return { kind: 'failed', reason: end.reason };
  if (end.kind === 'timeout') return { kind: 'failed', reason: `Stage ${name} timed out after ${stage.timeoutSeconds} s` };
  if (ev.failure) return { kind: 'failed', reason: ev.failure };
  const changes = (): StageOutcome => {
    const said = ev.verdict.trim();
    const feedback = (said.length > FEEDBACK_CHARS ? said.slice(said.length - FEEDBACK_CHARS) : said) || ev.stderr || '(the review gave no details)';
    return { kind: 'changes_requested', feedback, ...ev.session };
  };
  if (end.code === 0) {
    const marker = stage.review?.changesRequestedMarker;
    if (marker && ev.verdict.split('\n').some((line) => line.trimStart().startsWith(marker))) return changes();
    if (stage.captureAs !== 'plan') return { kind: 'completed', ...ev.session };
    if (stage.captureFrom !== undefined) {
      try {
        return { kind: 'completed', plan: await readPlanFile(worktree, stage.captureFrom), ...ev.session };
      } catch (e) {
        if (e instanceof PlanFileError) return { kind: 'failed', reason: `Stage ${name} exited 0 but ${e.message}` };
        throw e;
      }
    }
    const plan = ev.plan();
    if ('missing' in plan) return { kind: 'failed', reason: `Stage ${name} exited 0 but ${plan.missing}` };
    return { kind: 'completed', plan: { text: plan.text, file: null }, ...ev.session };
  }
  if (end.code === CHANGES_REQUESTED_EXIT && stage.review) return changes();
  const detail = ev.stderr ? `: ${ev.stderr}` : ev.lastOutput ? `; last output: ${ev.lastOutput}` : ' (no output)';
  return { kind: 'failed', reason: `Stage ${name} ${howItEnded(end)}${detail}` };
}

/** A process that did not exit 0: its code, its signal, or neither (the process runner that watched it stopped). */
function howItEnded(end: { code: number | null; signal: NodeJS.Signals | null }): string {
  if (end.code !== null) return `exited with code ${end.code}`;
  if (end.signal !== null) return `was killed by ${end.signal}`;
  return 'lost its exit status (the process runner stopped) and was stopped';
}
