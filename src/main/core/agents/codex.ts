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
