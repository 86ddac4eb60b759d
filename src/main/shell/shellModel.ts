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
      if (w.status === 'blocked') this.approvals.push(w.id);
    }
  }

  /** Applies one workflow change from the bus; returns the notification it deserves, if any. */
  update(workflow: Workflow): NotificationSpec | null {
    const previous = this.activeById.get(workflow.id)?.status;
    const notification = notificationFor(previous, workflow);
    if (isActive(workflow.status)) this.activeById.set(workflow.id, workflow);
    else this.activeById.delete(workflow.id);

    this.approvals = this.approvals.filter((id) => id !== workflow.id);
    if (workflow.status === 'blocked') this.approvals.push(workflow.id);
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

  /** The blocked workflow that most recently asked for approval, or null. */
  latestApproval(): string | null {
    return this.approvals.at(-1) ?? null;
  }

  /** The user looked: at the window (all failures) or at one workflow. */
  markSeen(workflowId?: string): void {
    if (workflowId === undefined) this.unseenFailed.clear();
    else this.unseenFailed.delete(workflowId);
  }
}
