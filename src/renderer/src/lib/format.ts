// Display helpers: status words, elapsed time, the stage stepper's states.
import type { Workflow } from '../../../shared/domain';
import type { WorkflowEvent } from '../../../shared/events';
import { isApprovalStage } from '../../../shared/pipeline';
import { isTerminal, type WorkflowStatus } from '../../../shared/status';

/** Status in words, so colour is never the only signal. */
export const STATUS_LABEL: Readonly<Record<WorkflowStatus, string>> = {
  queued: 'Queued',
  pending: 'Starting',
  in_progress: 'Running',
  blocked: 'Needs approval',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** A running workflow whose agent waits for a tool request to be answered (rule 11). */
export const NEEDS_YOU = 'Needs you';

/** A mark per status, for places too narrow for the words (the sidebar rail); the words go in its label. */
export const STATUS_MARK: Readonly<Record<WorkflowStatus, string>> = {
  queued: '⋯',
  pending: '○',
  in_progress: '▶',
  blocked: '◆',
  completed: '✓',
  failed: '✕',
  cancelled: '⊘',
};

export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

/** Time from start (or creation, while queued) to the end, or to `now` while it is active. */
export function elapsedMs(w: Pick<Workflow, 'createdAt' | 'startedAt' | 'completedAt' | 'status'>, now: number): number {
  const from = Date.parse(w.startedAt ?? w.createdAt);
  const to = isTerminal(w.status) && w.completedAt ? Date.parse(w.completedAt) : now;
  return Number.isFinite(from) && Number.isFinite(to) ? to - from : 0;
}

// What toLocaleTimeString(undefined, { hour12: false }) prints, from one formatter: that call
// builds a new Intl.DateTimeFormat each time, which made formatting the clock of each new event
// row the largest single cost of following a busy stream. The rows drawn in one frame mostly
// share their second, so the last second's text is kept too.
let clock: Intl.DateTimeFormat | null = null;
let lastSecond = Number.NaN;
let lastText = '';

export function formatClock(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    clock ??= new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: 'numeric', second: 'numeric', hour12: false });
    lastText = clock.format(ms);
    lastSecond = second;
  }
  return lastText;
}

export function formatDateTime(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { hour12: false, year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

export type StepState = 'done' | 'current' | 'waiting' | 'failed' | 'todo';

export interface Step {
  name: string;
  kind: 'approval' | 'run';
  agent: string | null;
  state: StepState;
}

/** The pipeline as a row of steps, marked against the workflow's status and current stage. */
export function stepsOf(w: Pick<Workflow, 'pipeline' | 'currentStage' | 'status'>): Step[] {
  const stages = w.pipeline.stages;
  const currentIndex = w.currentStage === null ? -1 : stages.findIndex((s) => s.name === w.currentStage);
  return stages.map((stage, i) => {
    const kind = isApprovalStage(stage) ? 'approval' : 'run';
    const agent = isApprovalStage(stage) ? null : stage.agent;
    let state: StepState;
    if (w.status === 'completed') state = 'done';
    else if (currentIndex === -1) state = 'todo';
    else if (i < currentIndex) state = 'done';
    else if (i > currentIndex) state = 'todo';
    else if (w.status === 'failed' || w.status === 'cancelled') state = 'failed';
    else if (w.status === 'blocked') state = 'waiting';
    else state = 'current';
    return { name: stage.name, kind, agent, state };
  });
}

/** Short name of a path: its last segment. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/).filter(Boolean);
  return parts[parts.length - 1] ?? path;
}

// What n.toLocaleString() prints, from one formatter (that call builds one each time): the event
// counts are formatted on every applied batch.
let counts: Intl.NumberFormat | null = null;

export function formatCount(n: number): string {
  counts ??= new Intl.NumberFormat();
  return counts.format(n);
}

/** The sandbox the current stage's CLI runs in, as its stage_started said (a CLI that cannot ask, rule 11). */
export function sandboxOf(findLast: FindLast | undefined, stage: string | null): string | null {
  if (!findLast || !stage) return null;
  const e = findLast((x) => x.type === 'stage_started' && x.data?.stage === stage);
  return typeof e?.data?.sandbox === 'string' ? e.data.sandbox : null;
}

/** The newest event `match` accepts among those at hand (e.g. lib/eventLog.ts findInTail). */
export type FindLast = (match: (event: WorkflowEvent) => boolean) => WorkflowEvent | undefined;
