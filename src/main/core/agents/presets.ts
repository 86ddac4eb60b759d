// What the built-in agent pipelines have in common: plan → approve → implement → review, the
// prompts, and the review's marker line. Each adapter builds its CLI's preset from these with its
// own argv. All argv arrays; the prompts are single argv elements, so nothing in an issue can
// become a command.
import type { StagePermissions } from '../../../shared/permissions';
import type { PipelineDef } from '../../../shared/pipeline';

/** A review agent cannot pick its exit code, so it answers with this marker line instead of exit 3. */
export const CHANGES_REQUESTED_MARKER = 'CHANGES REQUESTED';

export const PLAN_PROMPT =
  'You are planning a change to the repository in the current directory. Do not modify any file.\n\n' +
  '{prompt}\n\nReply with a concise, numbered implementation plan: the files to change and how, and how to test it.';
export const IMPLEMENT_PROMPT =
  'Implement the following plan in the repository in the current directory. Do not commit.\n\n' +
  '{prompt}\n\nThe approved plan:\n{plan}';
export const REVIEW_PROMPT =
  'Review the uncommitted changes in the repository in the current directory (git status, git diff) ' +
  'against the issue and the plan. Do not modify any file.\n\n{prompt}\n\nThe plan:\n{plan}\n\n' +
  `If the changes are complete and correct, end your answer with the line APPROVED. If they need more work, ` +
  `write a line that starts with ${CHANGES_REQUESTED_MARKER} followed by precise instructions for the developer.`;

const review = { onChangesRequested: 'implement', maxRevisions: 2, changesRequestedMarker: CHANGES_REQUESTED_MARKER };

/**
 * With a structured `output`, the stages stream typed events and capture the CLI's final answer;
 * a replan resumes the planner's session and the implementer continues it (keeps its context).
 * The reviewer starts fresh, so it judges the diff and not its own reasoning.
 */
export function agentPipeline(
  description: string,
  runs: { plan: string[]; implement: string[]; review: string[] },
  output?: string,
  /** Rule 11: the implementer's tool requests (for a CLI that can ask). */
  implementPermissions?: StagePermissions,
): PipelineDef {
  const structured = output ? { output } : {};
  const resume = (from: string) => (output ? { continueFrom: from } : {});
  return {
    description,
    stages: [
      { name: 'plan', agent: 'architect', run: runs.plan, captureAs: 'plan', ...structured, ...resume('plan') },
      { name: 'approve', approval: true },
      { name: 'implement', agent: 'developer', run: runs.implement, ...structured, ...resume('plan'), ...(implementPermissions ? { permissions: implementPermissions } : {}) },
      { name: 'review', agent: 'reviewer', run: runs.review, review, ...structured },
    ],
  };
}
