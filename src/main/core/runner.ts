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
  /** Rule 11: where the CLI's tool requests go (absent: the CLI decides alone, as without Switchyard). */
  permissions?: PermissionGate;
}

/** A tool the agent wants to use, as its CLI asked (docs/permissions.md). */
export interface ToolAsk {
  tool: string;
  input: unknown;
  /** The CLI's id of the tool call: parallel calls are told apart by it. */
  toolUseId: string | null;
}

export type PermissionAnswer = { allow: true } | { allow: false; message: string };

/** One stage's side of tool approvals: rules first, else the person (or the stop) decides. */
export interface PermissionGate {
  /** Resolves with the decision; never rejects (a stop or a timeout is a denial with its reason). */
  ask(request: ToolAsk): Promise<PermissionAnswer>;
  /** The CLI refused a tool on its own (Claude's `permission_denials`): shown, unless it was our denial. */
  refusedByCli(request: ToolAsk): void;
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
