// What the shell knows of the workflows, kept from the core's bus: the active ones (for the
// tray), failures the user has not seen yet (the tray's "failed" state), the workflow that most
// recently asked for approval (a global shortcut opens it), and which change deserves a native
// notification. Plain data in, plain data out: no Electron here.
import type { Workflow } from '../../shared/domain';
import { isActive, isTerminal, type WorkflowStatus } from '../../shared/status';
import type { ShellAction } from './actions';
import { summarize, type TraySummary } from './tray';

export type NotificationKind = 'approval' | 'completed' | 'failed';

export interface NotificationSpec {
  kind: NotificationKind;
  workflowId: string;
  title: string;
  body: string;
  /** What a click on the notification does: open the window at this workflow. */
  onClick: ShellAction;
}

/**
 * Which status change is worth a notification. `previous` is the status the shell last saw
 * (undefined: never seen it active). Only changes the shell observed are announced, so nothing
 * fires for workflows restored at start-up, and each entry into a state is announced once.
 */
export function notificationFor(previous: WorkflowStatus | undefined, next: Workflow): NotificationSpec | null {
  if (previous === next.status) return null;
  const name = `${next.issueId} — ${next.worktreeName}`;
  const onClick: ShellAction = { kind: 'open-workflow', workflowId: next.id };
  if (next.status === 'blocked') {
    return { kind: 'approval', workflowId: next.id, title: `Approval needed: ${name}`, body: 'The plan is ready for review.', onClick };
  }
  if (previous === undefined || !isActive(previous)) return null;
  if (next.status === 'completed') {
    return { kind: 'completed', workflowId: next.id, title: `Completed: ${name}`, body: next.title || 'The workflow finished.', onClick };
  }
  if (next.status === 'failed') {
    return { kind: 'failed', workflowId: next.id, title: `Failed: ${name}`, body: oneLine(next.failureReason ?? 'The workflow failed.', 200), onClick };
  }
  return null;
}

/**
 * Rule 11: a new tool request of a running workflow is notified like an approval. `previous` is
 * how many requests the shell last saw waiting; fewer or as many is nothing new.
 */
export function toolRequestNotification(previous: number, next: Workflow): NotificationSpec | null {
  const pending = next.status === 'in_progress' ? next.pendingPermissions : [];
  if (pending.length <= previous) return null;
  const newest = pending[pending.length - 1]!;
  return {
    kind: 'approval',
    workflowId: next.id,
    title: `Tool request: ${next.issueId} — ${next.worktreeName}`,
    body: oneLine(`The agent asks to run ${newest.summary}`, 200),
    onClick: { kind: 'open-workflow', workflowId: next.id },
  };
}

function oneLine(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

export class ShellModel {
  private readonly activeById = new Map<string, Workflow>();
  private readonly unseenFailed = new Set<string>();
  /** Blocked workflows in the order they asked for approval (last = most recent). */
  private approvals: string[] = [];

  constructor(initialActive: readonly Workflow[] = []) {
    const sorted = [...initialActive].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
    for (const w of sorted) {
      if (!isActive(w.status)) continue;
      this.activeById.set(w.id, w);
      if (w.status === 'blocked' || (w.status === 'in_progress' && w.pendingPermissions.length > 0)) this.approvals.push(w.id);
    }
  }

  /** Applies one workflow change from the bus; returns the notification it deserves, if any. */
  update(workflow: Workflow): NotificationSpec | null {
    const before = this.activeById.get(workflow.id);
    const previous = before?.status;
    const notification = notificationFor(previous, workflow) ?? toolRequestNotification(before?.pendingPermissions.length ?? 0, workflow);
    if (isActive(workflow.status)) this.activeById.set(workflow.id, workflow);
    else this.activeById.delete(workflow.id);

    const stillAsks = workflow.status === 'in_progress' && workflow.pendingPermissions.length > 0;
    const asksAnew = stillAsks && workflow.pendingPermissions.length > (before?.pendingPermissions.length ?? 0);
    if (!(stillAsks && !asksAnew)) this.approvals = this.approvals.filter((id) => id !== workflow.id);
    if (workflow.status === 'blocked' || asksAnew) this.approvals.push(workflow.id);
    if (workflow.status === 'failed' && previous !== undefined) this.unseenFailed.add(workflow.id);
    if (isTerminal(workflow.status) && workflow.status !== 'failed') this.unseenFailed.delete(workflow.id);
    return notification;
  }

  active(): Workflow[] {
    return [...this.activeById.values()];
  }

  activeCount(): number {
    return this.activeById.size;
  }

  summary(): TraySummary {
    return summarize(this.active(), this.unseenFailed.size);
  }

  /** The workflow that most recently asked for approval or for a tool (rule 11), or null. */
  latestApproval(): string | null {
    return this.approvals.at(-1) ?? null;
  }

  /** The user looked: at the window (all failures) or at one workflow. */
  markSeen(workflowId?: string): void {
    if (workflowId === undefined) this.unseenFailed.clear();
    else this.unseenFailed.delete(workflowId);
  }
}
