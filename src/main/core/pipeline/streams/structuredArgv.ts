// What a structured stage adds to its CLI's argv before the spawn, as its adapter says: the
// session to resume (`continueFrom`) and the CLI's own spending cap, a second line of defence
// behind the workflow budget.
import type { CommandStage } from '../../../../shared/pipeline';
import { ResumeError, type Argv, type StreamFormat } from '../../agents/types';
import type { StageRun } from '../../runner';

/** The argv to spawn, or why the stage cannot start. */
export function structuredArgv(stage: CommandStage, stream: StreamFormat, argv: Argv, r: Pick<StageRun, 'resumeSession' | 'budgetRemainingUsd'>): Argv | { failed: string } {
  let out = argv;
  if (r.resumeSession) {
    const cannot = (why: string) => ({ failed: `Stage ${stage.name} (continueFrom ${stage.continueFrom ?? '?'}): ${why}` });
    if (!stream.resume) return cannot(`the CLI of ${stream.format} has no session to resume`);
    try {
      out = stream.resume(out, r.resumeSession);
    } catch (e) {
      if (e instanceof ResumeError) return cannot(e.message);
      throw e;
    }
  }
  const remaining = r.budgetRemainingUsd ?? null;
  return remaining !== null && stream.capSpend ? stream.capSpend(out, remaining) : out;
}
