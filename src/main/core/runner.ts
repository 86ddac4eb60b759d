// What the orchestrator asks of whoever runs a stage. The orchestrator walks the pipeline
// (gates, review loops, replans, transitions); an executor only runs one command stage and
// says how it ended. The real executor spawns processes (pipeline runner); tests may run
// stages in process.
import type { Workflow } from '../../shared/domain';
import type { EventDraft, Usage, WorkflowEvent } from '../../shared/events';
import type { CommandStage, Pipeline, PipelineInfo } from '../../shared/pipeline';
import type { Settings } from '../../shared/settings';

/** Values a stage's argv templates and SWITCHYARD_* variables are filled from. */
export interface StageVars {
  plan: string | null;
  planFile: string | null;
  feedback: string | null;
}

export interface StageRun {
  workflow: Workflow;
  stage: CommandStage;
  stageIndex: number;
  vars: StageVars;
  settings: Settings;
  /** Aborted when the workflow is cancelled or the application shuts down: stop, kill, return. */
  signal: AbortSignal;
  /** Appends an event to the workflow (agent output, file changes, warnings). */
  emit(draft: EventDraft): Promise<WorkflowEvent>;
  /** The worktree's first port (rule 13): SWITCHYARD_PORT_BASE, when it has a range. */
  portBase?: number | null;
  /** false: report no file changes (a worktree's run command). */
  watchFiles?: boolean;
  /** Records a process group of this stage so a restart after a crash can kill it (rule 8). */
  processStarted(pgid: number): void;
  processExited(pgid: number): void;
  /** The CLI session to resume (`continueFrom`), when the stage writes a structured stream. */
  resumeSession?: string | null;
  /** That session's totals as its CLI last reported them (the CLIs count a resumed session from its start). */
  resumeUsage?: Usage | null;
  /** What is left of the workflow's budget (null: no budget); a CLI with its own cap gets it. */
  budgetRemainingUsd?: number | null;
  /** The stage's usage totals so far, each time a structured stream reports them. */
  usage?(totals: Usage): void;
}

export type StageOutcome =
  | ({ kind: 'completed'; plan?: { text: string; file: string | null } } & SessionOutcome)
  /** A review stage asked for changes (exit 3); `feedback` goes to the stage it jumps back to. */
  | ({ kind: 'changes_requested'; feedback: string } & SessionOutcome)
  | { kind: 'failed'; reason: string };

/** The CLI session a structured stage ran in, and its totals as the CLI counts them. */
export interface SessionOutcome {
  sessionId?: string;
  sessionUsage?: Usage;
}

export interface StageExecutor {
  run(run: StageRun): Promise<StageOutcome>;
}

/** Where pipelines come from: the repository's file, the settings' presets, the built-ins. */
export interface PipelineSource {
  list(worktreePath: string, settings: Settings): Promise<PipelineInfo[]>;
  /** The pipeline to snapshot into a new workflow; throws a SwitchyardError if it cannot start. */
  resolve(worktreePath: string, name: string, settings: Settings): Promise<Pipeline>;
}

/** Kills what a crashed run left behind (rule 8). */
export interface ProcessReaper {
  reap(pgid: number, workflowId: string): void;
}
