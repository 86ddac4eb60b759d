import { memo } from 'react';
import type { WorkflowEvent } from '../../../shared/events';
import { formatClock } from '../lib/format';
import { agentEventBody } from './AgentEventBody';
import { PermissionRowActions } from './PermissionPanel';

const TONE: Partial<Record<WorkflowEvent['type'], string>> = {
  workflow_completed: 'good',
  approval_granted: 'good',
  review_completed: 'good',
  stage_completed: 'good',
  workflow_failed: 'bad',
  system_error: 'bad',
  approval_rejected: 'bad',
  workflow_cancelled: 'bad',
  approval_required: 'warn',
  revision_requested: 'warn',
  system_warning: 'warn',
  file_created: 'file',
  file_modified: 'file',
  file_deleted: 'file',
  commit_created: 'good',
  branch_pushed: 'good',
  pull_request_opened: 'good',
  permission_requested: 'warn',
  permission_granted: 'good',
  permission_denied: 'bad',
};

/**
 * One event: sequence, time, agent, type and the message (agent output monospaced; agent activity
 * in AgentEventBody). Without its event (not loaded yet), the same cells hold its number and
 * "loading…": so when its page lands the row fills in place, in the element it has (EventStream
 * draws both in the same slots).
 */
export const EventRow = memo(function EventRow({ event, sequence }: { event: WorkflowEvent | undefined; sequence: number }) {
  if (!event) {
    return (
      <>
        <span className="ev-seq">{sequence}</span>
        <time className="ev-time" />
        <span className="ev-agent" />
        <span className="ev-type" />
        <span className="ev-msg ev-loading">loading…</span>
      </>
    );
  }
  const output = event.type === 'agent_output';
  const body = agentEventBody(event);
  return (
    <>
      <span className="ev-seq">{sequence}</span>
      <time className="ev-time" dateTime={event.timestamp}>{formatClock(event.timestamp)}</time>
      <span className="ev-agent">{event.agent}</span>
      <span className={`ev-type t-${TONE[event.type] ?? 'plain'}`}>{event.type.replace(/_/g, ' ')}</span>
      {body ??
        (output ? (
          <pre className="ev-msg ev-out">{event.message}</pre>
        ) : event.type === 'permission_requested' ? (
          <span className="ev-msg">
            {event.message}
            <PermissionRowActions event={event} />
          </span>
        ) : (
          <span className="ev-msg">{event.message}</span>
        ))}
    </>
  );
});
