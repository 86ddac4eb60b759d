// Codex CLI (`codex exec --json`): its JSON events, resuming a thread with `codex exec resume`,
// and the built-in `codex` pipeline. Codex has no spending cap of its own (and reports no cost).
// The events are read by codex/json.ts.
import { CODEX, CodexJsonParser } from './codex/json';
import { agentPipeline, IMPLEMENT_PROMPT, PLAN_PROMPT, REVIEW_PROMPT } from './presets';
import { ResumeError, type AgentAdapter, type Argv } from './types';

export const CODEX_FORMAT = 'codex-json';

/** `codex exec resume <id> …`; `exec resume` takes no `--sandbox`, so it becomes the equivalent `-c sandbox_mode="…"`. */
export function codexResume(argv: Argv, sessionId: string): Argv {
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

export const codex: AgentAdapter = {
  id: 'codex',
  label: CODEX,
  stream: {
    format: CODEX_FORMAT,
    flags: '`codex exec --json …`',
    sandbox: codexSandbox,
    parser: (sink, o) => new CodexJsonParser(sink, o.cwd),
    resume: codexResume,
  },
  presets: {
    codex: agentPipeline(
      'Codex CLI (`codex exec --json`): plan and review in a read-only sandbox, implement with workspace writes (continuing the planning session)',
      {
        plan: ['codex', 'exec', '--json', '--sandbox', 'read-only', PLAN_PROMPT],
        implement: ['codex', 'exec', '--json', '--sandbox', 'workspace-write', IMPLEMENT_PROMPT],
        review: ['codex', 'exec', '--json', '--sandbox', 'read-only', REVIEW_PROMPT],
      },
      CODEX_FORMAT,
    ),
  },
};

/**
 * The sandbox `codex exec` runs in for these arguments (rule 11: Codex cannot ask, so the window
 * says what it may do): `--sandbox X` / `-s X` / `-c sandbox_mode="X"`, `--full-auto`
 * (workspace-write), the bypass flag, else Codex's default for `exec`, read-only.
 */
export function codexSandbox(args: readonly string[]): string {
  let mode = 'read-only';
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if ((a === '--sandbox' || a === '-s') && i + 1 < args.length) mode = args[++i]!;
    else if (a.startsWith('--sandbox=')) mode = a.slice('--sandbox='.length);
    else if (a === '-c' && /^sandbox_mode="?([a-z-]+)"?$/.test(args[i + 1] ?? '')) mode = /^sandbox_mode="?([a-z-]+)"?$/.exec(args[++i]!)![1]!;
    else if (a === '--full-auto') mode = 'workspace-write';
    else if (a === '--dangerously-bypass-approvals-and-sandbox' || a === '--yolo') return 'no sandbox (danger-full-access)';
  }
  return mode;
}
