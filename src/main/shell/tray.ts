// The tray, as pure functions of the active workflows (docs/design.md §4.3): which icon, which
// tooltip, which menu. The Electron layer calls these on every workflow change.
import type { Workflow } from '../../shared/domain';
import { formatCost, formatCount } from '../../shared/format';
import { ACTIVE_STATUSES, type WorkflowStatus } from '../../shared/status';
import { actionId, workflowLabel, type MenuSpec, type ShellAction } from './actions';

export type TrayState = 'idle' | 'running' | 'approval' | 'failed';
export const TRAY_STATES: readonly TrayState[] = ['idle', 'running', 'approval', 'failed'];

export type ActiveStatus = (typeof ACTIVE_STATUSES)[number];

export interface TraySummary {
  /** Active workflows by status (queued, pending, in_progress, blocked). */
  counts: Record<ActiveStatus, number>;
  /** Workflows that failed since the user last looked at the window. */
  unseenFailures: number;
  /** Running workflows whose agent waits for a tool request to be answered (rule 11). */
  needsYou: number;
}

export function summarize(active: readonly Pick<Workflow, 'status' | 'pendingPermissions'>[], unseenFailures = 0): TraySummary {
  const counts = Object.fromEntries(ACTIVE_STATUSES.map((s) => [s, 0])) as Record<ActiveStatus, number>;
  let needsYou = 0;
  for (const w of active) {
    if (isActiveStatus(w.status)) counts[w.status] += 1;
    if (asksTool(w)) needsYou += 1;
  }
  return { counts, unseenFailures, needsYou };
}

/** A running workflow with a tool request waiting for the person. */
export function asksTool(w: Pick<Workflow, 'status' | 'pendingPermissions'>): boolean {
  return w.status === 'in_progress' && w.pendingPermissions.length > 0;
}

function isActiveStatus(s: WorkflowStatus): s is ActiveStatus {
  return (ACTIVE_STATUSES as readonly WorkflowStatus[]).includes(s);
}

/**
 * The icon's state, most urgent first: a workflow waiting for approval needs the user; an
 * unseen failure is news; anything else active is running (queued counts: it holds a worktree).
 */
export function trayState(summary: TraySummary): TrayState {
  const c = summary.counts;
  if (c.blocked > 0 || summary.needsYou > 0) return 'approval';
  if (summary.unseenFailures > 0) return 'failed';
  if (c.pending + c.in_progress + c.queued > 0) return 'running';
  return 'idle';
}

/** What a workflow has spent so far, for one line: dollars where its CLI reports them, else tokens. */
export function costLabel(usage: Workflow['usage']): string {
  if (usage.costUsd !== null) return formatCost(usage.costUsd);
  const tokens = usage.inputTokens + usage.outputTokens + usage.cachedTokens;
  return tokens > 0 ? `${formatCount(tokens)} tokens` : 'no usage yet';
}

/**
 * The tooltip: the summary line, then one line per active workflow with what it has spent
 * (oldest first). The menu's first label is the summary line alone.
 */
export function trayTooltip(summary: TraySummary, active: readonly Workflow[] = []): string {
  const head = traySummaryLine(summary);
  const list = active.filter((w) => isActiveStatus(w.status)).sort(byCreation);
  return [head, ...list.map((w) => `${workflowLabel(w)}: ${costLabel(w.usage)}`)].join('\n');
}

function traySummaryLine(summary: TraySummary): string {
  const c = summary.counts;
  const running = c.pending + c.in_progress;
  const parts: string[] = [];
  if (running) parts.push(`${running} running`);
  if (c.blocked) parts.push(`${c.blocked} waiting for approval`);
  if (summary.needsYou) parts.push(`${summary.needsYou} ${summary.needsYou === 1 ? 'needs' : 'need'} you (tool request)`);
  if (c.queued) parts.push(`${c.queued} queued`);
  if (summary.unseenFailures) parts.push(`${summary.unseenFailures} failed`);
  return parts.length ? `Switchyard — ${parts.join(', ')}` : 'Switchyard — idle';
}

const STATUS_WORDS: Record<ActiveStatus, string> = {
  queued: 'queued',
  pending: 'starting',
  in_progress: 'running',
  blocked: 'waiting for approval',
};

/** Oldest first, so items keep their place as workflows come and go. */
function byCreation(a: Workflow, b: Workflow): number {
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1;
}

function item(label: string, action: ShellAction, extra: { accelerator?: string; enabled?: boolean } = {}): MenuSpec {
  return { type: 'action', id: actionId(action), label, action, ...extra };
}

/**
 * The tray menu: "Approve…" items for blocked workflows (they open the window there), one
 * "Cancel <issue> — <worktree>" per active or queued workflow, then Cancel all, Show, Quit.
 */
export function buildTrayMenu(active: readonly Workflow[], summary: TraySummary = summarize(active)): MenuSpec[] {
  const list = active.filter((w) => isActiveStatus(w.status)).sort(byCreation);
  const blocked = list.filter((w) => w.status === 'blocked');
  const asking = list.filter(asksTool);
  const menu: MenuSpec[] = [{ type: 'label', id: 'summary', label: traySummaryLine(summary) }, { type: 'separator' }];
  if (blocked.length || asking.length) {
    for (const w of blocked) menu.push(item(`Approve… ${workflowLabel(w)}`, { kind: 'open-workflow', workflowId: w.id }));
    for (const w of asking) menu.push(item(`Answer tool request… ${workflowLabel(w)}`, { kind: 'open-workflow', workflowId: w.id }));
    menu.push({ type: 'separator' });
  }
  if (list.length) {
    for (const w of list) {
      menu.push(item(`Cancel ${workflowLabel(w)} (${asksTool(w) ? 'needs you' : STATUS_WORDS[w.status as ActiveStatus]})`, { kind: 'cancel', workflowId: w.id }));
    }
  } else {
    menu.push({ type: 'label', id: 'none', label: 'No active workflows' });
  }
  menu.push({ type: 'separator' });
  menu.push(item('Cancel all', { kind: 'cancel-all' }, { enabled: list.length > 0 }));
  menu.push(item('Show Switchyard', { kind: 'show-window' }));
  menu.push(item('Quit', { kind: 'quit' }));
  return menu;
}
