// The message cell of the event types structured agent streams add (docs/design.md §2), and of API retry
// warnings; null for every other type, which EventRow renders as before.
import type { ReactNode } from 'react';
import type { WorkflowEvent } from '../../../shared/events';
import { retryChip } from '../lib/agentEvents';
import { usageDetail, usageSummary } from '../../../shared/format';
import { usageOf } from '../lib/usage';
import { AgentMessage } from './AgentMessage';
import { ToolRow } from './ToolRow';

export function agentEventBody(event: WorkflowEvent): ReactNode | null {
  switch (event.type) {
    case 'agent_message':
      return <AgentMessage event={event} />;
    case 'tool_call':
    case 'tool_result':
      return <ToolRow event={event} />;
    case 'usage': {
      const usage = usageOf(event.data);
      if (!usage) return null;
      return (
        <span className="ev-msg ev-usage" title={usageDetail(usage)}>
          {usageSummary(usage) ?? 'no tokens yet'}
          <span className="muted"> this stage</span>
        </span>
      );
    }
    case 'system_warning': {
      const chip = retryChip(event);
      return (
        <span className="ev-msg warn-text">
          {chip && <span className="ev-chip">{chip}</span>}
          {event.message}
        </span>
      );
    }
    default:
      return null;
  }
}
