// Claude Code (`claude -p`): its stream-json output, resuming a session with `--resume`, its own
// spending cap `--max-budget-usd`, and the built-in `claude` pipeline. The stream's records are
// read by claude/stream.ts.
import { ClaudeStreamParser, CLAUDE } from './claude/stream';
import { agentPipeline, IMPLEMENT_PROMPT, PLAN_PROMPT, REVIEW_PROMPT } from './presets';
import type { AgentAdapter, Argv } from './types';

export const CLAUDE_FORMAT = 'claude-stream-json';
/** Claude Code's live stream: one JSON record per line (`--verbose` is required with `-p`). */
const STREAM_FLAGS = ['--output-format', 'stream-json', '--verbose'];

/** `claude --resume <id> …`, replacing any session option the stage set itself. */
export function claudeResume(argv: Argv, sessionId: string): Argv {
  const args = withoutOption(argv.args, ['--resume', '-r', '--session-id']);
  return { program: argv.program, args: ['--resume', sessionId, ...args] };
}

/** `--max-budget-usd <remaining>` unless the stage sets its own. */
export function claudeCapSpend(argv: Argv, remainingUsd: number): Argv {
  if (argv.args.includes('--max-budget-usd')) return argv;
  return { program: argv.program, args: [...argv.args, '--max-budget-usd', String(Math.max(remainingUsd, 0.000001).toFixed(6))] };
}

export const claude: AgentAdapter = {
  id: 'claude',
  label: CLAUDE,
  stream: {
    format: CLAUDE_FORMAT,
    flags: '`claude -p … --output-format stream-json --verbose`',
    parser: (sink, o) => new ClaudeStreamParser(sink, o.cwd, o.resumedUsage),
    resume: claudeResume,
    capSpend: claudeCapSpend,
  },
  presets: {
    claude: agentPipeline(
      'Claude Code (`claude -p`): plan in plan mode, implement with edits accepted (continuing the planning session), review read-only',
      {
        plan: ['claude', '-p', PLAN_PROMPT, '--permission-mode', 'plan', ...STREAM_FLAGS],
        implement: ['claude', '-p', IMPLEMENT_PROMPT, '--permission-mode', 'acceptEdits', ...STREAM_FLAGS],
        review: ['claude', '-p', REVIEW_PROMPT, '--permission-mode', 'plan', '--allowedTools', 'Bash(git diff:*)', 'Bash(git status:*)', ...STREAM_FLAGS],
      },
      CLAUDE_FORMAT,
    ),
  },
};

/** `args` without the options `names` and their values. */
function withoutOption(args: string[], names: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (names.includes(args[i]!)) {
      i++;
      continue;
    }
    out.push(args[i]!);
  }
  return out;
}
