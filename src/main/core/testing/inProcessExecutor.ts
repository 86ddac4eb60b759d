// A StageExecutor whose stages are JavaScript functions: drives every orchestration rule in
// tests without processes. Stage handlers are looked up by stage name.
import type { StageExecutor, StageOutcome, StageRun } from '../runner';

export type StageHandler = (run: StageRun) => Promise<StageOutcome> | StageOutcome;

export class InProcessExecutor implements StageExecutor {
  readonly calls: { stage: string; workflowId: string; feedback: string | null; plan: string | null }[] = [];

  constructor(private readonly handlers: Record<string, StageHandler> = {}) {}

  set(stage: string, handler: StageHandler): void {
    this.handlers[stage] = handler;
  }

  async run(run: StageRun): Promise<StageOutcome> {
    this.calls.push({ stage: run.stage.name, workflowId: run.workflow.id, feedback: run.vars.feedback, plan: run.vars.plan });
    const handler = this.handlers[run.stage.name];
    if (!handler) return { kind: 'completed' };
    return handler(run);
  }
}

/** A stage that runs until aborted (a hung agent), then returns. */
export const hang: StageHandler = (run) =>
  new Promise((resolve) => {
    if (run.signal.aborted) resolve({ kind: 'failed', reason: 'aborted' });
    run.signal.addEventListener('abort', () => resolve({ kind: 'failed', reason: 'aborted' }), { once: true });
  });

/** A controllable stage: resolves when the test says so (or when aborted). */
export function gate(): { handler: StageHandler; release: (o?: StageOutcome) => void; started: Promise<void> } {
  let release!: (o?: StageOutcome) => void;
  let markStarted!: () => void;
  const started = new Promise<void>((r) => (markStarted = r));
  const done = new Promise<StageOutcome>((r) => (release = (o) => r(o ?? { kind: 'completed' })));
  return {
    handler: (run) => {
      markStarted();
      run.signal.addEventListener('abort', () => release({ kind: 'failed', reason: 'aborted' }), { once: true });
      return done;
    },
    release,
    started,
  };
}
