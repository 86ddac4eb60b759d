// Which workflow changes deserve a notification (needs approval, completed, failed).
import type { Workflow } from '../../../shared/domain';

export interface NotificationText {
  title: string;
  body: string;
}

export function notificationFor(previous: Workflow | undefined, next: Workflow): NotificationText | null {
  if (previous?.status === next.status) return null;
  const who = `${next.issueId}${next.title ? ` — ${next.title}` : ''} (${next.worktreeName})`;
  switch (next.status) {
    case 'blocked':
      return { title: `Approval needed: ${next.issueId}`, body: `${who} is waiting for your approval of the plan.` };
    case 'completed':
      return { title: `Completed: ${next.issueId}`, body: `${who} completed.` };
    case 'failed':
      return { title: `Failed: ${next.issueId}`, body: next.failureReason ? `${who}: ${next.failureReason}` : `${who} failed.` };
    default:
      return null;
  }
}
