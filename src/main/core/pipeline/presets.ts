// Built-in pipelines: plan → approve → implement → review for Claude Code, Codex CLI and Aider,
// and a `shell` pipeline that runs the repository's own scripts. All argv arrays; the prompts
// are single argv elements, so nothing in an issue can become a command.
import type { PipelineDef, StageOutput } from '../../../shared/pipeline';

/** A review agent cannot pick its exit code, so it answers with this marker line instead of exit 3. */
export const CHANGES_REQUESTED_MARKER = 'CHANGES REQUESTED';

const PLAN_PROMPT =
  'You are planning a change to the repository in the current directory. Do not modify any file.\n\n' +
  '{prompt}\n\nReply with a concise, numbered implementation plan: the files to change and how, and how to test it.';
const IMPLEMENT_PROMPT =
  'Implement the following plan in the repository in the current directory. Do not commit.\n\n' +
  '{prompt}\n\nThe approved plan:\n{plan}';
const REVIEW_PROMPT =
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
function agentPipeline(description: string, plan: string[], implement: string[], reviewRun: string[], output?: StageOutput): PipelineDef {
  const structured = output ? { output } : {};
  const resume = (from: string) => (output ? { continueFrom: from } : {});
  return {
    description,
    stages: [
      { name: 'plan', agent: 'architect', run: plan, captureAs: 'plan', ...structured, ...resume('plan') },
      { name: 'approve', approval: true },
      { name: 'implement', agent: 'developer', run: implement, ...structured, ...resume('plan') },
      { name: 'review', agent: 'reviewer', run: reviewRun, review, ...structured },
    ],
  };
}

/** Claude Code's live stream: one JSON record per line (`--verbose` is required with `-p`). */
const CLAUDE_STREAM = ['--output-format', 'stream-json', '--verbose'];

export const BUILTIN_PIPELINES: Readonly<Record<string, PipelineDef>> = Object.freeze({
  claude: agentPipeline(
    'Claude Code (`claude -p`): plan in plan mode, implement with edits accepted (continuing the planning session), review read-only',
    ['claude', '-p', PLAN_PROMPT, '--permission-mode', 'plan', ...CLAUDE_STREAM],
    ['claude', '-p', IMPLEMENT_PROMPT, '--permission-mode', 'acceptEdits', ...CLAUDE_STREAM],
    ['claude', '-p', REVIEW_PROMPT, '--permission-mode', 'plan', '--allowedTools', 'Bash(git diff:*)', 'Bash(git status:*)', ...CLAUDE_STREAM],
    'claude-stream-json',
  ),
  codex: agentPipeline(
    'Codex CLI (`codex exec --json`): plan and review in a read-only sandbox, implement with workspace writes (continuing the planning session)',
    ['codex', 'exec', '--json', '--sandbox', 'read-only', PLAN_PROMPT],
    ['codex', 'exec', '--json', '--sandbox', 'workspace-write', IMPLEMENT_PROMPT],
    ['codex', 'exec', '--json', '--sandbox', 'read-only', REVIEW_PROMPT],
    'codex-json',
  ),
  aider: agentPipeline(
    'Aider (`aider --message`): plan and review in ask mode, implement without auto-commits',
    ['aider', '--chat-mode', 'ask', '--yes-always', '--no-pretty', '--no-stream', '--message', PLAN_PROMPT],
    ['aider', '--yes-always', '--no-pretty', '--no-stream', '--no-auto-commits', '--message', IMPLEMENT_PROMPT],
    ['aider', '--chat-mode', 'ask', '--yes-always', '--no-pretty', '--no-stream', '--message', REVIEW_PROMPT],
  ),
  shell: {
    description:
      "The repository's own executables .switchyard/plan.sh, implement.sh and review.sh (SWITCHYARD_* variables; review exits 3 to request changes)",
    stages: [
      { name: 'plan', agent: 'architect', run: ['./.switchyard/plan.sh', '{prompt}'], captureAs: 'plan' },
      { name: 'approve', approval: true },
      { name: 'implement', agent: 'developer', run: ['./.switchyard/implement.sh', '{prompt}'] },
      { name: 'review', agent: 'reviewer', run: ['./.switchyard/review.sh', '{prompt}'], review: { onChangesRequested: 'implement', maxRevisions: 2 } },
    ],
  },
});

/** `default`, when neither the repository nor the settings define it. */
export const DEFAULT_BUILTIN = 'claude';
