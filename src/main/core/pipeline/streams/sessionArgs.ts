// What a structured stage adds to its CLI's argv: the session to resume (`continueFrom`) and,
// for Claude Code, its own spending cap as a second line of defence behind the workflow budget.
import type { StructuredFormat } from './structuredOutput';

export interface Argv {
  program: string;
  args: string[];
}

export class ResumeError extends Error {}

/**
 * Claude Code: `claude --resume <id> …`. Codex CLI: `codex exec resume <id> …`; `exec resume`
 * takes no `--sandbox`, so that option becomes the equivalent `-c sandbox_mode="…"`.
 */
export function resumeArgv(format: StructuredFormat, argv: Argv, sessionId: string): Argv {
  if (format === 'claude-stream-json') {
    const args = withoutOption(argv.args, ['--resume', '-r', '--session-id'], true);
    return { program: argv.program, args: ['--resume', sessionId, ...args] };
  }
  const [sub, ...rest] = argv.args;
  if (sub !== 'exec') throw new ResumeError(`cannot resume a Codex session: the stage's arguments must start with "exec"`);
  if (rest[0] === 'resume') throw new ResumeError('the stage already runs "codex exec resume"; drop it and let continueFrom pick the session');
  const out: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if ((a === '--sandbox' || a === '-s') && i + 1 < rest.length) {
      out.push('-c', `sandbox_mode="${rest[++i]}"`);
    } else if (a.startsWith('--sandbox=')) {
      out.push('-c', `sandbox_mode="${a.slice('--sandbox='.length)}"`);
    } else out.push(a);
  }
  return { program: argv.program, args: ['exec', 'resume', sessionId, ...out] };
}

/** Claude Code only: `--max-budget-usd <remaining>` unless the stage sets its own. */
export function budgetArgv(format: StructuredFormat, argv: Argv, remainingUsd: number | null): Argv {
  if (format !== 'claude-stream-json' || remainingUsd === null || argv.args.includes('--max-budget-usd')) return argv;
  return { program: argv.program, args: [...argv.args, '--max-budget-usd', String(Math.max(remainingUsd, 0.000001).toFixed(6))] };
}

function withoutOption(args: string[], names: string[], takesValue: boolean): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (names.includes(args[i]!)) {
      if (takesValue) i++;
      continue;
    }
    out.push(args[i]!);
  }
  return out;
}
