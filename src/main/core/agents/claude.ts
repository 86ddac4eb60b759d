// Claude Code (`claude -p`): its stream-json output, resuming a session with `--resume`, its own
// spending cap `--max-budget-usd`, and the built-in `claude` pipeline. The stream's records are
// read by claude/stream.ts.
import { ClaudeStreamParser, CLAUDE } from './claude/stream';
import { agentPipeline, IMPLEMENT_PROMPT, PLAN_PROMPT, REVIEW_PROMPT } from './presets';
import type { AgentAdapter, Argv, PermissionChannel } from './types';

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

/**
 * Rule 11 over the stage's own pipes (docs/permissions.md): `--permission-prompt-tool stdio` makes
 * the CLI send each tool request as a `control_request` (`can_use_tool`) on stdout and wait for the
 * `control_response` on stdin. It needs `--input-format stream-json`, which reads the prompt from
 * stdin too, so the positional prompt after `-p` moves there as the first user message.
 */
export const claudePermissions: PermissionChannel = {
  open(argv) {
    const a = argv.args;
    if (a.some((x) => x === '--permission-prompt-tool' || x === '--input-format' || x.startsWith('--permission-prompt-tool=') || x.startsWith('--input-format='))) {
      return { failed: 'its run chooses --permission-prompt-tool or --input-format itself' };
    }
    const p = a.findIndex((x) => x === '-p' || x === '--print');
    const prompt = p >= 0 ? a[p + 1] : undefined;
    if (prompt === undefined || prompt.startsWith('-')) return { failed: 'its run has no prompt right after -p' };
    const args = [...a.slice(0, p + 1), ...a.slice(p + 2), '--input-format', 'stream-json', '--permission-prompt-tool', 'stdio'];
    return { argv: { program: argv.program, args }, input: [JSON.stringify({ type: 'user', message: { role: 'user', content: prompt } })] };
  },
  request(r) {
    const req = r.type === 'control_request' && r.request && typeof r.request === 'object' ? (r.request as Record<string, unknown>) : null;
    if (!req || req.subtype !== 'can_use_tool' || typeof r.request_id !== 'string' || typeof req.tool_name !== 'string') return null;
    return { id: r.request_id, tool: req.tool_name, input: req.input ?? {}, toolUseId: typeof req.tool_use_id === 'string' ? req.tool_use_id : null };
  },
  answer(id, input, a) {
    const response = a.allow ? { behavior: 'allow', updatedInput: input } : { behavior: 'deny', message: a.message };
    return JSON.stringify({ type: 'control_response', response: { subtype: 'success', request_id: id, response } });
  },
  ends: (r) => r.type === 'result',
};

export const claude: AgentAdapter = {
  id: 'claude',
  label: CLAUDE,
  stream: {
    format: CLAUDE_FORMAT,
    flags: '`claude -p … --output-format stream-json --verbose`',
    parser: (sink, o) => new ClaudeStreamParser(sink, o.cwd, o.resumedUsage),
    resume: claudeResume,
    capSpend: claudeCapSpend,
    permissions: claudePermissions,
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
      // Bash and web requests that acceptEdits does not allow go to the person (rule 11).
      { ask: 'human', allow: [], deny: [] },
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
