import type { WorkflowStatus } from '../../../shared/status';
import { NEEDS_YOU, STATUS_LABEL } from '../lib/format';

/**
 * A workflow status in colour and in words (colour is never the only signal). A running workflow
 * with a tool request waiting (rule 11) needs the person like one at its gate: "Needs you".
 */
export function StatusBadge({ status, needsYou = false }: { status: WorkflowStatus; needsYou?: boolean }) {
  const asks = needsYou && status === 'in_progress';
  return (
    <span className={`badge s-${asks ? 'blocked' : status}`} data-status={status} data-needs-you={asks ? '' : undefined}>
      <span className="dot" aria-hidden="true" />
      {asks ? NEEDS_YOU : STATUS_LABEL[status]}
    </span>
  );
}
